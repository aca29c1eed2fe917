"""The supervisor's review app: list → session (sheet, checklist, timeline, playback) → export.

The app only wires: `ReviewSetup` carries the data folder, the local index, the sound output and
the language; each screen reads the index or a session folder and shows it.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.setup import ReviewSetup
from kasuhara_timer.review.words import review_words
from kasuhara_timer.ui.keys import localize

STYLES = Path(__file__).parent / "styles"


class ReviewApp(App[None]):
    """Browse, play back, export and report the sessions of one data folder."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "review.tcss",
        STYLES / "list.tcss",
        STYLES / "session.tcss",
        STYLES / "dialogs.tcss",
    ]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q", "quit", "key.quit", tooltip="key.quit.tip", id="review.quit", priority=True
        ),
    ]

    def __init__(self, setup: ReviewSetup) -> None:
        super().__init__()
        self.setup = setup
        self.words = review_words(setup.lang)
        localize(self, self.words)
        self.title = self.words("app.title")

    def get_default_screen(self) -> Screen[None]:
        return SessionListScreen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for what a worker did not expect: said on screen, never swallowed."""
        if event.state is WorkerState.ERROR:
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error")
