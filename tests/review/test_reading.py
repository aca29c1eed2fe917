"""Long Japanese text reads in full at 80×24: wrapped by phrase in the sheet, checklist,
timeline and list detail; every column within reach; the shown tab takes the keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from kasuhara_timer.review.screens.help import HelpScreen
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.widgets.wrapped_table import Col, WrappedTable, column_widths
from kasuhara_timer.ui.wrap import NO_LINE_START
from tests.support.corpus import LONG_CONTENT, LONG_REMARK
from tests.support.review_pilot import open_session, review_app, settle
from tests.support.screen import flat, screen_text

LONG = "20260603-0900"


def test_flexible_columns_share_what_fixed_ones_leave() -> None:
    columns = [Col("a", width=10), Col("b", least=4), Col("c", share=2, least=4)]
    assert column_widths(columns, 40) == [10, 10, 20]
    # a column never grows past its longest text while another still wants room
    assert column_widths(columns, 40, wants=[0, 5, 100]) == [10, 5, 25]
    # too little room: each flexible column keeps its least (the table scrolls sideways)
    assert column_widths(columns, 12) == [10, 4, 4]


def _no_line_starts_badly(lines: list[str]) -> None:
    for line in lines:
        stripped = line.strip()
        assert not stripped or stripped[0] not in NO_LINE_START, line


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_long_value_reads_in_full(
    long_data_dir: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = review_app(long_data_dir, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        listing = flat(screen_text(app))
        assert "子ども家庭支援課長谷川早紀子" in listing  # the detail line under the list
        await open_session(pilot, LONG)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("1")
        await settle(pilot)
        assert app.focused is screen.query_one("#sheet-scroll"), "the sheet takes ↓ and PgDn"
        sheet = screen.query_one("#sheet-scroll").region
        seen = ""
        for _ in range(12):  # read the sheet page by page, as a person would
            lines = screen_text(app).splitlines()[sheet.y : sheet.bottom]
            values = [line.split("│")[3] for line in lines if line.count("│") >= 4]
            _no_line_starts_badly(values)
            seen += flat("\n".join(values))
            await pilot.press("pagedown")
            await pilot.pause()
        assert flat(LONG_CONTENT) in seen
        await pilot.press("2")
        await settle(pilot)
        checklist = screen.query_one("#checklist-table", WrappedTable)
        assert app.focused is checklist
        checklist.move_cursor(row=6)
        await pilot.pause()
        text = screen_text(app)
        assert flat(LONG_REMARK) in flat(text), "the remark wraps inside its column"
        _no_line_starts_badly(text.splitlines())
        assert "☑" in text  # the 該当 column is on the screen, not past its edge
        table_width = sum(
            column.get_render_width(checklist) for column in checklist.columns.values()
        )
        assert table_width <= size[0]


async def test_tab_keys_and_help_list_every_key(long_data_dir: Path, tmp_path: Path) -> None:
    app = review_app(long_data_dir, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {row[0] for row in app.screen.rows}
        assert {"/", "f", "s", "o", "d", "x", "t", "c", "p", "r", "m"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionListScreen)
        await open_session(pilot, LONG)
        await pilot.press("question_mark")
        await pilot.pause()
        help_rows = {row[0]: row[1] for row in app.screen.rows}
        assert help_rows["1"] == "記録シート" and help_rows["4"] == "アクセス履歴"
        await pilot.press("escape", "3")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "timeline-tab"
