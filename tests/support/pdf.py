"""A printed PDF read back with PDFium (pypdfium2): each page's text, lines and where its
characters are.

What a reader of the paper sees: which words are on which page, where a line starts (kinsoku),
whether a word is split over two lines, how much of a page is filled.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
"""PDF points per millimetre."""

LINE_START_FORBIDDEN = "、。，．）」』】〕〉》”’・：；？！ー"
"""Characters no Japanese line may start with (行頭禁則), the ones a sheet holds."""


_SAME_GLYPH = {"\u2027": "・", "\u2ea0": "民", "\u2ed1": "長"}
"""Characters the CJK font draws with one glyph, which Chromium's PDF text names by the other
code point (大 comes back as the Kangxi radical ⼤, 民 as ⺠, ・ as ‧): read back as written."""


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class PrintedPage:
    number: int
    width: float
    height: float
    chars: tuple[Char, ...]

    def rows(self) -> list[list[Char]]:
        """The characters by visual line, top to bottom, each line left to right."""
        rows: list[list[Char]] = []
        for char in sorted(self.chars, key=lambda c: (c.top, c.x0)):
            if rows and abs(rows[-1][0].top - char.top) < char.size * 0.5:
                rows[-1].append(char)
            else:
                rows.append([char])
        for row in rows:
            row.sort(key=lambda c: c.x0)
        return rows

    @property
    def lines(self) -> list[str]:
        """The page's visual lines, runs far apart (another column) separated by a space."""
        lines = []
        for row in self.rows():
            text = row[0].text
            for before, char in itertools.pairwise(row):
                text += (" " if char.x0 - before.x1 > char.size * 0.6 else "") + char.text
            lines.append(re.sub(r"\s+", " ", text).strip())
        return [line for line in lines if line]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def flat(self) -> str:
        """Every character line by line, spaces dropped."""
        return "".join(c.text for row in self.rows() for c in row)

    def column(self, left: float, right: float = float("inf")) -> str:
        """The characters printed between `left` and `right` (points), line by line: the text
        of one table column, its wrapped cells read as one string each."""
        return "".join(
            c.text for row in self.rows() for c in row if c.x0 >= left - 0.5 and c.x1 <= right + 0.5
        )

    def line_starts(self) -> list[Char]:
        """Characters that begin a line of text: the first of their visual line, or the first
        of a table cell's line — far from the character left of them, at an x where at least
        two other lines start too (a column's edge, not a gap inside a line)."""
        starts = []
        gapped = []
        for row in self.rows():
            starts.append(row[0])
            for before, char in itertools.pairwise(row):
                if char.x0 - before.x1 > char.size * 0.5:
                    gapped.append(char)
        edges = Counter(round(c.x0) for c in [*starts, *gapped])
        return starts + [c for c in gapped if edges[round(c.x0)] >= 3]

    def runs(self) -> list[tuple[float, str]]:
        """The page's text in runs, each the part of a visual line up to a gap wider than half a
        character (the next cell; a space is about a quarter): (left edge, text), top to
        bottom."""
        runs = []
        for row in self.rows():
            start, text = row[0].x0, row[0].text
            for before, char in itertools.pairwise(row):
                if char.x0 - before.x1 > char.size * 0.5:
                    runs.append((start, text))
                    start, text = char.x0, ""
                text += char.text
            runs.append((start, text))
        return runs

    def below(self, y: float) -> PrintedPage:
        """The part of the page under `y` (a footer in the bottom margin)."""
        return replace(self, chars=tuple(c for c in self.chars if c.top >= y))

    def above(self, y: float) -> PrintedPage:
        """The part of the page over `y` (the page without its footer)."""
        return replace(self, chars=tuple(c for c in self.chars if c.bottom <= y))


def read_pdf(path: Path) -> list[PrintedPage]:
    """Every page of `path` with its characters (spaces and line ends dropped), in points from
    the page's top left, each placed on its baseline (so a fallback font's glyph, whose box is
    another height, stays on its line)."""
    pages = []
    document = pypdfium2.PdfDocument(path)
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        for index, page in enumerate(document, start=1):
            height = page.get_height()
            text = page.get_textpage()
            chars = []
            for i in range(text.count_chars()):
                char = _fold(text.get_text_range(i, 1))
                if not char.strip():
                    continue
                pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
                # Chromium writes its PDF in CSS pixels scaled to points (0.75)
                size = pdfium_c.FPDFText_GetFontSize(text.raw, i) * 0.75
                right = text.get_charbox(i, loose=True)[2]
                baseline = height - y.value
                chars.append(
                    Char(char, x.value, right, baseline - 0.88 * size, baseline + 0.12 * size, size)
                )
            pages.append(PrintedPage(index, page.get_width(), height, tuple(chars)))
    finally:
        document.close()
    return pages


def _fold(text: str) -> str:
    if "\u2e80" <= text <= "\u2fdf" or text in _SAME_GLYPH:
        return _SAME_GLYPH.get(text) or unicodedata.normalize("NFKC", text)
    return text


def column_texts(pages: list[PrintedPage], tolerance: float = 2.0) -> list[str]:
    """The text of each left-aligned column over all `pages`: the runs that start at the same
    x (within `tolerance` points), in order, so a wrapped cell reads as one string whatever is
    printed beside it."""
    columns: dict[float, str] = {}
    for page in pages:
        for x, text in page.runs():
            key = next((k for k in columns if abs(k - x) <= tolerance), x)
            columns[key] = columns.get(key, "") + text
    return list(columns.values())


def split_words(
    pages: list[PrintedPage], word: str, left: float = 0, right: float = float("inf")
) -> list[tuple[int, str]]:
    """Where `word` is printed broken over two lines: (page, the part on the first line).

    Only the characters between `left` and `right` (a column), line by line, so a word is its
    characters one after another whatever else is printed beside it."""
    broken = []
    for page in pages:
        chars = [
            c for row in page.rows() for c in row if left - 0.5 <= c.x0 and c.x1 <= right + 0.5
        ]
        for start in range(len(chars) - len(word) + 1):
            run = chars[start : start + len(word)]
            if "".join(c.text for c in run) != word:
                continue
            for cut in range(1, len(word)):
                if abs(run[cut].top - run[cut - 1].top) >= run[cut].size * 0.5:
                    broken.append((page.number, word[:cut]))
    return broken
