"""Disclosure from the review app (Pilot): mark sessions with space, `b`, leave 相手の情報 out,
and read the zip back; or take every session the list's filter shows."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, RadioButton

from kasuhara_timer.exports.redaction import OMITTED
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.review.screens.disclosure import DisclosureScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.review_pilot import review_app, settle
from tests.support.screen import flat, screen_text


async def mark(pilot: Pilot[Any], *prefixes: str) -> SessionListScreen:
    """Mark the sessions whose folder names begin with `prefixes` (space on each row)."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SessionListScreen)
    table = screen.query_one("#sessions", DataTable)
    table.focus()
    for prefix in prefixes:
        (number,) = [i for i, row in enumerate(screen.rows) if row.name.startswith(prefix)]
        table.move_cursor(row=number)
        await pilot.press("space")
        await pilot.pause()
    return screen


def read_zip(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(path) as bundle:
        content = {name.split("/", 1)[1]: bundle.read(name) for name in bundle.namelist()}
    return json.loads(content["manifest.json"]), content


async def test_marked_sessions_go_into_one_zip_with_a_field_left_out(
    data_dir: Path, tmp_path: Path
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    out = tmp_path / "handed-over"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await mark(pilot, "20260401-0900", "20260507-0930", "20260410-1400")
        await pilot.press("space")  # the third one unmarked again
        await pilot.pause()
        assert set(screen.marked) == {
            row.key for row in screen.rows if row.name.startswith(("20260401", "20260507"))
        }
        text = flat(screen_text(app))
        assert "選択2件" in text
        table = screen.query_one("#sessions", DataTable)
        table.move_cursor(row=[r.name[:13] for r in screen.rows].index("20260507-0930"))
        await pilot.pause()
        assert "【選択中】" in flat(screen_text(app))
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisclosureScreen)
        assert [box.name for box in dialog.query(Checkbox)] == [
            "counterpart", "content", "next_steps", "other"
        ]  # fmt: skip
        assert dialog.query_one(RadioButton).value  # the marked ones are offered first
        dialog.query_one("#disclose-dir", Input).value = str(out)
        await pilot.click("#omit-counterpart")
        await pilot.click("#go")
        await settle(pilot)
        status = dialog.query_one("#disclose-status", PhraseText).text
    (path,) = out.glob("*.zip")
    assert str(path) in status
    assert path.name == "disclosure_20260401-20260507_2.zip"
    manifest, content = read_zip(path)
    assert [s["folder"][:13] for s in manifest["sessions"]] == ["20260401-0900", "20260507-0930"]
    assert [f["id"] for f in manifest["omitted_fields"]] == ["counterpart"]
    assert manifest["requested"] == {"from": None, "to": None}
    for session in manifest["sessions"]:
        assert OMITTED in content[f"{session['folder']}/sheet.html"].decode()
    logged = [e for e in read_access_log(data_dir).entries if e.action == "export"]
    assert len(logged) == 2 and all("omit=counterpart" in e.detail for e in logged)


async def test_without_marks_the_lists_filter_is_taken(data_dir: Path, tmp_path: Path) -> None:
    app = review_app(data_dir, tmp_path / "state")
    out = tmp_path / "out"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionListScreen)
        screen.apply(replace(screen.where, date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)))
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DisclosureScreen)
        (choice,) = dialog.query(RadioButton)
        assert "一覧の記録 3件" in str(choice.label) and "2026-05-01" in str(choice.label)
        dialog.query_one("#disclose-dir", Input).value = str(out)
        await pilot.click("#go")
        await settle(pilot)
    (path,) = out.glob("*.zip")
    manifest, content = read_zip(path)
    assert manifest["requested"] == {"from": "2026-05-01", "to": "2026-05-31"}
    assert all(s["started_at"].startswith("2026-05") for s in manifest["sessions"])
    assert manifest["omitted_fields"] == []
    assert "なし（シートの全項目を含みます）" in content["cover.html"].decode()


def test_disclosure_dialog_at_80x24(snap_compare: Any, data_dir: Path, tmp_path: Path) -> None:
    async def marked_two(pilot: Pilot[Any]) -> None:
        await mark(pilot, "20260401-0900", "20260507-0930")
        await pilot.press("b")
        await settle(pilot)

    app = review_app(data_dir, tmp_path / "state", export_dir=Path("exports"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=marked_two)


def test_list_with_marked_rows_at_80x24(snap_compare: Any, data_dir: Path, tmp_path: Path) -> None:
    async def marked_two(pilot: Pilot[Any]) -> None:
        await mark(pilot, "20260401-0900", "20260507-0930")

    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=(80, 24), run_before=marked_two)
