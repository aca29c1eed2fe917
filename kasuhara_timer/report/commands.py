"""`kasuhara-timer report`: the period's tables in the terminal, optionally as CSV and as a
printable HTML page with charts."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

from rich.console import Console

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.errors import UserError
from kasuhara_timer.report.csv_file import write_report_csv
from kasuhara_timer.report.html_file import write_report_html
from kasuhara_timer.report.render import render_report
from kasuhara_timer.report.source import report_from_index


def month_period(month: str) -> tuple[date, date]:
    """``2026-04`` → (2026-04-01, 2026-04-30); `UserError` for anything else."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise UserError(f"--month must be YYYY-MM, got {month!r}") from None
    return first, date(year, number, calendar.monthrange(year, number)[1])


def run_report(
    data_dir: Path,
    date_from: date | None,
    date_to: date | None,
    month: str | None,
    csv_file: Path | None,
    drill: bool,
    lang: str,
    console: Console | None = None,
    html_file: Path | None = None,
) -> None:
    """Refresh the local index, print the report, write the CSV and the HTML when asked
    (each file's full path said)."""
    if month is not None:
        if date_from is not None or date_to is not None:
            raise UserError("give either --month or --from/--to, not both")
        date_from, date_to = month_period(month)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise UserError(f"--from {date_from} is after --to {date_to}")
    if not data_dir.is_dir():
        raise UserError("no data folder here (use --data-dir or KASUHARA_DATA_DIR)", data_dir)
    index = SessionIndex(data_dir)
    index.refresh()
    report = report_from_index(index, date_from, date_to, drill=drill)
    console = console or Console()
    console.print(render_report(report, lang))
    for path, write in ((csv_file, write_report_csv), (html_file, write_report_html)):
        if path is not None:
            try:
                written = write(report, path.absolute())
            except OSError as error:
                raise UserError(
                    f"cannot write the report: {error.strerror or error}", path
                ) from None
            console.print(str(written), soft_wrap=True, highlight=False)
