"""One live session at a desk: the staff member's intents in, journaled events out.

This is the only way the desk app changes a session. Every method builds the event from the
domain, hands it to the sink (the journal, which fsyncs) and only then applies it to the state,
so the UI never shows anything that is not already on disk. No Textual, no files here: the sink
and the audio position are injected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import SessionClock
from kasuhara_timer.session.escalation import Assessment, Escalation
from kasuhara_timer.session.events import (
    AudioMark,
    BehaviourTagged,
    BehaviourUntagged,
    ChecklistAnswer,
    ContactEnded,
    Ended,
    EntryWithdrawn,
    Event,
    HandedOver,
    HelpAnswered,
    HelpRequested,
    NoteAdded,
    RecordingChanged,
    RecordingState,
    Reopened,
    ResponderJoined,
    Resumed,
    SheetDrafted,
    SheetSaved,
    Staff,
    Stamp,
    Started,
    StepTaken,
)
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.session.team import next_id


class EventSink(Protocol):
    """Where events go before anyone sees them; must be durable when `append` returns."""

    def append(self, event: Event) -> object:
        """Persist one event."""
        ...


AudioPosition = Callable[[], AudioMark | None]
"""Where the recording stands now, or None when nothing is being recorded."""


def no_audio() -> AudioMark | None:
    """The audio position when nothing is recorded."""
    return None


@dataclass
class DeskSession:
    """A session in progress: its policy, clock, journal and derived state."""

    policy: Policy
    clock: SessionClock
    sink: EventSink
    state: SessionState
    audio: AudioPosition = field(default=no_audio)

    def __post_init__(self) -> None:
        self.escalation = Escalation.for_state(self.policy, self.state)

    @classmethod
    def start(
        cls,
        policy: Policy,
        channel: ChannelId,
        clock: SessionClock,
        sink: EventSink,
        *,
        drill: bool = False,
        staff: Staff | None = None,
        desk: str = "",
        caller: str = "",
        profile_source: str = "",
        app_version: str = "",
        audio: AudioPosition = no_audio,
    ) -> DeskSession:
        """Journal the `Started` event and return the live session.

        `Started` is stamped with the moment the session began (`clock.began`: the key, the
        launch), not with when it got journaled, so its `t` is the clock's offset (0).
        """
        started = Started(
            **Stamp(clock.offset, clock.began_at, audio()).fields(),
            channel=channel,
            profile=policy.id,
            profile_source=profile_source,
            limit_minutes=policy.channel(channel).limit.minutes,
            drill=drill,
            speed=clock.speed,
            staff=staff or Staff(),
            desk=desk,
            caller=caller,
            app_version=app_version,
        )
        sink.append(started)
        return cls(policy, clock, sink, SessionState.begin(started), audio)

    @classmethod
    def resume(
        cls,
        policy: Policy,
        events: Sequence[Event],
        clock: SessionClock,
        sink: EventSink,
        *,
        gap_seconds: float,
        audio: AudioPosition = no_audio,
    ) -> DeskSession:
        """Continue a session interrupted by a crash; `clock` must already carry the offset."""
        session = cls(policy, clock, sink, SessionState.from_events(events), audio)
        session.record(Resumed(**session.stamp().fields(), gap_seconds=gap_seconds))
        return session

    def stamp(self) -> Stamp:
        """Now, on the session clock, the wall clock and in the recording."""
        return Stamp(self.clock.elapsed(), self.clock.now(), self.audio())

    def record(self, event: Event) -> Event:
        """Persist then apply one event."""
        self.sink.append(event)
        self.state = self.state.apply(event)
        return event

    def assess(self) -> Assessment:
        """What the desk shows now."""
        return self.escalation.assess(self.state, self.clock.elapsed())

    def tick(self) -> list[Event]:
        """Journal any prompt come due (pre-warning, limit).

        The repaint pulse calls it, and so does every intent before its own event, so the
        journal never holds a step taken past the limit before the limit itself.
        """
        return [self.record(event) for event in self.escalation.due(self.state, self.stamp())]

    def take_next_step(self) -> Event | None:
        """`n`: before the limit the next step is brought forward (shown, not taken); on a
        step whose card is shown, the staff member confirms they took it."""
        self.tick()
        event = self.escalation.advance(self.state, self.stamp())
        if event is None:
            return None
        self.record(event)
        ended = self.escalation.contact_end(self.state, self.stamp(), event)
        if ended is not None:  # 切電: the contact's time stops with the step that cut it
            self.record(ended)
        return event

    def end_contact(self) -> Event | None:
        """The contact is over without a step saying so (the caller hung up, the visitor
        left): its time stops, the after-care follows. None when it already ended."""
        self.tick()
        event = self.escalation.end_contact(self.state, self.stamp())
        return self.record(event) if event else None

    def withdraw_last(self) -> Event | None:
        """`u`: take back the latest step, tag, note or immediate-path entry, as a new event
        naming it (the entry stays in the journal). None when nothing is left to take back."""
        if self.state.ended is not None:
            return None
        last = self.state.last_withdrawable()
        if last is None:
            return None
        self.tick()
        seq, event = last
        withdrawn = self.record(
            EntryWithdrawn(**self.stamp().fields(), entry_seq=seq, entry_kind=event.kind)
        )
        if isinstance(event, ContactEnded) and event.step:  # one `n` took both: one `u` too
            step = self.state.last_withdrawable()
            if step is not None and isinstance(step[1], StepTaken) and step[1].step == event.step:
                return self.record(
                    EntryWithdrawn(
                        **self.stamp().fields(), entry_seq=step[0], entry_kind=step[1].kind
                    )
                )
        return withdrawn

    def reopen(self) -> Event | None:
        """Back from the record sheet: the contact is in fact still going on. Only before the
        sheet is saved; None when the session has not ended or its sheet is saved."""
        if self.state.ended is None or self.state.sheet is not None:
            return None
        return self.record(Reopened(**self.stamp().fields()))

    def go_immediate(self) -> Event | None:
        """The staff member switched to the immediate path (violence, danger)."""
        self.tick()
        event = self.escalation.go_immediate(self.state, self.stamp())
        return self.record(event) if event else None

    def toggle_tag(self, behaviour_id: str) -> Event | None:
        """Tag a behaviour seen, or take a tag back; None for an id the profile lacks."""
        behaviour = self.policy.behaviour(behaviour_id)
        if behaviour is None or self.state.ended is not None:
            return None
        self.tick()
        stamp = self.stamp().fields()
        if behaviour_id in self.state.tags:
            return self.record(BehaviourUntagged(**stamp, behaviour=behaviour_id))
        return self.record(BehaviourTagged(**stamp, behaviour=behaviour_id, label=behaviour.label))

    def add_note(self, text: str, said: Stamp | None = None) -> Event | None:
        """A note; blank text is ignored. `said` is when the staff member pressed `m` (the
        words were said then, typed after): the note carries that moment, and the moment it
        is written (now) as `written_t` / `written_at`. It is journaled only now."""
        if not text.strip():
            return None
        self.tick()
        now = self.stamp()
        if said is None or (said.t, said.at) == (now.t, now.at):
            return self.record(NoteAdded(**now.fields(), text=text))
        return self.record(
            NoteAdded(**said.fields(), text=text, written_t=now.t, written_at=now.at)
        )

    def request_help(self, call: str = "") -> Event | None:
        """Ask for help silently; each press is journaled (a repeat is a new request)."""
        if self.state.ended is not None:
            return None
        self.tick()
        request_id = next_id("help", len(self.state.help))
        return self.record(HelpRequested(**self.stamp().fields(), id=request_id, call=call))

    def help_answered(
        self,
        request: str,
        *,
        by: str,
        host: str,
        answered_at: datetime,
        file: str,
        sha256: str,
    ) -> Event | None:
        """A supervisor's answer was read from its file; journaled once per file."""
        known = {r.id for r in self.state.help}
        if request not in known or any(a.file == file for a in self.state.answers):
            return None
        self.tick()
        return self.record(
            HelpAnswered(
                **self.stamp().fields(),
                request=request,
                by=by,
                host=host,
                answered_at=answered_at,
                file=file,
                sha256=sha256,
            )
        )

    def join(self, responder: Staff, role: str = "") -> Event | None:
        """A colleague joined (複数名対応); nothing for a blank name."""
        if not responder.name.strip() or self.state.ended is not None:
            return None
        self.tick()
        entry = next_id("joined", len(self.state.joined))
        return self.record(
            ResponderJoined(**self.stamp().fields(), id=entry, responder=responder, role=role)
        )

    def hand_over(self, to: Staff, role: str = "", *, manager: bool = False) -> Event | None:
        """Someone else takes the session over; the timer, recording and ladder go on."""
        if not to.name.strip() or self.state.ended is not None:
            return None
        self.tick()
        entry = next_id("handover", len(self.state.handovers))
        return self.record(
            HandedOver(**self.stamp().fields(), id=entry, to=to, role=role, manager=manager)
        )

    def recording_changed(
        self, state: RecordingState, detail: str = "", gap_seconds: float | None = None
    ) -> Event:
        """The recorder reported a change (started, fault, recovered…)."""
        self.tick()
        return self.record(
            RecordingChanged(
                **self.stamp().fields(),
                state=state,
                detail=detail,
                gap_seconds=gap_seconds,
            )
        )

    def end(self, detail: str = "") -> Event | None:
        """The contact is over; the wrap-up follows. Ending twice does nothing.

        `detail` says how, when it was not the ordinary end key (e.g. the app was closed).
        """
        if self.state.ended is not None:
            return None
        self.tick()
        return self.record(Ended(**self.stamp().fields(), reason="staff", detail=detail))

    def draft_sheet(
        self,
        fields: dict[str, str],
        checklist: Sequence[ChecklistAnswer],
        staff: Staff,
        method: str = "",
    ) -> Event | None:
        """The sheet as typed so far, kept compact (only what was entered); None when nothing
        changed since the last draft, or once the sheet is saved."""
        state = self.state
        if state.sheet is not None:
            return None
        draft = SheetDrafted(
            **self.stamp().fields(),
            fields={key: text for key, text in fields.items() if text.strip()},
            checklist=tuple(a for a in checklist if a.checked or a.remark.strip()),
            staff=None if staff == state.started.staff else staff,
            method=method,
        )
        previous = state.draft
        if previous is None and not (draft.fields or draft.checklist or draft.staff or method):
            return None  # nothing typed yet
        if previous is not None and _same_draft(previous, draft):
            return None
        return self.record(draft)

    def save_sheet(
        self,
        fields: dict[str, str],
        checklist: Sequence[ChecklistAnswer],
        staff: Staff,
        method: str = "",
    ) -> Event:
        """The wrap-up sheet as the staff member saved it; blank fields are kept blank."""
        return self.record(
            SheetSaved(
                **self.stamp().fields(),
                fields=fields,
                checklist=tuple(checklist),
                staff=staff,
                method=method,
            )
        )


def _same_draft(a: SheetDrafted, b: SheetDrafted) -> bool:
    """Two drafts hold the same values (their stamps aside)."""
    return (a.fields, a.checklist, a.staff, a.method) == (b.fields, b.checklist, b.staff, b.method)
