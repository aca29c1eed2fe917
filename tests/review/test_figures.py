"""Honest figures: the report counts what the list shows and says which filter applies; while
the index is first built neither the list nor the report claims 0件; exports land in the user's
Documents and every message names the full path."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar, RadioButton, RadioSet, Select, Static

from kasuhara_timer.catalog import index as index_module
from kasuhara_timer.catalog.index import Committed, Progress, RefreshResult, SessionIndex
from kasuhara_timer.locations import exports_dir
from kasuhara_timer.review.screens.export import ExportScreen
from kasuhara_timer.review.screens.filters import FilterScreen
from kasuhara_timer.review.screens.report import ReportScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.setup import ReviewSetup
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.review_pilot import review_app, settle
from tests.support.screen import flat, screen_text, until


async def test_the_report_counts_what_the_list_shows(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        dialog.query_one("#channel", Select).value = "phone"
        dialog.query_one("#staff", Select).value = "山田 太郎"
        dialog.query_one("#text", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        assert listing.total == 3  # 山田's phone sessions: 45, 12 and 2 minutes
        await pilot.press("t")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen) and report.report is not None
        assert report.report.sessions == listing.total
        text = flat(screen_text(app))
        assert "絞り込み：電話・山田太郎" in text and "3件・対応した職員1人" in text
        report.query_one("#report-view").focus()
        await pilot.press("w")
        await pilot.pause()
        saved = report.query_one("#report-status", PhraseText).text
    (path,) = (tmp_path / "state" / "exports").glob("report_*.csv")
    assert str(path) in saved, "the message gives the full path"
    assert str(path.with_suffix(".html")) in saved, "and the printable HTML's beside it"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert ["合計", "絞り込み", "電話・山田 太郎", "", "", ""] in rows
    assert ["合計", "件数", "3", "", "", ""] in rows


class SlowIndex(SessionIndex):
    """A first build that waits, half done, until the test lets it finish."""

    def __init__(self, data_dir: Path, path: Path) -> None:
        super().__init__(data_dir, path)
        self.go_on = threading.Event()

    def refresh(
        self, progress: Progress | None = None, committed: Committed | None = None
    ) -> RefreshResult:
        if progress is not None:
            progress(4, 8)
        assert self.go_on.wait(30)
        return super().refresh(progress, committed)


async def test_while_the_index_is_built_no_false_zero(data_dir: Path, tmp_path: Path) -> None:
    index = SlowIndex(data_dir, tmp_path / "state" / "index.sqlite3")
    app = review_app(data_dir, tmp_path / "state", index=index)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if app.index_state.running:
                break
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        text = flat(screen_text(app))
        assert "0件" not in text and "該当する記録はありません" not in text
        assert "索引を作成中" in text and "4/8" in text
        bar = listing.query_one("#index-progress", ProgressBar)
        assert bar.display and bar.total == 8 and bar.progress == 4
        await pilot.press("t")
        await pilot.pause()
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert "0件" not in flat(screen_text(app)) and report.report is None
        report.query_one("#report-view").focus()
        await pilot.press("w")
        await pilot.pause()
        assert "保存できません" in report.query_one("#report-status", PhraseText).text
        assert not list((tmp_path / "state" / "exports").glob("*"))
        index.go_on.set()
        await settle(pilot)
        assert report.report is not None and report.report.sessions == 7
        body = str(report.query_one("#report-body", Static).render())
        assert body  # the figures replaced the progress
        assert "7件・対応した職員4人" in flat(screen_text(app))


class HeldAfterFirstBatch(SessionIndex):
    """An index whose build stops after its first batch is written, until told to go on."""

    def __init__(self, data_dir: Path, path: Path) -> None:
        super().__init__(data_dir, path)
        self.go_on = threading.Event()
        self.batches: list[int] = []

    def refresh(
        self, progress: Progress | None = None, committed: Committed | None = None
    ) -> RefreshResult:
        def held(written: int) -> None:
            self.batches.append(written)
            if committed is not None:
                committed(written)
            if len(self.batches) == 1:
                assert self.go_on.wait(30)

        return super().refresh(progress, held)


async def test_a_cold_start_shows_the_newest_rows_while_the_build_goes_on(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "FIRST_BATCH", 3)
    index = HeldAfterFirstBatch(data_dir, tmp_path / "state" / "index.sqlite3")
    app = review_app(data_dir, tmp_path / "state", index=index)
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        await until(pilot, lambda: bool(listing.rows), "the first batch's rows shown")
        assert app.index_state.building and index.batches == [3]
        text = flat(screen_text(app))
        assert (
            "索引を作成中" in text and "0件" not in text and "該当する記録はありません" not in text
        )
        newest = sorted((data_dir / "sessions").iterdir(), reverse=True)[:3]  # (the drill is older)
        assert [row.name for row in listing.rows] == [folder.name for folder in newest]
        await pilot.press("x")  # the list's CSV would miss what is not read yet
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#format", RadioSet).query(RadioButton).last().value = True
        await pilot.click("#go")
        await pilot.pause()
        assert "索引の作成中は一覧のCSVを書き出せません" in flat(
            dialog.query_one("#export-status", PhraseText).text
        )
        assert not list((tmp_path / "state" / "exports").glob("*"))
        await pilot.press("escape")
        index.go_on.set()
        await settle(pilot)
        assert not app.index_state.running and listing.total == 7
        assert "7件表示／該当7件" in flat(screen_text(app))


def test_exports_default_to_the_documents_folder(data_dir: Path, tmp_path: Path) -> None:
    setup = ReviewSetup(data_dir=data_dir, index=SessionIndex(data_dir, tmp_path / "i.sqlite3"))
    assert setup.export_dir == exports_dir() == tmp_path / "documents" / "exports"


def test_documents_come_from_platformdirs(monkeypatch: object, tmp_path: Path) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.delenv("KASUHARA_EXPORT_DIR")
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    assert exports_dir() == tmp_path / "Documents" / "カスハラ対応の記録"


async def test_preset_periods_and_every_month_of_the_year(data_dir: Path, tmp_path: Path) -> None:
    from datetime import date

    app = review_app(data_dir, tmp_path / "state", today=lambda: date(2026, 5, 20))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        report.query_one("#report-view").focus()
        await pilot.press("b")  # 先月: April
        await pilot.pause()
        assert report.report is not None and report.report.sessions == 4
        assert report.query_one("#report-from", Input).value == "2026-04-01"
        await pilot.press("y")  # 今年度: April 2026 to March 2027, every month a row
        await pilot.pause()
        months = [row.label for row in report.report.table("month").rows]
        assert len(months) == 12 and months[0] == "2026年4月" and months[-1] == "2027年3月"
        assert report.report.sessions == 7
