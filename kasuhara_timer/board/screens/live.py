"""One running session's timeline, as its desk journals it: read-only, updated live.

The board re-reads the journal whenever the session's status file changes (the desk rewrites
it after every event). Nothing here writes: the journal has one writer, the desk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.events import Event
from kasuhara_timer.store.journal import JOURNAL_FILE, read_journal
from kasuhara_timer.store.timeline import timeline_texts
from kasuhara_timer.ui.keys import localize

if TYPE_CHECKING:
    from kasuhara_timer.board.app import BoardApp


def timeline_lines(events: tuple[Event, ...] | list[Event], tr: Translator) -> list[str]:
    """``09:05:00  0:05:00  応援要請`` for every event that is part of the timeline."""
    if not events:
        return []
    zone = events[0].at.tzinfo
    lines = []
    for _seq, event, text in timeline_texts(events, tr):
        at = event.at.astimezone(zone)
        lines.append(f"{at:%H:%M:%S}  {format_elapsed(event.t)}  {text}")
    return lines


class LiveSessionScreen(Screen[None]):
    """A running session's timeline."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "back", "key.board.back", tooltip="key.board.back.tip", id="board.back"
        ),
    ]

    def __init__(self, session: str, folder: Path, heading: str = "") -> None:
        super().__init__()
        self.session = session
        self.folder = folder
        self.heading = heading or session
        self.events_shown = 0

    @property
    def board_app(self) -> BoardApp:
        """The running board app."""
        return cast("BoardApp", self.app)

    def compose(self) -> ComposeResult:
        tr = self.board_app.tr
        localize(self, tr)
        yield Static(tr("board.live.title", session=self.heading), id="live-title", markup=False)
        with VerticalScroll(id="live-scroll"):
            yield Static(id="live-timeline", markup=False)
        yield Static(id="live-state", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def status_changed(self, touched: set[str]) -> None:
        """The board saw this session's status change: read its journal again."""
        if self.session in touched:
            self.reload()

    def reload(self) -> None:
        """Read the journal (the desk may be appending: a torn last line is left for later)."""
        tr = self.board_app.tr
        state = self.query_one("#live-state", Static)
        try:
            result = read_journal(self.folder / JOURNAL_FILE)
        except (UserError, OSError) as error:
            state.update(tr("board.open_failed", error=error))
            return
        events = result.events
        self.events_shown = len(events)
        self.query_one("#live-timeline", Static).update("\n".join(timeline_lines(events, tr)))
        self.query_one("#live-scroll", VerticalScroll).scroll_end(animate=False)
        ended = any(e.kind == "ended" for e in events)
        state.update(tr("board.live.ended") if ended else "")

    def action_back(self) -> None:
        """Back to the board."""
        self.app.pop_screen()
