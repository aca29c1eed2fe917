"""Responding together in the domain: help requests, who joined, who took over, and the lead."""

from __future__ import annotations

from datetime import timedelta

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Event, HelpRequested, Staff
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.session.team import Joining, responders, waiting


class Sink:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


FIRST = Staff(name="山田", section="市民課", title="主事")
COLLEAGUE = Staff(name="佐藤", section="市民課", title="係長")
MANAGER = Staff(name="鈴木", section="市民課", title="課長")


def started(policy: Policy, clock: ManualClock) -> tuple[DeskSession, Sink]:
    sink = Sink()
    session = DeskSession.start(
        policy, ChannelId.COUNTER, SessionClock(clock), sink, staff=FIRST, desk="desk-07"
    )
    return session, sink


def test_each_press_is_a_new_journaled_request_with_its_own_reference(
    policy: Policy, clock: ManualClock
) -> None:
    session, sink = started(policy, clock)
    clock.advance(60)
    session.request_help("係長")
    clock.advance(90)
    session.request_help("係長")
    requests = [e for e in sink.events if isinstance(e, HelpRequested)]
    assert [(r.id, r.t, r.call) for r in requests] == [
        ("help-1", 60, "係長"),
        ("help-2", 150, "係長"),
    ]
    assert SessionState.from_events(sink.events) == session.state
    assert [r.id for r in waiting(session.state)] == ["help-1", "help-2"]


def test_an_answer_covers_its_request_and_earlier_ones_and_is_journaled_once(
    policy: Policy, clock: ManualClock
) -> None:
    session, sink = started(policy, clock)
    session.request_help()
    session.request_help()

    def answer(request: str) -> Event | None:
        return session.help_answered(
            request,
            by="鈴木",
            host="BOARD",
            answered_at=clock.now() + timedelta(seconds=5),
            file="answers/help-2.BOARD.json",
            sha256="0" * 64,
        )

    assert answer("help-9") is None, "no such request"
    assert answer("help-2") is not None
    assert answer("help-2") is None, "the same file twice"
    assert waiting(session.state) == ()
    session.request_help()
    assert [r.id for r in waiting(session.state)] == ["help-3"], "a new press waits again"
    assert [e.kind for e in sink.events].count("help_answered") == 1


def test_joining_and_taking_over_keep_everyone_in_order_with_the_lead_marked(
    policy: Policy, clock: ManualClock
) -> None:
    session, _sink = started(policy, clock)
    clock.advance(120)
    assert session.join(Staff(name=" "), "同席") is None, "a blank name records nothing"
    session.join(COLLEAGUE, "同席")
    clock.advance(300)
    session.hand_over(MANAGER, "所管課長", manager=True)
    team = responders(session.state)
    assert [(r.staff.name, r.joining, r.role, r.t, r.lead) for r in team] == [
        ("山田", Joining.FIRST, "", 0, False),
        ("佐藤", Joining.JOINED, "同席", 120, False),
        ("鈴木", Joining.MANAGER, "所管課長", 420, True),
    ]
    assert [e.id for e in session.state.joined] == ["joined-1"]
    assert [e.id for e in session.state.handovers] == ["handover-1"]


def test_nothing_is_added_after_the_end(policy: Policy, clock: ManualClock) -> None:
    session, sink = started(policy, clock)
    session.end()
    count = len(sink.events)
    assert session.request_help() is None
    assert session.join(COLLEAGUE) is None
    assert session.hand_over(MANAGER) is None
    assert len(sink.events) == count
