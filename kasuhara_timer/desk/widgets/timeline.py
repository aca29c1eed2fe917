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


def timeline_lines(
    rows: list[TimelineRow], width: int, withdrawn_words: str = "×{clock}"
) -> list[Content]:
    """Each row as `clock elapsed text`, the text wrapped by phrase under itself; a withdrawn
    entry struck through, followed by when it was withdrawn (`withdrawn_words`)."""
    elapsed_width = max((len(row.elapsed) for row in rows), default=0)
    lines: list[Content] = []
    for row in rows:
        prefix = f"{row.clock} {row.elapsed.rjust(elapsed_width)} "
        indent = " " * cell_len(prefix)
        style = "strike dim" if row.withdrawn else ""
        parts = wrap(row.text, max(width - cell_len(prefix), 8))
        for number, text in enumerate(parts):
            body = Content.styled(text, style) if style else Content(text)
            if row.withdrawn and number == len(parts) - 1:
                body = Content.assemble(body, f"（{withdrawn_words.format(clock=row.withdrawn)}）")
            if number == 0:
                lines.append(Content.assemble((row.clock, "dim"), prefix[len(row.clock) :], body))
            else:
                lines.append(Content.assemble(indent, body))
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
        self.withdrawn_words = "×{clock}"

    def render(self) -> Content:
        lines = timeline_lines(self.rows, self.content_size.width, self.withdrawn_words)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(timeline_lines(self.rows, width, self.withdrawn_words))


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

    def show(self, rows: list[TimelineRow], withdrawn_words: str = "×{clock}") -> None:
        """Paint `rows` and scroll to the newest; `withdrawn_words` says when an entry was
        withdrawn (``{clock}``)."""
        text = self.query_one(TimelineText)
        text.rows = rows
        text.withdrawn_words = withdrawn_words
        text.refresh(layout=True)
        self.call_after_refresh(self.scroll_end, animate=False)
