"""The supervisors' live board: every running session in the data folder, updated as desks
journal, with nothing but the shared folder between them (no server, no socket).

A thread worker watches ``<data>/live/`` with watchfiles (inotify where there is one, polling
on SMB when `force_polling`), reads the status files that changed and hands them to the app;
a one-second tick repaints elapsed times and waits from the board's own clock. Opening the
board and opening a running session are access-logged first, like the review.
"""

from __future__ import annotations

import threading
from pathlib import Path, PurePath
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType

from kasuhara_timer.board.messages import StatusesRead
from kasuhara_timer.board.screens.board import BoardScreen
from kasuhara_timer.board.setup import BoardSetup
from kasuhara_timer.board.words import board_translator
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.live.board import LiveFolder
from kasuhara_timer.store.atomic import make_private_dir

STYLES = Path(__file__).parent / "styles"
WATCH_DEBOUNCE_MS = 300
"""Changes arriving together are handed over together, at most this long after the first."""
RESCAN_MS = 15_000
"""With no change for this long the whole folder is read again (a missed notice heals)."""


class BoardApp(App[None]):
    """The live board."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES / "board.tcss"]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "key.board.quit",
            tooltip="key.board.quit.tip",
            id="board.quit",
            priority=True,
        ),
    ]

    def __init__(self, setup: BoardSetup) -> None:
        super().__init__()
        self.setup = setup
        self.tr = board_translator(setup.lang)
        from kasuhara_timer.ui.keys import localize

        localize(self, self.tr)
        self.title = self.tr("board.title")
        self.folder = LiveFolder(setup.data_dir)
        self.reads = 0
        """Batches of status files taken in (tests wait on it)."""
        self._stop = threading.Event()

    def get_default_screen(self) -> BoardScreen:
        return BoardScreen()

    def on_mount(self) -> None:
        try:  # before anything of any session is read
            log_access(self.setup.data_dir, AccessAction.BOARD, "", "live board")
        except (UserError, OSError) as error:
            self.exit(message=self.tr("board.log_failed", error=error))
            return
        if self.setup.watch:
            self._watch()
        else:
            self.refresh_now()

    @property
    def board(self) -> BoardScreen:
        """The board screen (the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, BoardScreen)
        return screen

    def _repaint(self) -> None:
        if self.board.is_mounted:
            self.board.repaint()

    @work(thread=True, exit_on_error=False, group="watch", name="watch")
    def _watch(self) -> None:
        """Read everything once, then the files each change names (and everything again after
        a quiet spell), until the app closes."""
        import watchfiles

        folder = self.folder.folder
        make_private_dir(folder)
        self.post_message(StatusesRead(self.folder.read(), True))
        for changes in watchfiles.watch(
            folder,
            stop_event=self._stop,
            force_polling=self.setup.force_polling,
            poll_delay_ms=self.setup.poll_ms,
            debounce=WATCH_DEBOUNCE_MS,
            step=50,
            rust_timeout=RESCAN_MS,
            yield_on_timeout=True,
            recursive=False,
            ignore_permission_denied=True,
        ):
            if self._stop.is_set():
                return
            if not changes:
                self.post_message(StatusesRead(self.folder.read(), True))
                continue
            paths = {Path(path) for _change, path in changes}
            self.post_message(StatusesRead(self.folder.read(sorted(paths)), False))

    @on(StatusesRead)
    def _statuses_read(self, message: StatusesRead) -> None:
        touched = self.folder.apply(message.reads, full=message.full)
        self.reads += 1
        self._repaint()
        for screen in self.screen_stack:
            refresh = getattr(screen, "status_changed", None)
            if refresh is not None:
                refresh(touched)

    def refresh_now(self) -> None:
        """Read every status file now and repaint (tests, and after answering)."""
        self.folder.refresh()
        self.reads += 1
        self._repaint()

    def on_unmount(self) -> None:
        self._stop.set()

    async def action_quit(self) -> None:
        """Close the board (the watcher stops with it)."""
        self._stop.set()
        self.exit()
