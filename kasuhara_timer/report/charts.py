"""A report table as an SVG bar chart that reads the same printed in black and white.

Each bar is hatched (black lines on white, outlined in black) and carries its figure as text
(``12件 34.5%``); its category is written beside it, folded at phrase boundaries (BudouX, as the
desk folds Japanese) so no label is cut. Nothing is told by colour alone, so a grey office
printer loses nothing. The SVG is inline, self-contained, and sized in millimetres for A4.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from kasuhara_timer.report.tables import ReportTable

if TYPE_CHECKING:
    from budoux.parser import Parser

WIDTH = 176.0
"""Millimetres: the chart's width on A4 between the margins."""
FONT = 3.4
"""Millimetres of the labels' type (about 9.5 pt)."""
ROW = 7.0
LINE = 4.2
LABEL_EMS = 15
"""The widest label line in full-width characters; a longer label folds onto more lines."""
FIGURE_WIDTH = 28.0
"""Room for ``123件 100.0%`` after the longest bar."""
NO_LINE_START = frozenset("、。，．・：；？！ー）」』】〕〉》％")


@cache
def _parser() -> Parser:
    import budoux  # deferred: only a report printed as HTML needs it

    return budoux.load_default_japanese_parser()


def _ems(text: str) -> float:
    """Width in full-width characters (half for ASCII and half-width kana)."""
    return sum(0.55 if ord(c) < 0x2E80 or 0xFF61 <= ord(c) <= 0xFF9F else 1.0 for c in text)


def fold(label: str, ems: float = LABEL_EMS) -> list[str]:
    """`label` in lines of at most `ems`, broken between phrases (inside a phrase only when one
    phrase is longer than a line), no line starting with 、 or ）."""
    lines: list[str] = []
    line = ""
    for phrase in _parser().parse(label) or [label]:
        while _ems(phrase) > ems:  # a phrase longer than a line: cut it, whole characters
            room = line
            for char in phrase:
                if _ems(room + char) > ems:
                    break
                room += char
            cut = len(room) - len(line) or 1
            lines.append(line + phrase[:cut])
            line, phrase = "", phrase[cut:]
        if line and _ems(line + phrase) > ems:
            lines.append(line)
            line = ""
        line += phrase
    lines.append(line)
    for index in range(1, len(lines)):  # 禁則: a closing mark goes back to the line before
        while lines[index] and lines[index][0] in NO_LINE_START:
            lines[index - 1] += lines[index][0]
            lines[index] = lines[index][1:]
    return [line for line in lines if line]


def bar_chart(table: ReportTable, title: str) -> Markup:
    """`table`'s counts as a horizontal bar chart (one bar per row, zero rows too)."""
    labels = [fold(row.label) for row in table.rows]
    label_width = min(
        max((_ems(line) for lines in labels for line in lines), default=4) * FONT + 2,
        LABEL_EMS * FONT + 2,
    )
    bars_width = WIDTH - label_width - FIGURE_WIDTH
    largest = max((row.count for row in table.rows), default=0)
    heights = [max(ROW, len(lines) * LINE + 2.8) for lines in labels]
    top = 2.0
    hatch = f"hatch-{escape(table.id)}"
    height = top + sum(heights) + 2
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH:g} {height:.1f}" width="{WIDTH:g}mm" height="{height:.1f}mm" '
        f'aria-label="{escape(title)}" data-table="{escape(table.id)}">',
        f"<title>{escape(title)}</title>",
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="1.6" height="1.6" '
        'patternTransform="rotate(45)"><rect width="1.6" height="1.6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="1.6" stroke="#000" stroke-width="0.7"/></pattern>'
        "</defs>",
        f'<line x1="{label_width:.1f}" y1="{top - 1:.1f}" x2="{label_width:.1f}" '
        f'y2="{height - 2:.1f}" stroke="#000" stroke-width="0.3"/>',
    ]
    y = top
    for row, lines, row_height in zip(table.rows, labels, heights, strict=True):
        middle = y + row_height / 2
        first = middle - (len(lines) - 1) * LINE / 2 + FONT * 0.35
        tspans = "".join(
            f'<tspan x="{label_width - 1.5:.1f}" y="{first + i * LINE:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(f'<text class="label" text-anchor="end" font-size="{FONT:g}">{tspans}</text>')
        length = bars_width * row.count / largest if largest else 0.0
        if row.count:
            parts.append(
                f'<rect class="bar" x="{label_width:.1f}" y="{middle - 2.4:.1f}" '
                f'width="{max(length, 0.8):.1f}" height="4.8" fill="url(#{hatch})" '
                'stroke="#000" stroke-width="0.3"/>'
            )
        parts.append(
            f'<text class="figure" x="{label_width + length + 1.5:.1f}" '
            f'y="{middle + FONT * 0.35:.1f}" font-size="{FONT:g}">'
            f"{row.count}件 {row.share * 100:.1f}%</text>"
        )
        y += row_height
    parts.append("</svg>")
    return Markup("".join(parts))
