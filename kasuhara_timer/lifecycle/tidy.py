"""Finishing what an earlier run left undone: records and seals of ended sessions.

The desk runs these at start (off the UI thread, `tui/recovery_flow.py`) after archiving
leftover recordings; the CLI could run them too. Each works folder by folder and reports a
folder it cannot finish as one line naming it, so one damaged session never stops the others.
Journals another window holds open are never touched: that window is still writing them.
"""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.integrity.seal import read_seal, seal_session
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Ended, Started
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import journal_in_use, read_journal
from kasuhara_timer.store.record import find_unrecorded, read_record


class PolicyCache:
    """The policies sessions ran under, each loaded once (offices rarely have more than one)."""

    def __init__(self, current: Policy | None = None, current_source: str = "") -> None:
        self._loaded: dict[tuple[str, str], Policy] = {}
        if current is not None:
            self._loaded[(current.id, current_source)] = current

    def get(self, profile: str, profile_source: str) -> Policy:
        """The session's policy; `UserError` naming the file when it is gone or invalid."""
        from kasuhara_timer.policy.loader import session_policy  # deferred: audio, numpy

        key = (profile, profile_source)
        if key not in self._loaded:
            self._loaded[key] = session_policy(profile, profile_source)
        return self._loaded[key]


def finish_records(data_dir: Path, host: str, policies: PolicyCache) -> list[str]:
    """Write record.json + sheet.html again where the app died before (or while) writing them;
    one line per session that failed, naming its folder."""
    problems = []
    for folder in find_unrecorded(data_dir, host):
        try:
            if journal_in_use(folder.journal):
                continue
            started = _started(folder)
            save_record_and_sheet(folder, policies.get(started.profile, started.profile_source))
        except Exception as error:  # one folder never stops the others
            problems.append(f"{folder.name}: {error}")
    return problems


def seal_finished(data_dir: Path, host: str, clock: Clock) -> list[str]:
    """Seal this desk's ended sessions whose seal is missing or older than their journal; one
    line per session that failed, naming its folder.

    Only a session whose record matches its journal is sealed (the record is final). A seal
    that cannot be read is left as it is: resealing would hide what `verify` must report.
    """
    problems = []
    wanted = sanitize_host(host)
    for folder in list_session_folders(data_dir):
        if folder.host != wanted:
            continue
        try:
            if _needs_seal(folder):
                seal_session(folder, clock=clock)
        except Exception as error:  # one folder never stops the others
            problems.append(f"{folder.name}: {error}")
    return problems


def _started(folder: SessionFolder) -> Started:
    """The journal's `Started`; `StoreError` naming the journal when its first line is lost."""
    events = read_journal(folder.journal).events
    if not events or not isinstance(events[0], Started):
        raise StoreError(
            "the journal's first line (the start) cannot be read",
            folder.journal,
            StoreProblem.MALFORMED,
        )
    return events[0]


def _needs_seal(folder: SessionFolder) -> bool:
    if not folder.record.exists() or journal_in_use(folder.journal):
        return False
    try:
        journal = read_journal(folder.journal)
        recorded = read_record(folder.record).journal.final_hash
        seal = read_seal(folder)
    except StoreError:
        return False  # verify reports it; sealing would bless it
    if not any(isinstance(event, Ended) for event in journal.events):
        return False
    if recorded != journal.final_hash:
        return False
    return seal is None or seal.journal_final_hash != journal.final_hash
