"""A DataTable whose columns share the width it is given and whose text wraps by phrase.

Textual's DataTable keeps each column as wide as its longest cell and a row one line high, so a
Japanese remark ran off the screen (and ←/→ belong to playback). Here fixed columns keep their
width, the flexible ones share what is left, and a wrapping column breaks its text with
`ui.wrap` (phrases, 禁則), the row growing as tall as its longest cell. Resizing lays it out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.ui.wrap import wrap

SCROLLBAR = 2
"""Cells kept free for the vertical scrollbar, so that showing it never hides a column."""

GAP = 1
"""Cells between two columns (instead of Textual's padding of one on each side)."""

MARKED_STYLE = "bold underline"
"""A marked row (chosen for a disclosure bundle): seen whatever the zebra stripe."""


@dataclass(frozen=True)
class Col:
    """One column: a fixed width, or a share of the width left (never below `least`)."""

    label: str
    width: int = 0
    """Cells of a fixed column; 0 for a flexible one."""
    share: int = 1
    least: int = 6
    wrap: bool = True
    """Wrap the text (rows grow); False: one line, cut with … (the full text elsewhere)."""
    right: bool = False


def column_widths(
    columns: Sequence[Col], room: int, wants: Sequence[int] | None = None
) -> list[int]:
    """The width of each column when the table has `room` cells for its text.

    Fixed columns keep their width; the flexible ones share the rest by `share`, none below
    its `least`; one whose longest text (`wants`) needs less than its share keeps only that,
    the others sharing what it leaves; room nobody wants goes to all of them by share.
    """
    wants = list(wants) if wants is not None else [room] * len(columns)
    widths = [max(c.width, cell_len(c.label)) if c.width else 0 for c in columns]
    least = [max(c.least, cell_len(c.label)) for c in columns]
    flexible = [i for i, c in enumerate(columns) if not c.width]
    if not flexible:
        return widths
    free = room - sum(widths)
    open_ = list(flexible)
    while True:
        shares = sum(columns[i].share for i in open_)
        fair = {i: free * columns[i].share // shares for i in open_}
        done = [i for i in open_ if max(least[i], wants[i]) <= fair[i]]
        if not done or len(done) == len(open_):
            break
        for i in done:
            widths[i] = max(least[i], wants[i])
            free -= widths[i]
            open_.remove(i)
    for i in open_:
        widths[i] = max(least[i], fair[i])
    spare = room - sum(widths)
    if spare > 0 and len(done) == len(open_):  # every column has what it wants: use the room
        shares = sum(columns[i].share for i in flexible)
        for i in flexible:
            widths[i] += spare * columns[i].share // shares
    elif spare > 0:
        widths[open_[-1]] += spare
    return widths


class WrappedTable(DataTable[Text]):
    """Rows of plain text (never markup) laid out to the table's width."""

    def __init__(
        self, columns: Sequence[Col], *, id: str | None = None, cursor_type: str = "row"
    ) -> None:
        super().__init__(
            id=id,
            cursor_type=cursor_type,  # type: ignore[arg-type]
            zebra_stripes=True,
            cell_padding=0,
        )
        self.spec = list(columns)
        self.values: list[tuple[str, ...]] = []
        self.keys: list[str | None] = []
        self.marked: set[str] = set()
        """Keys of rows shown as marked (bold, underlined): chosen for something."""
        self._laid_width = -1
        self._laid_spec: list[Col] = []

    def show(
        self,
        rows: Sequence[Sequence[str]],
        keys: Sequence[str | None] | None = None,
        *,
        append: bool = False,
    ) -> None:
        """Show `rows` (replacing the rows shown, or after them when `append`)."""
        new = [tuple(row) for row in rows]
        new_keys: list[str | None] = list(keys) if keys is not None else [None] * len(new)
        if append:
            self.values += new
            self.keys += new_keys
            self._add(new, new_keys, self._widths())
        elif new == self.values and new_keys == self.keys and self.spec == self._laid_spec:
            return  # the same rows (the index build ended on the page already shown)
        else:
            self.values, self.keys = new, new_keys
            self._layout(force=True, cursor=0)

    def mark(self, keys: set[str]) -> None:
        """Show the rows with these keys as marked (and the others not)."""
        self.marked = set(keys)
        self._layout(force=True)

    def relabel(self, columns: Sequence[Col]) -> None:
        """New column headings (e.g. a sort arrow); laid out again."""
        self.spec = list(columns)
        self._layout(force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def _width(self) -> int:
        """The width the layout gave, scrollbars included (so showing one lays out nothing)."""
        return self.outer_size.width - self.styles.gutter.width

    def _widths(self) -> list[int]:
        width = self._width() if self.outer_size.width else self.app.size.width
        wants = [
            max((_longest(row[i]) for row in self.values), default=0) for i in range(len(self.spec))
        ]
        return column_widths(self.spec, width - SCROLLBAR - GAP * len(self.spec), wants)

    def _layout(self, *, force: bool = False, cursor: int | None = None) -> None:
        width = self._width()
        if not force and width == self._laid_width:
            return
        self._laid_width = width
        self._laid_spec = list(self.spec)
        row = self.cursor_row if cursor is None else cursor
        widths = self._widths()
        self.clear(columns=True)
        for number, (column, cells) in enumerate(zip(self.spec, widths, strict=True)):
            self.add_column(Text(column.label, no_wrap=True), width=cells + GAP, key=str(number))
        self._add(self.values, self.keys, widths)
        if self.values:
            self.move_cursor(row=min(row, len(self.values) - 1), animate=False)

    def _add(
        self, rows: Sequence[tuple[str, ...]], keys: Sequence[str | None], widths: list[int]
    ) -> None:
        for cells, key in zip(rows, keys, strict=True):
            texts = []
            height = 1
            style = MARKED_STYLE if key is not None and key in self.marked else ""
            for column, width, raw in zip(self.spec, widths, cells, strict=True):
                cell = terminal_safe(raw)  # cells come from the data folder
                if column.wrap:
                    lines = wrap(cell, width) if cell else ("",)
                else:
                    lines = (_cut(cell, width) if cell_len(cell) > width else cell,)
                if column.right:
                    lines = tuple(" " * (width - cell_len(line)) + line for line in lines)
                height = max(height, len(lines))
                texts.append(Text("\n".join(lines), no_wrap=True, style=style))
            self.add_row(*texts, height=height, key=key)


def _cut(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending with …."""
    kept = ""
    for char in text:
        if cell_len(kept + char) > width - 1:
            break
        kept += char
    return kept + "…"


def _longest(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)
