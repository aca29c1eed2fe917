"""The contact ends when it ends: after 切電 (a step with `ends_contact`) or `l` (the caller hung
up, the visitor left) its time stops, nothing more is due and nothing turns red; after a police
step the limit no longer counts either. Pure: the clock is moved by hand."""

from __future__ import annotations

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.escalation import LimitOff, Phase
from kasuhara_timer.session.events import (
    ContactEnded,
    EntryWithdrawn,
    Event,
    LimitReached,
    PrewarningShown,
    Route,
    StepTaken,
)
from kasuhara_timer.session.state import SessionState
from tests.support.policies import make_policy


class Sink:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def start(
    clock: ManualClock, policy: Policy | None = None, channel: ChannelId = ChannelId.PHONE
) -> tuple[DeskSession, Sink]:
    sink = Sink()
    policy = policy or make_policy(ends_contact=True)
    return DeskSession.start(policy, channel, SessionClock(clock), sink), sink


def disconnect(session: DeskSession, clock: ManualClock) -> None:
    """Warning, final notice, 切電: each brought forward or taken one second apart."""
    for _ in range(6):
        session.take_next_step()
        if session.state.contact_ended is not None:
            return
        clock.advance(1)


def test_the_step_that_cuts_the_call_ends_the_contact(clock: ManualClock) -> None:
    session, sink = start(clock)
    clock.advance(31 * 60)  # past the limit: the ladder is pressing
    session.tick()
    disconnect(session, clock)
    ended = session.state.contact_ended
    assert ended is not None and ended.step == "disconnect" and ended.path is Route.LADDER
    taken = [e for e in sink.events if isinstance(e, StepTaken)]
    assert taken[-1].step == "disconnect" and taken[-1].t == ended.t  # journaled together
    assert sink.events[-1] == ended  # right after the step that cut the call


def test_after_the_contact_nothing_is_due_and_nothing_is_red(clock: ManualClock) -> None:
    session, sink = start(clock)
    clock.advance(20 * 60)
    session.tick()  # the 10-minute pre-warning
    session.end_contact()  # the caller hung up at 20:00
    shown = len(sink.events)
    for _ in range(20):  # an hour of after-care, in 3-minute repaints
        clock.advance(180)
        assert session.tick() == []
        assessment = session.assess()
        assert assessment.phase is Phase.CALM and assessment.prewarning is None
        assert assessment.limit_off is LimitOff.CONTACT_ENDED
        assert assessment.contact_elapsed == 20 * 60  # the contact's time stands still
    assert len(sink.events) == shown
    assert not any(isinstance(e, LimitReached) for e in sink.events)
    assert session.assess().aftercare == 60 * 60
    assert session.assess().progress == 20 / 30


def test_after_the_visitor_left_no_step_addressed_to_them_is_proposed(
    clock: ManualClock,
) -> None:
    session, _ = start(clock, make_policy(ends_contact=False), ChannelId.COUNTER)
    session.go_immediate()
    session.end_contact()  # gone before anyone said the response is stopped
    proposed = session.assess().proposed
    assert proposed is not None and proposed.id == "police"  # the police may still be needed
    assert session.take_next_step() is not None
    assert session.state.taken[-1].step == "police"


def test_the_after_care_step_is_proposed_and_pressing(clock: ManualClock) -> None:
    session, _ = start(clock)
    clock.advance(60)
    session.end_contact()  # before the limit: the after-care is due, not quietly shown
    assessment = session.assess()
    assert assessment.pressing
    assert assessment.proposed is not None and assessment.proposed.id == "aftercare"
    clock.advance(31 * 60)
    session.tick()
    disconnect_card = session.assess()
    assert disconnect_card.phase is Phase.CALM


def test_record_durations_apart(clock: ManualClock) -> None:
    session, sink = start(clock)
    clock.advance(31 * 60)
    session.tick()
    disconnect(session, clock)
    contact = session.state.contact_ended
    assert contact is not None
    clock.advance(245)  # 4 min 5 s of after-care before `e`
    session.end()
    state = SessionState.from_events(sink.events)
    assert state.contact_duration == contact.t
    assert state.aftercare_duration == 245
    assert state.duration == contact.t + 245


def test_without_a_contact_end_the_contact_is_the_whole_session(clock: ManualClock) -> None:
    session, _ = start(clock)
    clock.advance(100)
    session.end()
    assert session.state.contact_duration == 100
    assert session.state.aftercare_duration == 0


def test_a_step_without_ends_contact_does_not_end_it(clock: ManualClock) -> None:
    session, sink = start(clock, make_policy(ends_contact=False))
    clock.advance(31 * 60)
    session.tick()
    for _ in range(3):
        session.take_next_step()
        clock.advance(1)
    assert session.state.contact_ended is None
    assert not any(isinstance(e, ContactEnded) for e in sink.events)


def test_the_contact_ends_once(clock: ManualClock) -> None:
    session, _ = start(clock)
    assert session.end_contact() is not None
    clock.advance(5)
    assert session.end_contact() is None
    session.end()
    assert session.end_contact() is None  # nor after the session


def test_one_u_takes_back_the_step_and_the_contact_end(clock: ManualClock) -> None:
    session, sink = start(clock)
    clock.advance(31 * 60)
    session.tick()
    disconnect(session, clock)
    session.withdraw_last()
    withdrawn = [e for e in sink.events if isinstance(e, EntryWithdrawn)]
    assert [w.entry_kind for w in withdrawn] == ["contact_ended", "step_taken"]
    assert session.state.contact_ended is None
    assert session.state.taken[-1].step != "disconnect"
    assert session.assess().phase is Phase.OVER  # the call goes on, past its limit


def test_u_takes_back_a_contact_end_said_with_l(clock: ManualClock) -> None:
    session, sink = start(clock)
    clock.advance(60)
    session.end_contact()
    session.withdraw_last()
    assert session.state.contact_ended is None
    assert [e.kind for e in sink.events][-2:] == ["contact_ended", "withdrawn"]
    clock.advance(20 * 60)
    assert [type(e) for e in session.tick()] == [PrewarningShown]  # counting again


def test_after_the_immediate_police_step_no_prewarning(clock: ManualClock) -> None:
    session, sink = start(clock, make_policy(ends_contact=False), ChannelId.COUNTER)
    clock.advance(60)
    session.go_immediate()
    session.take_next_step()  # stop
    clock.advance(1)
    session.take_next_step()  # police
    assert session.state.taken[-1].step == "police"
    assert session.assess().limit_off is LimitOff.POLICE
    for _ in range(40):  # past the pre-warnings and the limit: still nothing
        clock.advance(60)
        assert session.tick() == []
        assert session.assess().phase is Phase.CALM
    assert not any(isinstance(e, PrewarningShown | LimitReached) for e in sink.events)
    assert session.assess().contact_elapsed == session.assess().elapsed  # the clock goes on


def test_before_the_police_step_the_immediate_path_still_counts(clock: ManualClock) -> None:
    session, _ = start(clock, make_policy(ends_contact=False), ChannelId.COUNTER)
    session.go_immediate()
    clock.advance(20 * 60)
    assert [type(e) for e in session.tick()] == [PrewarningShown]
