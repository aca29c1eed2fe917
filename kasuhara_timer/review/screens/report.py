"""The report screen: the survey's tables for a period, with bars; saved as CSV on request."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kasuhara_timer.errors import UserError
from kasuhara_timer.report.csv_file import write_report_csv
from kasuhara_timer.report.render import render_report
from kasuhara_timer.report.source import report_from_index
from kasuhara_timer.report.tables import Report
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.widgets.period import period_inputs
from kasuhara_timer.store.atomic import make_private_dir
from kasuhara_timer.ui.phrase_text import PhraseText


class ReportScreen(ReviewNode, Screen[None]):
    """Response time, behaviours, section, channel and month for the period entered."""

    AUTO_FOCUS = "#report-view"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", tooltip="key.back.tip", id="review.report_back"),
        Binding("w", "save_csv", "key.save_csv", tooltip="key.save_csv.tip", id="review.save_csv"),
    ]

    def __init__(self, date_from: date | None, date_to: date | None, drill: bool = False) -> None:
        super().__init__()
        self.translate_bindings()
        self.date_from = date_from
        self.date_to = date_to
        self.drill = drill
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        words = self.words
        with Horizontal(id="report-period"):
            yield from period_inputs(words, self.date_from, self.date_to, "report")
        with VerticalScroll(id="report-view"):
            yield Static(id="report-body")
        yield PhraseText(id="report-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.steady_inputs()
        self.show()

    def show(self) -> None:
        """Compute and show the report of the period."""
        self.report = report_from_index(
            self.setup.index, self.date_from, self.date_to, drill=self.drill
        )
        self.query_one("#report-body", Static).update(render_report(self.report, self.setup.lang))

    @on(Input.Submitted)
    def _period(self) -> None:
        try:
            dates = [
                date.fromisoformat(v) if (v := self.query_one(i, Input).value.strip()) else None
                for i in ("#report-from", "#report-to")
            ]
        except ValueError as error:
            self._say(self.words("filter.bad_date", value=error), error=True)
            return
        self.date_from, self.date_to = dates
        self._say("")
        self.show()

    def action_save_csv(self) -> None:
        """Write the tables as CSV into the export folder."""
        if self.report is None:
            return
        name = f"report_{self.date_from or 'start'}_{self.date_to or 'end'}.csv"
        folder = self.setup.export_dir
        try:
            make_private_dir(folder)
            path = write_report_csv(self.report, folder / name)
        except (OSError, UserError) as error:
            self._say(self.words("export.failed", error=error), error=True)
            return
        self._say(self.words("report.saved", path=path))

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#report-status", PhraseText)
        status.update(text)
        status.set_class(error, "-error")

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()
