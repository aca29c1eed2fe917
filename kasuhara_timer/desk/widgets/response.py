"""The policy's response to a behaviour just tagged, shown calmly above the step card.

It stays until the staff member dismisses it (Escape) or takes the next step; a behaviour the
document gives no response for shows nothing. Only the document's words, with its example lines
in 「」 as lines to say; never the criminal-code article (the desk records, it never accuses).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kasuhara_timer.desk.guidance import ResponseView
from kasuhara_timer.ui.phrase_text import PhraseText


class ResponsePanel(Vertical):
    """Paints a `ResponseView`, or hides itself when there is none."""

    DEFAULT_CSS = """
    ResponsePanel {
        height: auto;
        max-height: 30%;  /* 7 lines at 80×24: the timeline and the note line stay on screen */
        padding: 0 1;
        border-left: thick $secondary;
        overflow-y: auto;
        display: none;
    }
    ResponsePanel #response-heading { color: $text-muted; }
    ResponsePanel #response-lines { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: ResponseView | None = None

    def compose(self) -> ComposeResult:
        # The lines to say come first: at 80×24 the panel is short, and they are what the staff
        # member reads aloud; what to do follows (scrollable).
        yield Static(id="response-heading", markup=False)
        yield PhraseText(id="response-lines")
        yield PhraseText(id="response-items")

    def show(self, view: ResponseView | None, lines_label: str = "") -> None:
        """Show `view`; None hides the panel."""
        self.view = view
        self.display = view is not None
        if view is None:
            return
        self.query_one("#response-heading", Static).update(view.heading)
        self.query_one("#response-items", PhraseText).update(
            "\n".join(f"・{item}" for item in view.items)
        )
        lines = self.query_one("#response-lines", PhraseText)
        lines.update("\n".join((lines_label, *view.lines)) if view.lines else "")
        lines.display = bool(view.lines)
