"""The board pictured at 80×24: three desks (help, over the limit on the immediate path, calm),
then one running session's timeline. Update with `--snapshot-update` after looking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from kasuhara_timer.board.app import BoardApp
from kasuhara_timer.board.screens.live import LiveSessionScreen
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from tests.board.test_board import board, three_desks
from tests.support.screen import until

SnapCompare = Callable[..., bool]


def test_board(
    snap_compare: SnapCompare, data_dir: Path, nanyo: Policy, clock: ManualClock
) -> None:
    three_desks(data_dir, nanyo, clock)
    assert snap_compare(board(data_dir, clock), terminal_size=(80, 24))


def test_board_empty(snap_compare: SnapCompare, data_dir: Path, clock: ManualClock) -> None:
    assert snap_compare(board(data_dir, clock), terminal_size=(80, 24))


def test_running_session(
    snap_compare: SnapCompare, data_dir: Path, nanyo: Policy, clock: ManualClock
) -> None:
    three_desks(data_dir, nanyo, clock)

    async def open_first(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        table = app.board.query_one("#sessions", DataTable)
        await until(pilot, lambda: table.row_count == 3, "the three desks listed")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LiveSessionScreen), "the timeline")
        await pilot.pause()

    assert snap_compare(board(data_dir, clock), terminal_size=(80, 24), run_before=open_first)
