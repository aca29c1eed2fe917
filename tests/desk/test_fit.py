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
