"""Repeat contacts (リピート型): earlier sessions with the same caller label.

The desk asks at the start of a session how many times and when this caller was answered
before (the Tokyo guidance asks staff to tell repeat callers exactly that); the review lists
repeat callers. Labels are matched loosely (全角/半角, case, spaces and hyphens ignored), since
staff type them by hand.

A session encrypted at its close cannot be read by the desk; its `contact.json` (a hash of the
caller's key, when, how and how long: `catalog.contacts`) still counts it in the desk's line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasuhara_timer.catalog.contacts import caller_hash, read_contact
from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.query import SessionFilter, SortKey, caller_key
from kasuhara_timer.catalog.sessions import SessionStatus
from kasuhara_timer.store.folders import SessionFolder


@dataclass(frozen=True)
class PreviousContact:
    """One earlier session with the caller."""

    folder: str
    started_at: datetime
    channel: str
    """phone, counter or other."""
    method_label: str
    """対応方法 as the sheet prints it (電話, 来庁, メール…)."""
    minutes: float
    staff_name: str
    staff_section: str
    furthest_step: str
    """Title of the furthest step taken, '' when none."""
    limit_reached: bool


def previous_contacts(
    source: Path | SessionIndex,
    caller: str,
    *,
    before: datetime | None = None,
    refresh: bool = True,
    drill: bool = False,
) -> list[PreviousContact]:
    """Earlier sessions with `caller`, the latest first; [] for a blank label.

    `source` is the data folder (its local index is opened, and refreshed unless `refresh` is
    False) or an open `SessionIndex`. `before` leaves out sessions that started at or after it
    (the session being started now). Drills only match drills. The first call on a big shared
    folder reads every folder into the index, so call it from a worker thread.
    """
    if not caller_key(caller):
        return []
    index = source if isinstance(source, SessionIndex) else SessionIndex(source)
    if refresh:
        index.refresh()
    rows = index.query(SessionFilter(caller=caller, drill=drill), SortKey.STARTED)
    contacts = _sealed_contacts(index, caller, drill, before)
    for row in rows:
        if not row.started_at:
            continue
        started = datetime.fromisoformat(row.started_at)
        if before is not None and started >= before:
            continue
        contacts.append(
            PreviousContact(
                folder=row.name,
                started_at=started,
                channel=row.channel,
                method_label=row.method_label,
                minutes=row.duration / 60,
                staff_name=row.staff_name,
                staff_section=row.staff_section,
                furthest_step=row.furthest,
                limit_reached=row.limit_reached,
            )
        )
    return sorted(contacts, key=lambda contact: contact.started_at, reverse=True)


def _sealed_contacts(
    index: SessionIndex, caller: str, drill: bool, before: datetime | None
) -> list[PreviousContact]:
    """Earlier contacts among the sessions this account cannot read (encrypted at their
    close), from their contact.json."""
    wanted = caller_hash(caller_key(caller))
    unreadable = index.query(SessionFilter(status=SessionStatus.UNREADABLE, drill=drill))
    found = []
    for row in unreadable:
        contact = read_contact(SessionFolder(Path(row.path), bool(row.drill)))
        if contact is None or contact.caller != wanted or contact.drill != drill:
            continue
        if before is not None and contact.started_at >= before:
            continue
        found.append(
            PreviousContact(
                folder=row.name,
                started_at=contact.started_at,
                channel=contact.channel,
                method_label=contact.method_label,
                minutes=contact.minutes,
                staff_name="",
                staff_section="",
                furthest_step="",
                limit_reached=False,
            )
        )
    return found
