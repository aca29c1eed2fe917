"""課長確認: a supervisor signs a session off with a comment; it shows in the session, its
history, the list (and its filter) and the exported sheet, lives beside the journal (never in
it), is signed with the supervisor identity, and `verify` checks it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from textual.widgets import Input, Select

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.exports import ExportFormat, export_session
from kasuhara_timer.integrity import roles
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.review.screens.filters import FilterScreen
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.screens.signoff import SignOffScreen
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.signoff import read_signoffs, signoff_path
from kasuhara_timer.trust.supervisor import generate_supervisor
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.corpus import folder_named
from tests.support.review_pilot import open_session, review_app, settle

SESSION = "20260401-0900"
COMMENT = "対応は適切。録音の保存を確認した"


async def sign_in_the_app(data_dir: Path, tmp_path: Path) -> SessionListScreen:
    app = review_app(data_dir, tmp_path / "state")
    journal = (folder_named(data_dir, SESSION) / "journal.jsonl").read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_session(pilot, SESSION)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert "未確認" in screen.query_one("#session-summary", PhraseText).text
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, SignOffScreen)
        app.screen.query_one("#signoff-comment", Input).value = COMMENT
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        summary = screen.query_one("#session-summary", PhraseText).text
        assert "課長確認：確認済み" in summary and COMMENT in summary
        history = screen.query_one("#access-table", WrappedTable).values
        assert any(row[2] == "確認済み" and row[3] == COMMENT for row in history)
        await pilot.press("escape")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        (row,) = [r for r in listing.rows if r.name.startswith(SESSION)]
        cells = listing.query_one("#sessions", WrappedTable).values[listing.rows.index(row)]
        assert "✓" in cells
        for choice, expected in (("yes", 1), ("no", 6)):
            await pilot.press("f")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, FilterScreen)
            dialog.query_one("#signed", Select).value = choice
            dialog.query_one("#text", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            assert listing.total == expected, choice
    folder = folder_named(data_dir, SESSION)
    assert (folder / "journal.jsonl").read_bytes() == journal, "the desk's journal is untouched"
    return listing


async def test_a_signoff_shows_everywhere_and_in_the_export(data_dir: Path, tmp_path: Path) -> None:
    await sign_in_the_app(data_dir, tmp_path)
    loaded = load_folder(folder_named(data_dir, SESSION))
    (tmp_path / "out").mkdir()
    xlsx = export_session(loaded, ExportFormat.XLSX, tmp_path / "out")
    rows = openpyxl.load_workbook(xlsx).worksheets[0].iter_rows()
    cells = [str(cell.value) for row in rows for cell in row]
    assert "課長確認" in cells and any(COMMENT in c and "確認済み" in c for c in cells)
    html = export_session(loaded, ExportFormat.HTML, tmp_path / "out").read_text(encoding="utf-8")
    assert "課長確認：" in html and COMMENT in html
    report = verify_session(SessionFolder(folder_named(data_dir, SESSION), False))
    assert report.intact, [str(f) for f in report.problems]
    assert any("without a supervisor signature" in str(note) for note in report.notes)


async def test_signed_with_the_supervisor_identity_and_verified(
    data_dir: Path, tmp_path: Path
) -> None:
    identity = generate_supervisor("田中 一郎")
    roles.act_as(
        roles.Reviewer("田中 一郎", identity.public.key_id, frozenset(roles.Right), identity.signer)
    )
    await sign_in_the_app(data_dir, tmp_path)
    name = folder_named(data_dir, SESSION).name
    (entry,) = read_signoffs(data_dir, name).entries
    assert entry.signed and entry.reviewer == "田中 一郎"
    folder = SessionFolder(folder_named(data_dir, SESSION), False)
    report = verify_session(folder)
    assert report.intact and not [n for n in report.notes if "reviews/" in n.file]
    path = signoff_path(data_dir, name)
    line = json.loads(path.read_bytes())
    line["comment"] = "問題なし"  # an edit after signing
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = [str(p) for p in verify_session(folder).problems]
    assert any("changed after signing" in p for p in problems), problems


async def test_the_signed_sheet_opens_in_the_browser_to_print(
    data_dir: Path, tmp_path: Path
) -> None:
    await sign_in_the_app(data_dir, tmp_path)
    opened: list[Path] = []
    app = review_app(data_dir, tmp_path / "state", open_file=opened.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_session(pilot, SESSION)
        await pilot.press("p")
        await settle(pilot)
    (path,) = opened
    assert path.is_absolute() and path.parent == tmp_path / "state" / "exports"
    html = path.read_text(encoding="utf-8")
    assert "課長確認：" in html and COMMENT in html
    assert any(
        e.action == "export" and "html" in e.detail for e in read_access_log(data_dir).entries
    )
