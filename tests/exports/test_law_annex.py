"""The optional 法令（参考） annex of an exported sheet (issue 10 point 5): the articles the
policy links to the session's tagged behaviours, labelled a reference that decides nothing, only
when asked for; the sheet written at the desk and a plain export never carry it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.cli import main
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.sheets.laws import ANNEX_NOTE, law_annex
from kasuhara_timer.store.record import read_record
from tests.support.corpus import folder_named

LONG = "20260401-0900"  # tagged 精神的な攻撃 and 継続的・執拗な言動
SHORT = "20260410-1400"  # nothing tagged


def export(data_dir: Path, prefix: str, fmt: ExportFormat, out: Path, laws: bool) -> Path:
    loaded = load_folder(folder_named(data_dir, prefix))
    (path,) = run_export(data_dir, [loaded], fmt, out, laws=laws).written
    return path


class Annex(HTMLParser):
    """The annex section's captions, table rows and paragraphs, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.captions: list[str] = []
        self.rows: list[list[str]] = []
        self.paragraphs: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("class", "page laws-annex") in attrs:
            self.inside = 1
        elif self.inside:
            if tag == "section":
                self.inside += 1
            if tag == "tr":
                self.rows.append([])
            if tag in ("td", "caption", "p", "h2"):
                self._tag = tag
                if tag == "td":
                    self.rows[-1].append("")
                elif tag == "caption":
                    self.captions.append("")
                elif tag == "p":
                    self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == "section":
            self.inside -= 1
        if tag == self._tag:
            self._tag = ""

    def handle_data(self, data: str) -> None:
        if not self.inside:
            return
        if self._tag == "td":
            self.rows[-1][-1] += data
        elif self._tag == "caption":
            self.captions[-1] += data
        elif self._tag == "p":
            self.paragraphs[-1] += data.strip()


def annex_of(html: str) -> Annex:
    parser = Annex()
    parser.feed(html)
    return parser


def test_html_export_with_the_annex(data_dir: Path, tmp_path: Path) -> None:
    html = export(data_dir, LONG, ExportFormat.HTML, tmp_path, laws=True).read_text("utf-8")
    annex = annex_of(html)
    assert annex.captions == [
        "■ 精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）",
        "■ 継続的な（繰り返される）、執拗な（しつこい）言動",
    ]
    assert annex.rows[1][:3] == [
        "脅迫罪",
        "刑法第222条",
        "職員やその家族等に対して「殺す」と脅す。",
    ]
    assert any(row[:2] == ["威力業務妨害罪", "刑法第234条"] for row in annex.rows)
    assert ANNEX_NOTE in annex.paragraphs
    assert any("認定するものではありません" in p for p in annex.paragraphs)
    assert html.index("checklist-title") < html.index("laws-title")  # after the checklist


def test_exports_without_the_annex_and_the_desk_sheet_never_carry_it(
    data_dir: Path, tmp_path: Path
) -> None:
    html = export(data_dir, LONG, ExportFormat.HTML, tmp_path / "a", laws=False)
    assert "laws-annex" not in html.read_text("utf-8")
    assert "刑法" not in (folder_named(data_dir, LONG) / "sheet.html").read_text("utf-8")
    book = openpyxl.load_workbook(export(data_dir, LONG, ExportFormat.XLSX, tmp_path / "b", False))
    assert "法令（参考）" not in book.sheetnames


def test_xlsx_export_with_the_annex_read_back(data_dir: Path, tmp_path: Path) -> None:
    path = export(data_dir, LONG, ExportFormat.XLSX, tmp_path, laws=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["対応記録シート", "チェックリスト", "時系列", "法令（参考）"]
    sheet = book["法令（参考）"]
    assert sheet["A1"].value == "別添 法令（参考）"
    assert sheet["A2"].value == ANNEX_NOTE
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("行為類型", "罪名", "条文", "例", "条文の内容")
    assert rows[1][:3] == (
        "精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）",
        "脅迫罪",
        "刑法第222条",
    )
    assert str(rows[1][4]).startswith("生命、身体、自由、名誉又は財産に対し害を加える旨を告知")
    assert {c.font.name for row in sheet.iter_rows() for c in row if c.value} == {"游ゴシック"}
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4


def test_an_annex_of_a_session_without_a_linked_tag_says_so(data_dir: Path, tmp_path: Path) -> None:
    html = export(data_dir, SHORT, ExportFormat.HTML, tmp_path, laws=True).read_text("utf-8")
    annex = annex_of(html)
    assert annex.rows == []
    assert "記録された行為類型に、方針による法令の参照はありません。" in annex.paragraphs


def test_a_policy_without_laws_says_it_lists_none(data_dir: Path) -> None:
    record = read_record(folder_named(data_dir, LONG) / "record.json")
    annex = law_annex(record, load_policy("fujimi").policy)
    assert annex.entries == () and annex.empty == "この方針は法令（刑法の条文）を挙げていません。"


def test_the_annex_is_for_sheets_only_and_logged(data_dir: Path, tmp_path: Path) -> None:
    loaded = load_folder(folder_named(data_dir, LONG))
    with pytest.raises(UserError, match="xlsx and html exports only"):
        run_export(data_dir, [loaded], ExportFormat.JSON, tmp_path, laws=True)
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(data_dir),
            "export",
            LONG,
            "--format",
            "html",
            "--laws",
            "--out",
            str(tmp_path / "cli"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "laws-title" in Path(result.output.strip()).read_text("utf-8")
    assert read_access_log(data_dir).entries[-1].detail.endswith(" laws")
