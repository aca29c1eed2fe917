"""What the review asks of the index: filters, sort orders and the rows it lists.

Kept apart from `index.py` (which keeps the index current) so that the list screen, the CLI
and the report build their questions the same way.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from kasuhara_timer.catalog.sessions import SessionStatus


class SortKey(StrEnum):
    """Columns the list sorts by."""

    STARTED = "started"
    DURATION = "duration"
    CHANNEL = "channel"
    STAFF = "staff"
    SECTION = "section"
    FURTHEST = "furthest"
    STATUS = "status"


SORT_SQL: dict[SortKey, str] = {
    SortKey.STARTED: "started_ts",
    SortKey.DURATION: "duration",
    SortKey.CHANNEL: "channel, method",
    SortKey.STAFF: "staff_name",
    SortKey.SECTION: "staff_section",
    SortKey.FURTHEST: "furthest_path = 'immediate', furthest_index",
    SortKey.STATUS: "status, problems != ''",
}


def normalize(text: str) -> str:
    """Text as compared by search and caller matching: NFKC (全角/半角 alike), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def caller_key(caller: str) -> str:
    """A caller label as matched across sessions: normalized, without spaces or hyphens."""
    return "".join(ch for ch in normalize(caller) if not ch.isspace() and ch not in "-‐－ー―")


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions to list; every field left at its default lets everything through."""

    date_from: date | None = None
    date_to: date | None = None
    """Inclusive, on the date the session started (the desk's own local date)."""
    channel: str = ""
    """phone, counter or other."""
    staff: str = ""
    """Part of the staff member's name."""
    section: str = ""
    """Part of the section (所属)."""
    tag: str = ""
    """A behaviour id tagged in the session."""
    limit_reached: bool | None = None
    text: str = ""
    """Part of any note, sheet field, checklist remark, caller label or staff detail."""
    caller: str = ""
    """A caller label (matched as `caller_key`)."""
    drill: bool | None = False
    """False: real sessions (the default); True: drills; None: both, told apart by a column."""
    status: SessionStatus | None = None
    problems_only: bool = False
    immediate: bool | None = None
    """True: only sessions that took the immediate path (暴力・危険); False: only the others."""
    min_step: int | None = None
    """Only sessions whose furthest step is at least this (1-based) on their ladder."""
    signed: bool | None = None
    """True: only sessions a supervisor signed off (確認済み); False: only the others."""
    signed_keys: frozenset[str] = frozenset()
    """The index keys of the signed-off sessions (the review reads them beside the folders)."""
    held: bool | None = None
    """True: only sessions under a hold (保全); False: only the others."""
    held_keys: frozenset[str] = frozenset()
    """The index keys of the held sessions (read from the holds folder)."""

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        clauses = ["1"]
        params: list[object] = []
        if self.drill is not None:
            clauses.append("drill = ?")
            params.append(int(self.drill))
        if self.date_from is not None:
            clauses.append("day >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to is not None:
            clauses.append("day <= ?")
            params.append(self.date_to.isoformat())
        if self.channel:
            clauses.append("channel = ?")
            params.append(self.channel)
        for column, value in (("staff_key", self.staff), ("section_key", self.section)):
            if value.strip():
                clauses.append(f"instr({column}, ?) > 0")
                params.append(normalize(value.strip()))
        if self.tag:
            clauses.append("key IN (SELECT key FROM tags WHERE behaviour = ?)")
            params.append(self.tag)
        if self.limit_reached is not None:
            clauses.append("limit_reached = ?")
            params.append(int(self.limit_reached))
        if self.text.strip():
            clauses.append("instr(search, ?) > 0")
            params.append(normalize(self.text.strip()))
        if self.caller.strip():
            clauses.append("caller_key = ?")
            params.append(caller_key(self.caller))
        if self.status is not None:
            clauses.append("status = ?")
            params.append(self.status.value)
        if self.problems_only:
            clauses.append("problems != ''")
        if self.immediate is not None:
            clauses.append("immediate = ?")
            params.append(int(self.immediate))
        if self.min_step is not None:
            clauses.append("furthest_index >= ?")
            params.append(self.min_step)
        for wanted, keys in ((self.signed, self.signed_keys), (self.held, self.held_keys)):
            if wanted is not None:
                marks = ", ".join("?" * len(keys))
                clauses.append(f"key {'IN' if wanted else 'NOT IN'} ({marks})")
                params.extend(sorted(keys))
        return " AND ".join(clauses), params

    @property
    def active(self) -> bool:
        """True when anything but the drill switch narrows the list."""
        return any(
            getattr(self, f.name) != f.default
            for f in fields(self)
            if f.name not in ("drill", "signed_keys", "held_keys")
        )


@dataclass(frozen=True)
class SessionRow:
    """One session as the list shows it (a row of the index)."""

    key: str
    """``sessions/<folder>`` or ``drills/<folder>``: unique in the data folder."""
    name: str
    drill: bool
    path: str
    status: SessionStatus
    problems: str
    """Reasons, one per line; '' when the folder is sound."""
    started_at: str
    """ISO 8601 with the desk's UTC offset ('' when unreadable)."""
    day: str
    clock: str
    """``YYYY-MM-DD HH:MM`` in the desk's local time."""
    channel: str
    method: str
    method_label: str
    staff_name: str
    staff_section: str
    staff_title: str
    desk: str
    caller: str
    duration: float
    limit_minutes: int
    limit_reached: bool
    immediate: bool
    furthest: str
    furthest_index: int | None
    furthest_of: int | None
    furthest_path: str
    tag_ids: tuple[str, ...]
    tag_labels: tuple[str, ...]
    audio: bool
    profile: str

    @property
    def readable(self) -> bool:
        """False for a folder nothing could be read from."""
        return self.status is not SessionStatus.UNREADABLE


ROW_COLUMNS = tuple(f.name for f in fields(SessionRow))
"""The index columns a `SessionRow` is read from, in order."""

TAG_SEPARATOR = "\x1f"


def row_from_sql(values: sqlite3.Row | tuple[object, ...]) -> SessionRow:
    """A `SessionRow` from the columns named in `ROW_COLUMNS`."""
    data = dict(zip(ROW_COLUMNS, tuple(values), strict=True))
    for name in ("drill", "limit_reached", "immediate", "audio"):
        data[name] = bool(data[name])
    for name in ("tag_ids", "tag_labels"):
        text = str(data[name])
        data[name] = tuple(text.split(TAG_SEPARATOR)) if text else ()
    data["status"] = SessionStatus(str(data["status"]))
    return SessionRow(**data)
