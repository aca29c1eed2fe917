"""The recording at a glance: loudness over time, the events marked under it, where playback is."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kasuhara_timer.catalog.playback import SILENT_DB, overview

_BLOCKS = " ▁▂▃▄▅▆▇█"
_FLOOR_DB = -60.0

MARKS = {
    "limit_reached": "▲",
    "step_taken": "▲",
    "immediate": "!",
    "prewarning": "△",
    "tagged": "•",
    "note": "•",
}
"""The mark drawn under the loudness for an event kind; other kinds get `·`."""


def level_block(db: float) -> str:
    """A block whose height follows loudness, from -60 dBFS (blank) to 0 dBFS (full)."""
    if db <= SILENT_DB:
        return _BLOCKS[0]
    share = min(1.0, max(0.0, (db - _FLOOR_DB) / -_FLOOR_DB))
    return _BLOCKS[round(share * (len(_BLOCKS) - 1))]


def mark_line(marks: list[tuple[float, str]], duration: float, width: int) -> str:
    """A line with each event's mark at its place in the recording (the most severe wins)."""
    line = [" "] * width
    rank = {"!": 4, "▲": 3, "△": 2, "•": 1, "·": 0, " ": -1}
    for offset, kind in marks:
        if duration <= 0 or width <= 0:
            break
        column = min(width - 1, int(offset / duration * width))
        mark = MARKS.get(kind, "·")
        if rank[mark] > rank[line[column]]:
            line[column] = mark
    return "".join(line)


class LoudnessView(Widget):
    """Two lines: loudness blocks (the playback position reversed) and the event marks."""

    DEFAULT_CSS = """
    LoudnessView {
        height: 2;
        width: 1fr;
    }
    """

    position: reactive[float] = reactive(0.0)

    def __init__(self, duration: float, marks: list[tuple[float, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.duration = duration
        self.marks = marks
        self.levels: list[float] | None = None

    def show_levels(self, levels: list[float]) -> None:
        """The per-second loudness arrived."""
        self.levels = levels
        self.refresh()

    def render(self) -> Text:
        width = self.content_size.width
        if self.levels is None:
            blocks = "·" * width
        else:
            blocks = "".join(level_block(db) for db in overview(self.levels, width))
        text = Text(blocks, style="cyan")
        if self.duration > 0 and width > 0:
            column = min(width - 1, int(self.position / self.duration * width))
            text.stylize("reverse", column, column + 1)
        text.append("\n" + mark_line(self.marks, self.duration, width), style="bold yellow")
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2
