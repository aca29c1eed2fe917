"""The access log: who opened, played, exported, verified, held or purged which session, and when.

``<data>/access-log.jsonl``, one hash-chained JSON line per access (`chainlog`), appended and
fsynced before the access happens: the review and the CLI call `log_access` first and refuse the
access when it raises (a recording of a citizen is not played without a trace). Listening and
exporting are different actions, as personal-data rules ask. `access_history` feeds the review's
access-history panel.

Line format (version 1)::

    {"v":1,"prev":"<sha256 of the line before>","at":"2026-04-02T10:15:03+09:00",
     "user":"tanaka","host":"REVIEW-PC","action":"listen","session":"20260401-…","detail":"…"}
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer.integrity import roles
from kasuhara_timer.integrity.chainlog import LogProblem, append_to_log, read_log
from kasuhara_timer.session.clock import Clock, SystemClock

ACCESS_LOG = "access-log.jsonl"


class AccessAction(StrEnum):
    """What was done to a session. Each is its own word so the history tells them apart."""

    VIEW = "view"
    """The record sheet, checklist or timeline was opened in the review."""
    LISTEN = "listen"
    """The recording was played."""
    EXPORT = "export"
    """A copy left the data folder (xlsx, html, json, csv, bundle)."""
    VERIFY = "verify"
    """`kasuhara-timer verify` read every file of the session."""
    HOLD = "hold"
    """A supervisor placed a hold: nothing purges the session."""
    RELEASE = "release"
    """A supervisor released the hold."""
    PURGE = "purge"
    """Files were deleted by the retention rule (what and why: the purge log)."""
    BOARD = "board"
    """The supervisors' live board was opened (it shows every running session)."""
    LIVE = "live"
    """A running session's timeline was opened on the board."""
    REWRAP = "rewrap"
    """An encrypted session was encrypted again for the office's current supervisors."""


class AccessEntry(BaseModel):
    """One access as logged."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    at: AwareDatetime
    user: str
    host: str = ""
    action: str
    """An `AccessAction` value (kept as text so a newer version's actions still read)."""
    session: str
    detail: str = ""
    identity: str = ""
    """The supervisor identity the access was made as (`roles`); "" without one."""


@dataclass(frozen=True)
class AccessLogRead:
    """The access log as read: every entry, and every problem found (never skipped silently)."""

    path: Path
    entries: tuple[AccessEntry, ...]
    problems: tuple[LogProblem, ...]


def access_log_path(data_dir: Path) -> Path:
    """Where the access log of a data folder lives."""
    return data_dir / ACCESS_LOG


def current_user() -> str:
    """The OS login name (the uid, or "unknown", when there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def log_access(
    data_dir: Path,
    action: AccessAction | str,
    session: str,
    detail: str = "",
    *,
    clock: Clock | None = None,
    user: str | None = None,
) -> AccessEntry:
    """Append one access, fsynced, before doing it. Same arguments as the review's hook.

    Raises `StoreError` (naming the log) when it cannot be written, `AccessDenied` when this run
    may not make the access (`roles`), and `ValueError` for an action that is not an
    `AccessAction`.
    """
    return log_accesses(data_dir, [(action, session, detail)], clock=clock, user=user)[0]


def log_accesses(
    data_dir: Path,
    accesses: Sequence[tuple[AccessAction | str, str, str]],
    *,
    clock: Clock | None = None,
    user: str | None = None,
) -> list[AccessEntry]:
    """Append several accesses (action, session, detail) with one write and one fsync."""
    at = (clock or SystemClock()).now()
    who = user if user is not None else current_user()
    host = socket.gethostname()
    entries = [
        AccessEntry(
            at=at,
            user=who,
            host=host,
            action=AccessAction(action).value,
            session=s,
            detail=d,
            identity=roles.check(AccessAction(action).value),
        )
        for action, s, d in accesses
    ]
    append_to_log(access_log_path(data_dir), [_line(entry) for entry in entries])
    return entries


def _line(entry: AccessEntry) -> dict[str, object]:
    """An entry as logged; `identity` only when there is one (older lines stay the same)."""
    data = entry.model_dump(mode="json")
    if not data["identity"]:
        del data["identity"]
    return data


def read_access_log(data_dir: Path) -> AccessLogRead:
    """Every entry of the access log, with its problems (chain breaks, unreadable lines)."""
    read = read_log(access_log_path(data_dir))
    entries: list[AccessEntry] = []
    problems = list(read.problems)
    for line in read.lines:
        try:
            entries.append(AccessEntry.model_validate(line.data))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(LogProblem(line.line, f"not an access entry: {where}: {first['msg']}"))
    problems.sort(key=lambda problem: problem.line)
    return AccessLogRead(read.path, tuple(entries), tuple(problems))


def access_history(data_dir: Path, session: str) -> list[AccessEntry]:
    """The accesses to one session (by folder name), oldest first, for the review's panel."""
    return [entry for entry in read_access_log(data_dir).entries if entry.session == session]
