"""Folders that are partial, corrupt or from a newer version, each with its reasons (in the
interface's language, wrapped: `integrity.reasons`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kasuhara_timer.catalog.query import SessionRow
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.views import status_words
from kasuhara_timer.review.widgets.wrapped_table import Col, WrappedTable
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
        yield WrappedTable(
            [
                Col(words("col.folder"), share=2, least=14, wrap=False),
                Col(words("col.status"), width=10),
                Col(words("col.reason"), share=5, least=16),
            ],
            id="problems",
        )
        yield PhraseText(id="problem-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        words = self.words
        self.query_one("#problems", WrappedTable).show(
            [
                (row.key, status_words(row, words), self.reasons(row).split("\n", 1)[0])
                for row in self.rows
            ],
            [row.key for row in self.rows],
        )

    def reasons(self, row: SessionRow) -> str:
        """The row's reasons, one a line, in the interface's language."""
        return reason_words(row.problems, self.words.lang)

    @on(DataTable.RowHighlighted, "#problems")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows[event.cursor_row] if event.cursor_row < len(self.rows) else None
        detail = f"{row.key}\n{self.reasons(row)}" if row is not None else ""
        self.query_one("#problem-detail", PhraseText).update(terminal_safe(detail, newlines=True))

    @on(DataTable.RowSelected, "#problems")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row]
        if row.readable:
            self.open_session(Path(row.path))

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()
