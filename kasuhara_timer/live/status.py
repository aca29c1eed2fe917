"""The live status of a running session: a small JSON file the desk rewrites, the board reads.

``<data>/live/<session folder>.<version>.json`` (drills too, marked), written by the desk after
every journaled event and every `HEARTBEAT_SECONDS` under the next version's name, the older
one removed after it, and all removed when the session ends. A new name each time, because a
polling watcher (SMB shares) compares modification times to the second and would miss a file
rewritten twice within one; a new name is a change it always sees. It is
a view derived from the journal, never evidence: the journal stays the truth, and the file holds
only what the board shows (no caller label, no notes). A file whose heartbeat stopped is a desk
that died mid-session: the board shows it as interrupted until that desk closes or resumes it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.escalation import Assessment
from kasuhara_timer.session.events import Staff
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.session.team import responders, staff_words
from kasuhara_timer.store.atomic import make_private_dir
from kasuhara_timer.store.errors import store_error

LIVE_DIR = "live"
STATUS_VERSION = 1
HEARTBEAT_SECONDS = 20.0
"""How often a desk rewrites an unchanged status, so the board can tell a dead desk."""
STALE_SECONDS = 3 * HEARTBEAT_SECONDS
"""A status older than this (by the board's clock) belongs to a desk that stopped."""


class HelpCall(BaseModel):
    """One help request as the board shows it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    at: AwareDatetime
    t: float
    call: str = ""


class LiveStatus(BaseModel):
    """What the board shows of one running session."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    v: int = STATUS_VERSION
    session: str = Field(description="The session folder's name.")
    drill: bool = False
    desk: str = ""
    staff: Staff = Staff()
    """The responder answering now (the last to take over, else the first)."""
    responders: tuple[str, ...] = ()
    """Everyone on the session, in the order they came."""
    channel: ChannelId
    channel_label: str = ""
    started_at: AwareDatetime
    t: float = Field(description="Session-clock seconds when written.")
    at: AwareDatetime = Field(description="The desk's wall time when written.")
    speed: float = 1.0
    limit_seconds: float
    near_seconds: float = Field(description="Seconds before the limit the first notice comes.")
    step: str = ""
    immediate: bool = False
    tags: int = 0
    recording: str = "none"
    help: tuple[HelpCall, ...] = ()
    answered: tuple[str, ...] = ()
    """Ids of the help requests answered, as the desk journaled them."""
    answered_by: str = ""
    resumed: bool = False
    ended: bool = False
    limit_off: str = Field(
        default="",
        description="Why the limit no longer counts: 'contact_ended' (切電, the visitor left) or "
        "'police' (the police were called); '' while it does. The board then shows no "
        "notice and no overtime, as the desk does.",
    )


def live_dir(data_dir: Path) -> Path:
    """The folder of live status files in a data folder."""
    return data_dir / LIVE_DIR


def status_name(session: str, version: int) -> str:
    """The file name of one version of a session's status."""
    return f"{session}.{version}.json"


def parse_status_name(name: str) -> tuple[str, int] | None:
    """(session, version) of a status file name; None for any other file."""
    if name.startswith(".") or not name.endswith(".json"):
        return None
    session, _, version = name.removesuffix(".json").rpartition(".")
    if not session or not version.isdigit():
        return None
    return session, int(version)


def status_versions(data_dir: Path) -> dict[str, list[tuple[int, Path]]]:
    """Session → its status files (version, path), newest first; one listing of the folder."""
    found: dict[str, list[tuple[int, Path]]] = {}
    try:
        entries = list(live_dir(data_dir).iterdir())
    except FileNotFoundError:
        return {}
    for entry in entries:
        parsed = parse_status_name(entry.name)
        if parsed is not None:
            found.setdefault(parsed[0], []).append((parsed[1], entry))
    for versions in found.values():
        versions.sort(reverse=True)
    return found


def current_status_path(data_dir: Path, session: str) -> Path | None:
    """The newest status file of `session`, or None when it has none (ended, or never ran)."""
    versions = status_versions(data_dir).get(session)
    return versions[0][1] if versions else None


def build_status(
    session: str,
    state: SessionState,
    policy: Policy,
    assessment: Assessment,
    recording: str,
    *,
    at: AwareDatetime,
) -> LiveStatus:
    """The status of a session now (`assessment` at the session clock's now, `at` the wall)."""
    started = state.started
    team = responders(state)
    lead = next((r.staff for r in team if r.lead), started.staff)
    limit = assessment.limit
    prewarnings = [p * 60 for p in limit.prewarnings]
    current = assessment.current
    return LiveStatus(
        session=session,
        drill=started.drill,
        desk=started.desk,
        staff=lead,
        responders=tuple(staff_words(r.staff) or "—" for r in team),
        channel=started.channel,
        channel_label=policy.channel(started.channel).label,
        started_at=started.at,
        t=assessment.elapsed,
        at=at,
        speed=started.speed,
        limit_seconds=limit.minutes * 60,
        near_seconds=max(prewarnings, default=0),
        step=current.title if current is not None else "",
        immediate=state.immediate_at is not None,
        tags=len(state.tags),
        recording=recording,
        help=tuple(HelpCall(id=h.id, at=h.at, t=h.t, call=h.call) for h in state.help),
        answered=tuple(a.request for a in state.answers),
        answered_by=state.answers[-1].by if state.answers else "",
        resumed=any(e.kind == "resumed" for e in state.events),
        ended=state.ended is not None,
        limit_off=assessment.limit_off.value if assessment.limit_off is not None else "",
    )


class StatusWriter:
    """The desk's writer of one session's status files (their only writer)."""

    def __init__(self, data_dir: Path, session: str) -> None:
        self.data_dir = data_dir
        self.session = session
        self.folder = live_dir(data_dir)
        self.path: Path | None = None
        """The version written last."""
        self._version: int | None = None

    def write(self, status: LiveStatus) -> None:
        """Write the next version (atomically, without fsync: a lost status is rewritten at
        the next heartbeat, and the journal holds the truth), then drop the older ones.
        `StoreError` naming the file on failure."""
        data = status.model_dump_json().encode("utf-8")
        older: list[Path] = []
        if self._version is None:  # a resumed session's earlier run may have left versions
            versions = status_versions(self.data_dir).get(self.session, [])
            self._version = versions[0][0] if versions else 0
            older = [path for _v, path in versions]
        elif self.path is not None:
            older = [self.path]
        self._version += 1
        path = self.folder / status_name(self.session, self._version)
        try:
            make_private_dir(self.folder)
            _write_new(path, data)
        except OSError as error:
            raise store_error(error, path, "write the live status") from error
        self.path = path
        for old in older:
            with contextlib.suppress(OSError):
                old.unlink()

    def remove(self) -> None:
        """The session ended: it leaves the board."""
        remove_status(self.data_dir, self.session)
        self.path = None


def remove_status(data_dir: Path, session: str) -> None:
    """Drop every status file of a session (closed after a crash, or ended)."""
    for _version, path in status_versions(data_dir).get(session, []):
        with contextlib.suppress(OSError):
            path.unlink()


def _write_new(path: Path, data: bytes) -> None:
    """`data` under `path`, appearing whole (written aside, then renamed)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@dataclass(frozen=True)
class StatusRead:
    """One status file as read: its status, or why it could not be read."""

    session: str
    status: LiveStatus | None
    problem: str = ""


def read_status(path: Path) -> StatusRead:
    """Read one status file; a missing one is None with no problem (the session ended)."""
    parsed = parse_status_name(path.name)
    session = parsed[0] if parsed is not None else path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return StatusRead(session, None)
    except OSError as error:
        return StatusRead(session, None, f"{path}: {error.strerror or error}")
    try:
        return StatusRead(session, LiveStatus.model_validate_json(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(file)"
        return StatusRead(session, None, f"{path}: {where}: {first['msg']}")
