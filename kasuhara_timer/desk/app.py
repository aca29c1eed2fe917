"""The desk app: idle → session → wrap-up → idle, wired to the domain and the store.

The app only wires: `DeskSetup` carries the policy, the clock, the store and the settings; the
screens call `DeskSession` (which journals before anything is shown) and repaint from its state.

Recording (`lifecycle/recording.py` owns each recording's phases and threads): each session gets
its own recorder, started with the session so every event carries its place in the audio. At
the end a worker stops it and another archives it in the background (`lifecycle/ending.py`,
the same path the start-up tidy takes), journaling `AudioArchived` into that session's journal
and rewriting its record, while the staff member is already in the wrap-up or the next session.

At start (`desk/resume_flow.py`), in the background: one look at the data folder
(`lifecycle/lookback.py`) finds this desk's sessions a crash left running, offered one by one
(continue, close as interrupted, or later), and finishes what an earlier run left undone;
record sheets never saved are offered on the idle screen (`f`), to be finished from their draft.

Asked to end by the system (SIGTERM, SIGHUP, SIGINT, the Windows console's close), the app ends
cleanly without asking (`terminated`): typing journaled, recorders stopped, journals closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kasuhara_timer import __version__
from kasuhara_timer.desk.messages import (
    FinishSheetRequested,
    InterruptedClosed,
    InterruptedFound,
    LeftoversFinished,
    RecorderReported,
    RecordingStopped,
    RecordSaved,
    SessionEnded,
    SheetLeftUnsaved,
    StartRequested,
)
from kasuhara_timer.desk.recorder_words import recorder_words
from kasuhara_timer.desk.resume_flow import RecoveryFlow
from kasuhara_timer.desk.screens.confirm import ConfirmQuit
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator, document_words
from kasuhara_timer.lifecycle.ports import SessionFiles
from kasuhara_timer.lifecycle.recording import (
    FINAL,
    LiveRecording,
    Phase,
    Recordings,
    SharedFiles,
)
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import Instant, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.timeline import duration_words
from kasuhara_timer.system.signals import Termination, on_termination, terminal_gone
from kasuhara_timer.ui.keys import ImeKeys, localize

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

STYLES = Path(__file__).parent / "styles"

WORKER_FAILURES = {
    "stop": "recording.stop_failed",
    "interrupted": "recovery.scan_failed",
    "leftovers": "tidy.failed",
}
"""How a worker that raised is reported, by worker name (the archive's words otherwise)."""


class DeskApp(ImeKeys[None]):
    """The desk-side timer and escalation assistant."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "app.tcss",
        STYLES / "idle.tcss",
        STYLES / "session.tcss",
        STYLES / "wrapup.tcss",
        STYLES / "confirm.tcss",
        STYLES / "interrupted.tcss",
        STYLES / "responder.tcss",
    ]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "key.quit",
            tooltip="key.quit.tip",
            id="app.quit",
            priority=True,
        ),
    ]

    def __init__(self, setup: DeskSetup) -> None:
        super().__init__()
        self.setup = setup
        self.tr = Translator(setup.lang)
        self.document_words = document_words(setup.policy.profile.language)
        """The record sheet's language (the profile's), for words the journal keeps."""
        self.ime_words = self.tr
        localize(self, self.tr)
        self.set_keymap(dict(setup.keymap))
        self.title = self.tr("app.title")
        self.recordings = Recordings(setup.recorder_factory)
        """Each session's recording from its start until archived."""
        self.recovery = RecoveryFlow(self)
        """What an earlier run left: finished at start, its running sessions offered."""
        self.termination: Termination | None = None
        """The signal and console handlers (`DeskSetup.handle_signals`)."""
        self.terminated_by = ""
        """What asked the app to end (``SIGTERM``…); "" unless it was asked."""

    def bell(self) -> None:
        """Textual rings on errors and refused clicks too: only when the office turned the bell
        on (`DeskSetup.bell`), since a caller on the line could hear it."""
        if self.setup.bell:
            super().bell()

    def get_default_screen(self) -> Screen[None]:
        return IdleScreen()

    def on_mount(self) -> None:
        if self.setup.handle_signals:
            self.termination = on_termination(asyncio.get_running_loop(), self.terminated)
        self.recovery.look_back()
        if self.setup.start_channel is not None:  # once the look says nothing was left running
            self.recovery.launch(self.setup.start_channel, self.setup.launched)

    @on(StartRequested)
    def _start_requested(self, message: StartRequested) -> None:
        self.recovery.cancel_launch()
        started = self.start_session(
            message.channel, message.staff, message.caller, began=message.began
        )
        if started:
            self._idle().session_started()

    @on(SessionEnded)
    def _session_ended(self, message: SessionEnded) -> None:
        if message.recording is not None:
            self.finish_recording(message.recording)

    @on(RecordSaved)
    def _record_saved(self, message: RecordSaved) -> None:
        if message.recording is not None:
            self.finish_recording(message.recording)
        self.show_saved(message.location, message.files)

    def start_session(
        self,
        channel: ChannelId,
        staff: Staff | None = None,
        caller: str = "",
        *,
        began: Instant | None = None,
    ) -> bool:
        """Open a session folder, journal `Started` and show the session screen.

        `began`: the staff member's act (the key, the shortcut's launch) the session counts
        from; None: now. Returns False (and says why on the idle screen) when the store cannot
        start it.
        """
        setup = self.setup
        staff = staff if staff is not None else setup.staff_book.load()
        live: LiveRecording | None = None
        try:
            files = SharedFiles(setup.store.open(setup.clock.now(), setup.drill), setup.clock)
            try:
                # The session counts from the act; the recorder journals the wait for the first
                # audio as a gap. A drill on a fast clock counts from its folder instead (a
                # second of start-up would show as a minute).
                speed = setup.speed if setup.drill else 1.0
                clock = SessionClock(setup.clock, speed=speed, began=began if speed == 1 else None)
                live = self._start_recording(files, clock)
                session = DeskSession.start(
                    setup.policy,
                    channel,
                    clock,
                    files,
                    drill=setup.drill,
                    staff=staff,
                    desk=setup.desk,
                    caller=caller,
                    profile_source=setup.profile_source,
                    app_version=__version__,
                    audio=live.recorder.mark if live is not None else _no_audio,
                )
            except BaseException:
                if live is not None:
                    _stop_in_background(live)
                files.close()
                raise
        except (UserError, OSError) as error:
            self._idle().show_error(self.tr("app.error", error=error))
            return False
        self._keep_recording(live, session)
        self.show_session(session, files, live)
        return True

    def continue_session(self, session: DeskSession, files: SharedFiles) -> None:
        """Show a session resumed after a crash, recording it again as a new one is (the
        recorder continues the folder's segments; the session clock is the resumed one)."""
        live = self._start_recording(files, session.clock)
        if live is not None:
            session.audio = live.recorder.mark
        self._keep_recording(live, session)
        self.show_session(session, files, live)

    def _keep_recording(self, live: LiveRecording | None, session: DeskSession) -> None:
        if live is not None:
            self.recordings.keep(live, session)

    def show_session(
        self, session: DeskSession, files: SessionFiles, live: LiveRecording | None = None
    ) -> None:
        """Show a live session: one just started, or one resumed after a crash (whose journal,
        reopened by the recovery, is wrapped in `folder_store.FolderSession`)."""
        self.push_screen(SessionScreen(session, files, live))

    # -- recording -------------------------------------------------------------------------------

    def _start_recording(self, files: SharedFiles, clock: SessionClock) -> LiveRecording | None:
        """The session's recorder, started at once (None: not recorded, see `Recordings`)."""
        return self.recordings.start(
            files,
            clock,
            lambda live: self.post_message(RecorderReported(live)),
            # journaled and printed on the sheet: in the document's language, not the desk's
            lambda detail: recorder_words(detail, self.document_words),
        )

    @on(RecorderReported)
    def _recorder_reported(self, message: RecorderReported) -> None:
        for screen in self.screen_stack:  # the session may sit under the quit dialog
            if isinstance(screen, SessionScreen) and screen.live is message.live:
                screen.recording_reported()
                return
        self._journal_reports(message.live)

    def _journal_reports(self, live: LiveRecording) -> None:
        """Journal a session's reports when its screen is gone (after the end)."""
        try:
            live.journal_reports()
        except (UserError, OSError) as error:
            self.notify(self.tr("app.error", error=error), severity="error", timeout=30)

    def finish_recording(self, live: LiveRecording) -> None:
        """The session ended: stop its recorder in a worker, then archive in another."""
        if live.begin_stop():
            self._stop_recorder(live)

    @work(thread=True, exclusive=False, exit_on_error=False, group="recorder", name="stop")
    def _stop_recorder(self, live: LiveRecording) -> None:
        summary = live.stop()
        if summary is None:
            log.error("stopping the recorder of %s failed", live.files.location)
        # Posted after the recorder's last report, so it is handled after that report.
        self.post_message(RecordingStopped(live, summary))

    @on(RecordingStopped)
    def _recording_stopped(self, message: RecordingStopped) -> None:
        live = message.live
        self._journal_reports(live)  # `stopped` goes before `audio_archived`
        if live.hand_to_archive(message.summary):
            self._archive(live)
        elif live.phase is Phase.FAILED:  # the audio stays on disk; the next start archives it
            self.notify(self.tr("recording.stop_failed", error=live.files.location), timeout=60)

    def finish_recording_now(self, live: LiveRecording) -> None:
        """Closing the app: stop the recorder here (bounded) and archive in a thread the process
        waits for, since no worker outlives the app."""
        if live.phase in FINAL or live.phase is Phase.ARCHIVING:
            return
        live.begin_stop()
        summary = live.summary or live.stop()
        self._journal_reports(live)
        live.hand_to_archive(summary)
        if live.summary is not None:
            # Not a daemon: the process waits for it after the app has gone.
            threading.Thread(
                target=self._archive_quietly, args=(live,), name="archive-at-exit"
            ).start()

    def wait_for_archives(self, timeout: float | None = None) -> bool:
        """Block until every recording that ended is archived (or `timeout` passes); True when
        all are. The public way for tests (and for a caller that outlives the app) to wait for
        the archives; the app itself never calls it."""
        return self.recordings.wait(timeout)

    @work(thread=True, exclusive=False, exit_on_error=False, group="archive", name="archive")
    def _archive(self, live: LiveRecording) -> tuple[Path, float] | None:
        event = live.archive()
        return (live.files.location, event.seconds) if event is not None else None

    def _archive_quietly(self, live: LiveRecording) -> None:
        try:
            live.archive()
        except Exception:  # the app is closing; the next start archives it again
            log.exception("archiving %s failed", live.files.location)

    # -- what an earlier run left ------------------------------------------------------------

    @on(InterruptedFound)
    def _interrupted_found(self, message: InterruptedFound) -> None:
        self.recovery.found(message.sessions, message.error)

    @on(InterruptedClosed)
    def _interrupted_closed(self, message: InterruptedClosed) -> None:
        self.recovery.closed(message.found, message.error)

    @on(LeftoversFinished)
    def _leftovers_finished(self, message: LeftoversFinished) -> None:
        self.recovery.tidied(message.problems, message.unfinished)

    @on(FinishSheetRequested)
    def _finish_sheet(self, message: FinishSheetRequested) -> None:
        self.recovery.finish_sheet(message.sheet)

    @on(SheetLeftUnsaved)
    def _sheet_left(self, message: SheetLeftUnsaved) -> None:
        self.recovery.tidy_up()  # it is offered again, with whatever else is left

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Say when a recording is safe, or why it is not (the raw audio stays on disk)."""
        worker, tr = event.worker, self.tr
        if worker.state is WorkerState.ERROR:
            error = worker.error
            key = WORKER_FAILURES.get(worker.name or "", "archive.failed")
            self.notify(tr(key, error=error), severity="error", timeout=60)
        elif worker.state is WorkerState.SUCCESS and worker.name == "archive" and worker.result:
            location, seconds = worker.result
            words = duration_words(seconds, tr)
            self.notify(tr("archive.done", folder=location.name, duration=words), timeout=8)

    @property
    def archiving(self) -> bool:
        """A recording is still being stopped or archived (or waits between the two), or the
        start-up look back is still finishing an earlier run's (the process waits at exit)."""
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        workers = [w for w in self.workers if w.group in ("recorder", "archive", "recovery")]
        return self.recordings.busy or any(w.state in busy for w in workers)

    def show_saved(self, location: Path, files: tuple[Path, ...]) -> None:
        """Back to the idle screen, telling where the record was written."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._idle().show_saved(location, files)
        self.recovery.offer_next()

    def _idle(self) -> IdleScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, IdleScreen)
        return screen

    async def action_quit(self) -> None:
        """Quit, asking first while a session or an unsaved sheet is open."""
        screen = self.screen
        if isinstance(screen, ConfirmQuit):
            return
        if isinstance(screen, SessionScreen | WrapUpScreen):
            explain = "quit.explain" if isinstance(screen, SessionScreen) else "quit.explain_wrapup"
            if isinstance(screen, SessionScreen) and screen.journal_lost:
                explain = "quit.explain_lost"  # never claim what is not on disk

            def answered(close: bool | None) -> None:
                if close:
                    screen.wind_up()
                    if screen.live is not None:  # paused on the sheet, still to stop
                        self.finish_recording_now(screen.live)
                    self._close()

            self.push_screen(ConfirmQuit(self.tr, self.tr(explain)), answered)
            return
        self._close()

    def terminated(self, why: str) -> None:
        """The system asked the app to end (SIGTERM; SIGHUP: the terminal window closed;
        SIGINT; the Windows console closed): end now without asking, keeping everything.

        Each recorder still recording is stopped (its audio finalised on disk, `stopped`
        journaled) and set aside for the next start to archive; the record sheet being typed
        is journaled as a draft and the record written without a sheet (the next start offers
        to finish it); a session still running keeps its note and is left as it stands, to be
        continued or closed at the next start. Then every journal is closed and the app exits.
        """
        if self.terminated_by:
            return
        self.terminated_by = why or "signal"
        log.warning("asked to end (%s): keeping what is open", why)
        if why in ("SIGHUP", "CTRL_CLOSE") and self.setup.handle_signals:
            terminal_gone()  # nothing more can be shown; the exit must not fail on it
        try:
            for screen in reversed(self.screen_stack):  # the typing first: seconds may be all
                with contextlib.suppress(Exception):
                    if isinstance(screen, WrapUpScreen):
                        screen.keep_draft()
                    elif isinstance(screen, SessionScreen):
                        screen.keep_note()
            for live in self.recordings.unfinished():
                if live.set_aside():
                    self._journal_reports(live)
                    live.release()
            for screen in reversed(self.screen_stack):
                try:
                    if isinstance(screen, WrapUpScreen):
                        screen.wind_up()
                    elif isinstance(screen, SessionScreen):
                        screen.leave_running()
                except Exception:  # the next screen's typing matters as much
                    log.exception("keeping %s failed", screen)
        finally:
            if self.termination is not None:
                self.termination.done()
            self.exit(return_code=0)

    def on_unmount(self) -> None:
        """However the app ends (a crash inside Textual, a test that failed), no recorder goes
        on capturing in the background: each still recording is stopped here (bounded), its
        audio finalised on disk for the next start's tidy to archive. `_close` has already
        stopped and handed over every recording of a normal exit."""
        for live in self.recordings.unfinished():
            if live.begin_stop():
                live.stop()
        if self.termination is not None:
            self.termination.remove()

    def _close(self) -> None:
        """Exit; recordings still stopping are finished first, and if any archive is still
        running the terminal says so while the process waits for it."""
        for live in self.recordings.unfinished():  # a worker not started yet never will
            if live.phase is not Phase.RECORDING:
                self.finish_recording_now(live)
        self.exit(message=self.tr("quit.archiving") if self.archiving else None)


def _no_audio() -> None:
    return None


def _stop_in_background(live: LiveRecording) -> None:
    """A session that failed to start: release its recorder without waiting for it."""
    threading.Thread(target=live.recorder.stop, name="audio-stop", daemon=True).start()
