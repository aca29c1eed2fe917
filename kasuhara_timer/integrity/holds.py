"""A supervisor's hold: a session that nothing purges, whatever the retention rule says.

One small file per held session, ``<data>/holds/<session folder name>.json``, kept outside the
session folder so that placing or releasing a hold never changes a file of the evidence (verify
still sees the session as sealed). Placing and releasing are also written to the access log, with
the reason, so the history survives a release. A hold file that cannot be read still counts as
a hold: when in doubt, nothing is deleted.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.store.atomic import fsync_directory, make_private_dir, write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error
from kasuhara_timer.trust.keys import Signer
from kasuhara_timer.trust.signing import check_record, sign_record
from kasuhara_timer.trust.supervisor import DEFAULT_SUPERVISOR

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
    signed_by: str = ""
    """The key id of the supervisor who placed it ("" when unsigned or its signature fails)."""


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
        raw = json.loads(data.decode("utf-8"))
        check = check_record(raw) if isinstance(raw, dict) else None
        fields = {k: v for k, v in raw.items() if k not in ("by", "sig")}
        hold = Hold.model_validate(fields)
    except (ValidationError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as error:
        return _unreadable(session, f"{path} is damaged ({error})")
    if check is not None and check.valid and check.signer is not None:
        return hold.model_copy(update={"signed_by": check.signer.key_id})
    return hold


def place_hold(
    data_dir: Path,
    session: str,
    reason: str,
    *,
    clock: Clock,
    signer: Signer | None = None,
) -> tuple[Hold, bool]:
    """Hold a session (logged first), signed by the supervisor `signer` (default: the embedded
    default, which proves nothing); returns the hold and False when it was already held."""
    reason = _reason(reason)
    existing = read_hold(data_dir, session)
    if existing is not None:
        return existing, False
    key = signer if signer is not None else DEFAULT_SUPERVISOR.signer
    entry = log_access(data_dir, AccessAction.HOLD, session, reason, clock=clock, signer=key)
    hold = Hold(
        session=session, held_at=entry.at, user=key.name, host=socket.gethostname(), reason=reason
    )
    signed = sign_record(hold.model_dump(mode="json", exclude={"readable", "signed_by"}), key)
    make_private_dir(hold_path(data_dir, session).parent)
    text = json.dumps(signed, ensure_ascii=False, indent=2)
    write_atomic(hold_path(data_dir, session), text.encode("utf-8"))
    return hold.model_copy(update={"signed_by": key.key_id}), True


def release_hold(
    data_dir: Path,
    session: str,
    reason: str,
    *,
    clock: Clock,
    signer: Signer | None = None,
) -> Hold:
    """Release a hold (logged first, with the reason, signed by the supervisor `signer`);
    returns the hold that was released."""
    reason = _reason(reason)
    path = hold_path(data_dir, session)
    existing = read_hold(data_dir, session)
    if existing is None:
        raise StoreError(f"session {session} is not held", path, StoreProblem.MISSING)
    key = signer if signer is not None else DEFAULT_SUPERVISOR.signer
    log_access(data_dir, AccessAction.RELEASE, session, reason, clock=clock, signer=key)
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
