"""The record sheet as it comes out of the printer: sheet.html printed to PDF by headless Chromium
(the engine of the browser a supervisor prints from) and read back page by page with pdfplumber.

Sheets of 0, 17, 60 and 300 timeline rows and one of long Japanese text with no spaces, printed in
one Chromium run: every page carries the record id, the page number and the profile's footer; no
page holds only a footer or a few spilled lines; every entry is printed; no line starts with
「、」 or 「）」; no label is broken inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.sheets.laws import LawAnnex, law_annex
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.store.record import Record
from tests.support.chromium import print_to_pdf
from tests.support.pdf import (
    LINE_START_FORBIDDEN,
    MM,
    PrintedPage,
    column_texts,
    read_pdf,
    split_words,
)
from tests.support.printing import FOLDER, printable_record

ROWS = (0, 17, 60, 300)
MARGIN_BOTTOM = 16 * MM
"""The sheet's @page bottom margin, where the footer is printed."""
LEFT = 16 * MM
"""The left margin; the columns follow the sheet's CSS: No. 8 mm, label 34 mm, then the value
(時刻 19 mm, 経過 17 mm, 内容 the rest in the timeline); the checklist's No. 9 mm, 項目, 該当
17 mm, 備考 30 % of the 180 mm width."""
VALUE = LEFT + 42 * MM
WHAT = VALUE + 36 * MM
ITEM = (LEFT + 9 * MM, LEFT + 180 * MM - 54 * MM - 17 * MM)
REMARK = LEFT + 180 * MM - 54 * MM
NEAR_EMPTY = 0.2
"""A page whose content fills less than this share of the printable height is a spill page."""


@dataclass(frozen=True)
class Printed:
    record: Record
    pages: list[PrintedPage]
    laws: LawAnnex | None = None

    @property
    def sheet_pages(self) -> list[PrintedPage]:
        """The record sheet's pages (their footer names its 様式)."""
        source = squeezed(self.record.sheet.sheet_source)
        return [p for p in self.pages if self.source(p) == source]

    @property
    def checklist_pages(self) -> list[PrintedPage]:
        source = squeezed(self.record.sheet.checklist_source)
        return [p for p in self.pages if self.source(p) == source]

    def source(self, page: PrintedPage) -> str:
        """The 様式 the page's footer names ('' for none: the annex)."""
        footer = re.sub(rf"記録{FOLDER}\d+/\d+", "", _footer(page).flat)
        return footer.split("様式：")[-1] if "様式：" in footer else ""

    def body(self, page: PrintedPage) -> list[str]:
        """The page's lines above the footer margin."""
        return _body(page).lines


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Each sheet printed once (one Chromium for all), by name."""
    out = tmp_path_factory.mktemp("printed")
    nanyo = load_policy("nanyo").policy
    records = {f"rows{n}": printable_record(nanyo, n) for n in ROWS}
    records["long"] = printable_record(nanyo, 40, long_text=True)
    records["fujimi"] = printable_record(load_policy("fujimi").policy, 17)
    records["drill"] = printable_record(nanyo, 60, drill=True)
    annexes = {"long": law_annex(records["long"], nanyo)}  # the export's 法令（参考） page
    files = {}
    for name, record in records.items():
        files[name] = out / f"{name}.html"
        html = render_sheet(record, laws=annexes.get(name))
        files[name].write_text(html, encoding="utf-8")
    pdfs = print_to_pdf(files.values(), out)
    return {
        name: Printed(records[name], read_pdf(pdfs[path]), annexes.get(name))
        for name, path in files.items()
    }


def squeezed(text: str) -> str:
    return "".join(text.split())


NAMES = [*(f"rows{n}" for n in ROWS), "long", "fujimi", "drill"]


@pytest.mark.parametrize("name", NAMES)
def test_every_page_carries_the_record_id_page_number_and_profile(
    printed: dict[str, Printed], name: str
) -> None:
    sheet = printed[name]
    profile = sheet.record.session.profile
    total = len(sheet.pages)
    for page in sheet.pages:
        footer = _footer(page).flat
        assert f"記録{FOLDER}{page.number}/{total}" in footer, (page.number, footer)
        assert f"{profile.municipality}「{profile.title}」" in footer, (page.number, footer)
    assert sheet.pages[0] in sheet.sheet_pages and sheet.checklist_pages
    annex = len(sheet.pages) - len(sheet.sheet_pages) - len(sheet.checklist_pages)
    assert annex == (0 if sheet.laws is None else 1)  # the annex's pages name no 様式


@pytest.mark.parametrize("name", NAMES)
def test_no_page_holds_only_a_footer_or_a_spilled_end(
    printed: dict[str, Printed], name: str
) -> None:
    sheet = printed[name]
    for page in sheet.pages:
        assert _body(page).chars, f"page {page.number} holds only its footer"
        assert _filled(page) >= NEAR_EMPTY, (page.number, round(_filled(page), 2), sheet.body(page))


@pytest.mark.parametrize("name", NAMES)
def test_pages_are_filled_before_the_next_begins(printed: dict[str, Printed], name: str) -> None:
    """No half-empty page before a long timeline (the whole field used to jump to page 2)."""
    sheet = printed[name]
    for page in sheet.sheet_pages[:-1]:
        assert _filled(page) >= 0.7, (page.number, round(_filled(page), 2))


def _body(page: PrintedPage) -> PrintedPage:
    """The page without its footer."""
    return page.above(page.height - MARGIN_BOTTOM)


def _footer(page: PrintedPage) -> PrintedPage:
    """What the page's bottom margin holds."""
    return page.below(page.height - MARGIN_BOTTOM)


def _filled(page: PrintedPage) -> float:
    """The share of the printable height between the first and last printed line."""
    body = _body(page).chars
    if not body:
        return 0.0
    top, bottom = min(c.top for c in body), max(c.bottom for c in body)
    return (bottom - top) / (page.height - 14 * MM - MARGIN_BOTTOM)


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_and_field_is_printed_in_order(printed: dict[str, Printed], name: str) -> None:
    sheet = printed[name]
    bodies = [_body(page) for page in sheet.sheet_pages]
    what = "".join(page.column(WHAT) for page in bodies)
    values = "".join(page.column(VALUE) for page in bodies)
    position = 0
    for row in sheet.record.sheet.timeline:
        found = what.find(squeezed(row.text), position)
        assert found >= 0, f"not printed after {what[position - 40 : position]}: {row.text}"
        position = found
        assert row.clock in values
    for field in sheet.record.sheet.fields:
        if field.id not in ("timeline", "method"):
            assert squeezed(field.value) in values, field.id
    checklist = [_body(page) for page in sheet.checklist_pages]
    items = "".join(page.column(*ITEM) for page in checklist)
    remarks = "".join(page.column(REMARK) for page in checklist)
    for item in sheet.record.sheet.checklist:
        assert squeezed(item.text) in items
        assert squeezed(item.remark) in remarks


def test_the_timeline_head_is_repeated_on_every_page_it_runs_onto(
    printed: dict[str, Printed],
) -> None:
    sheet = printed["rows300"]
    for page in sheet.sheet_pages[1:]:
        assert page.lines[0].replace(" ", "").startswith("6対応時刻経過内容"), page.lines[0]


@pytest.mark.parametrize("name", NAMES)
def test_no_line_starts_with_a_closing_mark(printed: dict[str, Printed], name: str) -> None:
    """Kinsoku: 、 ） 」 and the like end the line before them, never begin the next."""
    starts = [
        (page.number, char.text, round(char.top))
        for page in printed[name].pages
        for char in page.line_starts()
        if char.text in LINE_START_FORBIDDEN
    ]
    assert starts == []


def test_the_long_text_really_wraps_at_closing_marks(printed: dict[str, Printed]) -> None:
    """The check above can fail: the long sheet has lines that end just before a mark would."""
    ends = [row[-1].text for page in printed["long"].pages for row in page.rows() if len(row) > 20]
    assert sum(text in "、）" for text in ends) >= 5


@pytest.mark.parametrize("name", ["rows17", "fujimi", "long"])
def test_labels_are_never_broken_inside_a_word(printed: dict[str, Printed], name: str) -> None:
    """The label column of the sheet (相手の情報 性別・年齢等…) and the checklist's head."""
    sheet = printed[name]
    for word in ("性別", "記載", "年齢", "所属", "氏名", "相手", "主張", "時系列", "今後"):
        assert split_words(sheet.sheet_pages, word, LEFT + 8 * MM, VALUE) == [], word
    assert split_words(sheet.checklist_pages, "該当") == []


def test_a_drill_says_so_at_the_top_of_every_page(printed: dict[str, Printed]) -> None:
    for sheet in ("drill", "rows60"):
        pages = printed[sheet].pages
        tops = [page.above(14 * MM).flat for page in pages]
        expected = "研修（訓練）記録" if sheet == "drill" else ""
        assert tops == [expected] * len(pages), sheet


def test_the_law_annex_prints_every_article_whole(printed: dict[str, Printed]) -> None:
    sheet = printed["long"]
    assert sheet.laws is not None and sheet.laws.entries
    annex = [_body(p) for p in sheet.pages if p not in sheet.sheet_pages + sheet.checklist_pages]
    columns = [squeezed(text) for text in column_texts(annex)]
    for entry in sheet.laws.entries:
        for law in entry.laws:
            for value in (law.name, law.article, law.text):
                assert any(squeezed(value) in column for column in columns), value
