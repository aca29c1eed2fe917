"""The review with the Japanese IME on: the same folding as the desk, whatever its keys are."""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.review.screens.help import HelpScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from tests.support.review_pilot import review_app, settle


async def test_a_full_width_question_mark_opens_the_help(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    app = review_app(tmp_path / "data", tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("？")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert any(n.message.startswith("日本語入力がオンです") for n in app._notifications)
        await pilot.press("ｑ")
        await pilot.pause()
        assert isinstance(app.screen, SessionListScreen)
