"""Record sheets left unfinished: the contact ended, its sheet was never saved.

Not an interrupted call (`lifecycle.interrupted`: a journal without an end, whose call may
still be going on). Here the end is journaled — the staff member ended the contact, or closed
an interrupted one — but no `SheetSaved` follows: the app was closed on the sheet (ctrl+q → y),
killed, hung up or lost power. The latest `SheetDrafted` holds what was typed.

* `unfinished_from`: for each ended session of this desk the look back reads
  (`lifecycle.lookback`), what the idle screen offers (「記録シート未完成：N件」).
* `take_up_sheet`: reopen the journal, journal `SheetResumed` with the time without the app,
  and return the session for the wrap-up screen, which opens with the draft. Its save is an
  ordinary `SheetSaved`; the record then says when, and that it was finished later.

Such a session is archived, recorded and sealed like any ended one, but it is not encrypted to
the supervisors until its sheet is saved (`sheet_unfinished`): the desk must read its draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.interrupted import evidence_of
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.desk import DeskSession, EventSink
from kasuhara_timer.session.events import Event, SheetResumed, Staff, Started
from kasuhara_timer.session.state import NotStartedError, SessionState
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal, JournalReadResult, read_journal


@dataclass(frozen=True)
class UnfinishedSheet:
    """An ended session of this desk whose record sheet was never saved."""

    folder: SessionFolder
    channel: ChannelId
    started_at: datetime
    ended_at: datetime
    staff: Staff
    drill: bool
    profile: str
    profile_source: str
    drafted: bool
    """Something was typed before the app closed (a `SheetDrafted` is in the journal)."""


def pending(events: tuple[Event, ...] | list[Event]) -> SessionState | None:
    """The session's state when its contact ended and its sheet is still to be saved."""
    try:
        state = SessionState.from_events(events)
    except NotStartedError:
        return None
    return state if state.sheet_pending else None


def unfinished_from(folder: SessionFolder, result: JournalReadResult) -> UnfinishedSheet | None:
    """What to offer for an ended session read by the look back; None when its sheet is saved
    (or its start cannot be read: then it is not this desk's to finish)."""
    state = pending(result.events)
    if state is None or state.ended is None:
        return None
    started = state.started
    return UnfinishedSheet(
        folder=folder,
        channel=started.channel,
        started_at=started.at,
        ended_at=state.ended.at,
        staff=(state.draft.staff if state.draft is not None else None) or started.staff,
        drill=started.drill,
        profile=started.profile,
        profile_source=started.profile_source,
        drafted=state.draft is not None,
    )


def sheet_unfinished(folder: SessionFolder) -> bool:
    """The session's sheet is still to be finished (False when the journal cannot tell)."""
    try:
        return pending(read_journal(folder.journal).events) is not None
    except (StoreError, OSError):
        return False


def take_up_sheet(
    folder: SessionFolder,
    policy: Policy,
    clock: Clock,
    *,
    sink: Callable[[Journal], EventSink] | None = None,
) -> DeskSession:
    """Reopen an unfinished sheet's session: `SheetResumed` journaled (fsynced) with the time
    since its evidence stops, the session returned for the wrap-up screen.

    `clock` is the system clock; the session clock continues past the gap as a resumed one
    does, so the save is stamped after everything before it. The sink is the open `Journal`,
    or `sink(journal)` (the desk's `SessionFiles`); the caller closes it. Raises `StoreError`
    (in use, saved meanwhile, unreadable) or `UserError` (not the session's policy).
    """
    journal = Journal.open_for_append(folder.journal)
    try:
        recovery = journal.recovery
        events = recovery.events if recovery is not None else ()
        state = pending(events)
        if state is None:
            raise StoreError(
                "this session's record sheet is already saved (or its start cannot be read)",
                folder.journal,
                StoreProblem.EXISTS,
            )
        started = state.started
        assert isinstance(started, Started)
        if policy.id != started.profile:
            raise UserError(
                f"this session ran under the profile {started.profile!r}, not {policy.id!r}"
            )
        evidence = evidence_of(folder, events)
        gap = max(0.0, (clock.now() - evidence.at).total_seconds()) * started.speed
        session_clock = SessionClock(clock, speed=started.speed, offset=evidence.t + gap)
        session = DeskSession(
            policy, session_clock, sink(journal) if sink is not None else journal, state
        )
        session.record(SheetResumed(**session.stamp().fields(), gap_seconds=gap))
        return session
    except BaseException:
        journal.close()
        raise
