"""The escalation engine: from a policy, a session's state and the elapsed time, what is due now.

Pure and deterministic. The engine proposes, the staff member decides: nothing here takes a step
on its own. It only tells when a quiet pre-warning or the limit is due (as events for the journal),
which step the staff member would take next, and builds the events for the steps they take.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kasuhara_timer.policy.models import Channel, Limit, Policy, Step, StepKind
from kasuhara_timer.session.events import (
    ContactEnded,
    Event,
    ImmediateInvoked,
    LimitReached,
    PrewarningShown,
    Route,
    Stamp,
    StepBroughtForward,
    StepTaken,
)
from kasuhara_timer.session.state import SessionState


class Phase(StrEnum):
    """Where the session stands against the policy's limit."""

    CALM = "calm"  # well before the limit
    NEAR = "near"  # a pre-warning has passed
    OVER = "over"  # the limit has arrived


MOOT_AFTER_CONTACT = frozenset({StepKind.WARNING, StepKind.FINAL_NOTICE, StepKind.END})
"""Steps addressed to the caller or visitor: not proposed once the contact has ended (the
report, the police and the after-care still are)."""


class LimitOff(StrEnum):
    """Why the limit no longer counts: nothing is due, nothing turns red."""

    CONTACT_ENDED = "contact_ended"  # the call was cut or the visitor left: after-care now
    POLICE = "police"  # the police were called: the time is no longer the question


@dataclass(frozen=True)
class Assessment:
    """What the desk shows at one instant."""

    elapsed: float
    limit: Limit
    phase: Phase
    remaining: float
    """Seconds until the limit; negative once past it."""
    prewarning: int | None
    """Minutes-before of the nearest pre-warning passed, while before the limit."""
    path: Route
    current: Step | None
    """The step taken most recently on the path in force."""
    proposed: Step | None
    """The step the staff member would take next (`n`); None once the path is finished."""
    pressing: bool
    """True when the proposal is due: the limit arrived, the immediate path is on, or the
    staff member already escalated. Before that the proposal is shown quietly."""
    ended: bool
    contact_ended_at: float | None = None
    """Session-clock seconds when the contact itself ended (切電, the visitor left)."""
    limit_off: LimitOff | None = None
    """Set once the limit no longer counts: the phase stays calm and no prompt is due."""

    @property
    def contact_elapsed(self) -> float:
        """Seconds of the contact itself: it stops when the contact ends."""
        if self.contact_ended_at is None:
            return self.elapsed
        return min(self.elapsed, self.contact_ended_at)

    @property
    def aftercare(self) -> float:
        """Seconds since the contact ended (0 while it goes on)."""
        return self.elapsed - self.contact_elapsed

    @property
    def progress(self) -> float:
        """Fraction of the limit the contact took, capped at 1 (for the bar)."""
        return min(1.0, self.contact_elapsed / (self.limit.minutes * 60))


class Escalation:
    """A policy's rules for one channel, applied to a session."""

    def __init__(self, policy: Policy, channel: Channel) -> None:
        self.policy = policy
        self.channel = channel
        self.limit_seconds = channel.limit.minutes * 60

    @classmethod
    def for_state(cls, policy: Policy, state: SessionState) -> Escalation:
        """The engine for the channel the session started on."""
        return cls(policy, policy.channel(state.channel))

    def steps(self, path: Route) -> tuple[Step, ...]:
        """The steps of one path."""
        return self.channel.immediate if path is Route.IMMEDIATE else self.channel.ladder

    def step(self, path: Route, step_id: str) -> Step | None:
        """The step with this id on one path, or None when the profile has none such."""
        return next((s for s in self.steps(path) if s.id == step_id), None)

    def limit_off(self, state: SessionState) -> LimitOff | None:
        """Why the limit no longer counts: the contact ended, or a police step was taken
        (after the police call no pre-warning and no overtime come)."""
        if state.contact_ended is not None:
            return LimitOff.CONTACT_ENDED
        for taken in state.taken:
            step = self.step(taken.path, taken.step)
            if step is not None and step.kind is StepKind.POLICE:
                return LimitOff.POLICE
        return None

    def assess(self, state: SessionState, elapsed: float) -> Assessment:
        """The phase, the current step and the proposal at `elapsed` seconds."""
        limit = self.channel.limit
        contact_ended_at = state.contact_ended.t if state.contact_ended is not None else None
        counted = elapsed if contact_ended_at is None else min(elapsed, contact_ended_at)
        remaining = self.limit_seconds - counted
        passed = [p for p in limit.prewarnings if remaining <= p * 60]
        off = self.limit_off(state)
        if off is not None:
            phase, prewarning = Phase.CALM, None
        elif remaining <= 0:
            phase, prewarning = Phase.OVER, None
        elif passed:
            phase, prewarning = Phase.NEAR, min(passed)
        else:
            phase, prewarning = Phase.CALM, None
        path = state.path
        taken = state.taken_on(path)
        steps = self.steps(path)
        taken_ids = {s.step for s in taken}
        # once the caller or visitor is gone, warning them or ending the call is moot
        moot = MOOT_AFTER_CONTACT if contact_ended_at is not None else frozenset()
        proposed = next((s for s in steps if s.id not in taken_ids and s.kind not in moot), None)
        current = next((s for s in steps if taken and s.id == taken[-1].step), None)
        pressing = (
            phase is Phase.OVER
            or off is not None
            or path is Route.IMMEDIATE
            or bool(state.taken)
            or bool(state.brought_forward_on(path))
        )
        return Assessment(
            elapsed=elapsed,
            limit=limit,
            phase=phase,
            remaining=remaining,
            prewarning=prewarning,
            path=path,
            current=current,
            proposed=proposed,
            pressing=pressing,
            ended=state.ended is not None,
            contact_ended_at=contact_ended_at,
            limit_off=off,
        )

    def due(self, state: SessionState, stamp: Stamp) -> list[PrewarningShown | LimitReached]:
        """Prompt events that should be journaled now and are not yet; empty most of the time.

        Idempotent: once returned and applied, the same events are not due again. After a gap
        (a resumed crash) only the latest relevant prompt is due, not every one missed.
        """
        if state.ended is not None or self.limit_off(state) is not None:
            return []
        remaining = self.limit_seconds - stamp.t
        if remaining <= 0:
            if state.limit_reached_at is None:
                return [LimitReached(**stamp.fields(), limit_minutes=self.channel.limit.minutes)]
            return []
        if state.limit_reached_at is not None:
            return []
        nearest_shown = min(state.prewarnings_shown, default=None)
        pending = [
            p
            for p in self.channel.limit.prewarnings
            if remaining <= p * 60 and (nearest_shown is None or p < nearest_shown)
        ]
        if not pending:
            return []
        return [PrewarningShown(**stamp.fields(), minutes_before=min(pending))]

    def take_next(self, state: SessionState, stamp: Stamp) -> StepTaken | None:
        """The event for taking the proposed step, or None when the path is finished or ended."""
        if state.ended is not None:
            return None
        proposed = self.assess(state, stamp.t).proposed
        if proposed is None:
            return None
        return StepTaken(**stamp.fields(), step=proposed.id, path=state.path, title=proposed.title)

    def advance(self, state: SessionState, stamp: Stamp) -> StepTaken | StepBroughtForward | None:
        """What `n` records now: before the proposal is due, the step is brought forward (its
        card and lines show); once its card is shown, the step is taken. None when finished."""
        if state.ended is not None:
            return None
        assessment = self.assess(state, stamp.t)
        proposed = assessment.proposed
        if proposed is None:
            return None
        if not assessment.pressing:
            return StepBroughtForward(
                **stamp.fields(), step=proposed.id, path=state.path, title=proposed.title
            )
        return StepTaken(**stamp.fields(), step=proposed.id, path=state.path, title=proposed.title)

    def contact_end(self, state: SessionState, stamp: Stamp, taken: Event) -> ContactEnded | None:
        """The contact's end that taking a step brings (its `ends_contact`: 切電), or None."""
        if state.ended is not None or state.contact_ended is not None:
            return None
        if not isinstance(taken, StepTaken):
            return None
        step = self.step(taken.path, taken.step)
        if step is None or not step.ends_contact:
            return None
        return ContactEnded(**stamp.fields(), step=step.id, path=taken.path, title=step.title)

    def end_contact(self, state: SessionState, stamp: Stamp) -> ContactEnded | None:
        """The staff member says the contact is over (the caller hung up, the visitor left);
        None when the session or the contact already ended."""
        if state.ended is not None or state.contact_ended is not None:
            return None
        return ContactEnded(**stamp.fields())

    def go_immediate(self, state: SessionState, stamp: Stamp) -> ImmediateInvoked | None:
        """The event for switching to the immediate path, or None when already on it or ended."""
        if state.ended is not None or state.immediate_at is not None:
            return None
        return ImmediateInvoked(**stamp.fields())
