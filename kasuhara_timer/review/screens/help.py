"""`?`: every key of the screen underneath, with what it does, in the interface language."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen

from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.widgets.wrapped_table import Col, WrappedTable

EXTRA_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "SessionListScreen": (("↑ ↓ PgUp PgDn", "help.rows"), ("← →", "help.columns")),
    "SessionScreen": (("↑ ↓ PgUp PgDn", "help.rows"), ("Tab", "help.focus")),
}
"""Keys the widgets handle themselves, said per screen."""


def screen_keys(screen: Screen[object], words: object) -> list[tuple[str, str, str]]:
    """(key, what, more) for every review key active on `screen`."""
    rows = []
    seen = set()
    for node, binding, _enabled, tooltip in screen.active_bindings.values():
        if not (binding.id or "").startswith("review.") or binding.id in seen:
            continue
        seen.add(binding.id)
        key = node.app.get_key_display(binding)
        rows.append((key, binding.description, tooltip or ""))
    return rows


class HelpScreen(ReviewNode, ModalScreen[None]):
    """A list of keys; any of escape, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "key.back", id="review.help_close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.translate_bindings()
        words = self.words
        self.rows = screen_keys(under, words)
        self.rows += [
            (key, words(what), "") for key, what in EXTRA_KEYS.get(type(under).__name__, ())
        ]

    def compose(self) -> ComposeResult:
        words = self.words
        with Vertical(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = words("help.title")
            yield WrappedTable(
                [
                    Col(words("help.key"), width=12),
                    Col(words("help.what"), least=8),
                    Col(words("help.more"), share=2, least=10),
                ],
                id="help-keys",
            )

    def on_mount(self) -> None:
        table = self.query_one(WrappedTable)
        table.show(self.rows)
        table.focus()

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss()
