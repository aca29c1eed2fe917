"""The engine on every bundled profile and channel: what staff of each municipality rely on."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.loader import bundled_profile_names, load_policy
from kasuhara_timer.policy.models import ChannelId, StepKind
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.escalation import Phase
from kasuhara_timer.session.events import Event, LimitReached, PrewarningShown, Route, StepTaken

CASES = [(name, channel) for name in bundled_profile_names() for channel in ChannelId]


class Sink:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def start(name: str, channel: ChannelId) -> tuple[DeskSession, ManualClock, Sink]:
    clock, sink = ManualClock(), Sink()
    session = DeskSession.start(load_policy(name).policy, channel, SessionClock(clock), sink)
    return session, clock, sink


def test_all_five_documents_are_bundled() -> None:
    assert set(bundled_profile_names()) == {"nanyo", "fujimi", "higashikurume", "taito", "sakaide"}


@pytest.mark.parametrize(("name", "channel"), CASES)
def test_first_prompt_exactly_at_the_limit(name: str, channel: ChannelId) -> None:
    session, clock, sink = start(name, channel)
    limit = session.escalation.channel.limit
    for minutes_before in sorted(limit.prewarnings, reverse=True):
        clock.mono = 1000.0 + (limit.minutes - minutes_before) * 60 - 0.01
        session.tick()
        assert not any(
            isinstance(e, PrewarningShown) and e.minutes_before == minutes_before
            for e in sink.events
        )
        clock.mono += 0.01
        [shown] = session.tick()
        assert isinstance(shown, PrewarningShown) and shown.minutes_before == minutes_before
    clock.mono = 1000.0 + limit.minutes * 60 - 0.01
    assert session.tick() == [] and not session.assess().pressing
    clock.mono += 0.01
    [reached] = session.tick()
    assert isinstance(reached, LimitReached) and reached.limit_minutes == limit.minutes
    assessment = session.assess()
    assert assessment.phase is Phase.OVER and assessment.pressing
    assert assessment.proposed == session.escalation.channel.ladder[0]


@pytest.mark.parametrize(("name", "channel"), CASES)
def test_ladder_to_the_end_ends_in_aftercare(name: str, channel: ChannelId) -> None:
    session, clock, _ = start(name, channel)
    clock.advance(25 * 3600)  # sessions over a day still work
    session.tick()
    taken = []
    while (event := session.take_next_step()) is not None:
        assert isinstance(event, StepTaken)
        taken.append(event.step)
    ladder = session.escalation.channel.ladder
    assert taken == [s.id for s in ladder]
    assert ladder[-1].kind is StepKind.AFTERCARE
    assert session.assess().elapsed == 25 * 3600


@pytest.mark.parametrize(("name", "channel"), CASES)
def test_immediate_path_at_once(name: str, channel: ChannelId) -> None:
    session, clock, _ = start(name, channel)
    clock.advance(1)
    session.go_immediate()
    assessment = session.assess()
    assert assessment.path is Route.IMMEDIATE and assessment.pressing
    assert assessment.phase is Phase.CALM  # whatever the time
    immediate = session.escalation.channel.immediate
    assert assessment.proposed == immediate[0]
    kinds = {s.kind for s in immediate}
    assert kinds & {StepKind.END, StepKind.POLICE}  # it stops the contact or calls the police


def test_nanyo_phone_lines_in_order() -> None:
    """The nanyo phone ladder proposes the manual's verbatim lines step by step."""
    session, clock, _ = start("nanyo", ChannelId.PHONE)
    clock.advance(30 * 60)
    session.tick()
    proposed = session.assess().proposed
    assert proposed is not None
    assert (
        "恐れ入りますが、そのような言葉遣いでは対応を続けることができません。冷静にお話しいただけますでしょうか。"
        in proposed.lines
    )
    session.take_next_step()
    proposed = session.assess().proposed
    assert proposed is not None and proposed.kind is StepKind.FINAL_NOTICE
    assert any("お電話を切らせていただくこととなります" in line for line in proposed.lines)
    session.take_next_step()
    proposed = session.assess().proposed
    assert proposed is not None and proposed.kind is StepKind.END
    assert (
        "申し訳ございませんが、建設的なお話ができませんので、これにて失礼いたします。"
        in proposed.lines
    )


def test_limits_per_document() -> None:
    def limit(name: str, channel: ChannelId) -> tuple[int, bool]:
        lim = load_policy(name).policy.channel(channel).limit
        return lim.minutes, lim.stated

    assert limit("nanyo", ChannelId.PHONE) == (30, True)
    assert limit("nanyo", ChannelId.COUNTER) == (30, True)
    assert limit("fujimi", ChannelId.COUNTER) == (30, False)  # a definition, not a limit
    assert limit("sakaide", ChannelId.PHONE) == (60, True)
    assert limit("taito", ChannelId.PHONE) == (30, False)
    assert limit("higashikurume", ChannelId.COUNTER) == (30, False)
