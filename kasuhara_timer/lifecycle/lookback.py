"""The desk's look back at start: one listing of the data folder, one read of each journal.

`look_back` lists the data folder once and reads each of this desk's journals once. What it
finds is of two kinds:

* sessions without an end (`interrupted`): the desk offers to continue or close each;
* ended sessions whose record sheet was never saved (`unfinished`, `lifecycle.unfinished`):
  the idle screen offers to finish each from its draft;
* ended sessions an earlier run did not finish (`Lookback.finish`): the one end-of-session path
  (`lifecycle.ending`): the recording archived if it never was, then the record and sheet
  written again where they are missing or older than the journal, then the seal.

Other desks' folders are left alone (in a shared folder their sessions are probably running),
and so is any journal another window on this PC holds open: that window is still writing it.
Each folder that cannot be finished is reported as one line naming it, so one damaged session
never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kasuhara_timer.integrity.seal import read_seal, seal_session
from kasuhara_timer.lifecycle.ending import (
    archive_leftover,
    has_audio_material,
    waiting_for_archive,
)
from kasuhara_timer.lifecycle.interrupted import Interrupted, interrupted_from, unreadable
from kasuhara_timer.lifecycle.unfinished import UnfinishedSheet, unfinished_from
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Ended, Started
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import JournalReadResult, journal_in_use, read_journal
from kasuhara_timer.store.record import read_record


class PolicyCache:
    """The policies sessions ran under, each loaded once (offices rarely have more than one)."""

    def __init__(self, current: Policy | None = None, current_source: str = "") -> None:
        self._loaded: dict[tuple[str, str], Policy] = {}
        if current is not None:
            self._loaded[(current.id, current_source)] = current

    def get(self, profile: str, profile_source: str) -> Policy:
        """The session's policy; `UserError` naming the file when it is gone or invalid."""
        from kasuhara_timer.policy.loader import session_policy

        key = (profile, profile_source)
        if key not in self._loaded:
            self._loaded[key] = session_policy(profile, profile_source)
        return self._loaded[key]


@dataclass(frozen=True)
class EndedFolder:
    """An ended session of this desk, as its journal read at the look back."""

    folder: SessionFolder
    journal: JournalReadResult


@dataclass(frozen=True)
class Lookback:
    """What one look at the data folder found for this desk."""

    interrupted: tuple[Interrupted, ...]
    """Sessions without an end, oldest first."""
    ended: tuple[EndedFolder, ...]
    """Ended sessions, for `finish`."""
    unfinished: tuple[UnfinishedSheet, ...] = ()
    """Ended sessions whose record sheet was never saved, oldest first."""

    def finish(self, policies: PolicyCache, clock: Clock) -> list[str]:
        """Archive → record → seal what an earlier run left undone; one line per session that
        failed, naming its folder."""
        problems = []
        for ended in self.ended:
            try:
                _finish(ended, policies, clock)
            except Exception as error:  # one folder never stops the others
                problems.append(f"{ended.folder.name}: {error}")
        return problems


def look_back(data_dir: Path, host: str) -> Lookback:
    """This desk's sessions in `data_dir`: the one listing and the one read of each journal."""
    wanted = sanitize_host(host)
    interrupted: list[Interrupted] = []
    ended: list[EndedFolder] = []
    unfinished: list[UnfinishedSheet] = []
    for folder in list_session_folders(data_dir):
        if folder.host != wanted or not folder.journal.exists():
            continue
        if journal_in_use(folder.journal):
            continue
        try:
            journal = read_journal(folder.journal)
        except StoreError as error:
            if not folder.record.exists():  # the record is written only after the end
                interrupted.append(unreadable(folder, error))
            continue
        if any(isinstance(event, Ended) for event in journal.events):
            ended.append(EndedFolder(folder, journal))
            sheet = unfinished_from(folder, journal)
            if sheet is not None:
                unfinished.append(sheet)
        elif not folder.record.exists():
            found = interrupted_from(folder, journal)
            if found is not None:
                interrupted.append(found)
    return Lookback(tuple(interrupted), tuple(ended), tuple(unfinished))


def find_interrupted(data_dir: Path, host: str) -> list[Interrupted]:
    """This desk's sessions with a journal but no end, oldest first (`look_back`'s first half)."""
    return list(look_back(data_dir, host).interrupted)


def _finish(ended: EndedFolder, policies: PolicyCache, clock: Clock) -> None:
    folder, journal = ended.folder, ended.journal
    started = _started(folder, journal)
    final_hash = journal.final_hash
    if waiting_for_archive(journal.events) and has_audio_material(folder.audio):
        if journal_in_use(folder.journal):
            return  # a window opened it since the look: it finishes it
        final_hash = archive_leftover(folder, clock) or final_hash
    if _recorded_hash(folder) != final_hash:
        save_record_and_sheet(folder, policies.get(started.profile, started.profile_source))
    if _needs_seal(folder, final_hash):
        seal_session(folder, clock=clock)


def _started(folder: SessionFolder, journal: JournalReadResult) -> Started:
    """The journal's `Started`; `StoreError` naming the journal when its first line is lost."""
    events = journal.events
    if not events or not isinstance(events[0], Started):
        raise StoreError(
            "the journal's first line (the start) cannot be read",
            folder.journal,
            StoreProblem.MALFORMED,
        )
    return events[0]


def _recorded_hash(folder: SessionFolder) -> str | None:
    """The journal hash record.json was built from; None when it is missing or unreadable."""
    try:
        return read_record(folder.record).journal.final_hash
    except StoreError:
        return None


def _needs_seal(folder: SessionFolder, final_hash: str | None) -> bool:
    """Only a session whose record matches its journal is sealed (the record is final). A seal
    that cannot be read is left as it is: resealing would hide what `verify` must report."""
    if _recorded_hash(folder) != final_hash:
        return False
    try:
        seal = read_seal(folder)
    except StoreError:
        return False
    return seal is None or seal.journal_final_hash != final_hash
