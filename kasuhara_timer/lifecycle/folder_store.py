"""The desk app's `SessionStore` on the real store: one session folder and journal per session.

Thin wiring only: folders and journals come from `kasuhara_timer.store`, record.json and
sheet.html from `kasuhara_timer.sheets`, both rebuilt from the journal (the single truth).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasuhara_timer.integrity.seal import seal_session
from kasuhara_timer.lifecycle.encrypting import encrypt_session, needs_encryption
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Event
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, create_session_folder
from kasuhara_timer.store.journal import Journal, JournalEntry, JournalHealth

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JournalCheck:
    """How a live session's journal is, and whether it was just written again from memory."""

    health: JournalHealth
    restored: bool
    events: int
    """Lines the journal holds (in memory, and on disk when restored or sound)."""


class FolderSession:
    """One session's folder with its open journal; encrypted to `recipients` at its close."""

    def __init__(
        self,
        folder: SessionFolder,
        journal: Journal,
        recipients: Sequence[str] = (),
        clock: Clock | None = None,
    ) -> None:
        self.folder = folder
        self.journal = journal
        self.recipients = tuple(recipients)
        self._clock = clock

    @property
    def location(self) -> Path:
        """The session folder."""
        return self.folder.path

    @property
    def audio_dir(self) -> Path:
        """The session's `audio/` folder (created with the folder, 0700)."""
        return self.folder.audio

    def append(self, event: Event) -> JournalEntry:
        """Append and fsync one event (raises `StoreError` when the disk refuses)."""
        return self.journal.append(event)

    def write_record(self, state: SessionState, policy: Policy) -> Sequence[Path]:
        """Write sheet.html and record.json from the journal; `state` is what it already holds."""
        del state  # the store rebuilds everything from the journal on disk
        save_record_and_sheet(self.folder, policy)
        return (self.folder.record, self.folder.sheet)

    def seal(self, clock: Clock) -> None:
        """Write seal.json over the session's files as they are now."""
        seal_session(self.folder, clock=clock)

    def check_journal(self) -> JournalCheck:
        """The journal's health now; a deleted or replaced journal is written again from the
        lines in memory at once (the replacement kept beside it as evidence)."""
        health = self.journal.health()
        restored = health in (JournalHealth.DELETED, JournalHealth.REPLACED) and (
            self.journal.restore()
        )
        return JournalCheck(health, restored, self.journal.seq)

    def close(self) -> None:
        """Release the journal; a session that has ended and is sealed is then encrypted to the
        supervisors (a live one, left by quitting the app, stays readable for its recovery).

        Encryption failing is logged, never raised: the tidy-up at the next start retries it.
        """
        self.journal.close()
        if not self.recipients or self._clock is None:
            return
        try:
            if needs_encryption(self.folder):
                encrypt_session(self.folder, self.recipients, clock=self._clock)
        except Exception:
            log.exception("encrypting %s failed; retried at the next start", self.folder.name)


class FolderSessionStore:
    """Creates session folders under a data folder (drills in their own sub-folder)."""

    def __init__(
        self,
        data_dir: Path,
        host: str,
        recipients: Sequence[str] = (),
        clock: Clock | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.recipients = tuple(recipients)
        """The supervisors' age recipients; empty: sessions stay plaintext."""
        self._seal_clock = clock

    def open(self, started: datetime, drill: bool) -> FolderSession:
        """A new session folder and its empty journal."""
        folder = create_session_folder(self.data_dir, started, self.host, drill)
        journal = Journal.create(folder.journal)
        return FolderSession(folder, journal, self.recipients, self._seal_clock)
