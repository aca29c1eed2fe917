"""What the supervisors' board shows: every running session's status, read incrementally.

`LiveFolder` keeps the statuses of one data folder and re-reads only the files a watcher says
changed (`refresh(changed)`), or all of them at first; `board_rows` turns them into rows at the
board's own wall time, with the same calm → near → over states as the desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from kasuhara_timer.live.status import (
    STALE_SECONDS,
    LiveStatus,
    StatusRead,
    live_dir,
    parse_status_name,
    read_status,
    status_versions,
)
from kasuhara_timer.session.escalation import Phase


class RowState(StrEnum):
    """How a row is marked, most urgent first."""

    HELP = "help"
    """A help request waits for an answer."""
    INTERRUPTED = "interrupted"
    """The desk stopped writing (it died or lost the folder) while the session ran."""
    RUNNING = "running"


@dataclass(frozen=True)
class BoardRow:
    """One running session on the board."""

    session: str
    status: LiveStatus
    state: RowState
    phase: Phase
    elapsed: float
    waiting: float | None
    """Seconds the oldest unanswered help request has waited."""
    help_at: datetime | None
    """Wall time of the oldest unanswered request."""
    help_count: int


class LiveFolder:
    """The statuses of one data folder, kept up to date from change notices."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.folder = live_dir(data_dir)
        self.statuses: dict[str, LiveStatus] = {}
        self.problems: dict[str, str] = {}

    def read(self, changed: Iterable[Path] | None = None) -> list[StatusRead]:
        """Read the newest status of the sessions `changed` names, or of every session when
        None (one listing of the folder, then one small read each; I/O only: any thread)."""
        versions = status_versions(self.data_dir)
        if changed is None:
            sessions = set(versions)
        else:
            names = (parse_status_name(path.name) for path in changed)
            sessions = {parsed[0] for parsed in names if parsed is not None}
        reads = []
        for session in sorted(sessions):
            newest = versions.get(session)
            reads.append(read_status(newest[0][1]) if newest else StatusRead(session, None))
        return reads

    def apply(self, reads: Iterable[StatusRead], *, full: bool = False) -> set[str]:
        """Take what `read` found; `full` when it read every file (the others are gone).
        Returns the sessions that changed."""
        reads = list(reads)
        touched: set[str] = set()
        if full:
            present = {read.session for read in reads}
            for gone in set(self.statuses) - present:
                del self.statuses[gone]
                touched.add(gone)
        for read in reads:
            touched.add(read.session)
            if read.status is None or read.status.ended:
                self.statuses.pop(read.session, None)
                if read.problem:
                    self.problems[read.session] = read.problem
                else:
                    self.problems.pop(read.session, None)
                continue
            self.problems.pop(read.session, None)
            self.statuses[read.session] = read.status
        return touched

    def refresh(self, changed: Iterable[Path] | None = None) -> set[str]:
        """Re-read the files in `changed` (every file when None); the sessions that changed."""
        return self.apply(self.read(changed), full=changed is None)


def elapsed_now(status: LiveStatus, now: datetime) -> float:
    """The session's elapsed seconds at the board's `now`: as written, plus the wall time since
    (never negative when the clocks of the two PCs disagree)."""
    since = max(0.0, (now - status.at).total_seconds())
    return status.t + since * status.speed


def phase_of(status: LiveStatus, elapsed: float) -> Phase:
    """calm → near → over, as the desk's bar; calm once the limit no longer counts (the
    contact ended, the police were called)."""
    if status.limit_off:
        return Phase.CALM
    remaining = status.limit_seconds - elapsed
    if remaining <= 0:
        return Phase.OVER
    if status.near_seconds and remaining <= status.near_seconds:
        return Phase.NEAR
    return Phase.CALM


def board_row(status: LiveStatus, now: datetime) -> BoardRow:
    """One status at the board's `now`."""
    stale = (now - status.at).total_seconds() > STALE_SECONDS
    answered = set(status.answered)
    ids = [h.id for h in status.help]
    last_answered = max((ids.index(r) for r in answered if r in ids), default=-1)
    open_calls = status.help[last_answered + 1 :]
    elapsed = status.t if stale else elapsed_now(status, now)
    first = open_calls[0] if open_calls else None
    waiting = max(0.0, (now - first.at).total_seconds()) if first is not None else None
    if stale:
        state = RowState.INTERRUPTED
    elif first is not None:
        state = RowState.HELP
    else:
        state = RowState.RUNNING
    return BoardRow(
        session=status.session,
        status=status,
        state=state,
        phase=phase_of(status, elapsed),
        elapsed=elapsed,
        waiting=waiting,
        help_at=first.at if first is not None else None,
        help_count=len(open_calls),
    )


_STATE_ORDER = {RowState.HELP: 0, RowState.INTERRUPTED: 1, RowState.RUNNING: 2}
_PHASE_ORDER = {Phase.OVER: 0, Phase.NEAR: 1, Phase.CALM: 2}


def board_rows(statuses: Iterable[LiveStatus], now: datetime) -> list[BoardRow]:
    """Every session, the most urgent first: waiting help (the oldest request first),
    interrupted, then over, near and calm (the longest-running first). The keys are times
    that do not move, so the order changes only when something happened."""
    rows = [board_row(status, now) for status in statuses]
    return sorted(
        rows,
        key=lambda r: (
            _STATE_ORDER[r.state],
            r.help_at or now,
            _PHASE_ORDER[r.phase],
            r.status.started_at,
            r.session,
        ),
    )
