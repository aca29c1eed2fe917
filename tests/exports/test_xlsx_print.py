"""The XLSX export ready to print: read back with openpyxl (page setup, wrapped cells, row
heights, widths, header and footer, Japanese kind names) and printed to PDF by LibreOffice Calc,
read back with PDFium: every word of every cell on paper, nothing cut at a column's edge, the
header and footer on every page, the footer's two parts apart.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kasuhara_timer.exports.xlsx import (
    CHECKLIST_NAME,
    LAWS_NAME,
    SHEET_NAME,
    TIMELINE_NAME,
    write_workbook,
)
from kasuhara_timer.i18n import CATALOG
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.session.events import Event
from kasuhara_timer.sheets.laws import law_annex
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.timeline import kind_words
from tests.support.office import convert_to_pdf
from tests.support.pdf import PrintedPage, column_texts, read_pdf
from tests.support.printing import FOLDER, printable_record

NAMES = ("long", "rows60", "drill")


@dataclass(frozen=True)
class Printed:
    record: Record
    book: openpyxl.Workbook
    pages: list[PrintedPage]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Each workbook written, read back with openpyxl and printed by one LibreOffice run."""
    out = tmp_path_factory.mktemp("xlsx")
    nanyo = load_policy("nanyo").policy
    records = {
        "long": printable_record(nanyo, 40, long_text=True),
        "rows60": printable_record(nanyo, 60),
        "drill": printable_record(load_policy("fujimi").policy, 17, drill=True),
    }
    laws = {"long": law_annex(records["long"], nanyo)}  # the export's 法令（参考） sheet
    files = {
        name: write_workbook(r, out / f"{name}.xlsx", laws=laws.get(name))
        for name, r in records.items()
    }
    pdfs = convert_to_pdf(files.values(), out)
    return {
        name: Printed(records[name], openpyxl.load_workbook(path), read_pdf(pdfs[path]))
        for name, path in files.items()
    }


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_prints_on_a4_fitted_to_the_width(
    printed: dict[str, Printed], name: str
) -> None:
    for sheet in printed[name].book.worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == (sheet.PAPERSIZE_A4, "portrait")
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage
        area = f"$A$1:${_last_column(sheet)}${sheet.max_row}"
        assert str(sheet.print_area).endswith(area), sheet.title
        widths = [sheet.column_dimensions[c].width for c in "ABCDEFG"[: sheet.max_column]]
        assert sum(widths) <= 100, (sheet.title, widths)  # printed near 100 %, not shrunk


def _last_column(sheet: Worksheet) -> str:
    return "ABCDEFGHIJ"[sheet.max_column - 1]


@pytest.mark.parametrize("name", NAMES)
def test_header_and_footer_parts_cannot_overlap(printed: dict[str, Printed], name: str) -> None:
    """The profile and the form's source alone in the header (two lines); the record id left
    and the page number right in the footer, nothing in the middle."""
    record = printed[name].record
    profile = record.session.profile
    for sheet in printed[name].book.worksheets:
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header is not None and footer is not None
        lines = (header.left.text or "").split("\n")
        assert lines[0] == f"{profile.municipality}「{profile.title}」（{profile.date}）"
        if sheet.title == SHEET_NAME:
            assert lines[1] == f"様式：{record.sheet.sheet_source}"
        assert not header.center.text and not header.right.text and not footer.center.text
        assert (footer.left.text or "").startswith(f"記録 {FOLDER}")
        assert footer.right.text == "&P / &N"
        if record.session.drill:
            assert "研修（訓練）記録" in (footer.left.text or "")


def test_wrapped_cells_are_as_tall_as_their_text(printed: dict[str, Printed]) -> None:
    book = printed["long"].book
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
    checklist = book[CHECKLIST_NAME]
    for number in range(4, 4 + 17):
        text = str(checklist.cell(row=number, column=2).value)
        width = checklist.column_dimensions["B"].width
        floor = len(text) * 2 / width  # full-width characters: at least two units each
        height = checklist.row_dimensions[number].height
        assert height is not None and height >= 15 * max(1, int(floor)), (number, text, height)


def test_the_timeline_sheet_names_kinds_in_japanese(printed: dict[str, Printed]) -> None:
    sheet = printed["rows60"].book[TIMELINE_NAME]
    assert sheet["E1"].value == "種類"
    kinds = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [kind_words(row.kind) for row in printed["rows60"].record.sheet.timeline]
    assert kinds == expected
    assert {"開始", "録音", "メモ", "予告", "目安時間", "終了"} <= set(kinds)
    assert not any(str(kind).isascii() for kind in kinds)


def test_every_event_kind_has_its_japanese_name() -> None:
    """A new event needs its word for the 時系列 sheet in both languages."""
    (union, *_) = typing.get_args(Event)
    for event in typing.get_args(union):
        (kind,) = typing.get_args(event.model_fields["kind"].annotation)
        assert f"kind.{kind}" in CATALOG, kind


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_page_has_its_header_footer_and_number(
    printed: dict[str, Printed], name: str
) -> None:
    pages = printed[name].pages
    profile = printed[name].record.session.profile
    for page in pages:
        top = page.above(page.height * 0.08)
        bottom = page.below(page.height * 0.93)
        assert f"{profile.municipality}「{profile.title}」" in top.flat, page.number
        assert f"記録{FOLDER}" in bottom.flat, page.number
        number = f"{page.number}/{len(pages)}"
        assert bottom.flat.endswith(number), (page.number, bottom.flat)
        left = [c for c in bottom.chars if c.x0 < page.width / 2]
        right = [c for c in bottom.chars if c.x0 >= page.width / 2]
        assert max(c.x1 for c in left) + 20 < min(c.x0 for c in right), "footer parts meet"
        assert all(c.x0 > 0 and c.x1 < page.width for c in page.chars), "outside the paper"


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_is_printed_whole(printed: dict[str, Printed], name: str) -> None:
    """A cell cut at its column's edge loses its end on paper (Calc does not print what a
    neighbour hides): each value must be found whole in its printed column."""
    sheet = printed[name]
    columns = [squeezed(text) for text in column_texts(sheet.pages)]

    def printed_whole(value: str) -> bool:
        return any(squeezed(value) in column for column in columns)

    record = sheet.record.sheet
    for item in record.checklist:
        for value in (item.text, item.example, item.remark):
            assert printed_whole(value), value
    for row in record.timeline:
        assert printed_whole(row.text), row.text
    for field in record.fields:
        if field.id not in ("method", "timeline"):
            assert printed_whole(field.value), field.id
    if name == "long":
        assert LAWS_NAME in sheet.book.sheetnames
        annex = law_annex(sheet.record, load_policy("nanyo").policy)
        for law in (law for entry in annex.entries for law in entry.laws):
            for value in (law.name, law.article, law.example, law.text):
                assert printed_whole(value), value
