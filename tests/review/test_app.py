"""The review app driven with Pilot: find a session by filter, read it, listen, export, report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TabbedContent

from kasuhara_timer.catalog.recordings import find_recording, pcm_chunks
from kasuhara_timer.cli import main
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.review.screens.callers import CallersScreen
from kasuhara_timer.review.screens.export import ExportScreen
from kasuhara_timer.review.screens.filters import FilterScreen
from kasuhara_timer.review.screens.problems import ProblemsScreen
from kasuhara_timer.review.screens.report import ReportScreen
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.screens.verify import VerifyScreen
from kasuhara_timer.review.widgets.player import PlayerPanel
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.record import read_record
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.corpus import folder_named
from tests.support.review_fakes import FakeOutput
from tests.support.review_pilot import open_session, review_app, settle, table_rows
from tests.support.screen import flat, screen_text

AUDIO = "20260507-0930"


def listed(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, SessionListScreen)
    return [row.name[:13] for row in screen.rows]


async def test_finds_a_session_by_search_and_reads_its_sheet(
    data_dir: Path, tmp_path: Path
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(listed(app)) == 7
        await pilot.press("slash", *"即日完了", "enter")
        await settle(pilot)
        assert listed(app) == ["20260401-0900"]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        summary = screen.query_one("#session-summary", PhraseText).text
        assert "ステップ3 切電の実施" in summary and "目安時間30分に到達" in summary
        record = read_record(folder_named(data_dir, "20260401-0900") / "record.json")
        timeline = table_rows(screen.query_one("#timeline", DataTable))
        assert [row[3] for row in timeline] == [row.text for row in record.sheet.timeline]
        await pilot.press("1")
        await pilot.pause()
        assert "手続の即日完了を要求" in flat(screen_text(app))
        await pilot.press("2")
        await pilot.pause()
        checklist = table_rows(screen.query_one("#checklist-table", DataTable))
        assert checklist[6][2:] == ["☑", "大声で威圧"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionListScreen)


async def test_filter_dialog_narrows_the_list(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        dialog.query_one("#date-from", Input).value = "2026-04-x"
        await pilot.click("#apply")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)  # stays open, says what is wrong
        assert "2026-04-x" in dialog.query_one("#filter-error", PhraseText).text
        dialog.query_one("#date-from", Input).value = "2026-04-01"
        dialog.query_one("#date-to", Input).value = "2026-05-31"
        dialog.query_one("#channel", Select).value = "counter"
        dialog.query_one("#limit", Checkbox).value = True
        dialog.query_one("#text", Input).focus()
        await pilot.press("enter")  # Enter in a field applies too
        await settle(pilot)
        assert listed(app) == ["20260520-1600"]
        screen = app.screen
        assert isinstance(screen, SessionListScreen)
        assert "来庁" in str(screen.query_one("#filter-summary", Static).render())
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#clear")
        await settle(pilot)
        assert len(listed(app)) == 7


async def test_sorts_and_switches_to_drills(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s", "s", "s", "s")  # 日時 → 方法 → 対応者 → 所属 → 時間
        await pilot.pause()
        assert listed(app)[:2] == ["20260415-1100", "20260401-0900"]
        await pilot.press("o")
        await pilot.pause()
        assert listed(app)[0] == "20260521-1000"
        await pilot.press("d")
        await pilot.pause()
        assert listed(app) == ["20260403-1000"]
        await pilot.press("d")
        await pilot.pause()
        assert len(listed(app)) == 8


async def test_jumps_to_an_event_in_the_recording(data_dir: Path, tmp_path: Path) -> None:
    output = FakeOutput(gated=True)
    app = review_app(data_dir, tmp_path / "state", output=output)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_session(pilot, AUDIO)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        record = screen.loaded.record
        assert record is not None
        (number,) = [
            i for i, r in enumerate(record.sheet.timeline) if r.text.startswith("即時対応：")
        ]
        offset = record.sheet.timeline[number].audio_offset
        assert offset == 120.0
        timeline = screen.query_one("#timeline", DataTable)
        timeline.move_cursor(row=number)
        await pilot.press("enter")
        output.allow()
        output.wait_for("a chunk", lambda: output.chunks)
        recording = find_recording(SessionFolder(folder_named(data_dir, AUDIO), False))
        assert recording is not None
        assert output.chunks[0] == next(pcm_chunks(recording, offset))
        panel = screen.query_one(PlayerPanel)
        assert panel.player is not None and panel.player.state.playing
        await pilot.press("space")
        output.allow()
        output.wait_for("stopped", lambda: "stop" in output.calls)
        await pilot.press("left")
        assert panel.player.state.position < offset
        await pilot.press("escape")
        await pilot.pause()
    entries = [(e.action, e.detail) for e in read_access_log(data_dir).entries]
    assert entries == [("view", ""), ("listen", "from 120.0s")]


async def test_without_a_sound_device_the_rest_stays_usable(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state", output=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, AUDIO)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        panel = screen.query_one(PlayerPanel)
        assert panel.player is not None and panel.player.wait_probed(20)
        await settle(pilot)

        def status() -> str:
            return str(screen.query_one("#player-status", Static).render())

        assert status().startswith("■ 再生できません（出力装置なし）　0:00:00 / 0:03:00")
        problem = screen.query_one("#player-problem", PhraseText)
        assert "スピーカーかイヤホンをつなぐと再生できます" in problem.text
        await pilot.press("right", "right", "left")  # ±10 s move the position all the same
        await pilot.pause()
        assert "0:00:10 / 0:03:00" in status()
        record = screen.loaded.record
        assert record is not None
        (number,) = [
            i for i, r in enumerate(record.sheet.timeline) if r.text.startswith("即時対応：")
        ]
        screen.query_one("#timeline", DataTable).move_cursor(row=number)
        await pilot.press("enter")  # the jump too, and playing waits for a device
        await pilot.pause()
        assert status().startswith("▶ 出力装置を待っています　0:02:00 / 0:03:00")
        assert "つながると 0:02:00 から再生します" in problem.text
        await pilot.press("space")
        await pilot.pause()
        assert status().startswith("■ 再生できません（出力装置なし）　0:02:00")
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "sheet"
    entries = [(e.action, e.detail) for e in read_access_log(data_dir).entries]
    assert entries == [("view", ""), ("listen", "from 120.0s")]


async def test_exports_from_the_app(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    out = tmp_path / "handed-over"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-dir", Input).value = str(out)
        await pilot.click("#go")
        await settle(pilot)
        assert "20260521-100000_DESK-07_000007.xlsx" in (
            dialog.query_one("#export-status", PhraseText).text
        )
    (path,) = out.glob("*.xlsx")
    assert openpyxl.load_workbook(path).sheetnames[0] == "対応記録シート"


async def test_exports_a_sheet_with_the_laws_annex_when_asked(
    data_dir: Path, tmp_path: Path
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    out = tmp_path / "handed-over"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-laws", Checkbox)
        assert box.value is False  # an annex only when asked for
        box.value = True
        dialog.query_one("#export-dir", Input).value = str(out)
        await pilot.click("#go")
        await settle(pilot)
        assert ".xlsx" in dialog.query_one("#export-status", PhraseText).text
    (path,) = out.glob("*.xlsx")
    assert openpyxl.load_workbook(path).sheetnames[-1] == "法令（参考）"
    assert read_access_log(data_dir).entries[-1].detail.endswith(" laws")


async def test_lists_folders_with_problems(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "sessions" / "20260601-090000_DESK-09_0000aa").mkdir()
    (folder_named(data_dir, "20260410-1400") / "record.json").write_text("{", encoding="utf-8")
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "問題のあるフォルダ" not in flat(screen_text(app))
        assert "読めない・不完全なフォルダ2件" in flat(screen_text(app))
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        rows = table_rows(screen.query_one("#problems", DataTable))
        reasons = {row[0].split("/")[1][:13]: row[2] for row in rows}
        assert reasons["20260601-0900"] == (
            "journal.jsonl がありません（フォルダかそのコピーが不完全です）"
        )
        assert reasons["20260410-1400"].startswith("record.json：JSONとして正しくありません（")
        screen.query_one("#problems", DataTable).move_cursor(row=1)
        await pilot.pause()
        shown = flat(screen_text(app))  # wrapped in full, never cut at the edge
        assert flat(screen.query_one("#problem-detail", PhraseText).text) in shown


async def test_problem_reasons_in_english_with_lang_en(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "sessions" / "20260601-090000_DESK-09_0000aa").mkdir()
    app = review_app(data_dir, tmp_path / "state", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        (row,) = table_rows(screen.query_one("#problems", DataTable))
        assert row[2] == "journal.jsonl is missing (an incomplete folder or copy)"
        assert "journal.jsonlismissing(anincompletefolderorcopy)" in flat(screen_text(app))


async def test_repeat_callers_lead_to_their_sessions(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallersScreen)
        (row,) = table_rows(screen.query_one("#callers", DataTable))
        assert row[1:4] == ["2", "2026-04-01 09:00", "2026-04-02 10:00"]
        await pilot.press("enter")
        await settle(pilot)
        assert listed(app) == ["20260402-1000", "20260401-0900"]


async def test_report_screen_and_its_csv(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        text = flat(screen_text(app))
        assert "7件・対応した職員4人・目安到達3件・即時対応1件" in text
        screen.query_one("#report-from", Input).value = "2026-05-01"
        screen.query_one("#report-from", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "3件・対応した職員3人" in flat(screen_text(app))
        screen.query_one("#report-view").focus()
        await pilot.press("w")
        await pilot.pause()
    saved = tmp_path / "state" / "exports" / "report_2026-05-01_end.csv"
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
    printable = saved.with_suffix(".html").read_text(encoding="utf-8")  # beside the CSV
    assert printable.count('<svg class="chart"') == 3 and "3件・対応した職員3人" in printable


def test_review_command_needs_a_data_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["--data-dir", str(missing), "review"])
    assert result.exit_code == 2
    assert f"{missing}: no data folder here" in result.output


def test_review_setup_keeps_the_index_in_the_state_folder(data_dir: Path, tmp_path: Path) -> None:
    from kasuhara_timer.review.setup import review_setup

    setup = review_setup(data_dir=data_dir, lang="en", rebuild=True)
    assert setup.index.path.is_relative_to(tmp_path / "state")
    assert (setup.lang, setup.rebuild, setup.data_dir) == ("en", True, data_dir)


async def test_v_verifies_the_session_and_words_the_findings(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = folder_named(data_dir, "20260401-0900")
    sheet = folder / "sheet.html"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "<!-- -->", encoding="utf-8")
    expected = {
        "ja": "sheet.html：ジャーナルから作り直した記録シートと一致しません",
        "en": "sheet.html: does not match the sheet rendered again",
    }
    for lang in ("ja", "en"):
        app = review_app(data_dir, tmp_path / f"state-{lang}", lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_session(pilot, "20260401-0900")
            await pilot.press("v")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, VerifyScreen) and dialog.report is not None
            assert not dialog.report.intact
            text = dialog.query_one("#verify-text", PhraseText).text
            assert expected[lang] in text, text
            assert flat(text.splitlines()[0]) in flat(screen_text(app))
            await pilot.press("escape")
            assert isinstance(app.screen, SessionScreen)
    actions = [(e.action, e.session) for e in read_access_log(data_dir).entries]
    assert actions.count(("verify", folder.name)) == 2
