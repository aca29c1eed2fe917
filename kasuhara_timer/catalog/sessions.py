"""Reading one session folder for the review: its record, its state, and everything wrong with it.

The folders are the truth. A folder is read from `record.json` when that is current (its
`journal.final_hash` matches the journal's last line); otherwise the record is rebuilt from the
journal with the store's own `record_from_journal`, so an unfinished, interrupted or half-saved
session shows exactly what the desk journaled. Whatever cannot be trusted (a corrupt or newer
record, damaged journal lines, a folder with no journal) becomes a problem with its reason:
`load_session` never raises for what is in a folder, and never drops one silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import DEFAULT_PROFILE, bundled_profile_names, load_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.events import Started
from kasuhara_timer.store import vault
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import JournalReadResult, parse_journal
from kasuhara_timer.store.record import Record, build_record, read_record


class SessionStatus(StrEnum):
    """How a session stands, as the review lists it."""

    COMPLETE = "complete"
    """Ended by the staff member."""
    INTERRUPTED = "interrupted"
    """Closed as interrupted after the app or the PC died (issue 5's recovery)."""
    UNFINISHED = "unfinished"
    """No end in the journal: still running at a desk, or the app died and nobody recovered it."""
    UNREADABLE = "unreadable"
    """Nothing could be read: no journal, or a journal without a start."""


@dataclass(frozen=True)
class LoadedSession:
    """One session folder as the review sees it."""

    folder: SessionFolder
    record: Record | None
    """None only when the folder is unreadable."""
    status: SessionStatus
    problems: tuple[str, ...]
    """Each reason the folder cannot be fully trusted, in words; empty when all is well."""
    from_journal: bool
    """True when the record was rebuilt from the journal (no current record.json)."""


def load_session(folder: SessionFolder, *, check_events: bool = True) -> LoadedSession:
    """Read a folder; problems are collected, never raised.

    `check_events=False` (the index, reading thousands of folders): while record.json is
    current, the journal's lines and hash chain are checked but its events are not validated
    one by one; they are when the record has to be rebuilt from them (and `verify` checks all).
    """
    problems: list[str] = []
    data = _journal_bytes(folder, problems)
    journal = _parse(folder, data, check_events)
    found: list[str] = []
    record = _read_current_record(folder, journal, found)
    if record is None and journal is not None and not check_events:
        journal = _parse(folder, data, True)  # the events are needed now: check them all
    if journal is not None:
        problems.extend(f"journal.jsonl {problem}" for problem in journal.damaged)
    problems.extend(found)
    from_journal = False
    if record is None and journal is not None:
        record = _record_from(folder, journal, problems)
        from_journal = record is not None
    if record is None:
        return LoadedSession(folder, None, SessionStatus.UNREADABLE, tuple(problems), False)
    return LoadedSession(folder, record, _status(record), tuple(problems), from_journal)


def load_folder(path: Path) -> LoadedSession:
    """`load_session` for a folder given by path (drill when its parent is `drills`)."""
    return load_session(SessionFolder(path, path.resolve().parent.name == "drills"))


def require_record(loaded: LoadedSession) -> Record:
    """The record, or a `UserError` that names the folder and says why it cannot be read."""
    if loaded.record is None:
        why = "; ".join(loaded.problems) or "nothing readable"
        raise UserError(f"cannot read this session: {why}", loaded.folder.path)
    return loaded.record


def _journal_bytes(folder: SessionFolder, problems: list[str]) -> bytes | None:
    try:
        return vault.read_plain(folder.journal)
    except FileNotFoundError:
        problems.append("journal.jsonl is missing (an incomplete folder or copy)")
    except StoreError as error:  # encrypted, and no identity that opens it
        problems.append(f"journal.jsonl: {_message(error, vault.encrypted_path(folder.journal))}")
    except OSError as error:
        problems.append(f"journal.jsonl cannot be read ({error.strerror or error})")
    return None


def _parse(folder: SessionFolder, data: bytes | None, events: bool) -> JournalReadResult | None:
    return None if data is None else parse_journal(folder.journal, data, events=events)


def _read_current_record(
    folder: SessionFolder, journal: JournalReadResult | None, problems: list[str]
) -> Record | None:
    if not vault.exists(folder.record):
        return None
    try:
        record = read_record(folder.record)
    except StoreError as error:
        where = vault.present(folder.record) or folder.record
        if journal is None and error.reason is StoreProblem.ENCRYPTED:
            return None  # the journal's problem already says so
        problems.append(f"record.json: {_message(error, where)}")
        return None
    if journal is not None and record.journal.final_hash != journal.final_hash:
        problems.append(
            "record.json does not match journal.jsonl (saved from an older journal, or one of "
            "them was changed); shown from the journal"
        )
        return None
    return record


def _record_from(
    folder: SessionFolder, journal: JournalReadResult, problems: list[str]
) -> Record | None:
    events = journal.events
    if not events or not isinstance(events[0], Started):
        problems.append("journal.jsonl does not begin with a 'started' event")
        return None
    started = events[0]
    policy, note = _policy_for(started)
    if note:
        problems.append(note)
    if any(event.kind == "ended" for event in events) and not vault.exists(folder.record):
        problems.append("the session ended but record.json was never written (save unfinished)")
    return build_record(
        events,
        policy,
        folder.name,
        journal_hash=journal.final_hash,
        journal_problems=journal.problems,
    )


def _policy_for(started: Started) -> tuple[Policy, str]:
    """The profile the session ran under, for labels; the default one (with a note) if gone."""
    return _policy(started.profile, started.profile_source)


@cache
def _policy(profile: str, source: str) -> tuple[Policy, str]:
    try:
        if source and Path(source).exists():
            return load_policy(Path(source)).policy, ""
        if profile in bundled_profile_names():
            return load_policy(profile).policy, ""
    except UserError as error:
        note = f"profile {profile!r} cannot be read ({error}); labels from {DEFAULT_PROFILE!r}"
        return load_policy(DEFAULT_PROFILE).policy, note
    note = f"profile {profile!r} is not available here; labels from {DEFAULT_PROFILE!r}"
    return load_policy(DEFAULT_PROFILE).policy, note


def _status(record: Record) -> SessionStatus:
    session = record.session
    if session.end_reason is None:
        return SessionStatus.UNFINISHED
    if session.end_reason == "interrupted":
        return SessionStatus.INTERRUPTED
    return SessionStatus.COMPLETE


def _message(error: StoreError, path: Path) -> str:
    """The error's words without the path prefix (the problem list already names the file)."""
    text = str(error)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
