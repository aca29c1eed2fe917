"""The banner that says the session's journal was deleted, replaced or cannot be written.

It asks the session's files every half second (`check_journal`: two stats and an open; a
deleted or replaced journal is written again from the events in memory at once). Once shown it
stays for the rest of the session, so nobody can miss that the evidence was touched; the words
say whether the journal could be written back. `lost` and `unsaved` tell the quit dialog what
it may claim.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from kasuhara_timer.i18n import Translator
from kasuhara_timer.lifecycle.folder_store import JournalCheck
from kasuhara_timer.store.journal import JournalHealth

POLL_SECONDS = 0.5


class JournalAlarm(Static):
    """Hidden while the journal is sound; a red banner that stays once it was not."""

    DEFAULT_CSS = """
    JournalAlarm { display: none; height: auto; padding: 0 1; }
    JournalAlarm.-alarm { display: block; background: $error; color: $text; text-style: bold; }
    """

    def __init__(
        self, check: Callable[[], JournalCheck | None], tr: Translator, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, markup=False)
        self._check = check
        self._tr = tr
        self.lost = False
        """The journal was deleted, replaced or unwritable at some point of this session."""
        self.unsaved = False
        """It is not on disk as the screen shows it right now."""

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Ask the files how the journal is; show what happened (and keep showing it)."""
        check = self._check()
        if check is None or check.health is JournalHealth.OK:
            self.unsaved = False if check is not None else self.unsaved
            return
        self.lost = True
        self.unsaved = not check.restored
        key = "journal.restored" if check.restored else "journal.unsaved"
        what = self._tr(f"journal.{check.health.value}")
        self.update(self._tr(key, what=what, events=check.events))
        self.set_class(True, "-alarm")
