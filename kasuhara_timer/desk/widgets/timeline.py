"""The timeline of the session so far: wall clock time, elapsed time, what happened."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from kasuhara_timer.desk.views import TimelineRow
from kasuhara_timer.ui.wrap import wrap


def timeline_lines(rows: list[TimelineRow], width: int) -> list[Content]:
    """Each row as `clock elapsed text`, the text wrapped by phrase under itself."""
    elapsed_width = max((len(row.elapsed) for row in rows), default=0)
    lines: list[Content] = []
    for row in rows:
        prefix = f"{row.clock} {row.elapsed.rjust(elapsed_width)} "
        indent = " " * cell_len(prefix)
        for number, text in enumerate(wrap(row.text, max(width - cell_len(prefix), 8))):
            if number == 0:
                lines.append(Content.assemble((row.clock, "dim"), prefix[len(row.clock) :], text))
            else:
                lines.append(Content(indent + text))
    return lines


class TimelineText(Widget):
    """The rows, wrapped to the widget's width."""

    DEFAULT_CSS = """
    TimelineText {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TimelineRow] = []

    def render(self) -> Content:
        return Content("\n").join(timeline_lines(self.rows, self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(timeline_lines(self.rows, width))


class TimelineView(VerticalScroll):
    """Every event so far, newest at the bottom and kept in view."""

    DEFAULT_CSS = """
    TimelineView {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield TimelineText()

    def show(self, rows: list[TimelineRow]) -> None:
        """Paint `rows` and scroll to the newest."""
        text = self.query_one(TimelineText)
        text.rows = rows
        text.refresh(layout=True)
        self.call_after_refresh(self.scroll_end, animate=False)
