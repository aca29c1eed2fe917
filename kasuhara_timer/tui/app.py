"""The desk app: idle → session → wrap-up → idle, wired to the domain and the store.

The app only wires: `DeskSetup` carries the policy, the clock, the store and the settings; the
screens call `DeskSession` (which journals before anything is shown) and repaint from its state.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kasuhara_timer import __version__
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Staff
from kasuhara_timer.tui.keys import localize
from kasuhara_timer.tui.ports import SessionFiles
from kasuhara_timer.tui.screens.confirm import ConfirmQuit
from kasuhara_timer.tui.screens.idle import IdleScreen
from kasuhara_timer.tui.screens.session import SessionScreen
from kasuhara_timer.tui.screens.wrapup import WrapUpScreen
from kasuhara_timer.tui.setup import DeskSetup

STYLES = Path(__file__).parent / "styles"


class DeskApp(App[None]):
    """The desk-side timer and escalation assistant."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "app.tcss",
        STYLES / "idle.tcss",
        STYLES / "session.tcss",
        STYLES / "wrapup.tcss",
        STYLES / "confirm.tcss",
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
        localize(self, self.tr)
        self.title = self.tr("app.title")

    def get_default_screen(self) -> Screen[None]:
        return IdleScreen()

    def on_mount(self) -> None:
        if self.setup.start_channel is not None:
            self.start_session(self.setup.start_channel)

    def start_session(
        self, channel: ChannelId, staff: Staff | None = None, caller: str = ""
    ) -> bool:
        """Open a session folder, journal `Started` and show the session screen.

        Returns False (and says why on the idle screen) when the store cannot start it.
        """
        setup = self.setup
        staff = staff if staff is not None else setup.staff_book.load()
        clock = SessionClock(setup.clock, speed=setup.speed if setup.drill else 1.0)
        try:
            files = setup.store.open(setup.clock.now(), setup.drill)
            try:
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
                )
            except BaseException:
                files.close()
                raise
        except (UserError, OSError) as error:
            self._idle().show_error(self.tr("app.error", error=error))
            return False
        self.show_session(session, files)
        return True

    def show_session(self, session: DeskSession, files: SessionFiles) -> None:
        """Show a live session: one just started, or one resumed after a crash (whose journal,
        reopened by the recovery, is wrapped in `folder_store.FolderSession`)."""
        self.push_screen(SessionScreen(session, files))

    def show_saved(self, location: Path, files: tuple[Path, ...]) -> None:
        """Back to the idle screen, telling where the record was written."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._idle().show_saved(location, files)

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

            def answered(close: bool | None) -> None:
                if close:
                    screen.wind_up()
                    self.exit()

            self.push_screen(ConfirmQuit(self.tr, self.tr(explain)), answered)
            return
        self.exit()
