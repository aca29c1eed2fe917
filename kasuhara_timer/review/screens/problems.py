"""Folders that are partial, corrupt or from a newer version, each with its reasons."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.views import plain, status_words
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.ui.phrase_text import PhraseText


class ProblemsScreen(ReviewNode, Screen[None]):
    """Nothing is dropped silently: every folder with a problem is listed here."""

    AUTO_FOCUS = "#problems"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", tooltip="key.back.tip", id="review.problems_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.translate_bindings()
        self.rows = self.setup.index.problems()

    def compose(self) -> ComposeResult:
        words = self.words
        title = words("problems.title") if self.rows else words("problems.none")
        yield Static(f"{title}（{len(self.rows)}）", id="problems-title", classes="screen-title")
        yield DataTable(id="problems", cursor_type="row")
        yield PhraseText(id="problem-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#problems", DataTable)
        words = self.words
        table.add_column(words("col.folder"), key="folder")
        table.add_column(words("col.status"), key="status")
        table.add_column(words("col.reason"), key="reason")
        for row in self.rows:
            first = row.problems.split("\n", 1)[0]
            table.add_row(*plain(row.key, status_words(row, words), first), key=row.key)

    @on(DataTable.RowHighlighted, "#problems")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows[event.cursor_row] if event.cursor_row < len(self.rows) else None
        detail = f"{row.key}\n{row.problems}" if row is not None else ""
        self.query_one("#problem-detail", PhraseText).update(terminal_safe(detail, newlines=True))

    @on(DataTable.RowSelected, "#problems")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row]
        if row.readable:
            self.open_session(Path(row.path))

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()
