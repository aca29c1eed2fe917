"""The desk's start after a crash: offer what was left running, finish what was left undone.

One worker starts with the app, so the idle screen is usable at once even on a slow share. It
looks at the data folder once (`lifecycle.lookback.look_back`: one listing, one read of each of
this desk's journals), then:

* answers with the sessions without an end (`InterruptedFound`); each is offered in turn
  (`RecoveryScreen`) whenever the idle screen is showing. A desk launched with ``--channel``
  starts its session only once that answer is in (the session still counts from the launch):
  with a session of this desk left running it first asks, in the same modal, whether this is
  that call going on (`r`) or a new one (`n`) — never a passing toast, never a new 0:00
  session beside the call it continues;
* finishes the ended ones an earlier run left undone (`Lookback.finish`: archive, then record,
  then seal — the same end-of-session path as a live end) and answers `LeftoversFinished`.
  One run at a time (a lock); again after each session closed as interrupted (its audio, seal).
* with that answer, this desk's record sheets never saved (`lifecycle.unfinished`): the idle
  screen says how many, `f` opens the oldest with its draft (`finish_sheet`).

Continuing a session reopens its journal through `lifecycle.interrupted.resume_session` (which
builds the session clock from the original start, after everything slow) wrapped in the
desk's own `SharedFiles`, and the app records it as it records a new one. Closing runs in a
worker: `close_interrupted` (Ended at the end of the evidence, record and sheet), then the seal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from kasuhara_timer.desk.messages import InterruptedClosed, InterruptedFound, LeftoversFinished
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.interrupted import RecoveryChoice, RecoveryScreen
from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.encrypting import encrypt_finished
from kasuhara_timer.lifecycle.lookback import PolicyCache
from kasuhara_timer.lifecycle.recording import SharedFiles

if TYPE_CHECKING:
    from kasuhara_timer.desk.app import DeskApp
    from kasuhara_timer.lifecycle.interrupted import Interrupted
    from kasuhara_timer.lifecycle.unfinished import UnfinishedSheet
    from kasuhara_timer.policy.models import ChannelId
    from kasuhara_timer.session.clock import Instant
    from kasuhara_timer.store.journal import Journal


class RecoveryFlow:
    """One desk app's start-up recovery: its queue of sessions to offer and its workers."""

    def __init__(self, app: DeskApp) -> None:
        self.app = app
        self.setup = app.setup
        self.tr = app.tr
        self.policies = PolicyCache(app.setup.policy, app.setup.profile_source)
        self._waiting: list[Interrupted] = []
        self._total = 0
        self._asking = False
        self._error = ""
        self._told_waiting = False
        self._tidy_lock = threading.Lock()
        self.unfinished: tuple[UnfinishedSheet, ...] = ()
        """This desk's record sheets never saved, as the last look found them."""
        self._running = 0
        """Workers started whose answer the UI has not handled yet."""
        self._launch: tuple[ChannelId, Instant | None] | None = None
        """The session the desk was launched for (``--channel``), until the look at start
        says whether a session of this desk was left running."""

    @property
    def busy(self) -> bool:
        """A look, a tidy-up or a close is still under way (for tests and for the exit)."""
        return self._running > 0

    # -- workers -------------------------------------------------------------------------------

    def look_back(self) -> None:
        """At start: look for running sessions and finish what was left, off the UI thread.
        The one worker answers twice (`InterruptedFound`, then `LeftoversFinished`)."""
        if self.setup.data_dir is not None:
            self._run(partial(self._look, offer=True), "look back", answers=2)

    def tidy_up(self) -> None:
        """Archive, write records, seal: what a close (or an earlier run) left undone."""
        if self.setup.data_dir is not None:
            self._run(partial(self._look, offer=False), "tidy up")

    def _run(self, work: Callable[[], None], name: str, answers: int = 1) -> None:
        """A worker thread that always answers with messages (handled on the UI thread)."""
        self._running += answers
        self.app.run_worker(work, thread=True, group="recovery", name=name, exit_on_error=False)

    def _look(self, *, offer: bool) -> None:
        from kasuhara_timer.lifecycle.lookback import look_back  # deferred: audio, numpy

        tr, setup = self.tr, self.setup
        assert setup.data_dir is not None
        problems: list[str] = []
        with self._tidy_lock:
            try:
                found = look_back(setup.data_dir, setup.desk)
            except Exception as error:  # an unreadable share: say so, the desk still works
                if offer:
                    self.app.post_message(InterruptedFound((), str(error)))
                self.app.post_message(LeftoversFinished([tr("tidy.failed", error=error)]))
                return
            if offer:
                self.app.post_message(InterruptedFound(found.interrupted))
            try:
                undone = found.finish(self.policies, setup.clock)
                undone += encrypt_finished(
                    setup.data_dir, setup.desk, setup.encrypt_to, clock=setup.clock
                )
                problems += [tr("tidy.failed", error=problem) for problem in undone]
            except Exception as error:  # never expected: `finish` reports per folder
                problems.append(tr("tidy.failed", error=error))
        # After the finish: an unsaved sheet's recording is archived before it is offered.
        self.app.post_message(LeftoversFinished(problems, found.unfinished))

    def _close(self, found: Interrupted) -> None:
        from kasuhara_timer.integrity.seal import seal_session
        from kasuhara_timer.lifecycle.interrupted import close_interrupted

        try:
            policy = self.policies.get(found.profile, found.profile_source)
            close_interrupted(found.folder, policy, self.setup.clock)
            seal_session(found.folder, clock=self.setup.clock)
        except Exception as error:  # said in the question, asked again: never left hanging
            self.app.post_message(InterruptedClosed(found, str(error)))
            return
        self.app.post_message(InterruptedClosed(found))

    # -- the offers ----------------------------------------------------------------------------

    def launch(self, channel: ChannelId, began: Instant | None) -> None:
        """Start the session the desk was launched for once the look at start has answered
        (`found`); at once when there is no data folder to look in."""
        if self.setup.data_dir is None:
            self.app.start_session(channel, began=began)
            return
        self._launch = (channel, began)

    def cancel_launch(self) -> None:
        """The staff member started a session themselves before the look came back."""
        self._launch = None

    def _ask_at_launch(self) -> bool:
        """Ask about the session left running most like the launched one (same channel, the
        latest), or start the launched session when none can be continued. True: asking."""
        launch, self._launch = self._launch, None
        if launch is None:
            return False
        channel, began = launch
        candidates = [s for s in self._waiting if s.resumable and not s.damaged]
        if not candidates:
            self.app.start_session(channel, began=began)
            return False

        def likeness(candidate: Interrupted) -> tuple[bool, float]:
            started = candidate.started_at
            return (candidate.channel == channel, started.timestamp() if started else 0.0)

        found = max(candidates, key=likeness)
        self._asking = True
        screen = RecoveryScreen(found, self.tr, 1, self._total, self._error, launch=channel)
        self._error = ""
        self.app.push_screen(screen, partial(self._answered_at_launch, found, channel, began))
        return True

    def _answered_at_launch(
        self,
        found: Interrupted,
        channel: ChannelId,
        began: Instant | None,
        choice: RecoveryChoice | None,
    ) -> None:
        self._asking = False
        if choice == "resume":
            error = self.resume(found)
            if error:  # asked again, saying why
                self._error = error
                self._launch = (channel, began)
                self._ask_at_launch()
                return
            self._waiting.remove(found)
        else:
            self.app.start_session(channel, began=began)
        self.offer_next()

    def tidied(
        self, problems: Sequence[str], unfinished: Sequence[UnfinishedSheet] | None = None
    ) -> None:
        """The tidy-up came back: say what could not be finished (it is tried again), and
        offer the record sheets never saved on the idle screen."""
        self._running -= 1
        for problem in problems:
            self.app.notify(problem, severity="error", timeout=60)
        if unfinished is not None:
            self.unfinished = tuple(unfinished)
            self._idle().show_unfinished(self.unfinished)

    def _idle(self) -> IdleScreen:
        screen = self.app.screen_stack[0]
        assert isinstance(screen, IdleScreen)
        return screen

    def finish_sheet(self, sheet: UnfinishedSheet) -> None:
        """Open an unsaved record sheet with its draft (`SheetResumed` journaled first); the
        idle screen says why when it cannot be (another window has it, saved meanwhile)."""
        from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
        from kasuhara_timer.lifecycle.folder_store import FolderSession
        from kasuhara_timer.lifecycle.unfinished import take_up_sheet

        setup = self.setup
        opened: list[SharedFiles] = []

        def desk_files(journal: Journal) -> SharedFiles:
            folder_files = FolderSession(sheet.folder, journal, setup.encrypt_to, setup.clock)
            files = SharedFiles(folder_files, setup.clock)
            opened.append(files)
            return files

        try:
            policy = self.policies.get(sheet.profile, sheet.profile_source)
            session = take_up_sheet(sheet.folder, policy, setup.clock, sink=desk_files)
        except (UserError, OSError) as error:
            self._idle().show_error(self.tr("app.error", error=error))
            return
        self.unfinished = tuple(s for s in self.unfinished if s.folder != sheet.folder)
        self._idle().show_unfinished(self.unfinished)
        self.app.push_screen(WrapUpScreen(session, opened[0], later=True))

    def found(self, sessions: Sequence[Interrupted], error: str) -> None:
        """The look at start came back: offer what it found."""
        self._running -= 1
        if error:
            self.app.notify(
                self.tr("recovery.scan_failed", error=error), severity="error", timeout=60
            )
        self._waiting.extend(sessions)
        self._total += len(sessions)
        if not self._ask_at_launch():
            self.offer_next()

    def offer_next(self) -> None:
        """Ask about the next waiting session, if the idle screen is up (never over a call)."""
        if self._asking or not self._waiting:
            return
        app = self.app
        if not isinstance(app.screen, IdleScreen):
            if not self._told_waiting:
                self._told_waiting = True
                app.notify(self.tr("recovery.waiting", n=len(self._waiting)), timeout=20)
            return
        number = self._total - len(self._waiting) + 1
        screen = RecoveryScreen(self._waiting[0], self.tr, number, self._total, self._error)
        self._asking, self._error = True, ""
        app.push_screen(screen, self._answered)

    def _answered(self, choice: RecoveryChoice | None) -> None:
        found = self._waiting[0]
        if choice == "close":  # still asking until the worker says how it went
            self._run(partial(self._close, found), "close")
            return
        if choice == "resume":
            error = self.resume(found)
            if error:  # asked again, saying why
                self._error = error
                self._asking = False
                self.offer_next()
                return
        self._waiting.pop(0)
        self._asking = False
        self.offer_next()  # after a resume, once the session is over (`show_saved`)

    def closed(self, found: Interrupted, error: str) -> None:
        """The close worker came back: on to the next, or ask again saying why."""
        self._running -= 1
        self._asking = False
        if error:
            self._error = error
        else:
            self._waiting.remove(found)
            self.app.notify(self.tr("recovery.closed", folder=found.folder.name), timeout=10)
            self.tidy_up()  # its recording is archived now, and the session sealed again
        self.offer_next()

    def resume(self, found: Interrupted) -> str:
        """Continue `found` on the session screen; the error in words when it cannot be."""
        from kasuhara_timer.lifecycle.folder_store import FolderSession
        from kasuhara_timer.lifecycle.interrupted import resume_session

        opened: list[SharedFiles] = []

        def desk_files(journal: Journal) -> SharedFiles:
            files = SharedFiles(FolderSession(found.folder, journal), self.setup.clock)
            opened.append(files)
            return files

        try:
            policy = self.policies.get(found.profile, found.profile_source)
            session = resume_session(found.folder, policy, self.setup.clock, sink=desk_files)
        except (UserError, OSError) as error:
            return str(error)
        self.app.continue_session(session, opened[0])
        return ""
