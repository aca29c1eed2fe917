"""What the widgets are given to show, decided without a terminal."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from kasuhara_timer.desk.views import (
    CardMode,
    bar_view,
    behaviour_views,
    card_view,
    limit_words,
    police_contacts,
    quote,
    tag_key,
    timeline_rows,
)
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.escalation import Phase
from kasuhara_timer.session.events import Event
from kasuhara_timer.ui.wrap import NO_LINE_END, NO_LINE_START, phrases, wrap

JA = Translator("ja")


class Sink:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def session(policy: Policy, channel: ChannelId, clock: ManualClock) -> DeskSession:
    return DeskSession.start(policy, channel, SessionClock(clock), Sink())


def test_lines_press_at_the_limit_not_a_second_before(nanyo: Policy) -> None:
    clock = ManualClock()
    desk = session(nanyo, ChannelId.PHONE, clock)
    clock.advance(30 * 60 - 1)
    before = card_view(desk.assess(), desk.state, nanyo, JA)
    assert before.mode is CardMode.BEFORE
    assert before.lines == ()
    assert before.quiet == "次の段階：ステップ1 毅然とした警告（n で前倒しできます）"
    assert before.points == tuple(
        f"{p}{p.remark}" for p in nanyo.channel(ChannelId.PHONE).before_limit
    )
    clock.advance(1)
    at = card_view(desk.assess(), desk.state, nanyo, JA)
    assert at.mode is CardMode.STEP
    assert at.heading == "ステップ1 毅然とした警告"
    assert at.lines[0].startswith("「恐れ入りますが、") and at.lines[0].endswith("」")
    assert at.quiet == ""


def test_immediate_path_shows_the_police_number_and_every_step(nanyo: Policy) -> None:
    clock = ManualClock()
    desk = session(nanyo, ChannelId.COUNTER, clock)
    desk.go_immediate()
    card = card_view(desk.assess(), desk.state, nanyo, JA)
    assert card.mode is CardMode.IMMEDIATE
    assert card.contacts == (
        "緊急通報：110（警察）",
        "方針の連絡先：暴力行為関係 南陽警察署 0238-50-0110（代表）",
    ), "110 first: the station's reception number is not the emergency number"
    assert card.steps[0] == "▶1. 警察に通報する（暴行・身の危険）"
    assert len(card.steps) == len(nanyo.channel(ChannelId.COUNTER).immediate)
    desk.take_next_step()
    card = card_view(desk.assess(), desk.state, nanyo, JA)
    assert card.steps[0].startswith("✓1.") and card.steps[1].startswith("▶2.")
    assert card.taken.startswith("実施済み：警察に通報する（暴行・身の危険）")


def test_police_contact_falls_back_to_110(nanyo: Policy) -> None:
    policy = nanyo.model_copy(update={"contacts": ()})
    assert police_contacts(policy) == ()
    clock = ManualClock()
    desk = session(policy, ChannelId.PHONE, clock)
    desk.go_immediate()
    assert card_view(desk.assess(), desk.state, policy, JA).contacts == ("緊急通報：110（警察）",)


def test_110_comes_first_even_when_the_policy_names_the_police_without_a_number() -> None:
    sakaide = load_policy("sakaide").policy
    clock = ManualClock()
    desk = session(sakaide, ChannelId.COUNTER, clock)
    desk.go_immediate()
    assert card_view(desk.assess(), desk.state, sakaide, JA).contacts == (
        "緊急通報：110（警察）",
        "方針の連絡先：専門機関との連携 警察や顧問弁護士等",
    )
    english = card_view(desk.assess(), desk.state, sakaide, Translator("en")).contacts
    assert english[0] == "Emergency: call 110 (police)"


def test_bar_phases_and_words(nanyo: Policy) -> None:
    clock = ManualClock()
    desk = session(nanyo, ChannelId.PHONE, clock)
    clock.advance(0.4)
    calm = bar_view(desk.assess(), JA)
    assert (calm.phase, calm.text) == (Phase.CALM, "目安 30分まで 残り 0:30:00")
    clock.advance(20 * 60 - 0.4)
    near = bar_view(desk.assess(), JA)
    assert (near.phase, near.text) == (Phase.NEAR, "予告：目安 30分まで 残り 0:10:00")
    clock.advance(10 * 60 - 0.5)
    assert bar_view(desk.assess(), JA).text.endswith("残り 0:00:01"), "never 0:00:00 before it"
    clock.advance(0.5 + 3600)
    over = bar_view(desk.assess(), JA)
    assert (over.phase, over.text, over.progress) == (Phase.OVER, "目安 30分を超過 +1:00:00", 1.0)


def test_a_default_limit_says_so(nanyo: Policy) -> None:
    other = nanyo.channel(ChannelId.OTHER).limit
    assert not other.stated
    assert limit_words(other, JA) == "文書に定めなし・既定30分"
    assert limit_words(nanyo.channel(ChannelId.PHONE).limit, JA) == "目安 30分"
    clock = ManualClock()
    desk = session(nanyo, ChannelId.OTHER, clock)
    assert bar_view(desk.assess(), JA).text.endswith("（定めなし・既定）")


def test_behaviour_keys_and_marks(nanyo: Policy) -> None:
    clock = ManualClock()
    desk = session(nanyo, ChannelId.PHONE, clock)
    desk.toggle_tag("restraint")
    views = behaviour_views(nanyo, desk.state)
    assert [v.key for v in views] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ""]
    assert [v.id for v in views if v.tagged] == ["restraint"]
    assert views[0].label == "身体的な攻撃"  # the short name, for the narrow list
    assert tag_key(12) is None


def test_timeline_rows_use_the_start_time_zone(nanyo: Policy) -> None:
    clock = ManualClock()
    desk = session(nanyo, ChannelId.PHONE, clock)
    clock.advance(25 * 3600)
    desk.add_note("翌日")
    rows = timeline_rows(desk.state, JA)
    assert (rows[-1].clock, rows[-1].elapsed, rows[-1].text) == (
        "10:00:00",
        "25:00:00",
        "メモ：翌日",
    )


def test_quote_wraps_once() -> None:
    assert quote("失礼いたします。") == "「失礼いたします。」"
    assert quote("「失礼いたします。」") == "「失礼いたします。」"


@pytest.mark.parametrize("width", [10, 17, 24, 40, 76])
def test_wrap_keeps_kinsoku_and_loses_nothing(width: int) -> None:
    text = "「申し訳ございませんが、建設的なお話ができませんので、これにて失礼いたします。」"
    lines = wrap(text, width)
    assert "".join(line.strip() for line in lines) == text
    for line in lines[1:]:
        assert line.strip()[:1] not in NO_LINE_START
    for line in lines[:-1]:
        assert line[-1:] not in NO_LINE_END


@pytest.mark.parametrize("width", range(8, 80))
def test_kinsoku_holds_at_phrase_boundaries_too(width: int) -> None:
    """The recovery screen once showed a line starting with '：4行目より前が…'."""
    text = JA("recovery.damaged", reason=JA("recovery.problem.chain_broken", line=4))
    lines = wrap(text, width)
    assert "".join(line.strip() for line in lines) == text
    for line in lines[1:]:
        assert line.strip()[:1] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1:] not in NO_LINE_END, lines


def test_wrap_breaks_at_phrases_and_hangs_bullets() -> None:
    text = "・上司に報告する：相手の情報を更新・共有する。次回の対応を検討する"
    lines = wrap(text, 24)
    assert len(lines) > 1
    assert "".join(line.strip() for line in lines) == text
    assert all(cell_len(line) <= 24 for line in lines)
    assert all(line.startswith("  ") and not line.startswith("   ") for line in lines[1:])
    pieces = phrases(text)
    boundaries = {sum(len(p) for p in pieces[:i]) for i in range(len(pieces) + 1)}
    cut = 0
    for line in lines[:-1]:
        cut += len(line.strip())
        assert cut in boundaries, f"broke inside a phrase after {line!r}"


def test_wrap_english_at_spaces() -> None:
    assert wrap("Every step has been taken.", 12) == ("Every step", "has been", "taken.")


def test_unknown_key_shows_itself() -> None:
    assert Translator("en")("no.such.key") == "no.such.key"
    assert re.fullmatch(r"Next step", Translator("en")("key.next"))
