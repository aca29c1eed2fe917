"""The supervisor's review app: list → session (sheet, checklist, timeline, playback) → export.

The app only wires: `ReviewSetup` carries the data folder, the local index, the sound output and
the language; each screen reads the index or a session folder and shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import ClassVar, cast

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kasuhara_timer.i18n import Translator
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.setup import ReviewSetup
from kasuhara_timer.review.words import review_words
from kasuhara_timer.ui.keys import ImeKeys, localize

STYLES = Path(__file__).parent / "styles"


@dataclass
class IndexState:
    """How far the index is from the folders: shown by the list and the report."""

    running: bool = False
    done: int = 0
    total: int = 0
    """Folders read and folders to read by the refresh under way."""
    complete: bool = False
    """A refresh has finished since the review started (the figures are current)."""
    empty: bool = False
    """The index held nothing when the refresh began: no figure means anything until it ends."""

    @property
    def building(self) -> bool:
        """The first build is under way: every count would be a false 0."""
        return self.running and self.empty


class ReviewApp(ImeKeys[None]):
    """Browse, play back, export and report the sessions of one data folder."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "review.tcss",
        STYLES / "list.tcss",
        STYLES / "session.tcss",
        STYLES / "dialogs.tcss",
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p",
            "command_palette",
            "key.palette",
            tooltip="key.palette.tip",
            id="review.palette",
            show=False,
            priority=True,
        ),
        Binding("question_mark", "help", "key.help", tooltip="key.help.tip", id="review.help"),
        Binding(
            "ctrl+q", "quit", "key.quit", tooltip="key.quit.tip", id="review.quit", priority=True
        ),
    ]

    def __init__(self, setup: ReviewSetup) -> None:
        super().__init__()
        self.setup = setup
        self.words = review_words(setup.lang)
        self.ime_words = Translator(setup.lang)
        localize(self, self.words)
        self.title = self.words("app.title")
        self.index_state = IndexState()
        self.sub_title = setup.notice or setup.reviewer

    def index_changed(self) -> None:
        """Tell every screen that shows figures that the index moved on."""
        for screen in self.screen_stack:
            changed = getattr(screen, "index_changed", None)
            if callable(changed):
                changed()

    def on_mount(self) -> None:
        """Say once, plainly, when the recordings are readable by anyone with the folder."""
        if self.setup.notice:
            self.notify(self.setup.notice, severity="warning", timeout=30)

    def get_default_screen(self) -> Screen[None]:
        return SessionListScreen()

    def action_help(self) -> None:
        """Show every key of the screen with what it does."""
        from kasuhara_timer.review.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the interface language."""
        from textual.command import CommandPalette

        if not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder=self.words("palette.prompt"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers every action of the screen, in its words."""
        seen = set()
        for node, binding, enabled, tooltip in screen.active_bindings.values():
            review_key = (binding.id or "").startswith("review.")
            if not enabled or not review_key or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                tooltip or binding.description,
                partial(self.run_action, binding.action, node),
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for what a worker did not expect: said on screen, never swallowed."""
        if event.state is WorkerState.ERROR:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error")
