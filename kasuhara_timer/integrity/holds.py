"""A supervisor's hold: a session that nothing purges, whatever the retention rule says.

One small file per held session, ``<data>/holds/<session folder name>.json``, kept outside the
session folder so that placing or releasing a hold never changes a file of the evidence (verify
still sees the session as sealed). Placing and releasing are also written to the access log, with
the reason, so the history survives a release. A hold file that cannot be read still counts as
a hold: when in doubt, nothing is deleted.
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.accesslog import AccessAction, current_user, log_access
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.store.atomic import fsync_directory, make_private_dir, write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error

HOLDS_DIR = "holds"


class Hold(BaseModel):
    """Who held which session, when and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    session: str
    held_at: AwareDatetime
    user: str
    host: str
    reason: str
    readable: bool = True
    """False when the hold file exists but cannot be read: still a hold."""


def hold_path(data_dir: Path, session: str) -> Path:
    """The hold file of a session."""
    return data_dir / HOLDS_DIR / f"{session}.json"


def read_hold(data_dir: Path, session: str) -> Hold | None:
    """The session's hold, or None. An unreadable hold file is still a hold (`readable` False)."""
    path = hold_path(data_dir, session)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        return _unreadable(session, f"cannot read {path}: {error.strerror}")
    try:
        return Hold.model_validate_json(data)
    except ValidationError as error:
        return _unreadable(session, f"{path} is damaged ({error.error_count()} problems)")


def place_hold(
    data_dir: Path,
    session: str,
    reason: str,
    *,
    clock: Clock,
    user: str | None = None,
) -> tuple[Hold, bool]:
    """Hold a session (logged first); returns the hold and False when it was already held."""
    reason = _reason(reason)
    existing = read_hold(data_dir, session)
    if existing is not None:
        return existing, False
    who = user if user is not None else current_user()
    entry = log_access(data_dir, AccessAction.HOLD, session, reason, clock=clock, user=who)
    hold = Hold(
        session=session, held_at=entry.at, user=who, host=socket.gethostname(), reason=reason
    )
    make_private_dir(hold_path(data_dir, session).parent)
    write_atomic(hold_path(data_dir, session), hold.model_dump_json(indent=2).encode("utf-8"))
    return hold, True


def release_hold(
    data_dir: Path,
    session: str,
    reason: str,
    *,
    clock: Clock,
    user: str | None = None,
) -> Hold:
    """Release a hold (logged first, with the reason); returns the hold that was released."""
    reason = _reason(reason)
    path = hold_path(data_dir, session)
    existing = read_hold(data_dir, session)
    if existing is None:
        raise StoreError(f"session {session} is not held", path, StoreProblem.MISSING)
    log_access(data_dir, AccessAction.RELEASE, session, reason, clock=clock, user=user)
    try:
        path.unlink()
    except OSError as error:
        raise store_error(error, path, "remove the hold") from error
    fsync_directory(path.parent)
    return existing


def _reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise UserError("a hold needs a reason (--reason), e.g. the request or case number")
    return cleaned


def _unreadable(session: str, why: str) -> Hold:
    return Hold(
        session=session,
        held_at=datetime(1970, 1, 1, tzinfo=UTC),
        user="",
        host="",
        reason=why,
        readable=False,
    )
