"""The report as CSV, UTF-8 with a BOM so that Excel opens the Japanese text correctly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kasuhara_timer.report.tables import Report
from kasuhara_timer.store.atomic import write_atomic

HEADER = ("表", "区分", "件数", "割合(%)", "合計時間(分)", "平均時間(分)")


def report_csv(report: Report) -> str:
    """One line per table row, then the period's totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for table in report.tables:
        for row in table.rows:
            writer.writerow(
                (
                    table.title,
                    row.label,
                    row.count,
                    f"{row.share * 100:.1f}",
                    f"{row.minutes:.1f}",
                    f"{row.average_minutes:.1f}",
                )
            )
    period = f"{report.date_from or ''}〜{report.date_to or ''}"
    totals = (
        ("期間", period),
        ("絞り込み", "・".join(report.filters) or "なし"),
        ("件数", report.sessions),
        ("対応した職員（人）", report.staff),
        ("目安時間に到達", report.limit_reached),
        ("即時対応（暴力・危険）", report.immediate),
        ("終了の記録なし", report.unfinished),
        ("読めないフォルダ", report.unreadable),
        ("合計時間(分)", f"{report.total_minutes:.1f}"),
    )
    for label, value in totals:
        writer.writerow(("合計", label, value, "", "", ""))
    return out.getvalue()


def write_report_csv(report: Report, path: Path) -> Path:
    """Write the CSV atomically (UTF-8 with BOM); returns `path`."""
    write_atomic(path, report_csv(report).encode("utf-8-sig"))
    return path
