"""The list of running sessions, the most urgent first, and what the selected one is doing.

Rows are rebuilt only when the set or the order of sessions changes; otherwise only the cells
whose words changed are updated, so a tick over 300 sessions costs little. `a` answers the
selected session's help request (「向かいます」) with a file the desk reads; Enter opens its
timeline, read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kasuhara_timer.board.views import COLUMNS, WIDTHS, RowView, detail_words, row_view
from kasuhara_timer.errors import UserError
from kasuhara_timer.live.board import BoardRow, RowState, board_rows
from kasuhara_timer.locations import sessions_dir
from kasuhara_timer.store.answers import Answer, write_answer
from kasuhara_timer.ui.keys import localize

if TYPE_CHECKING:
    from kasuhara_timer.board.app import BoardApp


class BoardScreen(Screen[None]):
    """Every running session."""

    AUTO_FOCUS = "#sessions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "key.board.open",
            tooltip="key.board.open.tip",
            id="board.open",
            priority=True,
        ),
        Binding(
            "a", "answer", "key.board.answer", tooltip="key.board.answer.tip", id="board.answer"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._order: list[str] = []
        self._views: dict[str, RowView] = {}
        self._rows: dict[str, BoardRow] = {}
        self._cache: dict[str, tuple[tuple[object, ...], RowView]] = {}
        self.sent: dict[str, str] = {}
        """Session → the help request this board answered, until the desk journals it."""

    @property
    def board_app(self) -> BoardApp:
        """The running board app."""
        return cast("BoardApp", self.app)

    def compose(self) -> ComposeResult:
        tr = self.board_app.tr
        localize(self, tr)
        yield Static(id="summary", markup=False)
        table: DataTable[object] = DataTable(
            id="sessions", cursor_type="row", zebra_stripes=True, cell_padding=1
        )
        for name in COLUMNS:
            table.add_column(tr(f"board.col.{name}"), key=name, width=WIDTHS[name])
        yield table
        yield Static(tr("board.empty"), id="empty", markup=False)
        yield Static(id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        tick = self.board_app.setup.tick_seconds
        if tick:
            self.set_interval(tick, self.repaint)
        self.repaint()

    def repaint(self) -> None:
        """Show the sessions at the board's now."""
        app, tr = self.board_app, self.board_app.tr
        now = app.setup.clock.now()
        rows = board_rows(app.folder.statuses.values(), now)
        self._rows = {row.session: row for row in rows}
        for session, request in list(self.sent.items()):
            status = app.folder.statuses.get(session)
            if status is None or request in status.answered:
                del self.sent[session]
        views = {row.session: self._view(row) for row in rows}
        order = [row.session for row in rows]
        table = self.query_one("#sessions", DataTable)
        if order != self._order:
            selected = self.selected_session()
            table.clear()
            for session in order:
                table.add_row(*views[session].cells, key=session)
            if selected in order:
                table.move_cursor(row=order.index(selected), animate=False)
        else:
            # Any cell update makes the table draw every visible cell again, so rows out of
            # sight keep their old words until they scroll into view (the next repaint).
            first = int(table.scroll_y)
            seen = range(max(0, first - 2), first + table.size.height + 2)
            for row_index, session in enumerate(order):
                old, new = self._views.get(session), views[session]
                if old is None or old.plain == new.plain:
                    continue
                if row_index not in seen:
                    views[session] = old
                    continue
                for column, (before, after) in enumerate(zip(old.cells, new.cells, strict=True)):
                    if before.plain != after.plain or before.style != after.style:
                        table.update_cell_at(Coordinate(row_index, column), after)
        self._order, self._views = order, views
        for gone in set(self._cache) - set(views):
            del self._cache[gone]
        helping = sum(1 for row in rows if row.state is RowState.HELP)
        self.query_one("#summary", Static).update(
            tr("board.summary", n=len(rows), help=helping, time=f"{now:%H:%M:%S}")
        )
        self.query_one("#empty").display = not rows
        table.display = bool(rows)
        self._show_detail()

    def _view(self, row: BoardRow) -> RowView:
        """The row's cells, worked out again only when what they say can have changed."""
        sent = self.sent.get(row.session)
        key = (
            row.status,
            row.state,
            row.phase,
            int(row.elapsed // 60),
            int((row.waiting or 0) // 60),
            sent,
        )
        cached = self._cache.get(row.session)
        if cached is not None and cached[0] == key:
            return cached[1]
        view = row_view(row, self.board_app.tr, sent)
        self._cache[row.session] = (key, view)
        return view

    def selected_session(self) -> str | None:
        """The session under the cursor, if any."""
        table = self.query_one("#sessions", DataTable)
        if not self._order or table.cursor_row is None:
            return None
        index = min(max(table.cursor_row, 0), len(self._order) - 1)
        return self._order[index]

    def _show_detail(self) -> None:
        session = self.selected_session()
        row = self._rows.get(session) if session is not None else None
        detail = self.query_one("#detail", Static)
        app = self.board_app
        words = detail_words(row, app.tr, app.setup.clock.now()) if row is not None else ""
        problems = [app.tr("board.problem", problem=p) for p in app.folder.problems.values()]
        detail.update("\n".join([words, *problems[:1]]).strip())

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.repaint()  # rows scrolled into view show their latest words at once

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the selected session's timeline, read-only (access-logged first)."""
        from kasuhara_timer.board.screens.live import LiveSessionScreen
        from kasuhara_timer.integrity.accesslog import AccessAction, log_access

        session = self.selected_session()
        if session is None:
            return
        app = self.board_app
        status = app.folder.statuses.get(session)
        if status is None:
            return
        try:
            log_access(app.setup.data_dir, AccessAction.LIVE, session, "board")
        except (UserError, OSError) as error:
            self.notify(app.tr("board.log_failed", error=error), severity="error")
            return
        folder = sessions_dir(app.setup.data_dir, status.drill) / session
        zone = status.started_at.tzinfo
        heading = " · ".join(
            part
            for part in (
                status.desk,
                status.staff.name,
                f"{status.started_at.astimezone(zone):%H:%M}〜",
            )
            if part
        )
        app.push_screen(LiveSessionScreen(session, folder, heading))

    def action_answer(self) -> None:
        """Tell the selected desk that someone is on the way (a file the desk reads)."""
        from kasuhara_timer.integrity.accesslog import current_user

        session = self.selected_session()
        app = self.board_app
        row = self._rows.get(session) if session is not None else None
        if row is None or session is None or row.state is not RowState.HELP:
            self.notify(app.tr("board.nothing_to_answer"))
            return
        status = row.status
        request = status.help[-1].id
        answer = Answer(
            session=session,
            request=request,
            by=app.setup.user or current_user(),
            host=app.setup.host,
            at=app.setup.clock.now(),
        )
        folder = sessions_dir(app.setup.data_dir, status.drill) / session
        try:
            write_answer(folder, answer)
        except (UserError, OSError, ValueError) as error:
            self.notify(app.tr("board.answer_failed", error=error), severity="error")
            return
        self.sent[session] = request
        self.notify(app.tr("board.answered_sent", desk=status.desk or session))
        self.repaint()
