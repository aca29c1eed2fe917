"""The report in the terminal: one rich table per survey table, each row with a bar."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kasuhara_timer.report.tables import Report, ReportTable, hours_minutes


def _hours_en(minutes: float) -> str:
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


BAR_WIDTH = 24
_EIGHTHS = " ▏▎▍▌▋▊▉"

WORDS = {
    "ja": {
        "title": "対応記録の集計",
        "drill": "（研修の記録）",
        "period": "期間：{start}〜{end}",
        "filters": "絞り込み：{filters}（一覧の絞り込みと同じ）",
        "all": "全期間",
        "label": "区分",
        "count": "件数",
        "share": "割合",
        "average": "平均",
        "bar": "",
        "summary": "{sessions}件・対応した職員{staff}人・目安到達{limit}件・即時対応{immediate}件"
        "・合計{hours}",
        "unfinished": "終了の記録がない対応{n}件（時間は最後の記録まで）",
        "unreadable": "読めないフォルダ{n}件は集計に含まれていません（review の問題一覧を参照）",
        "minutes": "{m:.0f}分",
    },
    "en": {
        "title": "Desk sessions: summary",
        "drill": " (drills)",
        "period": "Period: {start} – {end}",
        "filters": "Filter: {filters} (as the list)",
        "all": "all time",
        "label": "Category",
        "count": "Count",
        "share": "Share",
        "average": "Avg",
        "bar": "",
        "summary": "{sessions} sessions · {staff} staff · limit reached {limit} · immediate "
        "{immediate} · {hours} in total",
        "unfinished": "{n} sessions without a recorded end (time runs to their last event)",
        "unreadable": "{n} unreadable folders are not counted (see the review's problem list)",
        "minutes": "{m:.0f} min",
    },
}


TITLES_EN = {
    "duration": "Response time",
    "behaviour": "Behaviour categories",
    "section": "Workplace (section)",
    "channel": "Channel",
    "month": "Per month",
}
"""English table titles; the categories themselves stay in the record's Japanese."""


def bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of `count` against `largest`, in eighths of a cell."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def render_table(table: ReportTable, lang: str = "ja") -> Table:
    """One table with its bars."""
    words = WORDS.get(lang, WORDS["ja"])
    title = TITLES_EN.get(table.id, table.title) if lang == "en" else table.title
    grid = Table(
        title=title,
        title_justify="left",
        caption=table.note or None,
        caption_justify="left",
        expand=False,
        pad_edge=False,
    )
    grid.add_column(words["label"], overflow="fold", max_width=28)
    grid.add_column(words["count"], justify="right")
    grid.add_column(words["share"], justify="right")
    grid.add_column(words["average"], justify="right")
    grid.add_column(words["bar"], style="cyan", no_wrap=True)
    largest = max((row.count for row in table.rows), default=0)
    for row in table.rows:
        grid.add_row(
            row.label,
            str(row.count),
            f"{row.share * 100:.1f}%",
            words["minutes"].format(m=row.average_minutes) if row.count else "",
            bar(row.count, largest),
        )
    return grid


def render_report(report: Report, lang: str = "ja") -> RenderableType:
    """The whole report: heading, totals, then each table."""
    words = WORDS.get(lang, WORDS["ja"])
    start = report.date_from.isoformat() if report.date_from else ""
    end = report.date_to.isoformat() if report.date_to else ""
    period = words["period"].format(start=start, end=end) if start or end else words["all"]
    heading = Text(words["title"] + (words["drill"] if report.drill else ""), style="bold")
    lines: list[RenderableType] = [
        heading,
        Text(period),
        *(
            [Text(words["filters"].format(filters="・".join(report.filters)), style="bold")]
            if report.filters
            else []
        ),
        Text(
            words["summary"].format(
                sessions=report.sessions,
                staff=report.staff,
                limit=report.limit_reached,
                immediate=report.immediate,
                hours=hours_minutes(report.total_minutes)
                if lang != "en"
                else _hours_en(report.total_minutes),
            )
        ),
    ]
    if report.unfinished:
        lines.append(Text(words["unfinished"].format(n=report.unfinished), style="yellow"))
    if report.unreadable:
        lines.append(Text(words["unreadable"].format(n=report.unreadable), style="red"))
    for table in report.tables:
        lines += [Text(""), render_table(table, lang)]
    return Group(*lines)
