"""The access log: who opened, played, exported, verified, held or purged which session, and when.

``<data>/access-log.jsonl``, one hash-chained JSON line per access (`chainlog`), appended and
fsynced before the access happens: the review and the CLI call `log_access` first and refuse the
access when it raises (a recording of a citizen is not played without a trace). Listening and
exporting are different actions, as personal-data rules ask. `access_history` feeds the review's
access-history panel.

Line format (version 1)::

    {"v":1,"prev":"<sha256 of the line before>","at":"2026-04-02T10:15:03+09:00",
     "user":"tanaka@REVIEW-PC","host":"REVIEW-PC","action":"listen","session":"20260401-…",
     "detail":"…","by":{…},"sig":"…"}

Every line is signed (`trust.signing`, ``prev`` included) by whoever acted: this account's own
key for views, playback, exports and verify; a supervisor's identity for holds, releases and
purges. ``user`` is the name *of that key*, never `$USER`. `read_access_log` reports lines that
are unsigned or whose signature fails, as well as chain breaks.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer import locations
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity import roles
from kasuhara_timer.integrity.chainlog import LogProblem, append_to_log, read_log
from kasuhara_timer.session.clock import Clock, SystemClock
from kasuhara_timer.trust.keys import DEFAULT_SIGNER, PublicKey, Signer, desk_signer
from kasuhara_timer.trust.signing import check_record, sign_record

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
    signer: PublicKey | None = None
    """The key that signed the line (None: unsigned or the signature failed)."""


@dataclass(frozen=True)
class AccessLogRead:
    """The access log as read: every entry, and every problem found (never skipped silently)."""

    path: Path
    entries: tuple[AccessEntry, ...]
    problems: tuple[LogProblem, ...]


def current_user() -> str:
    """The name of this account's key (``login@host`` when it was made), never `$USER`."""
    return account_signer().name


def account_signer() -> Signer:
    """This account's own key (created on first use); the embedded default when the state
    folder cannot hold one (its lines then prove nothing about who acted)."""
    try:
        return desk_signer(locations.state_dir())
    except (UserError, OSError):
        return DEFAULT_SIGNER


def access_log_path(data_dir: Path) -> Path:
    """Where the access log of a data folder lives."""
    return data_dir / ACCESS_LOG


def log_access(
    data_dir: Path,
    action: AccessAction | str,
    session: str,
    detail: str = "",
    *,
    clock: Clock | None = None,
    signer: Signer | None = None,
) -> AccessEntry:
    """Append one access, fsynced, before doing it, signed by `signer` (default: this account's
    key). Same arguments as the review's hook.

    Raises `StoreError` (naming the log) when it cannot be written, `AccessDenied` when this run
    may not make the access (`roles`), and `ValueError` for an action that is not an
    `AccessAction`.
    """
    return log_accesses(data_dir, [(action, session, detail)], clock=clock, signer=signer)[0]


def log_accesses(
    data_dir: Path,
    accesses: Sequence[tuple[AccessAction | str, str, str]],
    *,
    clock: Clock | None = None,
    signer: Signer | None = None,
) -> list[AccessEntry]:
    """Append several accesses (action, session, detail) with one write and one fsync."""
    at = (clock or SystemClock()).now()
    reviewer = roles.current()
    acting = reviewer.signer if reviewer is not None else None
    key = signer if signer is not None else acting if acting is not None else account_signer()
    who = key.name
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
    append_to_log(
        access_log_path(data_dir),
        [_line(entry) for entry in entries],
        sign=lambda line: sign_record(line, key),
    )
    return [entry.model_copy(update={"signer": key.public}) for entry in entries]


def _line(entry: AccessEntry) -> dict[str, object]:
    """An entry as logged; `identity` only when there is one (older lines stay the same)."""
    data = entry.model_dump(mode="json", exclude={"signer"})
    if not data["identity"]:
        del data["identity"]
    return data


def read_access_log(data_dir: Path) -> AccessLogRead:
    """Every entry of the access log, with its problems (chain breaks, unreadable lines)."""
    read = read_log(access_log_path(data_dir))
    entries: list[AccessEntry] = []
    problems = list(read.problems)
    for line in read.lines:
        check = check_record(line.data)
        if not check.valid:
            problems.append(LogProblem(line.line, f"{check.reason}: not attributable"))
        data = {k: v for k, v in line.data.items() if k != "signer"}
        try:
            entries.append(
                AccessEntry.model_validate(data).model_copy(
                    update={"signer": check.signer if check.valid else None}
                )
            )
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(LogProblem(line.line, f"not an access entry: {where}: {first['msg']}"))
    problems.sort(key=lambda problem: problem.line)
    return AccessLogRead(read.path, tuple(entries), tuple(problems))


def access_history(data_dir: Path, session: str) -> list[AccessEntry]:
    """The accesses to one session (by folder name), oldest first, for the review's panel."""
    return [entry for entry in read_access_log(data_dir).entries if entry.session == session]
