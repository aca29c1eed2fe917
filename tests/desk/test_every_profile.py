"""Each bundled profile as a new user meets it (issue 10's "done when"): before the limit the
channel's criteria are on screen, tagging a behaviour the document answers brings its response
(and one it does not answer brings nothing), `c` shows every contact the document lists, `g`
every part of its guidance, and the wrap-up reaches both too."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.guidance import contact_row
from kasuhara_timer.desk.screens.guidance import ContactsScreen, GuidanceScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.tag_picker import TagPicker
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.desk import make_setup
from tests.support.documents import BUNDLED
from tests.support.screen import flat, screen_text

CHANNEL_KEYS = {ChannelId.PHONE: "1", ChannelId.COUNTER: "2", ChannelId.OTHER: "3"}


@pytest.fixture(params=BUNDLED)
def profile(request: pytest.FixtureRequest) -> Policy:
    return load_policy(str(request.param)).policy


def desk_for(policy: Policy, clock: ManualClock, data_dir: Path, book: JsonStaffBook) -> DeskApp:
    return DeskApp(make_setup(policy, clock, data_dir, book))


def top(app: DeskApp) -> object:
    """The screen on top (typed loosely: each key press may change it)."""
    return app.screen


def squeezed(text: str) -> str:
    return flat(text).replace("\u3000", "")


async def tag(pilot: Pilot[None], app: DeskApp, index: int) -> None:
    """Tag the behaviour at `index`: its digit for the first ten, else through `t`."""
    if index < 10:
        await pilot.press(str((index + 1) % 10))
        return
    await pilot.press("t")
    picker = app.screen
    assert isinstance(picker, TagPicker)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")


@pytest.mark.parametrize("channel", list(ChannelId))
async def test_before_the_limit_the_criteria_are_on_screen(
    profile: Policy,
    channel: ChannelId,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    app = desk_for(profile, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(CHANNEL_KEYS[channel])
        assert isinstance(app.screen, SessionScreen)
        shown = squeezed(screen_text(app))
        criteria = profile.channel(channel).criteria
        assert criteria, (profile.id, channel)
        assert "組織的な対応に移る判断基準（方針）：" in shown
        for criterion in criteria:
            assert squeezed(criterion)[:20] in shown, (profile.id, channel, criterion)


async def test_a_tag_brings_the_documents_response_and_only_then(
    profile: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for(profile, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        for index, behaviour in enumerate(profile.behaviours):
            await tag(pilot, app, index)
            await pilot.pause()
            shown = squeezed(screen_text(app))
            if behaviour.response or behaviour.lines:
                assert f"方針の対応例（{behaviour.tag}）" in shown, (profile.id, behaviour.id)
                first = (behaviour.response or behaviour.lines)[0]
                assert squeezed(first)[:16] in shown, (profile.id, behaviour.id)
                assert "刑法" not in shown
                await pilot.press("escape")
            else:
                assert "方針の対応例" not in shown, (profile.id, behaviour.id)


async def test_c_shows_every_contact_and_g_every_part_of_the_guidance(
    profile: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for(profile, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("2")
        await pilot.press("c")
        assert isinstance(app.screen, ContactsScreen)
        rows = [squeezed(w.text) for w in app.screen.query(PhraseText).results(PhraseText)]
        assert rows[0] == "緊急通報：110（警察）"
        for contact in profile.contacts:
            assert squeezed(contact_row(contact)) in rows, (profile.id, contact.label)
        await pilot.press("escape")
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, GuidanceScreen)
        items = "".join(
            squeezed(i.text) for i in screen.query(".guidance-item").results(PhraseText)
        )
        assert profile.guidance, profile.id
        for part in profile.guidance:
            for item in part.items:
                assert squeezed(item) in items, (profile.id, part.title)
        for caution in profile.cautions:
            assert squeezed(caution) in items, profile.id
        assert "刑法" not in items
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


async def test_the_wrapup_opens_contacts_and_guidance_from_a_text_field(
    profile: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for(profile, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("e")
        while not isinstance(top(app), WrapUpScreen):  # a confirmation may come first
            await pilot.press("y")
            await pilot.pause()
        wrapup = app.screen
        assert wrapup.focused is not None  # a field has the focus: letters go into it
        footer = flat(screen_text(app))
        assert "f6連絡先" in footer and "f7手引き" in footer
        await pilot.press("f6")
        assert isinstance(top(app), ContactsScreen)
        await pilot.press("escape")
        assert top(app) is wrapup
        await pilot.press("f7")
        assert isinstance(top(app), GuidanceScreen)
        await pilot.press("f7")
        assert top(app) is wrapup
        wrapup.set_focus(None)
        await pilot.press("c")
        assert isinstance(top(app), ContactsScreen)
        await pilot.press("c")
        await pilot.press("g")
        assert isinstance(top(app), GuidanceScreen)


async def test_a_colleague_joining_is_reminded_not_to_make_the_visitor_explain_again(
    profile: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_for(profile, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.press("j")
        shown = flat(screen_text(app))
        assert "相手にクレーム内容をもう一度説明させない" in shown, profile.id
        whose = "南陽市マニュアル§6(2)⑤"
        if profile.id != "nanyo":  # borrowed, and said so where it is shown
            whose += f"（{profile.profile.municipality}の方針に定めなし）"
        assert f"引継ぎ・同席の際（{whose}）" in shown, profile.id
