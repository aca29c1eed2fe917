"""The question asked before closing the app while a session or an unsaved sheet is open."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kasuhara_timer.i18n import Translator
from kasuhara_timer.ui.phrase_text import PhraseText


class ConfirmQuit(ModalScreen[bool]):
    """Close the app? `y` closes, `n` or Escape goes back; the answer is the screen's result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", show=False, id="quit.yes"),
        Binding("n,escape", "answer(False)", show=False, id="quit.no"),
    ]

    def __init__(self, tr: Translator, explain: str) -> None:
        super().__init__()
        self.tr = tr
        self.explain = explain

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(id="confirm-box"):
            yield Static(tr("quit.question"), id="confirm-question", markup=False)
            yield PhraseText(self.explain, id="confirm-explain")
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    f"{tr('quit.no')} (n)", id="confirm-no", variant="primary", compact=True
                )
                yield Button(
                    f"{tr('quit.yes')} (y)", id="confirm-yes", variant="error", compact=True
                )

    def action_answer(self, close: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(close)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
