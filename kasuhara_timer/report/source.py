"""The report's facts, read from the review index (fast: no session folder is opened)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.query import SessionFilter, SessionRow, SortKey
from kasuhara_timer.catalog.sessions import SessionStatus
from kasuhara_timer.report.tables import Report, SessionFacts, build_report


def facts_of(row: SessionRow) -> SessionFacts:
    """What the report counts of one indexed session."""
    return SessionFacts(
        day=date.fromisoformat(row.day),
        minutes=row.duration / 60,
        section=row.staff_section,
        channel=row.method_label,
        behaviours=row.tag_labels,
        staff=row.staff_name,
        limit_reached=row.limit_reached,
        immediate=row.immediate,
        ended=row.status in (SessionStatus.COMPLETE, SessionStatus.INTERRUPTED),
    )


def report_from_index(
    index: SessionIndex,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    drill: bool = False,
    where: SessionFilter | None = None,
    filters: tuple[str, ...] = (),
    era: str | None = None,
) -> Report:
    """The report of the sessions that started between `date_from` and `date_to` (inclusive).

    Real sessions only unless `drill`; folders nothing could be read from are counted apart.
    `where` narrows it as the review's list does (its period and drill switch win over the
    arguments); `filters` says in words what narrows it besides the period, for the heading.
    """
    if where is None:
        where = SessionFilter(date_from=date_from, date_to=date_to, drill=drill)
    else:
        where = replace(where, drill=bool(where.drill))
    rows = index.query(where, SortKey.STARTED, descending=False)
    readable = [row for row in rows if row.readable and row.day]
    return build_report(
        [facts_of(row) for row in readable],
        date_from=where.date_from,
        date_to=where.date_to,
        drill=bool(where.drill),
        unreadable=len(rows) - len(readable),
        filters=filters,
        behaviours=profile_behaviours(),
        era=era or office_era(),
    )


def office_era() -> str:
    """How the office writes years in reports (config.toml ``era``): western or reiwa."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.errors import UserError

    try:
        return load_settings().era
    except UserError:
        return "western"


@cache
def profile_behaviours() -> tuple[str, ...]:
    """The behaviour labels of this PC's profile: each is a row of the report, 0件 or not."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.errors import UserError
    from kasuhara_timer.policy.loader import DEFAULT_PROFILE, load_policy

    try:
        policy = load_policy(load_settings().profile).policy
    except UserError:
        policy = load_policy(DEFAULT_PROFILE).policy
    return tuple(behaviour.label for behaviour in policy.behaviours)
