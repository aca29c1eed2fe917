"""The record sheet as an Excel workbook in the 対応記録シート layout (openpyxl).

Sheet 1 is the 対応記録シート: the numbered fields (No., 項目, 内容), 対応方法 with the used option
marked, and 対応 as a 時刻・経過・内容 table inside field 6, set up to print on A4. Sheet 2 is the
チェックリスト (No., 項目, 例, 該当, 備考); sheet 3 the full timeline with recording offsets; an
export that asks for it adds 法令（参考）, the articles the policy links to the tagged
behaviours. Every value is written as text (never as a formula, whatever it begins with) after
the same clean-up as the printed sheet, so control characters show as symbols instead of
breaking the file.

Printed (Excel or LibreOffice, A4): every sheet fits the page width at about 100 %, each text
cell wraps and its row is as tall as its text needs (a long value runs on over several rows,
since a row never breaks over pages), the header carries the profile and the form's source, the
footer the record id left and the page number right; the 時系列 sheet names each row's kind in
Japanese. tests/exports/test_xlsx_print.py prints it with LibreOffice and reads the PDF back.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kasuhara_timer.sheets.laws import ANNEX_NOTE, ANNEX_TITLE, LawAnnex
from kasuhara_timer.sheets.render import printable
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.timeline import kind_words

SHEET_NAME = "対応記録シート"
CHECKLIST_NAME = "チェックリスト"
TIMELINE_NAME = "時系列"
LAWS_NAME = "法令（参考）"

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def workbook_bytes(
    record: Record, *, confirmation: str = "", laws: LawAnnex | None = None
) -> bytes:
    """The .xlsx file of a record; `confirmation` a supervisor's sign-off (課長確認), `laws` the
    optional 法令（参考） annex as a sheet of its own."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    _record_sheet(sheet, record, confirmation)
    _checklist(book.create_sheet(CHECKLIST_NAME), record)
    _timeline(book.create_sheet(TIMELINE_NAME), record)
    if laws is not None:
        _laws(book.create_sheet(LAWS_NAME), record, laws)
    for each in book.worksheets:  # a cell written without `_put` gets the Japanese font too
        for row in each.iter_rows():
            for cell in row:
                if cell.value is not None and cell.font.name != JAPANESE_FONT:
                    font = cell.font
                    cell.font = Font(name=JAPANESE_FONT, bold=font.bold, size=font.size)
        _fit_rows(each)
    out = io.BytesIO()
    book.save(out)
    return _header_line_breaks(out.getvalue())


def write_workbook(
    record: Record, path: Path, *, confirmation: str = "", laws: LawAnnex | None = None
) -> Path:
    """Write the workbook atomically (0600); returns `path`."""
    write_atomic(path, workbook_bytes(record, confirmation=confirmation, laws=laws))
    return path


def text(value: object) -> str:
    """A value as the sheet prints it (control characters made visible)."""
    return str(printable(value))


JAPANESE_FONT = "游ゴシック"
"""Set on every cell, so Excel and LibreOffice print the Japanese with a Japanese font."""

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _put(sheet: Worksheet, row: int, column: int, value: object, *, head: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.font = Font(name=JAPANESE_FONT, bold=head)
    if isinstance(value, datetime):  # a real Excel date and time (the desk's local time)
        cell.value = value.replace(tzinfo=None, microsecond=0)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = text(value)
        cell.data_type = "s"  # a note beginning with "=" stays a note, never a formula
    cell.border = _BOX
    cell.alignment = _CENTER if head else _WRAP
    if head:
        cell.fill = _HEAD


def _markers(record: Record) -> list[str]:
    session = record.session
    markers = ["研修（訓練）記録"] if session.drill else []
    if session.interrupted:
        markers.append(
            "中断された対応" + ("（終了の記録なし）" if session.end_reason is None else "")
        )
    return markers


def _record_sheet(sheet: Worksheet, record: Record, confirmation: str = "") -> None:
    for letter, width in zip("ABCDE", (5, 18, 11, 9, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.merge_cells("A1:E1")
    sheet["A1"] = record.sheet.title
    sheet["A1"].font = Font(name=JAPANESE_FONT, bold=True, size=15)
    sheet["A1"].alignment = Alignment(horizontal="center")
    row = 2
    for marker in _markers(record):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.cell(row=row, column=1, value=marker).font = Font(name=JAPANESE_FONT, bold=True)
        row += 1
    row += 1
    for field in record.sheet.fields:
        start = row
        _put(sheet, row, 1, field.no, head=True)
        hint = field.hint if field.hint and field.id != "method" else ""
        _put(sheet, row, 2, field.label + (f"\n{hint}" if hint else ""), head=True)
        if field.id == "method":
            options = "・".join(
                f"【{o.label}】" if o.selected else o.label for o in record.sheet.method_options
            )
            row = _value(
                sheet,
                row,
                options + ("" if field.auto or not field.value else f"（{field.value}）"),
            )
        elif field.id == "timeline":
            row = _timeline_rows(sheet, row, record)
            if field.value:
                row = _value(sheet, row + 1, field.value)
        else:
            row = _value(sheet, row, field.value)
        if row > start:
            for column in (1, 2):
                sheet.merge_cells(
                    start_row=start, start_column=column, end_row=row, end_column=column
                )
        row += 1
    if confirmation:
        _put(sheet, row, 1, "", head=True)
        _put(sheet, row, 2, "課長確認", head=True)
        row = _value(sheet, row, confirmation) + 1
    if record.sheet.checklist:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        note = sheet.cell(
            row=row, column=1, value=f"※別添「{record.sheet.checklist_title}」も記入してください。"
        )
        note.alignment = _WRAP
    _print_setup(sheet, record, record.sheet.sheet_source)


def _value(sheet: Worksheet, row: int, value: str) -> int:
    """A field's value in C:E, over as many rows as it needs (a row holds at most
    `_ROW_LINES` lines: Excel's rows stop at 409 points and never run over a page break);
    returns the last row used."""
    width = sum(sheet.column_dimensions[c].width or _DEFAULT_WIDTH for c in "CDE")
    chunks = _chunks(value, width, _ROW_LINES) if value else [""]
    for index, chunk in enumerate(chunks):
        sheet.merge_cells(start_row=row + index, start_column=3, end_row=row + index, end_column=5)
        _put(sheet, row + index, 3, chunk)
        for column in (4, 5):
            sheet.cell(row=row + index, column=column).border = _BOX
    return row + len(chunks) - 1


def _timeline_rows(sheet: Worksheet, row: int, record: Record) -> int:
    """時刻・経過・内容 inside field 6; returns the last row used."""
    for column, title in zip((3, 4, 5), ("時刻", "経過", "内容"), strict=True):
        _put(sheet, row, column, title, head=True)
    for entry in record.sheet.timeline:
        row += 1
        _put(sheet, row, 3, entry.clock)
        _put(sheet, row, 4, entry.elapsed)
        _put(sheet, row, 5, entry.text)
    return row


def _checklist(sheet: Worksheet, record: Record) -> None:
    sheet.merge_cells("A1:E1")
    sheet["A1"] = record.sheet.checklist_title
    sheet["A1"].font = Font(name=JAPANESE_FONT, bold=True, size=15)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for letter, width in zip("ABCDE", (5, 40, 24, 7, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    for number, title in enumerate(("No.", "項目", "例", "該当", "備考"), start=1):
        _put(sheet, 3, number, title, head=True)
    for row, item in enumerate(record.sheet.checklist, start=4):
        _put(sheet, row, 1, item.no)
        sheet.cell(row=row, column=1).alignment = _CENTER
        _put(sheet, row, 2, item.text)
        _put(sheet, row, 3, item.example)
        _put(sheet, row, 4, "☑" if item.checked else "☐")
        sheet.cell(row=row, column=4).alignment = _CENTER
        _put(sheet, row, 5, item.remark)
    sheet.print_title_rows = "3:3"
    _print_setup(sheet, record, record.sheet.checklist_source)


def _timeline(sheet: Worksheet, record: Record) -> None:
    titles = ("日時", "時刻", "経過", "経過(秒)", "種類", "内容", "録音位置(秒)")
    for column, title in enumerate(titles, start=1):
        _put(sheet, 1, column, title, head=True)
    for letter, width in zip("ABCDEFG", (17, 9, 8, 8, 12, 38, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    for row, entry in enumerate(record.sheet.timeline, start=2):
        values: tuple[object, ...] = (
            entry.at,
            entry.clock,
            entry.elapsed,
            round(entry.t, 3),
            kind_words(entry.kind),
            entry.text,
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
        offset = entry.audio_offset
        _put(sheet, row, 7, round(offset, 3) if offset is not None else "")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, record, "")


def _laws(sheet: Worksheet, record: Record, laws: LawAnnex) -> None:
    """The annex: its title and note, then per tagged behaviour 罪名・条文・例・条文の内容."""
    for letter, width in zip("ABCDE", (16, 10, 12, 18, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.merge_cells("A1:E1")
    sheet["A1"] = ANNEX_TITLE
    sheet["A1"].font = Font(name=JAPANESE_FONT, bold=True, size=15)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:E2")
    sheet["A2"] = ANNEX_NOTE
    sheet["A2"].alignment = _WRAP
    for column, title in enumerate(("行為類型", "罪名", "条文", "例", "条文の内容"), start=1):
        _put(sheet, 4, column, title, head=True)
    row = 4
    for entry in laws.entries:
        for law in entry.laws:
            row += 1
            for column, value in enumerate(
                (entry.behaviour, law.name, law.article, law.example, law.text), start=1
            ):
                _put(sheet, row, column, value)
    if laws.empty:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.cell(row=row, column=1, value=text(laws.empty)).alignment = _WRAP
    if laws.source:
        row += 2
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.cell(row=row, column=1, value=text(f"出典：{laws.source}")).alignment = _WRAP
    sheet.print_title_rows = "4:4"
    _print_setup(sheet, record, "")


def _print_setup(sheet: Worksheet, record: Record, source: str) -> None:
    """A4 portrait, fit to the page width, its print area the cells written; the profile and
    the form's source in the header (its only part, so nothing can overlap it), the record id
    and markers bottom left, the page number bottom right (short: the two never meet)."""
    session = record.session
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(
        left=0.6, right=0.5, top=0.9, bottom=0.8, header=0.35, footer=0.35
    )
    sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    sheet.print_options.horizontalCentered = True
    profile = session.profile
    header = f"{profile.municipality}「{profile.title}」（{profile.date}）"
    if source:
        header += f"\n様式：{source}"
    top, bottom = sheet.oddHeader, sheet.oddFooter
    assert top is not None and bottom is not None  # openpyxl always makes them
    parts = (
        (top.left, header),
        (bottom.left, "　".join([f"記録 {session.folder}", *_markers(record)])),
        (bottom.right, "&P / &N"),
    )
    for part, words in parts:
        part.text = _header_text(words)
        part.font = JAPANESE_FONT
        part.size = HEADER_SIZE


HEADER_SIZE = 8
"""Points of the header and footer text."""


def _header_text(value: str) -> str:
    """Header/footer text: `&` is a code there, so a literal one is doubled (except &P, &N)."""
    return text(value).replace("&", "&&").replace("&&P", "&P").replace("&&N", "&N")


_HEADER_FOOTER = re.compile(rb"<(odd|even|first)(Header|Footer)>.*?</\1\2>", re.S)


def _header_line_breaks(xlsx: bytes) -> bytes:
    """The header's line breaks written as line breaks: openpyxl stores them as ``_x000a_``,
    which LibreOffice prints as those seven characters (Excel and LibreOffice both read a
    literal one, which is what Excel itself writes)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = _HEADER_FOOTER.sub(lambda m: m.group(0).replace(b"_x000a_", b"&#10;"), data)
            target.writestr(info, data)
    return out.getvalue()


def _fit_rows(sheet: Worksheet) -> None:
    """Each row as tall as its longest wrapped cell needs, so a printed cell shows all of its
    text (Excel keeps a row's height as written; LibreOffice does not fit merged cells)."""
    widths = {
        column: sheet.column_dimensions[get_column_letter(column)].width or _DEFAULT_WIDTH
        for column in range(1, sheet.max_column + 1)
    }
    spans: dict[tuple[int, int], float] = {}
    tall: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            columns = range(merged.min_col, merged.max_col + 1)
            spans[(merged.min_row, merged.min_col)] = sum(widths[c] for c in columns)
        else:  # a label beside several rows: those rows' heights serve it
            tall.update(
                (r, c)
                for r in range(merged.min_row, merged.max_row + 1)
                for c in range(merged.min_col, merged.max_col + 1)
            )
    for cells in sheet.iter_rows():
        height = 0.0
        for cell in cells:
            if cell.value is None or (cell.row, cell.column) in tall:
                continue
            width = spans.get((cell.row, cell.column), widths[cell.column])
            size = float(cell.font.sz or 11)
            lines = len(_wrap(str(cell.value), width, size, bold=bool(cell.font.b)))
            height = max(height, lines * size * _LINE + 3)
        row = cells[0].row if cells else None
        if height and row is not None:
            sheet.row_dimensions[row].height = round(min(height, 409), 1)


_DEFAULT_WIDTH = 8.43
_LINE = 1.7
"""Line height per point of font size (游ゴシック 11 pt: Excel's default row of 18.75 pt)."""
_ROW_LINES = 20
"""Lines of a long value per row (20 lines of 11 pt: 374 of the 409 points a row may have)."""


def _wrap(value: str, width: float, size: float = 11, *, bold: bool = False) -> list[str]:
    """`value` broken into the lines a column of `width` shows (Excel's units: widths of a 0
    in the 7-pixel default font): full-width characters an em of 游ゴシック wide, others half."""
    room = width * 7 + 5 - 6  # pixels, less the cell's padding
    em = size * 96 / 72 * (1.06 if bold else 1.02)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            advance = em * (1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.55)
            if line and used + advance > room:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += advance
        lines.append(line)
    return lines


def _chunks(value: str, width: float, lines: int) -> list[str]:
    """`value` in pieces of at most `lines` wrapped lines, each piece whole lines."""
    wrapped = _wrap(value, width)
    if len(wrapped) <= lines:
        return [value]
    pieces, piece, count = [], "", 0
    for paragraph in value.split("\n"):
        for part in _wrap(paragraph, width):
            if count == lines:
                pieces.append(piece)
                piece, count = "", 0
            piece += part
            count += 1
        piece += "\n"
    pieces.append(piece.rstrip("\n"))
    return [p for p in pieces if p]
