"""The recording indicator beside the clock, with a live level meter while recording."""

from __future__ import annotations

from typing import get_args

from textual.content import Content
from textual.widgets import Static

from kasuhara_timer.desk.views import RecordingMode, RecordingView, level_cells

METER_CELLS = 8


class RecordingIndicator(Static):
    """`● 録音中 ━━━━━━━━` and its other states; styled by mode (`-recording`, `-fault`…).

    The meter moves only when the lit cell count changes, so polling it on every repaint
    pulse costs one comparison; without a level (no recorder, paused) it shows no meter.
    """

    DEFAULT_CSS = """
    RecordingIndicator {
        width: auto;
        height: 1;
        padding: 0 0 0 1;
    }
    RecordingIndicator.-none { display: none; }
    RecordingIndicator.-starting, RecordingIndicator.-stopped { color: $text-muted; }
    RecordingIndicator.-recording { color: $text-error; }
    RecordingIndicator.-paused, RecordingIndicator.-unavailable {
        color: $text-warning;
        text-style: bold;
    }
    RecordingIndicator.-fault {
        color: $text;
        background: $error;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._view = RecordingView("none")
        self._cells: int | None = None
        self.set_class(True, "-none")

    def show(self, view: RecordingView) -> None:
        """Paint the indicator for `view` (no work when it did not change)."""
        if view == self._view:
            return
        for mode in get_args(RecordingMode):
            self.set_class(mode == view.mode, f"-{mode}")
        self._view = view
        self._paint()

    def show_level(self, dbfs: float | None) -> None:
        """Light the meter for a level in dBFS; None (or not recording) hides the meter."""
        cells = None
        if dbfs is not None and self._view.mode == "recording":
            cells = level_cells(dbfs, METER_CELLS)
        if cells != self._cells:
            self._cells = cells
            self._paint()

    def _paint(self) -> None:
        parts: list[str | tuple[str, str]] = [f"{self._view.label} "]
        if self._cells is not None and self._view.mode == "recording":
            parts.append(("━" * self._cells, "$success"))
            parts.append(("━" * (METER_CELLS - self._cells), "$foreground 25%"))
            parts.append(" ")
        self.update(Content.assemble(*parts))
