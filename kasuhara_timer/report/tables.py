"""The survey's tables computed from the sessions of a period (pure: facts in, tables out).

Nanyo's manual grounds its policy in a staff survey (表1 people affected, 表2 workplace, 表3
response time, 表4 kinds of conduct) and asks for cases and trends to be reviewed (§8(2) 事例の
検証, 取組の見直し). These tables answer the same questions from what the desks recorded:
response time in the survey's bands, behaviour categories, section, channel and month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

DURATION_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("10分未満", 0, 10),
    ("10分以上30分未満", 10, 30),
    ("30分以上60分未満", 30, 60),
    ("60分以上", 60, None),
)
"""(label, from minutes inclusive, to minutes exclusive): the survey's bands."""

NO_TAG = "（行為の記録なし）"
BLANK = "（未入力）"

CHANNELS = ("電話", "来庁", "メール", "SNS", "外で対応")
"""対応方法 as the sheets print them: every one is a row, counted or not (a 0 is a figure)."""

REIWA_FIRST_YEAR = 2019


def month_label(year: int, month: int, era: str = "western") -> str:
    """2026年4月, or 令和8年4月 when the office counts in 令和 (`era` ``reiwa``)."""
    if era == "reiwa" and year >= REIWA_FIRST_YEAR:
        number = year - REIWA_FIRST_YEAR + 1
        return f"令和{'元' if number == 1 else number}年{month}月"
    return f"{year}年{month}月"


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from `first`'s month to `last`'s, empty months included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def hours_minutes(minutes: float) -> str:
    """A duration as people say it: 3分, 2時間48分, 1時間 (rounded to the minute)."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest}分"
    return f"{hours}時間{rest}分" if rest else f"{hours}時間"


@dataclass(frozen=True)
class SessionFacts:
    """What the report needs of one session."""

    day: date
    minutes: float
    section: str
    channel: str
    """対応方法 as the sheet prints it (電話, 来庁, メール…)."""
    behaviours: tuple[str, ...]
    """Labels of the behaviours tagged."""
    staff: str
    limit_reached: bool
    immediate: bool
    ended: bool


@dataclass(frozen=True)
class ReportRow:
    """One line of a table."""

    label: str
    count: int
    share: float
    """count ÷ sessions in the period (0 when there are none)."""
    minutes: float
    """Total response time of these sessions."""

    @property
    def average_minutes(self) -> float:
        """Mean response time of these sessions (0 for none)."""
        return self.minutes / self.count if self.count else 0.0


@dataclass(frozen=True)
class ReportTable:
    """One table of the report."""

    id: str
    title: str
    rows: tuple[ReportRow, ...]
    note: str = ""


@dataclass(frozen=True)
class Report:
    """The report of one period."""

    date_from: date | None
    date_to: date | None
    drill: bool
    sessions: int
    staff: int
    """Distinct staff members who answered (blank names not counted)."""
    limit_reached: int
    immediate: int
    unfinished: int
    """Sessions without a recorded end: their time runs to the last event recorded."""
    unreadable: int
    """Folders of the period nothing could be read from (not in the tables)."""
    total_minutes: float
    tables: tuple[ReportTable, ...]
    filters: tuple[str, ...] = ()
    """What narrows the report besides the period (the review list's filter), in words."""

    def table(self, table_id: str) -> ReportTable:
        """A table by id: duration, behaviour, section, channel, month."""
        return next(t for t in self.tables if t.id == table_id)


def build_report(
    facts: Sequence[SessionFacts],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    drill: bool = False,
    unreadable: int = 0,
    filters: tuple[str, ...] = (),
    behaviours: Sequence[str] = (),
    era: str = "western",
) -> Report:
    """All tables for `facts` (the sessions of the period).

    Every survey band, channel, behaviour in `behaviours` (the profile's) and month of the
    period is a row even when nothing was counted in it; months are named in `era`.
    """
    total = len(facts)

    def table(
        table_id: str,
        title: str,
        keys: Callable[[SessionFacts], Iterable[str]],
        order: Sequence[str] | None = None,
        note: str = "",
    ) -> ReportTable:
        counts: Counter[str] = Counter()
        minutes: defaultdict[str, float] = defaultdict(float)
        for fact in facts:
            for key in keys(fact):
                counts[key] += 1
                minutes[key] += fact.minutes
        labels = list(order) if order is not None else _by_count(counts)
        labels += [label for label in _by_count(counts) if label not in labels]
        rows = tuple(
            ReportRow(label, counts[label], counts[label] / total if total else 0.0, minutes[label])
            for label in labels
        )
        return ReportTable(table_id, title, rows, note)

    days = [fact.day for fact in facts]
    first = date_from or min(days, default=None)
    last = date_to or max(days, default=None)
    spans = months_between(first, last) if first is not None and last is not None else []
    if len(spans) > 120:  # an open period over a decade: only the months with sessions
        spans = sorted({(d.year, d.month) for d in days})
    months = [month_label(year, month, era) for year, month in spans]
    tables = (
        table(
            "duration",
            "対応時間",
            lambda f: [duration_band(f.minutes)],
            order=[band[0] for band in DURATION_BANDS],
        ),
        table(
            "behaviour",
            "行為類型",
            lambda f: f.behaviours or (NO_TAG,),
            order=_behaviour_order(facts, behaviours),
            note="1件に複数の行為が記録されることがあるため、割合の合計は100%を超えることがあります",
        ),
        table("section", "職場（所属）", lambda f: [f.section or BLANK]),
        table("channel", "対応方法", lambda f: [f.channel or BLANK], order=CHANNELS),
        table("month", "月別", lambda f: [month_label(f.day.year, f.day.month, era)], order=months),
    )
    return Report(
        date_from=date_from,
        date_to=date_to,
        drill=drill,
        sessions=total,
        staff=len({fact.staff for fact in facts if fact.staff}),
        limit_reached=sum(fact.limit_reached for fact in facts),
        immediate=sum(fact.immediate for fact in facts),
        unfinished=sum(not fact.ended for fact in facts),
        unreadable=unreadable,
        total_minutes=sum(fact.minutes for fact in facts),
        tables=tables,
        filters=filters,
    )


def duration_band(minutes: float) -> str:
    """The survey band of a response time: 10分未満, 10分以上30分未満, …, 60分以上."""
    for label, low, high in DURATION_BANDS:
        if minutes >= low and (high is None or minutes < high):
            return label
    return DURATION_BANDS[0][0]


def _behaviour_order(facts: Sequence[SessionFacts], behaviours: Sequence[str]) -> list[str] | None:
    """Most counted first, then the profile's other behaviours (0件), then no record."""
    if not behaviours:
        return None
    counts = Counter(label for fact in facts for label in fact.behaviours)
    counts.update({NO_TAG: sum(1 for fact in facts if not fact.behaviours)})
    ordered = [label for label in _by_count(counts) if label != NO_TAG]
    return [*ordered, *(b for b in behaviours if b not in counts), NO_TAG]


def _by_count(counts: Counter[str]) -> list[str]:
    """Most frequent first; blank/none rows last; ties by label."""
    special = {NO_TAG, BLANK}
    ordinary = sorted((k for k in counts if k not in special), key=lambda k: (-counts[k], k))
    return ordinary + sorted(k for k in counts if k in special)
