"""Desks that publish their running session for the board, without a terminal: the real store,
the real journal and the real status file, driven by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kasuhara_timer.lifecycle.folder_store import FolderSession, FolderSessionStore
from kasuhara_timer.live.status import StatusWriter, build_status
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.answers import read_answers


@dataclass
class SimulatedDesk:
    """One desk's running session and its status file."""

    session: DeskSession
    files: FolderSession
    writer: StatusWriter
    recording: str = "none"

    @property
    def name(self) -> str:
        """The session folder's name."""
        return self.files.location.name

    def publish(self) -> None:
        """Rewrite the status as the desk does after an event."""
        session = self.session
        self.writer.write(
            build_status(
                self.name,
                session.state,
                session.policy,
                session.assess(),
                self.recording,
                at=session.clock.now(),
            )
        )

    def read_answers(self) -> int:
        """Journal the answers a board wrote, as the desk's pulse does; how many were new."""
        new = 0
        for found in read_answers(self.files.location):
            answer = found.answer
            event = self.session.help_answered(
                answer.request,
                by=answer.by,
                host=answer.host,
                answered_at=answer.at,
                file=found.file,
                sha256=found.sha256,
            )
            new += event is not None
        return new

    def end(self) -> None:
        """End the session; it leaves the board."""
        self.session.end()
        self.writer.remove()
        self.files.close()


def start_desk(
    data_dir: Path,
    policy: Policy,
    clock: Clock,
    host: str,
    channel: ChannelId = ChannelId.PHONE,
    staff: Staff | None = None,
) -> SimulatedDesk:
    """A session started at `host`, journaled and on the board."""
    files = FolderSessionStore(data_dir, host).open(clock.now(), False)
    session = DeskSession.start(
        policy, channel, SessionClock(clock), files, staff=staff or Staff(), desk=host
    )
    desk = SimulatedDesk(session, files, StatusWriter(data_dir, files.location.name))
    desk.publish()
    return desk
