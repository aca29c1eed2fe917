"""The escalation engine: prompts exactly on time, steps only when the staff member takes them."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.escalation import Phase
from kasuhara_timer.session.events import (
    Event,
    ImmediateInvoked,
    LimitReached,
    PrewarningShown,
    Route,
    StepBroughtForward,
    StepTaken,
)
from tests.support.policies import make_policy


class MemorySink:
    """Collects events; the real journal is tested in tests/store."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def start(policy: Policy, clock: ManualClock, speed: float = 1.0) -> tuple[DeskSession, MemorySink]:
    sink = MemorySink()
    session = DeskSession.start(
        policy, ChannelId.PHONE, SessionClock(clock, speed=speed), sink, drill=speed != 1.0
    )
    return session, sink


def test_no_prompt_before_prewarning(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    clock.advance(20 * 60 - 0.001)
    assert session.tick() == []
    assert session.assess().phase is Phase.CALM


def test_prewarnings_then_limit_exactly_on_time(policy: Policy, clock: ManualClock) -> None:
    session, sink = start(policy, clock)
    clock.advance(20 * 60)
    [first] = session.tick()
    assert isinstance(first, PrewarningShown) and first.minutes_before == 10
    assert session.assess().phase is Phase.NEAR
    assert session.tick() == []  # idempotent
    clock.advance(5 * 60)
    [second] = session.tick()
    assert isinstance(second, PrewarningShown) and second.minutes_before == 5
    clock.advance(5 * 60 - 0.001)
    assert session.tick() == []
    assessment = session.assess()
    assert assessment.phase is Phase.NEAR and not assessment.pressing
    clock.advance(0.001)
    [limit] = session.tick()
    assert isinstance(limit, LimitReached) and limit.t == 30 * 60
    assessment = session.assess()
    assert assessment.phase is Phase.OVER and assessment.pressing
    assert assessment.proposed is not None and assessment.proposed.id == "warning"
    assert sink.events[-1] is limit  # journaled before the state changed


def test_steps_only_when_taken(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    clock.advance(3 * 3600)
    session.tick()
    assert session.assess().current is None  # the engine proposes, never takes
    taken = []
    while (event := session.take_next_step()) is not None:
        assert isinstance(event, StepTaken)
        taken.append(event.step)
    assert taken == ["warning", "final_notice", "disconnect", "aftercare"]
    assessment = session.assess()
    assert assessment.proposed is None and assessment.current is not None
    assert assessment.current.id == "aftercare"


def test_escalate_before_limit(policy: Policy, clock: ManualClock) -> None:
    """Before the limit `n` brings step 1 forward (shown, not taken); only `n` on the shown
    card records it as taken."""
    session, _ = start(policy, clock)
    clock.advance(60)
    assert not session.assess().pressing
    event = session.take_next_step()
    assert isinstance(event, StepBroughtForward) and event.step == "warning"
    assert session.state.taken == ()
    assessment = session.assess()
    assert assessment.pressing and assessment.phase is Phase.CALM
    assert assessment.proposed is not None and assessment.proposed.id == "warning"
    taken = session.take_next_step()
    assert isinstance(taken, StepTaken) and taken.step == "warning"
    assessment = session.assess()
    assert assessment.proposed is not None and assessment.proposed.id == "final_notice"


def test_immediate_path_whatever_the_time(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    clock.advance(5)
    session.take_next_step()
    assert isinstance(session.go_immediate(), ImmediateInvoked)
    assert session.go_immediate() is None  # once
    assessment = session.assess()
    assert assessment.path is Route.IMMEDIATE and assessment.pressing
    assert assessment.proposed is not None and assessment.proposed.id == "stop"
    step = session.take_next_step()
    assert isinstance(step, StepTaken) and step.path is Route.IMMEDIATE
    assert session.assess().proposed.id == "police"  # type: ignore[union-attr]


def test_resumed_after_gap_gets_only_latest_prompt(clock: ManualClock) -> None:
    policy = make_policy()
    session, _ = start(policy, clock)
    clock.advance(26 * 60)  # both pre-warnings passed while the app was away
    due = session.tick()
    assert [type(e) for e in due] == [PrewarningShown]
    assert due[0].minutes_before == 5  # type: ignore[union-attr]
    assert session.tick() == []
    clock.advance(3600)
    assert [type(e) for e in session.tick()] == [LimitReached]


def test_ended_session_has_nothing_due(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    session.end()
    clock.advance(3600)
    assert session.tick() == []
    assert session.take_next_step() is None
    assert session.go_immediate() is None
    assert session.end() is None


def test_wall_clock_change_does_not_move_timer(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    clock.advance(60)
    clock.set_wall(clock.wall - timedelta(hours=5))
    assert session.assess().elapsed == 60
    clock.set_wall(clock.wall + timedelta(days=2))
    assert session.assess().elapsed == 60
    assert session.tick() == []


def test_drill_speed(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock, speed=60)
    clock.advance(30)  # 30 real seconds at 60x = 30 minutes
    [limit] = [e for e in session.tick() if isinstance(e, LimitReached)]
    assert limit.t == 30 * 60
    assert session.state.drill


def test_sessions_over_a_day(policy: Policy, clock: ManualClock) -> None:
    session, _ = start(policy, clock)
    clock.advance(25 * 3600 + 61)
    session.tick()
    assessment = session.assess()
    assert assessment.elapsed == 25 * 3600 + 61
    assert assessment.phase is Phase.OVER and assessment.progress == 1.0


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.integers(min_value=2, max_value=180),
    warn=st.lists(st.integers(min_value=1, max_value=179), max_size=3, unique=True),
    steps=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=5 * 3600, allow_nan=False),
            st.sampled_from(["tick", "next", "immediate", "tag", "note"]),
        ),
        max_size=40,
    ),
)
def test_invariants(minutes: int, warn: list[int], steps: list[tuple[float, str]]) -> None:
    """Whatever the staff does and whenever: prompts come once, in order, never before time;
    steps follow the ladder's order; elapsed never decreases."""
    policy = make_policy(minutes, tuple(p for p in warn if p < minutes))
    clock = ManualClock()
    session, sink = start(policy, clock)
    for delay, action in sorted(steps):
        clock.mono = 1000.0 + delay
        match action:
            case "tick":
                session.tick()
            case "next":
                session.take_next_step()
            case "immediate":
                session.go_immediate()
            case "tag":
                session.toggle_tag("abuse")
            case "note":
                session.add_note("メモ")
    session.tick()
    events = sink.events
    assert [e.t for e in events] == sorted(e.t for e in events)
    limits = [e for e in events if isinstance(e, LimitReached)]
    assert len(limits) <= 1
    assert all(e.t >= minutes * 60 for e in limits)
    warned = [e for e in events if isinstance(e, PrewarningShown)]
    assert all(e.t >= (minutes - e.minutes_before) * 60 for e in warned)
    assert [e.minutes_before for e in warned] == sorted(
        {e.minutes_before for e in warned}, reverse=True
    )
    if limits:
        assert all(e.t <= limits[0].t for e in warned)
    channel = policy.channel(ChannelId.PHONE)
    for path, ladder in ((Route.LADDER, channel.ladder), (Route.IMMEDIATE, channel.immediate)):
        ids = [e.step for e in events if isinstance(e, StepTaken) and e.path is path]
        assert ids == [s.id for s in ladder[: len(ids)]]
    assert session.state.tags in ((), ("abuse",))


def test_intents_journal_a_due_limit_first(policy: Policy, clock: ManualClock) -> None:
    """No pulse ran since the limit passed: the step and the end still come after it."""
    session, sink = start(policy, clock)
    clock.advance(30 * 60 + 0.1)
    session.take_next_step()
    clock.advance(0.1)
    session.end()
    assert [e.kind for e in sink.events] == [
        "started",
        "limit_reached",
        "step_taken",
        "ended",
    ]
    assert session.state.limit_reached_at is not None
