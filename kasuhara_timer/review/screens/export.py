"""The export dialog: the highlighted session in any format, or the listed sessions as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet

from kasuhara_timer.catalog.query import SessionFilter, SortKey
from kasuhara_timer.catalog.sessions import LoadedSession, load_folder
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports import ExportFormat, csv_name, run_export
from kasuhara_timer.review.messages import ExportFailed, ExportFinished
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.ui.phrase_text import PhraseText

SESSION_FORMATS = (ExportFormat.XLSX, ExportFormat.HTML, ExportFormat.JSON, ExportFormat.BUNDLE)
LAWS_FORMATS = (ExportFormat.XLSX, ExportFormat.HTML)
"""The sheets that can carry the 法令（参考） annex (the box is ignored for the others)."""


class ExportScreen(ReviewNode, ModalScreen[None]):
    """Choose a format and a folder; the export runs in a worker and says what it wrote."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "key.back", tooltip="key.back.tip", id="review.export_back"),
    ]

    def __init__(self, folder: Path | None, listed: SessionFilter | None, count: int) -> None:
        super().__init__()
        self.translate_bindings()
        self.folder = folder
        self.listed = listed
        self.count = count

    def formats(self) -> list[ExportFormat]:
        """What can be exported from here, in the order offered."""
        formats = list(SESSION_FORMATS) if self.folder is not None else []
        return [*formats, ExportFormat.CSV]

    def compose(self) -> ComposeResult:
        words = self.words
        what = self.folder.name if self.folder is not None else words("export.list", n=self.count)
        with Vertical(id="export-dialog", classes="dialog") as dialog:
            dialog.border_title = words("export.title", what=what)
            yield Label(words("export.format"))
            with RadioSet(id="format"):
                for number, fmt in enumerate(self.formats()):
                    label = words(f"export.{fmt.value}")
                    if fmt is ExportFormat.CSV and self.listed is not None:
                        label += f"：{words('export.list', n=self.count)}"
                    yield RadioButton(label, value=number == 0, name=fmt.value)
            if self.folder is not None:
                yield Checkbox(words("export.laws"), id="export-laws", compact=True)
            yield Label(words("export.folder"))
            yield Input(str(self.setup.export_dir), id="export-dir", compact=True)
            yield PhraseText(id="export-status")
            with Horizontal(classes="buttons"):
                yield Button(words("export.go"), variant="primary", id="go", compact=True)
                yield Button(words("key.back"), id="close", compact=True)

    def on_mount(self) -> None:
        self.steady_inputs()

    def chosen(self) -> ExportFormat:
        """The format selected."""
        pressed = self.query_one("#format", RadioSet).pressed_button
        return (
            ExportFormat(pressed.name)
            if pressed is not None and pressed.name
            else (self.formats()[0])
        )

    @on(Button.Pressed, "#go")
    @on(Input.Submitted, "#export-dir")
    def _go(self) -> None:
        typed = self.query_one("#export-dir", Input).value.strip()
        out_dir = (Path(typed).expanduser() if typed else self.setup.export_dir).absolute()
        fmt = self.chosen()
        if fmt is ExportFormat.CSV and self.review.index_state.building:
            status = self.query_one("#export-status", PhraseText)  # the list is not all there
            status.update(self.words("export.wait_index"))
            status.add_class("-error")
            return
        self.query_one("#go", Button).disabled = True
        laws = fmt in LAWS_FORMATS and any(
            box.value for box in self.query("#export-laws").results(Checkbox)
        )
        self._export(fmt, out_dir, laws)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, fmt: ExportFormat, out_dir: Path, laws: bool = False) -> None:
        try:
            sessions = self._sessions(fmt)
            where = self.listed
            name = (
                csv_name(where.date_from, where.date_to) if where is not None else ("sessions.csv")
            )
            result = run_export(
                self.setup.data_dir, sessions, fmt, out_dir, csv_name=name, laws=laws
            )
        except (UserError, OSError) as error:
            self.post_message(ExportFailed(str(error)))
            return
        self.post_message(ExportFinished(result.written, result.skipped))

    def _sessions(self, fmt: ExportFormat) -> list[LoadedSession]:
        if fmt is ExportFormat.CSV and self.listed is not None:
            rows = self.setup.index.query(self.listed, SortKey.STARTED, descending=False)
            return [load_folder(Path(row.path)) for row in rows]
        if self.folder is None:
            return []
        return [load_folder(self.folder)]

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        words = self.words
        lines = [words("export.done", files="\n".join(str(p) for p in message.written))]
        if message.skipped:
            items = "; ".join(f"{name} ({why})" for name, why in message.skipped)
            lines.append(words("export.skipped", items=items))
        self._say("\n".join(lines), error=bool(message.skipped))
        self.query_one("#go", Button).disabled = False

    @on(ExportFailed)
    def _failed(self, message: ExportFailed) -> None:
        self._say(self.words("export.failed", error=message.error), error=True)
        self.query_one("#go", Button).disabled = False

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", PhraseText)
        status.update(text)
        status.set_class(error, "-error")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()
