"""What every review screen shares: typed access to the app, its setup and its words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode
from textual.widgets import Input

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.review.setup import ReviewSetup
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.ui.keys import localize

if TYPE_CHECKING:
    from kasuhara_timer.review.app import ReviewApp


class ReviewNode(DOMNode):
    """Mixed into the review's screens (plain and modal)."""

    @property
    def review(self) -> ReviewApp:
        """The running review app."""
        return cast("ReviewApp", self.app)

    @property
    def setup(self) -> ReviewSetup:
        """Data folder, index, sound output, language."""
        return self.review.setup

    @property
    def words(self) -> Translator:
        """The interface's words."""
        return self.review.words

    def translate_bindings(self) -> None:
        """Put the bindings into the interface language; call from `__init__`."""
        localize(self, self.words)

    def open_session(self, path: Path) -> None:
        """Show a session, after logging the view (refused, with a message, if the log fails)."""
        from kasuhara_timer.review.screens.session import SessionScreen

        loaded = load_folder(path)
        if loaded.record is None:
            reasons = " / ".join(reason_words(p, self.words.lang) for p in loaded.problems)
            self.app.notify(
                terminal_safe(f"{loaded.folder.name}: {reasons}"), severity="error", markup=False
            )
            return
        try:
            log_access(self.setup.data_dir, AccessAction.VIEW, loaded.folder.name)
        except UserError as error:
            self.app.notify(str(error), severity="error")
            return
        self.app.push_screen(SessionScreen(loaded))

    def steady_inputs(self) -> None:
        """No cursor blink when the setup says so (snapshot tests); call from `on_mount`."""
        for field in self.query(Input):
            field.cursor_blink = self.setup.cursor_blink
