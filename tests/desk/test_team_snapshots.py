"""Responding together pictured at 80×24: the help line after `h` and its answer, the
hand-over dialog with the policy's reminder, and the card after a colleague joined."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from kasuhara_timer.desk.screens.responder import ResponderDialog
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.answers import Answer, write_answer
from tests.desk.test_snapshots import SIZE, app
from tests.support.screen import until

SnapCompare = Callable[..., bool]


def test_help_asked_and_answered(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(300)
        await pilot.press("h")
        answer = Answer(
            session=screen.files.location.name,
            request="help-1",
            by="鈴木",
            host="B",
            at=clock.now(),
        )
        write_answer(screen.files.location, answer)
        clock.advance(45)
        screen.pulse()
        await pilot.pause()

    desk = app(nanyo, clock, data_dir, staff_book)
    assert snap_compare(desk, terminal_size=SIZE, run_before=run)


def test_hand_over_dialog(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        clock.advance(600)
        await pilot.press("o")
        dialog = pilot.app.screen
        assert isinstance(dialog, ResponderDialog)
        name = dialog.query_one("#responder-name")
        await until(pilot, lambda: pilot.app.focused is name, "the name field focused")
        await pilot.pause()

    desk = app(nanyo, clock, data_dir, staff_book, cursor_blink=False)
    assert snap_compare(desk, terminal_size=SIZE, run_before=run)


def test_card_after_a_colleague_joined(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(600)
        screen.session.join(Staff(name="佐藤", section="市民課", title="係長"), "同席")
        screen.repaint()
        await pilot.pause()

    desk = app(nanyo, clock, data_dir, staff_book)
    assert snap_compare(desk, terminal_size=SIZE, run_before=run)
