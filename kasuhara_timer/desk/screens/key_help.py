"""A short key help (F1 or `?`), over the session: what every key does, hidden ones too.

F1 is help in every Windows program, so a hand that presses it by habit gets help, never a
behaviour tag in the record. Built from the screen's own bindings, so a key an office moved
(`[keymap]`) is listed where it now is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kasuhara_timer.i18n import Translator
from kasuhara_timer.ui.wrap import wrap

WIDTH = 70
"""Cells of text inside the help box (80 columns less its border, padding and scrollbar)."""


def help_lines(keys: Iterable[tuple[str, str]], tr: Translator, width: int = WIDTH) -> list[str]:
    """How tags are keyed first (it is what F1 used to do), then `key  what it does`, keys that
    do the same joined (``u / ^z``), the text wrapped by phrase under itself."""
    merged: dict[str, list[str]] = {}
    for key, what in keys:
        if key not in merged.setdefault(what, []):
            merged[what].append(key)
    pairs = [(" / ".join(names), what) for what, names in merged.items()]
    key_width = max((cell_len(key) for key, _ in pairs), default=0)
    lines = list(wrap(tr("help.tags"), width))
    for key, what in pairs:
        indent = " " * (key_width + 2)
        for number, part in enumerate(wrap(what, max(width - len(indent), 8))):
            head = key + " " * (key_width - cell_len(key) + 2) if number == 0 else indent
            lines.append(head + part)
    return lines


class KeyHelp(ModalScreen[None]):
    """The keys of the screen below; any of Escape, F1, `?` or `q` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", show=False, id="help.close"),
    ]

    def __init__(self, tr: Translator, keys: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.tr = tr
        self.lines = help_lines(keys, tr)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(self.tr("help.title"), id="help-title", markup=False)
            with VerticalScroll(id="help-scroll"):  # a profile with many keys scrolls
                yield Static("\n".join(self.lines), id="help-keys", markup=False)

    def action_close(self) -> None:
        """Back to the session (it never stopped)."""
        self.dismiss(None)
