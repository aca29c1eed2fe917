"""The periods a 総務課 reports on: this month, last month, this 年度 (April to March)."""

from __future__ import annotations

import calendar
from datetime import date

PRESETS = ("this_month", "last_month", "this_fiscal_year", "last_fiscal_year")


def month_span(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year(day: date) -> int:
    """The 年度 `day` falls in: it starts on 1 April (2027-03-31 is 2026年度)."""
    return day.year if day.month >= 4 else day.year - 1


def preset_period(name: str, today: date) -> tuple[date, date]:
    """The period a preset names, seen from `today`; `ValueError` for an unknown name."""
    if name == "this_month":
        return month_span(today.year, today.month)
    if name == "last_month":
        year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        return month_span(year, month)
    if name in ("this_fiscal_year", "last_fiscal_year"):
        start = fiscal_year(today) - (name == "last_fiscal_year")
        return date(start, 4, 1), date(start + 1, 3, 31)
    raise ValueError(name)
