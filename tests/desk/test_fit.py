"""At 80×24 (the smallest terminal the desk supports) nothing the staff member needs is cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.i18n import Lang
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.session.clock import ManualClock
from tests.support.desk import make_setup
from tests.support.screen import screen_text

PROFILES = ("nanyo", "sakaide", "taito", "fujimi", "higashikurume")
CALLER = {"ja": "山田様・1234", "en": "Mr Yamada 1234"}
STARTED = {"ja": "開始 09:00", "en": "started 09:00"}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("profile", PROFILES)
async def test_the_status_row_and_the_bar_fit_at_80x24(
    profile: str, lang: Lang, tmp_path: Path
) -> None:
    policy = load_policy(profile).policy
    for key in ("1", "2", "3"):  # phone, counter, other
        clock = ManualClock()
        staff = JsonStaffBook(tmp_path / f"{key}-staff.json")
        app = DeskApp(make_setup(policy, clock, tmp_path / key, staff, lang=lang))
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query_one("#caller").value = CALLER[lang]  # type: ignore[attr-defined]
            await pilot.press(key)
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            limit = screen.session.assess().limit.minutes * 60
            for elapsed in (limit - 5 * 60 + 1, limit + 3600):  # the notice, then past it
                clock.advance(elapsed - screen.session.clock.elapsed())
                screen.pulse()
                await pilot.pause()
                status, _bar, words = screen_text(app).splitlines()[:3]
                where = f"{profile} {lang} channel {key}: {status!r}"
                assert CALLER[lang] in status and STARTED[lang] in status, where
                bar = screen.query_one("#limit-words").render()
                assert str(bar).strip() in words and "…" not in words, (where, words)


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_tagged_behaviours_response_leaves_the_timeline_and_the_note_on_screen(
    profile: str, tmp_path: Path
) -> None:
    """The policy's response to a tag is the longest thing the session screen shows: beside
    it the newest timeline row and the note line must still be on screen, above the footer."""
    from textual.widgets import Footer

    from kasuhara_timer.desk.widgets.timeline import TimelineView

    policy = load_policy(profile).policy
    app = DeskApp(make_setup(policy, ManualClock(), tmp_path, JsonStaffBook(tmp_path / "s.json")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        for tag in "1234567890":  # every digit tag, whatever response its document gives
            await pilot.press(tag)
            await pilot.pause()
            footer = screen.query_one(Footer).region
            for widget in (screen.query_one(TimelineView), screen.query_one("#note")):
                region = widget.region
                where = f"{profile}: after tag {tag}, {widget.id} at {region}"
                assert region.height > 0 and region.bottom <= footer.y, where
