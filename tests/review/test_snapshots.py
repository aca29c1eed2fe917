"""Every review screen pictured at 80×24 and 120×40: the fixture corpus (fixed folder names and
times), no cursor blink, no pulse, workers waited for.

Update after a deliberate change with `pytest tests/review --snapshot-update`, then look at the
report: a snapshot is only as good as the eye that accepted it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from kasuhara_timer.review.screens.session import SessionScreen
from tests.support.corpus import folder_named
from tests.support.review_fakes import FakeOutput
from tests.support.review_pilot import open_session, review_app, settle

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Before = Callable[[Pilot[Any]], Awaitable[None]]


def pressing(*keys: str) -> Before:
    """A `run_before` that waits for the index, presses `keys`, and waits again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run


def opening(prefix: str, *keys: str) -> Before:
    """A `run_before` that opens a session, then presses `keys`."""

    async def run(pilot: Pilot[Any]) -> None:
        await open_session(pilot, prefix)
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press(*keys)
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_list(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing())


@pytest.mark.parametrize("size", SIZES)
def test_session_with_recording(
    snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any
) -> None:
    app = review_app(data_dir, tmp_path / "state", output=FakeOutput())
    assert snap_compare(app, terminal_size=size, run_before=opening("20260507-0930"))


@pytest.mark.parametrize("size", SIZES)
def test_session_sheet(
    snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=opening("20260401-0900", "1"))


def test_session_checklist(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, run_before=opening("20260401-0900", "2"))


@pytest.mark.parametrize("size", SIZES)
def test_filter_dialog(
    snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing("f"))


@pytest.mark.parametrize("size", SIZES)
def test_problems(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any) -> None:
    (data_dir / "sessions" / "20260601-090000_DESK-09_0000aa").mkdir()
    (folder_named(data_dir, "20260410-1400") / "record.json").write_text("{", encoding="utf-8")
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing("p"))


@pytest.mark.parametrize("size", SIZES)
def test_callers(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing("c"))


@pytest.mark.parametrize("size", SIZES)
def test_report(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing("t"))


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(
    snap_compare: SnapCompare, data_dir: Path, tmp_path: Path, size: Any
) -> None:
    app = review_app(data_dir, tmp_path / "state", export_dir=Path("exports"))
    assert snap_compare(app, terminal_size=size, run_before=pressing("x"))


def test_list_in_english(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state", lang="en")
    assert snap_compare(app, run_before=pressing())


def test_list_with_drills(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path) -> None:
    async def both(pilot: Pilot[Any]) -> None:
        await pressing("d", "d")(pilot)
        pilot.app.screen.query_one("#sessions", DataTable).move_cursor(row=5)
        await pilot.pause()

    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=(120, 40), run_before=both)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["1", "2", "3"])
def test_long_japanese_text(
    snap_compare: SnapCompare, long_data_dir: Path, tmp_path: Path, size: Any, tab: str
) -> None:
    """A 130-character 内容, long remarks, notes and names: wrapped by phrase, every column in."""
    app = review_app(long_data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=opening("20260603-0900", tab))


@pytest.mark.parametrize("size", SIZES)
def test_list_with_long_names(
    snap_compare: SnapCompare, long_data_dir: Path, tmp_path: Path, size: Any
) -> None:
    app = review_app(long_data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=size, run_before=pressing())


def test_help(snap_compare: SnapCompare, data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, run_before=pressing("question_mark"))
