"""One session: its record sheet, checklist and timeline, and its recording to listen to."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from kasuhara_timer.catalog.callers import previous_contacts
from kasuhara_timer.catalog.recordings import Recording, find_recording
from kasuhara_timer.catalog.sessions import LoadedSession, SessionStatus
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.integrity.accesslog import access_history
from kasuhara_timer.integrity.holds import read_hold
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.live.board import BoardRow, board_row
from kasuhara_timer.live.status import current_status_path, read_status
from kasuhara_timer.review.laws import record_law_lines
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.views import (
    access_columns,
    checklist_columns,
    live_words,
    offset_words,
    sheet_renderable,
    timeline_cell,
    timeline_columns,
)
from kasuhara_timer.review.widgets.player import PlayerPanel
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.store.record import Record, RecordSession
from kasuhara_timer.store.signoff import SIGNOFF, read_signoffs
from kasuhara_timer.ui.phrase_text import PhraseText

SKIP_SECONDS = 10.0

LIVE_SECONDS = 2.0
"""How often a running session's live status is read again (the desk rewrites it on every
change and every `HEARTBEAT_SECONDS`)."""


class SessionScreen(ReviewNode, Screen[None]):
    """What happened in one session, and what was said."""

    AUTO_FOCUS = "#timeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", tooltip="key.back.tip", id="review.back"),
        Binding(
            "space", "play", "key.play", tooltip="key.play.tip", id="review.play", priority=True
        ),
        Binding(
            "left",
            "skip(-1)",
            "key.back10",
            tooltip="key.back10.tip",
            id="review.back10",
            priority=True,
        ),
        Binding(
            "right",
            "skip(1)",
            "key.fwd10",
            tooltip="key.fwd10.tip",
            id="review.fwd10",
            priority=True,
        ),
        Binding("j", "jump", "key.jump", tooltip="key.jump.tip", id="review.jump", show=False),
        Binding(
            "x",
            "export",
            "key.export",
            tooltip="key.export.tip",
            id="review.export_one",
            show=False,
        ),
        Binding("c", "clip", "key.clip", tooltip="key.clip.tip", id="review.clip", show=False),
        Binding("k", "signoff", "key.signoff", tooltip="key.signoff.tip", id="review.signoff"),
        Binding(
            "v", "verify", "key.verify", tooltip="key.verify.tip", id="review.verify", show=False
        ),
        Binding(
            "p",
            "print_sheet",
            "key.print",
            tooltip="key.print.tip",
            id="review.print",
            show=False,
        ),
        Binding("1", "tab('sheet')", "key.tab_sheet", show=False, id="review.tab_sheet"),
        Binding(
            "2", "tab('checklist')", "key.tab_checklist", show=False, id="review.tab_checklist"
        ),
        Binding("3", "tab('timeline')", "key.tab_timeline", show=False, id="review.tab_timeline"),
        Binding("4", "tab('access')", "key.tab_access", show=False, id="review.tab_access"),
        Binding("5", "tab('laws')", "key.tab_laws", show=False, id="review.tab_laws"),
    ]

    def __init__(self, loaded: LoadedSession) -> None:
        super().__init__()
        self.translate_bindings()
        self.loaded = loaded

    def _tab_title(self, key: str, word: str) -> str:
        """A tab's title with the key that shows it: 1 記録シート."""
        return f"{key} {self.words(word)}"

    def compose(self) -> ComposeResult:
        record = self.loaded.record
        words = self.words
        yield PhraseText(terminal_safe(self._summary(record), newlines=True), id="session-summary")
        if self.loaded.status is SessionStatus.UNFINISHED:
            yield PhraseText(self._live_text(), id="live-state")
        if record is not None:
            with TabbedContent(initial="timeline-tab", id="tabs"):
                with (
                    TabPane(self._tab_title("1", "tab.sheet"), id="sheet"),
                    VerticalScroll(id="sheet-scroll", can_focus=True),
                ):
                    yield Static(sheet_renderable(record), id="sheet-view")
                with TabPane(self._tab_title("2", "tab.checklist"), id="checklist"):
                    yield WrappedTable(checklist_columns(words), id="checklist-table")
                with TabPane(self._tab_title("3", "tab.timeline"), id="timeline-tab"):
                    yield WrappedTable(timeline_columns(words), id="timeline")
                with TabPane(self._tab_title("4", "tab.access"), id="access"):
                    yield WrappedTable(access_columns(words), id="access-table")
                with (
                    TabPane(self._tab_title("5", "tab.laws"), id="laws"),
                    VerticalScroll(id="laws-scroll"),
                ):
                    lines, problem = record_law_lines(record)
                    text = "\n".join(
                        (words("laws.note"), "", *(lines or (problem or words("laws.none"),)))
                    )
                    yield PhraseText(terminal_safe(text, newlines=True), id="laws-text")
        recording, problem = self._recording()
        marks = [
            (row.audio_offset, row.kind)
            for row in (record.sheet.timeline if record else ())
            if row.audio_offset is not None
        ]
        yield PlayerPanel(
            recording,
            marks,
            words=self.words,
            output=self.setup.output,
            access=(self.setup.data_dir, self.loaded.folder.name),
            problem=problem,
        )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        record = self.loaded.record
        if record is not None:
            self._fill_tables(record)
        if self.setup.pulse_seconds:
            self.set_interval(self.setup.pulse_seconds, self.query_one(PlayerPanel).show_state)
            if self.loaded.status is SessionStatus.UNFINISHED:
                self.set_interval(LIVE_SECONDS, self.show_live)

    def read_live(self) -> BoardRow | None:
        """The board's view of this session now, or None when no desk writes it (ended, or
        left unrecovered)."""
        path = current_status_path(self.setup.data_dir, self.loaded.folder.name)
        read = read_status(path) if path is not None else None
        if read is None or read.status is None or read.status.ended:
            return None
        return board_row(read.status, datetime.now().astimezone())

    def _live_text(self) -> str:
        row = self.read_live()
        if row is not None:
            self._was_live = True
            return live_words(row, self.words)
        return self.words("live.ended" if getattr(self, "_was_live", False) else "live.none")

    def show_live(self) -> None:
        """Read the desk's live status again (a timer does, every `LIVE_SECONDS`)."""
        self.query_one("#live-state", PhraseText).update(self._live_text())

    def on_unmount(self) -> None:
        for panel in self.query(PlayerPanel):
            panel.close()

    def _recording(self) -> tuple[Recording | None, str]:
        try:
            return find_recording(self.loaded.folder), ""
        except UserError as error:
            return None, str(error)

    def _duration_words(self, session: RecordSession, live_elapsed: float | None) -> str:
        """The session's time; after 切電 or the visitor's leaving, with the after-care's
        share (0:45:00（うち事後対応0:10:00）): at 80 columns the line keeps its one row."""
        if live_elapsed is not None:
            return format_elapsed(live_elapsed)
        total = format_elapsed(session.duration_seconds)
        if session.contact_seconds is None or session.aftercare_seconds <= 0:
            return total
        return self.words(
            "session.duration_apart",
            total=total,
            aftercare=format_elapsed(session.aftercare_seconds),
        )

    def _summary(self, record: Record | None) -> str:
        words = self.words
        loaded = self.loaded
        problems = []
        if loaded.problems:
            reasons = (reason_words(problem, words.lang) for problem in loaded.problems)
            problems.append(words("session.problems", problems=" / ".join(reasons)))
        if record is None:
            return "\n".join([loaded.folder.name, words("status.unreadable"), *problems])
        session = record.session
        live = self.read_live() if loaded.status is SessionStatus.UNFINISHED else None
        # a running session's time is the board's, not its journal's last event's
        staff = " ".join(p for p in (session.staff.section, session.staff.name) if p)
        method = next((o.label for o in record.sheet.method_options if o.selected), "")
        first = words(
            "session.summary",
            when=f"{session.started_at:%Y-%m-%d %H:%M}",
            channel=method,
            staff=staff,
            duration=self._duration_words(session, live.elapsed if live else None),
        )
        if session.drill:
            first += "　" + words("kind.drill")
        if live is not None:
            first += "　" + words(f"status.live_{live.state.value}")
        elif loaded.status is SessionStatus.UNFINISHED:
            first += "　" + words("status.unrecovered")
        elif loaded.status is not SessionStatus.COMPLETE:
            first += "　" + words(f"status.{loaded.status.value}")
        step = session.furthest_step.title if session.furthest_step else words("session.no_step")
        second = [words("session.furthest", step=step)]
        if session.limit_reached:
            second.append(words("session.limit_reached", minutes=session.limit.minutes))
        if session.caller:
            earlier = previous_contacts(
                self.setup.index,
                session.caller,
                refresh=False,
                before=session.started_at,
                drill=session.drill,
            )
            second.append(words("session.caller", caller=session.caller, n=len(earlier) + 1))
        current = read_signoffs(self.loaded.folder.path.parent.parent, loaded.folder.name).current
        signed = (
            words("signoff.summary", words=current.words())
            if current is not None
            else words("signoff.summary", words=words("signoff.unsigned"))
        )
        second.append(signed)
        hold = read_hold(self.setup.data_dir, loaded.folder.name)
        if hold is not None:  # nothing purges it: the reason says why (a disclosure request…)
            second.append(words("list.hold", reason=hold.reason or words("list.hold_no_reason")))
        return "\n".join([first, "　".join(second), *problems])

    def _fill_tables(self, record: Record) -> None:
        self.query_one("#checklist-table", WrappedTable).show(
            [
                (str(item.no), item.text, "☑" if item.checked else "☐", item.remark)
                for item in record.sheet.checklist
            ]
        )
        self.query_one("#timeline", WrappedTable).show(
            [
                (row.clock, row.elapsed, offset_words(row.audio_offset), timeline_cell(row))
                for row in record.sheet.timeline
            ]
        )
        self._fill_access()

    @on(TabbedContent.TabActivated, "#tabs", pane="#access")
    def _fill_access(self) -> None:
        """Who opened, played or exported this session, and when (issue 5's access log)."""
        history = access_history(self.setup.data_dir, self.loaded.folder.name)
        rows = []
        for entry in history:
            when = f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}"
            who = f"{entry.user}@{entry.host}" if entry.host else entry.user
            rows.append((when, who, self.words(f"action.{entry.action}"), entry.detail))
        log = read_signoffs(self.loaded.folder.path.parent.parent, self.loaded.folder.name)
        for signoff in log.entries:  # the sign-offs are part of the session's history
            when = f"{signoff.at.astimezone():%Y-%m-%d %H:%M:%S}"
            who = signoff.reviewer or f"{signoff.user}@{signoff.host}"
            what = "signoff.signed" if signoff.kind == SIGNOFF else "signoff.withdrawn"
            rows.append((when, who, self.words(what), signoff.comment))
        rows.sort(reverse=True)
        self.query_one("#access-table", WrappedTable).show(rows)

    @on(TabbedContent.TabActivated, "#tabs")
    def _focus_tab(self, event: TabbedContent.TabActivated) -> None:
        """The tab shown takes the keys (↓, PgDn), not a table hidden behind it."""
        targets = {
            "sheet": "#sheet-scroll",
            "checklist": "#checklist-table",
            "timeline-tab": "#timeline",
            "access": "#access-table",
        }
        pane = event.pane.id or ""
        if pane in targets:
            self.query_one(targets[pane]).focus()

    @on(DataTable.RowSelected, "#timeline")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        """Play from the highlighted timeline event's moment in the recording."""
        record = self.loaded.record
        if record is None or not record.sheet.timeline:
            return
        row = record.sheet.timeline[self.query_one("#timeline", DataTable).cursor_row]
        if row.audio_offset is None:
            self.notify(self.words("player.no_offset"), severity="warning")
            return
        self.query_one(PlayerPanel).jump(row.audio_offset)

    def action_clip(self) -> None:
        """An audio clip around the highlighted timeline event (its bounds asked)."""
        from kasuhara_timer.review.screens.clip import ClipScreen

        record = self.loaded.record
        recording, _problem = self._recording()
        if record is None or not record.sheet.timeline:
            return
        number = self.query_one("#timeline", DataTable).cursor_row + 1
        row = record.sheet.timeline[number - 1]
        if recording is None:
            self.notify(self.words("player.none"), severity="warning")
            return
        if row.audio_offset is None:
            self.notify(self.words("player.no_offset"), severity="warning")
            return
        self.app.push_screen(ClipScreen(self.loaded, number, row, recording.seconds))

    def action_play(self) -> None:
        """Play or pause."""
        self.query_one(PlayerPanel).toggle()

    def action_skip(self, direction: int) -> None:
        """Ten seconds back or forward."""
        self.query_one(PlayerPanel).skip(direction * SKIP_SECONDS)

    def action_tab(self, tab: str) -> None:
        """Show the sheet, checklist, timeline, access or laws tab."""
        if self.loaded.record is not None:
            self.query_one(TabbedContent).active = "timeline-tab" if tab == "timeline" else tab

    def action_back(self) -> None:
        """Back to the list (playback stops)."""
        self.dismiss()

    def action_signoff(self) -> None:
        """Mark this session 確認済み with a comment, or take that back."""
        from kasuhara_timer.review.screens.signoff import SignOffScreen

        def done(changed: bool | None) -> None:
            if changed:
                self.query_one("#session-summary", PhraseText).update(
                    self._summary(self.loaded.record)
                )
                self._fill_access()

        self.app.push_screen(SignOffScreen(self.loaded), done)

    def action_verify(self) -> None:
        """Check this session's files as `kasuhara-timer verify` does; the findings in words."""
        from kasuhara_timer.review.screens.verify import VerifyScreen

        self.app.push_screen(VerifyScreen(self.loaded))

    def action_print_sheet(self) -> None:
        """Open the printable sheet (with its sign-off) in the system's browser, to print."""
        try:
            result = run_export(
                self.setup.data_dir,
                [self.loaded],
                ExportFormat.HTML,
                self.setup.export_dir.absolute(),
            )
        except (UserError, OSError) as error:
            self.notify(self.words("export.failed", error=error), severity="error")
            return
        (path,) = result.written
        if self.setup.open_file(path) is False:
            self.notify(self.words("print.no_viewer", path=path), severity="warning")
            return
        self.notify(self.words("print.opened", path=path))

    def action_export(self) -> None:
        """Export this session."""
        from kasuhara_timer.review.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.loaded.folder.path, None, 0))
