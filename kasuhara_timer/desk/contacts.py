"""Earlier contacts with the session's caller (リピート型), as the desk shows them.

The Tokyo guidance asks staff to be able to tell a repeat caller how many times and when they
were answered before, so the session screen says exactly that, in one quiet line: a count, the
latest date, channel and length. No judgement words: a repeat contact is not harassment.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer.i18n import Translator
from kasuhara_timer.session.events import Started

if TYPE_CHECKING:
    from kasuhara_timer.catalog.callers import PreviousContact

log = logging.getLogger(__name__)


def look_up_contacts(data_dir: Path, started: Started) -> list[PreviousContact]:
    """Sessions with the same caller label before this one (drills only match drills), the
    latest first. Blocking (it refreshes the local review index): call it from a worker. A
    failure is logged and shows nothing: the session matters more than the lookup."""
    from kasuhara_timer.catalog.callers import previous_contacts  # deferred: sqlite, the index

    try:
        return previous_contacts(data_dir, started.caller, before=started.at, drill=started.drill)
    except Exception:  # an unreadable index or folder must not disturb the call
        log.exception("looking up earlier contacts with %r failed", started.caller)
        return []


def contacts_line(contacts: Sequence[PreviousContact], tr: Translator, policy_language: str) -> str:
    """``この相手への対応：過去2回（最終 2026/03/28・電話・12分）``; "" when there are none."""
    if not contacts:
        return ""
    last = contacts[0]
    method = last.method_label
    if not method or tr.lang != policy_language:  # the app's word, not the document's
        method = tr(f"channel.{last.channel}")
    minutes = (
        tr("session.under_a_minute")
        if last.minutes < 1
        else tr("session.minutes", m=round(last.minutes))
    )
    return tr(
        "session.previous_contacts",
        n=len(contacts),
        date=f"{last.started_at:%Y/%m/%d}",
        method=method,
        minutes=minutes,
    )
