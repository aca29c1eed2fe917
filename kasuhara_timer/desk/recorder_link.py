"""One session's recording as the desk app sees it: the recorder, its reports, the shared files.

Threads, and who does what:

* the recorder's thread calls `LiveRecording.report`, which only queues the report and posts a
  `RecorderReported` message (thread-safe, never blocks);
* the UI thread journals queued reports as `RecordingChanged` events (`journal_reports`), so
  the indicator, the banner and the timeline only show what is on disk;
* after the end, a worker stops the recorder and posts `RecordingStopped`; the UI journals the
  last reports (the `stopped` one) and only then hands the recording to the archive worker, so
  `AudioArchived` is always the journal's last word about the recording.

The archive worker outlives the session screen (the staff member starts the next session at
once), so the session's files are shared: `SharedFiles` closes the journal when the last holder
lets go, and serialises record writes so the record on disk is built from the latest journal.
It seals the session (seal.json) inside the same lock after the last record write: the
wrap-up's save when no archive is due, else the archive's (whichever comes last).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from kasuhara_timer.desk.ports import RecorderLike, SessionFiles
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Event
from kasuhara_timer.session.state import SessionState

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from kasuhara_timer.audio.recorder import RecorderReport, RecordingSummary


class SharedFiles:
    """A session's files used by the UI and by the archive worker; closed by the last one.

    `write_record` holds a lock while it reads the journal and writes the files, so when the
    wrap-up's save and the archive's event race, whichever writes last read both events. The
    seal is written in the same lock once no archive is due any more, so the last record
    write also (re)seals: a seal taken while ffmpeg still writes would be stale at once.
    """

    def __init__(self, files: SessionFiles, clock: Clock) -> None:
        self._files = files
        self._clock = clock
        """The desk's clock (not a session clock): the seal's `sealed_at`."""
        self._holders = 1
        self._lock = threading.Lock()
        self._record_lock = threading.Lock()
        self._archive_due = False

    @property
    def location(self) -> Path:
        """The session's folder."""
        return self._files.location

    @property
    def audio_dir(self) -> Path:
        """The session's audio folder."""
        return self._files.audio_dir

    def retain(self) -> None:
        """One more holder: the journal stays open until it calls `close` too."""
        with self._lock:
            self._holders += 1

    def append(self, event: Event) -> object:
        """Persist one event (the journal serialises appends from several threads)."""
        return self._files.append(event)

    def expect_archive(self) -> None:
        """A recording will be archived after the end: record writes before it do not seal."""
        with self._record_lock:
            self._archive_due = True

    def write_record(
        self, state: SessionState, policy: Policy, *, archived: bool = False
    ) -> Sequence[Path]:
        """Write record.json and sheet.html from the journal as it is now, then seal unless an
        archive is still due. `archived`: this is the archive's write (`AudioArchived` is in
        the journal), so nothing is due any more."""
        with self._record_lock:
            paths = self._files.write_record(state, policy)
            if archived:
                self._archive_due = False
            if not self._archive_due:
                self._files.seal(self._clock)
            return paths

    def seal(self, clock: Clock) -> None:
        """Seal the session now, in the record lock (never halfway through a record write).
        Kept so `SharedFiles` is itself a `SessionFiles` (the screens take one)."""
        with self._record_lock:
            self._files.seal(clock)

    def close(self) -> None:
        """This holder is done; the journal is released when no holder is left."""
        with self._lock:
            self._holders -= 1
            last = self._holders == 0
        if last:
            self._files.close()


class RecorderReported(Message):
    """The recorder reported a change; its report waits in `live` to be journaled."""

    def __init__(self, live: LiveRecording) -> None:
        super().__init__()
        self.live = live


class RecordingStopped(Message):
    """The recorder of an ended session has stopped; `summary` says what is on disk (None when
    stopping failed: the audio stays as it is for the next start to archive)."""

    def __init__(self, live: LiveRecording, summary: RecordingSummary | None) -> None:
        super().__init__()
        self.live = live
        self.summary = summary


class LiveRecording:
    """A session's recorder, its reports not yet journaled, and where the session's files are."""

    def __init__(
        self,
        target: MessagePump,
        files: SharedFiles,
        clock: SessionClock,
        words: Callable[[str], str] = str,
    ) -> None:
        self._target = target
        self.files = files
        self.clock = clock
        self.words = words
        """The recorder's reasons in the desk's language (`recorder_words`)."""
        self.recorder: RecorderLike | None = None
        self.session: DeskSession | None = None
        self.stopping = False
        """The end has asked the recorder to stop (UI thread only)."""
        self.archiving = False
        """The recording went to the archive (UI thread only): at most once."""
        self.archived = threading.Event()
        """Set once the archive is done (or gave up), from whichever thread did it."""
        self.summary: RecordingSummary | None = None
        """What the stopped recorder left, once handed to the archive."""
        self._claimed = False
        self._reports: deque[RecorderReport] = deque()
        self._lock = threading.Lock()

    def report(self, report: RecorderReport) -> None:
        """The recorder's callback, on its thread: queue the report and wake the UI."""
        with self._lock:
            self._reports.append(report)
        self._target.post_message(RecorderReported(self))

    @property
    def pending(self) -> bool:
        """Reports are waiting to be journaled (after a failed journal write, say)."""
        with self._lock:
            return bool(self._reports)

    def journal_reports(self) -> list[Event]:
        """Journal the queued reports in order, on the UI thread.

        A report leaves the queue only once its event is on disk: if the journal refuses it
        (`UserError`, `OSError`, raised to the caller), it is tried again next time.
        """
        events: list[Event] = []
        session = self.session
        if session is None:
            return events
        while True:
            with self._lock:
                if not self._reports:
                    return events
                report = self._reports[0]
            detail = self.words(report.detail)
            events.append(session.recording_changed(report.state, detail, report.gap_seconds))
            with self._lock:
                self._reports.popleft()

    def claim_archive(self) -> bool:
        """True for the first thread that asks: that one archives, any other stands back."""
        with self._lock:
            claimed, self._claimed = self._claimed, True
        return not claimed

    def level(self) -> float | None:
        """The microphone's loudness now in dBFS, or None without a recorder."""
        return self.recorder.level() if self.recorder is not None else None
