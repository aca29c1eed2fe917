"""One session's recording through its phases, and the desk's set of them (no Textual here).

A recording goes ``recording → stopping → archiving → archived`` (or ``failed``), each change
under one lock, so the UI thread, the stop worker, the archive worker and the exit can never
both stop or both archive it:

* the recorder's thread calls `LiveRecording.report`, which only queues the report and calls
  the desk's `on_report` (the desk posts a message: thread-safe, never blocks);
* the UI thread journals queued reports as `RecordingChanged` events (`journal_reports`), so
  the indicator, the banner and the timeline only show what is on disk;
* after the end, `begin_stop` → `stop` (blocking, off the UI thread) → the UI journals the last
  reports (the `stopped` one) → `archive`, so `AudioArchived` is always the journal's last word
  about the recording. `archive` runs the one end-of-session path (`lifecycle.ending`) that the
  start-up tidy runs too.

The archive outlives the session screen (the staff member starts the next session at once), so
the session's files are shared: `SharedFiles` closes the journal when the last holder lets go,
and serialises record writes so the record on disk is built from the latest journal. It seals
the session (seal.json) inside the same lock after the last record write: the wrap-up's save
when no archive is due, else the archive's (whichever comes last).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer.lifecycle.folder_store import JournalCheck
from kasuhara_timer.lifecycle.ports import RecorderFactory, RecorderLike, SessionFiles
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import AudioArchived, Event
from kasuhara_timer.session.state import SessionState

if TYPE_CHECKING:
    from kasuhara_timer.audio.recorder import RecorderReport, RecordingSummary


class Phase(StrEnum):
    """Where a recording is in its life."""

    RECORDING = "recording"
    STOPPING = "stopping"
    """The end asked the recorder to stop; its last reports are still to be journaled."""
    ARCHIVING = "archiving"
    """Stopped and handed to the archive (FLAC + Opus, `AudioArchived`, record, seal)."""
    ARCHIVED = "archived"
    FAILED = "failed"
    """Stopping or archiving failed: the audio stays on disk for the next start's tidy."""
    SET_ASIDE = "set aside"
    """Stopped and finalised on disk as the app was asked to end (a signal): archived by the
    next start's tidy, since the process has seconds, not the minutes an archive may take."""


FINAL = (Phase.ARCHIVED, Phase.FAILED, Phase.SET_ASIDE)


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

    def check_journal(self) -> JournalCheck | None:
        """The journal's health (see `FolderSession.check_journal`); None when the files
        underneath cannot tell (a test's fake)."""
        check = getattr(self._files, "check_journal", None)
        return check() if callable(check) else None

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


class LiveRecording:
    """A session's recorder, its reports not yet journaled, its phase and its shared files."""

    def __init__(
        self,
        files: SharedFiles,
        clock: SessionClock,
        factory: RecorderFactory,
        on_report: Callable[[LiveRecording], object],
        words: Callable[[str], str] = str,
    ) -> None:
        self.files = files
        self.clock = clock
        self.words = words
        """The recorder's reasons in the desk's language (`recorder_words`)."""
        self.session: DeskSession | None = None
        self.summary: RecordingSummary | None = None
        """What the stopped recorder left, once handed to the archive."""
        self.done = threading.Event()
        """Set once the recording is archived (or gave up), from whichever thread did it."""
        self._on_report = on_report
        self._phase = Phase.RECORDING
        self._reports: deque[RecorderReport] = deque()
        self._lock = threading.Lock()
        self.recorder: RecorderLike = factory(files.audio_dir, clock, self.report)

    @property
    def phase(self) -> Phase:
        """Where the recording is now (any thread)."""
        with self._lock:
            return self._phase

    def _move(self, source: tuple[Phase, ...], to: Phase) -> bool:
        """Change phase when in one of `source`; False when another thread got there first."""
        with self._lock:
            if self._phase not in source:
                return False
            self._phase = to
            return True

    # -- while recording -------------------------------------------------------------------------

    def report(self, report: RecorderReport) -> None:
        """The recorder's callback, on its thread: queue the report and wake the desk."""
        with self._lock:
            self._reports.append(report)
        self._on_report(self)

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

    def level(self) -> float:
        """The microphone's loudness now in dBFS."""
        return self.recorder.level()

    # -- the end ---------------------------------------------------------------------------------

    def begin_stop(self) -> bool:
        """The session ended: True for the one caller that should now `stop` the recorder."""
        return self._move((Phase.RECORDING,), Phase.STOPPING)

    def stop(self) -> RecordingSummary | None:
        """Stop the recorder (blocking, bounded; off the UI thread); None when that failed."""
        try:
            return self.recorder.stop()
        except Exception:  # not expected (the recorder reports, it does not raise)
            return None

    def hand_to_archive(self, summary: RecordingSummary | None) -> bool:
        """The recorder stopped: True when the recording now waits for `archive`. False when it
        was already handed over, or when stopping failed (then it is `failed`, its files are
        released and the audio stays on disk for the next start)."""
        if summary is None:
            if self._move((Phase.RECORDING, Phase.STOPPING), Phase.FAILED):
                self.files.close()
                self.done.set()
            return False
        with self._lock:
            if self._phase not in (Phase.RECORDING, Phase.STOPPING) or self.summary is not None:
                return False
            self.summary = summary
            return True

    def set_aside(self) -> bool:
        """The app is asked to end: stop the recorder now (bounded) unless a stop is under way,
        and release the files; the raw audio stays, finalised, for the next start's archive.
        The caller journals the recorder's last reports, then calls `release`. True when this
        call set it aside (False: it was no longer recording)."""
        if not self.begin_stop():
            return False
        self.stop()
        return self._move((Phase.STOPPING,), Phase.SET_ASIDE)

    def release(self) -> None:
        """After `set_aside` and the last reports journaled: let go of the files."""
        if self.phase is Phase.SET_ASIDE and not self.done.is_set():
            self.files.close()
            self.done.set()

    def archive(self) -> AudioArchived | None:
        """Archive, journal `AudioArchived`, rewrite the record and seal; release the files.
        Any thread; None when another thread got there first or nothing was handed over."""
        from kasuhara_timer.lifecycle.ending import archive_recording

        summary = self.summary
        if summary is None or not self._move((Phase.RECORDING, Phase.STOPPING), Phase.ARCHIVING):
            return None
        try:
            event = archive_recording(self.files.audio_dir, summary, self.clock)
            event = event.model_copy(update={"detail": self.words(event.detail)})
            self.files.append(event)
            assert self.session is not None
            state = self.session.state.apply(event)
            self.files.write_record(state, self.session.policy, archived=True)
        except BaseException:
            self._move((Phase.ARCHIVING,), Phase.FAILED)
            raise
        else:
            self._move((Phase.ARCHIVING,), Phase.ARCHIVED)
            return event
        finally:
            self.files.close()
            self.done.set()


class Recordings:
    """The desk's recordings from their start until archived: made by the one `factory`, kept
    until final, and what the process waits for before it exits."""

    def __init__(self, factory: RecorderFactory | None) -> None:
        self.factory = factory
        self._all: list[LiveRecording] = []
        self._lock = threading.Lock()

    def start(
        self,
        files: SharedFiles,
        clock: SessionClock,
        on_report: Callable[[LiveRecording], object],
        words: Callable[[str], str] = str,
    ) -> LiveRecording | None:
        """The session's recorder, started at once (its first audio takes a moment to come).

        None without a recorder factory, and for drills on a fast clock (their session time
        is not the audio's time).
        """
        if self.factory is None or clock.speed != 1.0:
            return None
        recording = LiveRecording(files, clock, self.factory, on_report, words)
        recording.recorder.start()
        return recording

    def keep(self, recording: LiveRecording, session: DeskSession) -> None:
        """The session started: its recording is archived after the end, holding the files."""
        recording.session = session
        recording.files.retain()  # the archive's hold: the journal stays open until it is done
        recording.files.expect_archive()  # so the archive's record write seals, not the wrap-up's
        with self._lock:
            self._all = [r for r in self._all if r.phase not in FINAL]
            self._all.append(recording)

    def unfinished(self) -> list[LiveRecording]:
        """Recordings not yet archived (nor given up)."""
        with self._lock:
            return [r for r in self._all if r.phase not in FINAL]

    @property
    def busy(self) -> bool:
        """A recording is still being stopped or archived (or waits between the two)."""
        return any(r.phase is not Phase.RECORDING for r in self.unfinished())

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every recording that ended is archived (or `timeout` passes)."""
        with self._lock:
            ended = [r for r in self._all if r.phase is not Phase.RECORDING]
        return all(r.done.wait(timeout) for r in ended)
