"""The session list: search, filter, sort; open one; the way to problems, callers, report, export.

It shows the index as it is at once (instant on a big shared folder), then refreshes the index
in a worker thread and reloads when the folders have caught up.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Static

from kasuhara_timer.catalog.query import SessionFilter, SessionRow, SortKey
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.holds import HOLDS_DIR, read_hold
from kasuhara_timer.live.board import BoardRow, LiveFolder, board_row
from kasuhara_timer.review.messages import (
    IndexCommitted,
    IndexFailed,
    IndexProgressed,
    IndexRefreshed,
)
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.views import (
    LIST_COLUMNS,
    Beside,
    list_cells,
    list_columns,
    row_detail,
)
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.signoff import SignOff, signed_sessions
from kasuhara_timer.ui.phrase_text import PhraseText

KINDS = ("sessions", "drills")
"""The index keys' first part: real sessions and drills."""

PROGRESS_SECONDS = 0.5
"""How often the index build tells the screen how far it is (each repaint takes the build's
time: the UI and the build share one interpreter lock)."""

_SORTABLE = [sort for _key, sort, _col in LIST_COLUMNS if sort is not None]


class SessionListScreen(ReviewNode, Screen[None]):
    """Every session of the data folder (real ones by default), newest first."""

    AUTO_FOCUS = "#sessions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "key.search", tooltip="key.search.tip", id="review.search"),
        Binding("f", "filter", "key.filter", tooltip="key.filter.tip", id="review.filter"),
        Binding("s", "sort", "key.sort", tooltip="key.sort.tip", id="review.sort", show=False),
        Binding(
            "o",
            "reverse",
            "key.reverse",
            tooltip="key.reverse.tip",
            id="review.reverse",
            show=False,
        ),
        Binding(
            "d", "drills", "key.drills", tooltip="key.drills.tip", id="review.drills", show=False
        ),
        Binding("x", "export", "key.export", tooltip="key.export.tip", id="review.export"),
        Binding("space", "mark", "key.mark", tooltip="key.mark.tip", id="review.mark", show=False),
        Binding(
            "b",
            "disclose",
            "key.disclose",
            tooltip="key.disclose.tip",
            id="review.disclose",
            show=False,
        ),
        Binding("t", "report", "key.report", tooltip="key.report.tip", id="review.report"),
        Binding(
            "c",
            "callers",
            "key.callers",
            tooltip="key.callers.tip",
            id="review.callers",
            show=False,
        ),
        Binding("p", "problems", "key.problems", tooltip="key.problems.tip", id="review.problems"),
        Binding(
            "r",
            "refresh",
            "key.refresh",
            tooltip="key.refresh.tip",
            id="review.refresh",
            show=False,
        ),
        Binding("m", "more", "key.more", tooltip="key.more.tip", id="review.more", show=False),
        Binding(
            "escape",
            "leave_field",
            "key.back",
            tooltip="key.back.tip",
            id="review.leave_field",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.translate_bindings()
        self.where = SessionFilter()
        self.sort = SortKey.STARTED
        self.descending = True
        self.total = 0
        self.rows: list[SessionRow] = []
        self.signed: dict[str, SignOff] = {}
        self.holds: dict[str, str] = {}
        self.live: dict[str, BoardRow] = {}
        self.marked: dict[str, Path] = {}
        """Sessions marked (space) for a disclosure bundle: index key → folder."""

    def compose(self) -> ComposeResult:
        words = self.words
        yield Static(words("app.title"), id="list-title", markup=False)
        with Horizontal(id="search-row"):
            yield Label(words("list.search"), id="search-label")
            yield Input(placeholder=words("list.search_hint"), id="search", compact=True)
        yield Static(id="filter-summary", markup=False)
        yield WrappedTable(list_columns(words, self.sort, self.descending), id="sessions")
        yield PhraseText(id="row-detail")
        yield ProgressBar(id="index-progress", show_eta=False)
        yield PhraseText(id="list-status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.steady_inputs()
        self.read_signoffs()
        self.reload()
        self.call_after_refresh(self.refresh_index)  # the first page shows before the refresh

    # -- the list --------------------------------------------------------------------------

    def read_signoffs(self) -> None:
        """What lives beside the folders, not in the index: sign-offs, holds, live statuses."""
        data_dir = self.setup.data_dir
        try:
            self.signed = signed_sessions(data_dir)
        except StoreError as error:
            self.signed = {}
            self.notify(str(error), severity="error")
        self.holds = {}
        try:
            held = sorted(p.stem for p in (data_dir / HOLDS_DIR).glob("*.json"))
        except OSError:
            held = []
        for name in held:
            hold = read_hold(data_dir, name)
            if hold is not None:
                self.holds[name] = hold.reason
        live = LiveFolder(data_dir)
        with contextlib.suppress(OSError):  # no live folder to read: nothing runs that we know of
            live.refresh()
        now = datetime.now().astimezone()
        self.live = {name: board_row(status, now) for name, status in live.statuses.items()}

    def beside(self, row: SessionRow) -> Beside:
        """What the list shows of `row` from beside its folder."""
        live = self.live.get(row.name)
        return Beside(
            live=live.state.value if live is not None else "",
            live_elapsed=live.elapsed if live is not None else 0.0,
            live_step=live.status.step if live is not None else "",
            hold=self.holds.get(row.name),
            signed=row.name in self.signed,
        )

    def on_screen_resume(self) -> None:
        """Back from a session (perhaps signed off just now): show it as it is."""
        if self.is_mounted and self.rows:
            self.read_signoffs()
            self.reload()

    def reload(self, *, more: bool = False) -> None:
        """Query the index again with the current filter and order."""
        index = self.setup.index
        if self.where.signed is not None:
            signed = frozenset(f"{kind}/{name}" for name in self.signed for kind in KINDS)
            self.where = replace(self.where, signed_keys=signed)
        if self.where.held is not None:
            held = frozenset(f"{kind}/{name}" for name in self.holds for kind in KINDS)
            self.where = replace(self.where, held_keys=held)
        offset = len(self.rows) if more else 0
        page, self.total = index.page(
            self.where, self.sort, self.descending, self.setup.page_size, offset
        )
        self.rows = [*self.rows, *page] if more else page
        table = self.query_one("#sessions", WrappedTable)
        cells = [list_cells(row, self.words, self.beside(row)) for row in page]
        keys = [row.key for row in page]
        if more:
            table.show(cells, keys, append=True)
        else:
            table.spec = list_columns(self.words, self.sort, self.descending)
            table.show(cells, keys)
        self._describe()
        self._detail()

    def _detail(self) -> None:
        row = self.highlighted()
        text = row_detail(row, self.words, self.beside(row)) if row is not None else ""
        if row is not None and row.key in self.marked:
            text = f"{self.words('list.marked_row')}　{text}"
        self.query_one("#row-detail", PhraseText).update(text)

    def _describe(self) -> None:
        words = self.words
        title = words("app.title")
        if self.where.drill is None:
            title += f"　[{words('list.both')}]"
        elif self.where.drill:
            title += f"　[{words('list.drills')}]"
        state = self.review.index_state
        if state.building:
            count = words("list.building")
        else:
            count = words("list.count", shown=len(self.rows), total=self.total)
            if self.marked:
                count += words("list.marked", n=len(self.marked))
            if state.running:
                count += words("list.updating")
        _put(self.query_one("#list-title", Static), f"{title}　{count}")
        column = next(words(key) for key, sort, _c in LIST_COLUMNS if sort is self.sort)
        arrow = "↓" if self.descending else "↑"
        parts = [self.filter_words(), words("list.sort", column=column, arrow=arrow)]
        if not self.rows and not state.building:
            parts.insert(0, words("list.empty"))
        _put(self.query_one("#filter-summary", Static), "　".join(parts))

    def filter_words(self) -> str:
        """The active filter in one line."""
        where = self.where
        parts = []
        if where.date_from or where.date_to:
            parts.append(f"{where.date_from or ''}〜{where.date_to or ''}")
        parts += self.filter_parts()
        return "・".join(parts) or self.words("list.no_filter")

    def filter_parts(self) -> list[str]:
        """What narrows the list besides the period and the drill switch, in words."""
        where, words = self.where, self.words
        parts = []
        if where.channel:
            parts.append(words(f"channel.{where.channel}"))
        for value in (where.staff, where.section, where.caller):
            if value:
                parts.append(value)
        if where.tag:
            labels = dict(self.setup.index.tag_choices(bool(where.drill)))
            parts.append(labels.get(where.tag, where.tag))
        if where.limit_reached:
            parts.append(words("filter.limit"))
        if where.text.strip():
            parts.append(words("filter.words", text=where.text.strip()))
        if where.immediate is not None:
            parts.append(
                words("filter.immediate_yes" if where.immediate else "filter.immediate_no")
            )
        if where.min_step is not None:
            parts.append(words("filter.step_n", n=where.min_step))
        if where.status is not None:
            parts.append(words(f"status.choice_{where.status.value}"))
        if where.signed is not None:
            parts.append(words("filter.signed_yes" if where.signed else "filter.signed_no"))
        if where.held is not None:
            parts.append(words("filter.held_yes" if where.held else "filter.held_no"))
        return parts

    def apply(self, where: SessionFilter) -> None:
        """Show the sessions matching `where` (the search field follows its text)."""
        self.where = where
        search = self.query_one("#search", Input)
        if search.value != where.text:
            with search.prevent(Input.Changed):
                search.value = where.text
        self.reload()

    # -- index refresh in a worker -------------------------------------------------------------

    def refresh_index(self) -> None:
        """Re-read changed folders in the background."""
        self._refresh(self.setup.rebuild and not getattr(self, "_rebuilt", False))
        self._rebuilt = True

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _refresh(self, rebuild: bool) -> None:
        index = self.setup.index
        empty = rebuild or index.count(SessionFilter(drill=None)) == 0
        self.post_message(IndexProgressed(0, 0, empty=empty))
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()  # a few repaints a second: the UI never slows the build
            if done == total or now - last >= PROGRESS_SECONDS:
                last = now
                self.post_message(IndexProgressed(done, total, empty=empty))

        def committed(written: int) -> None:
            if empty:  # the newest folders are read first: the first page can show already
                self.post_message(IndexCommitted(written))

        try:
            if rebuild:
                result = index.rebuild(progress, committed)
            else:
                result = index.refresh(progress, committed)
        except UserError as error:
            self.post_message(IndexFailed(str(error)))
            return
        self.post_message(IndexRefreshed(result))

    @on(IndexProgressed)
    def _progressed(self, message: IndexProgressed) -> None:
        state = self.review.index_state
        state.running, state.done, state.total = True, message.done, message.total
        state.empty = message.empty
        key = "list.building_progress" if message.empty else "list.refreshing"
        text = self.words(key, done=message.done, total=message.total)
        self.query_one("#list-status", PhraseText).update(text)
        bar = self.query_one("#index-progress", ProgressBar)
        bar.display = True
        bar.update(total=message.total or None, progress=message.done)
        self._describe()
        self.review.index_changed()

    @on(IndexCommitted)
    def _committed(self, message: IndexCommitted) -> None:
        """While the index is first built: show the first rows once they are in (the newest
        are read first), then leave the list alone until the build ends."""
        if not self.rows:
            self.reload()

    @on(IndexRefreshed)
    def _refreshed(self, message: IndexRefreshed) -> None:
        result = message.result
        words = self.words
        text = words(
            "list.refreshed", added=result.added, updated=result.updated, removed=result.removed
        )
        if result.problems:
            text += "　" + words("list.problems", n=result.problems)
        self.query_one("#list-status", PhraseText).update(text)
        state = self.review.index_state
        state.running, state.complete = False, True
        self.query_one("#index-progress", ProgressBar).display = False
        self.read_signoffs()
        self.reload()
        self.review.index_changed()

    @on(IndexFailed)
    def _failed(self, message: IndexFailed) -> None:
        self.review.index_state.running = False
        self.query_one("#index-progress", ProgressBar).display = False
        self.review.index_changed()
        status = self.query_one("#list-status", PhraseText)
        status.update(self.words("list.refresh_failed", error=message.error))
        status.add_class("-error")

    # -- events and actions --------------------------------------------------------------------

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.setup.index.get(str(event.row_key.value))
        if row is not None:
            self.open_session(Path(row.path))

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        self._detail()
        if event.cursor_row >= len(self.rows) - 5:
            self.action_more()

    @on(DataTable.HeaderSelected, "#sessions")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        number = int(str(event.column_key.value))
        sort = LIST_COLUMNS[number][1] if number < len(LIST_COLUMNS) else None
        if sort is None:
            return
        self.descending = not self.descending if sort is self.sort else sort is SortKey.STARTED
        self.sort = sort
        self.reload()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.where = replace(self.where, text=event.value)
        self.reload()

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        self.query_one("#sessions").focus()

    def highlighted(self) -> SessionRow | None:
        """The session under the cursor."""
        table = self.query_one("#sessions", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_search(self) -> None:
        """Focus the search field."""
        self.query_one("#search").focus()

    def action_leave_field(self) -> None:
        """Back from the search field to the list."""
        self.query_one("#sessions").focus()

    def action_sort(self) -> None:
        """Sort by the next sortable column."""
        self.sort = _SORTABLE[(_SORTABLE.index(self.sort) + 1) % len(_SORTABLE)]
        self.reload()

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.descending = not self.descending
        self.reload()

    def action_drills(self) -> None:
        """Real sessions → drills → both → real sessions."""
        following = {False: True, True: None, None: False}
        self.apply(replace(self.where, drill=following[self.where.drill], tag=""))

    def action_more(self) -> None:
        """Load the next page of rows."""
        if len(self.rows) < self.total:
            self.reload(more=True)

    def action_refresh(self) -> None:
        """Re-read changed folders now."""
        self.refresh_index()

    def action_filter(self) -> None:
        """Open the filter dialog."""
        from kasuhara_timer.review.screens.filters import FilterScreen

        def chosen(where: SessionFilter | None) -> None:
            if where is not None:
                self.apply(where)

        self.app.push_screen(FilterScreen(self.where), chosen)

    def action_problems(self) -> None:
        """List folders with problems."""
        from kasuhara_timer.review.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen())

    def action_callers(self) -> None:
        """List repeat callers; choosing one filters the list by it."""
        from kasuhara_timer.review.screens.callers import CallersScreen

        def chosen(caller: str | None) -> None:
            if caller:
                self.apply(SessionFilter(caller=caller, drill=self.where.drill))

        self.app.push_screen(CallersScreen(bool(self.where.drill)), chosen)

    def action_report(self) -> None:
        """The report of the filtered period."""
        from kasuhara_timer.review.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.where, tuple(self.filter_parts())))

    def action_mark(self) -> None:
        """Mark the highlighted session for a disclosure bundle, or unmark it."""
        row = self.highlighted()
        if row is None or not row.readable:
            return
        if self.marked.pop(row.key, None) is None:
            self.marked[row.key] = Path(row.path)
        self.query_one("#sessions", WrappedTable).mark(set(self.marked))
        self._describe()
        self._detail()

    def action_disclose(self) -> None:
        """A disclosure bundle of the marked sessions, or of those listed."""
        from kasuhara_timer.review.screens.disclosure import DisclosureScreen

        marked = list(self.marked.values())
        self.app.push_screen(DisclosureScreen(marked, self.where, self.total, self.filter_words()))

    def action_export(self) -> None:
        """Export the highlighted session, or the listed ones as CSV."""
        from kasuhara_timer.review.screens.export import ExportScreen

        row = self.highlighted()
        folder = Path(row.path) if row is not None and row.readable else None
        self.app.push_screen(ExportScreen(folder, self.where, self.total))


def _put(line: Static, text: str) -> None:
    """Show `text` on a one-line Static, repainting it only when it changed (progress messages
    describe the list a few times a second while the build needs the interpreter)."""
    if str(line.content) != text:
        line.update(text, layout=False)
