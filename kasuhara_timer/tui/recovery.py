"""What the desk finishes at start for an earlier run: records, seals, and sessions left running.

All of it reads or writes the data folder, which may be a network share, so the app runs it in
worker threads while the idle screen is already usable. The order at start:

1. recordings of ended sessions an earlier run never archived are archived
   (`DeskSetup.archive_leftovers`, i.e. `audio.finish.archive_unfinished`): `AudioArchived` is
   journaled and the record rewritten;
2. `finish_records`: record.json and sheet.html are written again for ended sessions whose
   record is missing or older than the journal (the app died between the end and the save);
3. `seal_finished`: every ended session whose seal.json is missing or older than its journal
   is sealed (the app died between the last record write and the seal).

Sessions that were never ended (`integrity.recovery.find_interrupted`) are offered to the staff
member (`screens/recovery.py`): continue or close as interrupted. Journals another window holds
open are never touched: that window is still writing them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.events import Ended, Started
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import (
    JournalProblem,
    ProblemKind,
    journal_in_use,
    read_journal,
)

if TYPE_CHECKING:
    from kasuhara_timer.integrity.recovery import Interrupted

log = logging.getLogger(__name__)

START_UNREADABLE = "the journal's first line (the start) cannot be read"
"""`find_interrupted`'s reason for a journal whose start is lost (matched to put it in words)."""


class PolicyCache:
    """The policies sessions ran under, each loaded once (offices rarely have more than one)."""

    def __init__(self, current: Policy | None = None, current_source: str = "") -> None:
        self._loaded: dict[tuple[str, str], Policy] = {}
        if current is not None:
            self._loaded[(current.id, current_source)] = current

    def get(self, profile: str, profile_source: str) -> Policy:
        """The session's policy; `UserError` naming the file when it is gone or invalid."""
        from kasuhara_timer.integrity.recovery import session_policy

        key = (profile, profile_source)
        if key not in self._loaded:
            self._loaded[key] = session_policy(profile, profile_source)
        return self._loaded[key]


def finish_records(data_dir: Path, host: str, policies: PolicyCache) -> list[str]:
    """Write record.json + sheet.html again where the app died before (or while) writing them;
    one line per session that failed."""
    from kasuhara_timer.sheets.save import save_record_and_sheet
    from kasuhara_timer.store.record import find_unrecorded

    problems = []
    for folder in find_unrecorded(data_dir, host):
        if journal_in_use(folder.journal):
            continue
        try:
            started = read_journal(folder.journal).events[0]
            assert isinstance(started, Started)  # find_unrecorded found an end, so a start
            save_record_and_sheet(folder, policies.get(started.profile, started.profile_source))
        except (UserError, OSError) as error:
            problems.append(f"{folder.name}: {error}")
    return problems


def seal_finished(data_dir: Path, host: str) -> list[str]:
    """Seal this desk's ended sessions whose seal is missing or older than their journal.

    Only a session whose record matches its journal is sealed (the record is final). A seal
    that cannot be read is left as it is: resealing would hide what `verify` must report.
    """
    problems = []
    for folder in _finished_folders(data_dir, host):
        try:
            if _needs_seal(folder):
                from kasuhara_timer.integrity.seal import seal_session

                seal_session(folder)
        except (UserError, OSError) as error:
            problems.append(f"{folder.name}: {error}")
    return problems


def _finished_folders(data_dir: Path, host: str) -> Iterable[SessionFolder]:
    wanted = sanitize_host(host)
    for folder in list_session_folders(data_dir):
        if folder.host != wanted or not folder.record.exists():
            continue
        if not journal_in_use(folder.journal):
            yield folder


def _needs_seal(folder: SessionFolder) -> bool:
    from kasuhara_timer.integrity.seal import read_seal
    from kasuhara_timer.store.errors import StoreError
    from kasuhara_timer.store.record import read_record

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


def problem_words(problems: Iterable[JournalProblem], tr: Translator) -> str:
    """A journal's damage in the desk's words, line by line (a torn last line is no damage)."""
    return _joined(
        (
            tr(f"recovery.problem.{problem.kind.value}", line=problem.line)
            for problem in problems
            if problem.kind is not ProblemKind.TORN_TAIL
        ),
        tr,
    )


def reason_words(found: Interrupted, tr: Translator) -> str:
    """Why `found` cannot be continued, in the desk's words ("" when it can)."""
    damage = problem_words(found.problems, tr)
    if found.resumable:
        return damage
    if found.reason == START_UNREADABLE:
        if any(problem.line == 1 for problem in found.problems):
            return damage  # "line 1 cannot be read" says it already
        return _joined((part for part in (tr("recovery.start_unreadable"), damage) if part), tr)
    return found.reason  # the store's own message (a file that cannot be opened, say)


def _joined(parts: Iterable[str], tr: Translator) -> str:
    return ("、" if tr.lang == "ja" else "; ").join(parts)
