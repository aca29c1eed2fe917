"""The report screen: the survey's tables for a period, with bars; saved as CSV on request."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static

from kasuhara_timer.catalog.query import SessionFilter
from kasuhara_timer.errors import UserError
from kasuhara_timer.report.csv_file import write_report_csv
from kasuhara_timer.report.html_file import write_report_html
from kasuhara_timer.report.periods import preset_period
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
        Binding(
            "n",
            "preset('this_month')",
            "key.this_month",
            tooltip="key.this_month.tip",
            id="review.this_month",
        ),
        Binding(
            "b",
            "preset('last_month')",
            "key.last_month",
            tooltip="key.last_month.tip",
            id="review.last_month",
        ),
        Binding(
            "y",
            "preset('this_fiscal_year')",
            "key.this_fiscal_year",
            tooltip="key.this_fiscal_year.tip",
            id="review.this_fiscal_year",
        ),
        Binding(
            "v",
            "preset('last_fiscal_year')",
            "key.last_fiscal_year",
            tooltip="key.last_fiscal_year.tip",
            id="review.last_fiscal_year",
            show=False,
        ),
    ]

    def __init__(self, where: SessionFilter | None = None, filters: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.translate_bindings()
        self.where = where or SessionFilter()
        self.filters = filters
        """The list's filter in words (besides the period), said in the report's heading."""
        self.report: Report | None = None

    @property
    def date_from(self) -> date | None:
        """Start of the period (inclusive)."""
        return self.where.date_from

    @property
    def date_to(self) -> date | None:
        """End of the period (inclusive)."""
        return self.where.date_to

    def compose(self) -> ComposeResult:
        words = self.words
        with Horizontal(id="report-period"):
            yield from period_inputs(words, self.date_from, self.date_to, "report")
        yield ProgressBar(id="report-progress", show_eta=False)
        with VerticalScroll(id="report-view"):
            yield Static(id="report-body")
        yield PhraseText(id="report-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.steady_inputs()
        self.show()

    def show(self) -> None:
        """Compute and show the report of the period, or how far the index build is."""
        state = self.review.index_state
        bar = self.query_one("#report-progress", ProgressBar)
        bar.display = state.running
        bar.update(total=state.total or None, progress=state.done)
        body = self.query_one("#report-body", Static)
        if state.building:  # every figure would be a false 0
            self.report = None
            body.update(self.words("report.building", done=state.done, total=state.total))
            return
        self.report = report_from_index(self.setup.index, where=self.where, filters=self.filters)
        body.update(render_report(self.report, self.setup.lang))
        if state.running:
            self._say(self.words("report.updating", done=state.done, total=state.total))
        elif self.shown_updating:
            self._say("")
        self.shown_updating = state.running

    shown_updating = False

    def index_changed(self) -> None:
        """The index moved on: show its progress, and the figures again once it is done."""
        state = self.review.index_state
        if state.running and self.report is not None and not state.building:
            bar = self.query_one("#report-progress", ProgressBar)
            bar.display = True
            bar.update(total=state.total or None, progress=state.done)
            self._say(self.words("report.updating", done=state.done, total=state.total))
            self.shown_updating = True
            return
        self.show()

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
        self.where = replace(self.where, date_from=dates[0], date_to=dates[1])
        self._say("")
        self.show()

    def action_preset(self, name: str) -> None:
        """This month, last month, this or last 年度 (April to March)."""
        first, last = preset_period(name, self.setup.today())
        self.where = replace(self.where, date_from=first, date_to=last)
        self.query_one("#report-from", Input).value = first.isoformat()
        self.query_one("#report-to", Input).value = last.isoformat()
        self._say("")
        self.show()

    def action_save_csv(self) -> None:
        """Write the tables as CSV, and beside it the printable HTML with charts, into the
        export folder."""
        if self.report is None or self.review.index_state.running:
            self._say(self.words("report.wait"), error=True)
            return
        name = f"report_{self.date_from or 'start'}_{self.date_to or 'end'}.csv"
        folder = self.setup.export_dir.absolute()
        try:
            make_private_dir(folder)
            path = write_report_csv(self.report, folder / name)
            html = write_report_html(self.report, path.with_suffix(".html"))
        except (OSError, UserError) as error:
            self._say(self.words("export.failed", error=error), error=True)
            return
        self._say(self.words("report.saved", path=path, html=html))

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#report-status", PhraseText)
        status.update(text)
        status.set_class(error, "-error")

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()
