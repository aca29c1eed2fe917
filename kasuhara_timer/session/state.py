"""What a session is now, folded from its events. Nothing here is stored: it is always derived.

The desk app, the record and the review all read a `SessionState`, so they cannot disagree about
which steps were taken, which behaviours were tagged or whether the session ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import assert_never

from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.events import (
    AudioArchived,
    BehaviourTagged,
    BehaviourUntagged,
    ContactEnded,
    Ended,
    EntryWithdrawn,
    Event,
    HandedOver,
    HelpAnswered,
    HelpRequested,
    ImmediateInvoked,
    LimitReached,
    NoteAdded,
    PrewarningShown,
    RecordingChanged,
    Reopened,
    ResponderJoined,
    Resumed,
    Route,
    SheetDrafted,
    SheetResumed,
    SheetSaved,
    Started,
    StepBroughtForward,
    StepTaken,
)

WITHDRAWABLE = (
    StepTaken,
    StepBroughtForward,
    ImmediateInvoked,
    BehaviourTagged,
    BehaviourUntagged,
    NoteAdded,
    ContactEnded,
)
"""The entries `u` can take back: what the staff member entered, never what the app noticed."""


class NotStartedError(ValueError):
    """The first event of a session must be `Started`."""


@dataclass(frozen=True)
class SessionState:
    """A session's state after some events; build with `from_events` or `apply`."""

    started: Started
    events: tuple[Event, ...]
    taken: tuple[StepTaken, ...] = ()
    immediate_at: float | None = None
    tags: tuple[str, ...] = ()
    notes: tuple[NoteAdded, ...] = ()
    prewarnings_shown: frozenset[int] = frozenset()
    limit_reached_at: float | None = None
    recording: RecordingChanged | None = None
    ended: Ended | None = None
    sheet: SheetSaved | None = None
    draft: SheetDrafted | None = None
    """The sheet as last typed, while it is not saved (`SheetSaved` supersedes it)."""
    sheet_resumed: SheetResumed | None = None
    """The unsaved sheet was taken up again at a later start of the desk."""
    audio: AudioArchived | None = None
    help: tuple[HelpRequested, ...] = ()
    answers: tuple[HelpAnswered, ...] = ()
    joined: tuple[ResponderJoined, ...] = ()
    handovers: tuple[HandedOver, ...] = ()
    brought_forward: tuple[StepBroughtForward, ...] = ()
    withdrawals: tuple[EntryWithdrawn, ...] = ()
    """Every withdrawal, in order; the entries they name are left out of everything above."""
    contact_ended: ContactEnded | None = None
    """When the contact itself ended (切電, the visitor left); the rest is after-care."""

    @classmethod
    def begin(cls, started: Started) -> SessionState:
        """The state right after a session started."""
        return cls(started=started, events=(started,))

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> SessionState:
        """Fold events in order; the first must be `Started`."""
        iterator = iter(events)
        first = next(iterator, None)
        if not isinstance(first, Started):
            raise NotStartedError("a session's first event must be 'started'")
        state = cls.begin(first)
        for event in iterator:
            state = state.apply(event)
        return state

    def apply(self, event: Event) -> SessionState:
        """The state after one more event."""
        if isinstance(event, EntryWithdrawn):  # the entry no longer counts: fold again without it
            return _refold((*self.events, event))
        return self._apply(event)

    def _apply(self, event: Event) -> SessionState:
        new = replace(self, events=(*self.events, event))
        match event:
            case StepBroughtForward():
                return replace(new, brought_forward=(*self.brought_forward, event))
            case EntryWithdrawn():
                return replace(new, withdrawals=(*self.withdrawals, event))
            case Reopened():
                return replace(new, ended=None)
            case StepTaken():
                return replace(new, taken=(*self.taken, event))
            case ContactEnded():
                if self.contact_ended is not None:
                    return new
                return replace(new, contact_ended=event)
            case ImmediateInvoked():
                return new if self.immediate_at is not None else replace(new, immediate_at=event.t)
            case BehaviourTagged(behaviour=b):
                return new if b in self.tags else replace(new, tags=(*self.tags, b))
            case BehaviourUntagged(behaviour=b):
                return replace(new, tags=tuple(tag for tag in self.tags if tag != b))
            case NoteAdded():
                return replace(new, notes=(*self.notes, event))
            case PrewarningShown(minutes_before=m):
                return replace(new, prewarnings_shown=self.prewarnings_shown | {m})
            case LimitReached():
                if self.limit_reached_at is not None:
                    return new
                return replace(new, limit_reached_at=event.t)
            case RecordingChanged():
                return replace(new, recording=event)
            case Ended():
                return new if self.ended is not None else replace(new, ended=event)
            case SheetSaved():
                return replace(new, sheet=event, draft=None)
            case SheetDrafted():
                return new if self.sheet is not None else replace(new, draft=event)
            case SheetResumed():
                return replace(new, sheet_resumed=event)
            case AudioArchived():
                return replace(new, audio=event)
            case HelpRequested():
                return replace(new, help=(*self.help, event))
            case HelpAnswered():
                return replace(new, answers=(*self.answers, event))
            case ResponderJoined():
                return replace(new, joined=(*self.joined, event))
            case HandedOver():
                return replace(new, handovers=(*self.handovers, event))
            case Started() | Resumed():
                return new
            case _:
                assert_never(event)

    @property
    def channel(self) -> ChannelId:
        """The channel the session started on."""
        return self.started.channel

    @property
    def drill(self) -> bool:
        """True for practice sessions."""
        return self.started.drill

    @property
    def started_at(self) -> datetime:
        """Wall time the session started."""
        return self.started.at

    @property
    def path(self) -> Route:
        """The ladder in force: the immediate path once invoked, else the normal ladder."""
        return Route.IMMEDIATE if self.immediate_at is not None else Route.LADDER

    @property
    def last_t(self) -> float:
        """Session-clock seconds of the latest event (not always the last journaled: a note
        carries the moment `m` was pressed, before the events journaled while it was typed)."""
        return max(event.t for event in self.events)

    def seq_of(self, index: int) -> int:
        """The journal line of the event at `index` in `events` (the journal starts at 1)."""
        return index + 1

    def withdrawal_of(self, seq: int) -> EntryWithdrawn | None:
        """The withdrawal naming journal line `seq`, or None when it stands."""
        return next((w for w in self.withdrawals if w.entry_seq == seq), None)

    def last_withdrawable(self) -> tuple[int, Event] | None:
        """The latest entry `u` would take back, with its journal line; None when none is left."""
        withdrawn = {w.entry_seq for w in self.withdrawals}
        for index in range(len(self.events) - 1, 0, -1):
            event = self.events[index]
            seq = self.seq_of(index)
            if isinstance(event, WITHDRAWABLE) and seq not in withdrawn:
                return seq, event
        return None

    def brought_forward_on(self, path: Route) -> tuple[StepBroughtForward, ...]:
        """Steps brought forward on one path (shown, not yet taken), in order."""
        return tuple(step for step in self.brought_forward if step.path is path)

    def taken_on(self, path: Route) -> tuple[StepTaken, ...]:
        """Steps taken on one path, in order."""
        return tuple(step for step in self.taken if step.path is path)

    @property
    def sheet_pending(self) -> bool:
        """The contact ended but its record sheet was never saved (the app closed first)."""
        return self.ended is not None and self.sheet is None

    @property
    def duration(self) -> float:
        """Seconds from start to end (or to the latest event while still running)."""
        return self.ended.t if self.ended is not None else self.last_t

    @property
    def contact_duration(self) -> float:
        """Seconds of the contact itself: to 切電 or the visitor's leaving, else the duration."""
        if self.contact_ended is not None:
            return min(self.contact_ended.t, self.duration)
        return self.duration

    @property
    def aftercare_duration(self) -> float:
        """Seconds from the contact's end to the session's end (0 while the contact goes on)."""
        return max(0.0, self.duration - self.contact_duration)


def _refold(events: tuple[Event, ...]) -> SessionState:
    """Fold `events` again, skipping the entries a withdrawal names (they stay in `events`)."""
    withdrawn = {e.entry_seq for e in events if isinstance(e, EntryWithdrawn)}
    first = events[0]
    assert isinstance(first, Started)
    state = SessionState.begin(first)
    for index, event in enumerate(events[1:], start=1):
        if state.seq_of(index) in withdrawn:
            state = replace(state, events=(*state.events, event))
        else:
            state = state._apply(event)
    return state
