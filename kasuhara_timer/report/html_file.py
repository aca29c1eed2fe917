"""The report as a printable HTML page with charts (beside the CSV): what a 総務課 hands on.

The same figures as the CSV and the terminal, in Japanese (an office document, as the record
sheet), each table with its rows; the survey's 表2 職場, 表3 対応時間 and 表4 行為類型 with a bar
chart each (`charts.bar_chart`). Printed from any browser on A4, the period and the page number
in the page margins.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer.report.charts import bar_chart
from kasuhara_timer.report.tables import Report, hours_minutes
from kasuhara_timer.sheets.render import css_string, printable
from kasuhara_timer.store.atomic import write_atomic

if TYPE_CHECKING:
    from jinja2 import Environment

TITLES = {
    "section": "表2 職場（所属）",
    "duration": "表3 対応時間",
    "behaviour": "表4 行為類型",
    "channel": "対応方法",
    "month": "月別",
}
"""Each table's heading, numbered as the survey the manual grounds its policy in."""

CHARTED = ("section", "duration", "behaviour")
ORDER = ("section", "duration", "behaviour", "channel", "month")
"""The survey's tables first, in its order."""


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("kasuhara_timer.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=printable,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["css_string"] = css_string
    environment.filters["hours"] = hours_minutes
    return environment


def report_html(report: Report) -> str:
    """The HTML page of `report`."""
    titles = {table.id: TITLES.get(table.id, table.title) for table in report.tables}
    charts = {
        table.id: bar_chart(table, titles[table.id])
        for table in report.tables
        if table.id in CHARTED
    }
    order = {table_id: index for index, table_id in enumerate(ORDER)}
    tables = sorted(report.tables, key=lambda table: order.get(table.id, len(order)))
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        tables=tables,
        titles=titles,
        charts=charts,
        total_hours=hours_minutes(report.total_minutes),
    )


def write_report_html(report: Report, path: Path) -> Path:
    """Write the page atomically (0600); returns `path`."""
    write_atomic(path, report_html(report).encode("utf-8"))
    return path
