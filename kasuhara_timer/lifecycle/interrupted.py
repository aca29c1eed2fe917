"""Crash recovery: a session the app did not end is resumed (the call goes on) or closed.

At start the desk app asks `find_interrupted(data_dir, host)` for this desk's sessions that
have a journal but no end and that no other window holds open. For each it offers:

* `resume_session`: the journal is reopened (a torn last line cut off), the events folded into
  the state, and the session clock continues from the original start. The time without the app
  becomes a `Resumed` event carrying the gap, so the timeline shows it.
* `close_interrupted`: an `Ended(reason="interrupted")` is journaled at the moment the evidence
  stops (the last event, or the end of the recorded audio when that is later), then record.json
  and sheet.html are written. The sheet is marked 中断された対応.

Wall time bridges the gap in exactly one place, `_evidence_and_gap`: nothing monotonic survives
a crash or a power cut, so the time without the app is the wall clock now minus the wall time
where the evidence stops (never negative: a clock set back counts as no gap).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kasuhara_timer.audio.segments import Segment, list_segments
from kasuhara_timer.errors import UserError
from kasuhara_timer.live.status import remove_status
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.desk import AudioPosition, DeskSession, EventSink, no_audio
from kasuhara_timer.session.escalation import Escalation
from kasuhara_timer.session.events import (
    AudioMark,
    Ended,
    Event,
    NoteAdded,
    Staff,
    Stamp,
    Started,
)
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import (
    SessionFolder,
)
from kasuhara_timer.store.journal import (
    Journal,
    JournalProblem,
    JournalReadResult,
)
from kasuhara_timer.store.record import Record


@dataclass(frozen=True)
class Evidence:
    """Where a session's evidence stops: the later of its last event and its recorded audio."""

    t: float
    """Session-clock seconds."""
    at: datetime
    """Wall time, derived from the last event's wall time (no clock is read)."""
    last_event_t: float
    last_event_at: datetime
    audio_seconds: float
    """Audio on disk in whole frames, summed over segments."""
    audio_end: AudioMark | None
    """The end of the last segment, for the closing event's place in the recording."""


@dataclass(frozen=True)
class Interrupted:
    """A session this desk did not end: what the desk app shows when offering resume/close."""

    folder: SessionFolder
    resumable: bool
    """False when the journal's first line (the start) cannot be read: it can only be reported."""
    reason: str
    """Why it cannot be resumed ("" when it can)."""
    channel: ChannelId | None
    started_at: datetime | None
    staff: Staff
    drill: bool
    profile: str
    profile_source: str
    events: int
    evidence: Evidence | None
    """Where the evidence stops (None when not resumable)."""
    problems: tuple[JournalProblem, ...]
    """Every problem of the journal: a torn last line (tolerated) or damage (report it)."""

    @property
    def damaged(self) -> tuple[JournalProblem, ...]:
        """Problems other than a torn last line."""
        return tuple(p for p in self.problems if p.kind != "torn_tail")


def interrupted_from(folder: SessionFolder, result: JournalReadResult) -> Interrupted | None:
    """What to offer for a session whose journal (read once, by `lifecycle.lookback`) has no
    end; None for an empty journal (the app stopped before the start was saved, so nothing was
    ever shown, nothing lost). A journal whose start cannot be read is not resumable."""
    events = result.events
    if result.lines == 0 and not result.damaged:
        return None
    if not events or not isinstance(events[0], Started):
        return _not_resumable(
            folder, "the journal's first line (the start) cannot be read", result.problems
        )
    return _interrupted(folder, result)


def unreadable(folder: SessionFolder, error: StoreError) -> Interrupted:
    """A session without a record whose journal cannot be read at all: reported, never resumed."""
    return _not_resumable(folder, str(error), ())


def resume_session(
    folder: SessionFolder,
    policy: Policy,
    clock: Clock,
    *,
    audio: AudioPosition | None = None,
    sink: Callable[[Journal], EventSink] | None = None,
) -> DeskSession:
    """Continue an interrupted session: the timer goes on from the original start.

    `clock` is the system clock (not a session clock). The journal is reopened for appending
    (its torn last line cut off), a `Resumed` event with the gap is journaled (fsynced) and the
    live session returned. Its sink is the open `Journal`, or `sink(journal)` when given (the
    desk app wraps it in its `SessionFiles`); the caller closes it. `audio` is the restarted
    recorder's position. Raises `StoreError` (in use, damaged start, already ended, disk full)
    or `UserError` (the policy is not the session's).
    """
    journal = Journal.open_for_append(folder.journal)
    try:
        events = _resumable_events(folder, journal)
        started = events[0]
        assert isinstance(started, Started)
        _check_policy(policy, started)
        evidence, gap = _evidence_and_gap(folder, events, clock.now(), started.speed)
        session_clock = SessionClock(clock, speed=started.speed, offset=evidence.t + gap)
        return DeskSession.resume(
            policy,
            events,
            session_clock,
            sink(journal) if sink is not None else journal,
            gap_seconds=gap,
            audio=audio or no_audio,
        )
    except BaseException:
        journal.close()
        raise


def close_interrupted(
    folder: SessionFolder,
    policy: Policy,
    clock: Clock,
    *,
    detail: str = "",
) -> Record:
    """End an interrupted session where its evidence stops and write record.json + sheet.html.

    The `Ended(reason="interrupted")` event carries the time the evidence stops (not the time
    of closing, which goes in `detail` unless one is given). Idempotent: a session already
    ended only gets its record and sheet written again. Its recording is archived afterwards
    like any ended session's (`audio.finish.archive_unfinished` journals `AudioArchived` and
    rewrites the record). Raises `StoreError` or `UserError`.
    """
    with Journal.open_for_append(folder.journal) as journal:
        recovery = journal.recovery
        events = recovery.events if recovery is not None else ()
        if not any(isinstance(event, Ended) for event in events):
            events = _resumable_events(folder, journal)
            started = events[0]
            assert isinstance(started, Started)
            _check_policy(policy, started)
            closed_at = clock.now()
            evidence, _gap = _evidence_and_gap(folder, events, closed_at, started.speed)
            words = detail or (
                f"記録はこの時刻まで（{closed_at:%Y年%m月%d日 %H:%M}に中断として閉じた）"
            )
            state = SessionState.from_events(events)
            stamp = Stamp(evidence.t, evidence.at, evidence.audio_end)
            for prompt in Escalation.for_state(policy, state).due(state, stamp):
                journal.append(prompt)  # the limit passed before the evidence stops
            journal.append(
                Ended(
                    t=evidence.t,
                    at=evidence.at,
                    audio=evidence.audio_end,
                    reason="interrupted",
                    detail=words,
                )
            )
    record = save_record_and_sheet(folder, policy)
    remove_status(folder.path.parent.parent, folder.name)  # it leaves the supervisors' board
    return record


def evidence_of(folder: SessionFolder, events: tuple[Event, ...] | list[Event]) -> Evidence:
    """Where the evidence of a session stops: its latest event or the end of its audio.

    The latest is not always the last line: a note carries the moment `m` was pressed and
    says when it was written (`written_t`), the moment the app was last seen at work.
    """
    last_t, last_at = max((_written(event) for event in events), key=lambda moment: moment[0])
    started = events[0]
    speed = started.speed if isinstance(started, Started) else 1.0
    segments = _segments(folder)
    audio_seconds = sum(segment.seconds for segment in segments)
    audio_t = max((segment.ended_t for segment in segments), default=0.0)
    t = max(last_t, audio_t)
    audio_end = None
    if segments:
        tail = segments[-1]
        audio_end = AudioMark(segment=tail.name, segment_offset=tail.seconds, offset=audio_seconds)
    return Evidence(
        t=t,
        at=last_at + timedelta(seconds=(t - last_t) / speed),
        last_event_t=last_t,
        last_event_at=last_at,
        audio_seconds=audio_seconds,
        audio_end=audio_end,
    )


def _written(event: Event) -> tuple[float, datetime]:
    """When an event was written: a note's `written_t` / `written_at`, else its own moment."""
    if isinstance(event, NoteAdded) and event.written_t is not None and event.written_at:
        return event.written_t, event.written_at
    return event.t, event.at


def _evidence_and_gap(
    folder: SessionFolder, events: tuple[Event, ...] | list[Event], now: datetime, speed: float
) -> tuple[Evidence, float]:
    """The evidence's end and the gap since, in session-clock seconds (drill speed applied).

    The one place wall time bridges a gap: a crash or power cut leaves no monotonic reading.
    """
    evidence = evidence_of(folder, events)
    wall_gap = (now - evidence.at).total_seconds()
    return evidence, max(0.0, wall_gap) * speed


def _segments(folder: SessionFolder) -> list[Segment]:
    """The recorded segments as on disk; unreadable audio is left for verify to report."""
    try:
        return list_segments(folder.audio)
    except (UserError, OSError, ValueError):
        return []


def _resumable_events(folder: SessionFolder, journal: Journal) -> tuple[Event, ...]:
    recovery = journal.recovery
    events = recovery.events if recovery is not None else ()
    if not events or not isinstance(events[0], Started):
        raise StoreError(
            "the journal's first line (the start) cannot be read, so the session cannot be "
            "continued; `kasuhara-timer verify` shows what is damaged",
            folder.journal,
            StoreProblem.MALFORMED,
        )
    if any(isinstance(event, Ended) for event in events):
        raise StoreError("the session has already ended", folder.journal, StoreProblem.EXISTS)
    return events


def _check_policy(policy: Policy, started: Started) -> None:
    if policy.id != started.profile:
        raise UserError(
            f"this session ran under the profile {started.profile!r}, not {policy.id!r}; "
            "load it with session_policy()"
        )


def _interrupted(folder: SessionFolder, result: JournalReadResult) -> Interrupted:
    events = result.events
    started = events[0]
    assert isinstance(started, Started)
    return Interrupted(
        folder=folder,
        resumable=True,
        reason="",
        channel=started.channel,
        started_at=started.at,
        staff=started.staff,
        drill=started.drill,
        profile=started.profile,
        profile_source=started.profile_source,
        events=len(events),
        evidence=evidence_of(folder, events),
        problems=result.problems,
    )


def _not_resumable(
    folder: SessionFolder, reason: str, problems: tuple[JournalProblem, ...]
) -> Interrupted:
    return Interrupted(
        folder=folder,
        resumable=False,
        reason=reason,
        channel=None,
        started_at=None,
        staff=Staff(),
        drill=folder.drill,
        profile="",
        profile_source="",
        events=0,
        evidence=None,
        problems=problems,
    )
