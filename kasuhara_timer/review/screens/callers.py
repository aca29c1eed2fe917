"""Repeat callers (リピート型): caller labels answered more than once."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.views import plain
from kasuhara_timer.session.clock import format_elapsed


class CallersScreen(ReviewNode, Screen[str | None]):
    """Returns the caller chosen (the list then shows their sessions), or None."""

    AUTO_FOCUS = "#callers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", tooltip="key.back.tip", id="review.callers_back"),
    ]

    def __init__(self, drill: bool = False) -> None:
        super().__init__()
        self.translate_bindings()
        self.callers = self.setup.index.repeat_callers(drill)

    def compose(self) -> ComposeResult:
        words = self.words
        title = words("callers.title") if self.callers else words("callers.none")
        yield Static(title, classes="screen-title")
        yield DataTable(id="callers", cursor_type="row")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#callers", DataTable)
        for key in ("col.caller", "col.contacts", "col.first", "col.last", "col.total"):
            table.add_column(self.words(key), key=key)
        for caller in self.callers:
            cells = (
                caller.caller,
                str(caller.contacts),
                caller.first,
                caller.last,
                format_elapsed(caller.total_minutes * 60),
            )
            table.add_row(*plain(*cells))

    @on(DataTable.RowSelected, "#callers")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.callers[event.cursor_row].caller)

    def action_back(self) -> None:
        """Back to the list, unchanged."""
        self.dismiss(None)
