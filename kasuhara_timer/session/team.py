"""Who is responding to a session and who was called: folded from its events, never stored.

Every policy says the same thing first: do not face it alone. The desk, the board and the record
sheet all read the team from here, so they list the same people with the same times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kasuhara_timer.session.events import HelpAnswered, HelpRequested, Staff
from kasuhara_timer.session.state import SessionState


class Joining(StrEnum):
    """How a responder came to the session."""

    FIRST = "first"
    """Answered the call or the counter (the staff member at the start)."""
    JOINED = "joined"
    """Joined the first responder (同席・応援)."""
    TOOK_OVER = "took_over"
    """Took the session over (対応者を代わる)."""
    MANAGER = "manager"
    """The section manager took the session over (所管課長が対応を代わる)."""


@dataclass(frozen=True)
class Responder:
    """One person on the session, from when, and in what role."""

    staff: Staff
    joining: Joining
    role: str
    t: float
    at: datetime
    lead: bool
    """True for the one answering now: the last to take over, else the first responder."""


def responders(state: SessionState) -> tuple[Responder, ...]:
    """Everyone on the session in the order they came; the lead marked."""
    started = state.started
    people: list[tuple[float, Responder]] = [
        (started.t, Responder(started.staff, Joining.FIRST, "", started.t, started.at, False))
    ]
    for joined in state.joined:
        people.append(
            (
                joined.t,
                Responder(
                    joined.responder, Joining.JOINED, joined.role, joined.t, joined.at, False
                ),
            )
        )
    for handover in state.handovers:
        joining = Joining.MANAGER if handover.manager else Joining.TOOK_OVER
        people.append(
            (
                handover.t,
                Responder(handover.to, joining, handover.role, handover.t, handover.at, False),
            )
        )
    ordered = [person for _t, person in sorted(people, key=lambda item: item[0])]
    lead_index = 0
    for index, person in enumerate(ordered):
        if person.joining in (Joining.TOOK_OVER, Joining.MANAGER):
            lead_index = index
    return tuple(
        Responder(p.staff, p.joining, p.role, p.t, p.at, index == lead_index)
        for index, p in enumerate(ordered)
    )


def staff_words(staff: Staff) -> str:
    """``総務課 主査 山田`` (blank parts left out)."""
    return " ".join(part for part in (staff.section, staff.title, staff.name) if part)


def next_id(prefix: str, taken: int) -> str:
    """The reference of the next entry of a kind: ``help-1``, ``help-2``…"""
    return f"{prefix}-{taken + 1}"


def waiting(state: SessionState) -> tuple[HelpRequested, ...]:
    """Help requests no supervisor has answered yet (an answer covers the request it names and
    every earlier one: someone is on the way)."""
    if not state.help:
        return ()
    answered = {answer.request for answer in state.answers}
    ids = [request.id for request in state.help]
    last = max((ids.index(r) for r in answered if r in ids), default=-1)
    return state.help[last + 1 :]


def latest_answer(state: SessionState) -> HelpAnswered | None:
    """The latest answer to a help request, if any."""
    return state.answers[-1] if state.answers else None
