"""The large elapsed-time display."""

from __future__ import annotations

from textual.widgets import Digits

from kasuhara_timer.session.clock import format_elapsed


class ElapsedTimer(Digits):
    """`H:MM:SS` in large digits; hours grow past 99 rather than wrapping."""

    DEFAULT_CSS = """
    ElapsedTimer {
        width: auto;
    }
    """

    def show(self, seconds: float) -> None:
        """Display `seconds` of session time; a no-op until the shown second changes."""
        text = format_elapsed(seconds)
        if text != self.value:
            self.update(text)
