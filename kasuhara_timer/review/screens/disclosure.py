"""The disclosure dialog: several sessions in one zip with a cover sheet, fields left out.

Which sessions: those marked in the list (space), or every session the list's filter shows.
Which sheet fields to leave out: the typed ones (相手の情報…), each a checkbox; the cover sheet
and the sheets say what was left out. The export itself (`exports.run_export`, format
`disclosure`) logs every session before writing and runs in a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.exports.redaction import OmittedField, omittable_fields
from kasuhara_timer.review.messages import ExportFailed, ExportFinished
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.ui.phrase_text import PhraseText

SAMPLED = 20
"""Sessions read to offer the fields that can be left out (all profiles share most)."""


class DisclosureScreen(ReviewNode, ModalScreen[None]):
    """Choose the sessions, the fields to leave out and a folder; say what was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "key.back", tooltip="key.back.tip", id="review.disclose_back"),
    ]

    def __init__(
        self, marked: Sequence[Path], listed: SessionFilter, count: int, filter_words: str
    ) -> None:
        super().__init__()
        self.translate_bindings()
        self.marked = list(marked)
        self.listed = listed
        self.count = count
        self.filter_words = filter_words
        self.fields = self._fields()

    def _fields(self) -> list[OmittedField]:
        paths = self.marked[:SAMPLED] or self._listed_paths(SAMPLED)
        return omittable_fields(s.record for s in map(load_folder, paths) if s.record is not None)

    def _listed_paths(self, limit: int | None = None) -> list[Path]:
        rows = self.setup.index.query(self.listed, SortKey.STARTED, descending=False)
        return [Path(row.path) for row in rows[:limit] if row.readable]

    def compose(self) -> ComposeResult:
        words = self.words
        with Vertical(id="disclose-dialog", classes="dialog") as dialog:
            dialog.border_title = words("disclose.title")
            yield Label(words("disclose.which"))
            with RadioSet(id="disclose-which"):
                if self.marked:
                    yield RadioButton(
                        words("disclose.marked", n=len(self.marked)), value=True, name="marked"
                    )
                yield RadioButton(
                    words("disclose.listed", n=self.count, filter=self.filter_words),
                    value=not self.marked,
                    name="listed",
                )
            yield Label(words("disclose.omit"))
            with Vertical(id="disclose-fields"):
                for field in self.fields:
                    yield Checkbox(field.label, name=field.id, id=f"omit-{field.id}", compact=True)
            yield Label(words("export.folder"))
            yield Input(str(self.setup.export_dir), id="disclose-dir", compact=True)
            yield PhraseText(id="disclose-status")
            with Horizontal(classes="buttons"):
                yield Button(words("export.go"), variant="primary", id="go", compact=True)
                yield Button(words("key.back"), id="close", compact=True)

    def on_mount(self) -> None:
        self.steady_inputs()

    def omitted(self) -> list[str]:
        """The ids of the fields ticked to be left out."""
        return [box.name for box in self.query(Checkbox) if box.value and box.name]

    def which(self) -> str:
        """``marked`` or ``listed``."""
        pressed = self.query_one("#disclose-which", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "listed"

    @on(Button.Pressed, "#go")
    @on(Input.Submitted, "#disclose-dir")
    def _go(self) -> None:
        typed = self.query_one("#disclose-dir", Input).value.strip()
        out_dir = (Path(typed).expanduser() if typed else self.setup.export_dir).absolute()
        self.query_one("#go", Button).disabled = True
        self._say(self.words("disclose.working"))
        self._export(self.which(), self.omitted(), out_dir)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, which: str, omit: list[str], out_dir: Path) -> None:
        try:
            marked = which == "marked"
            paths = self.marked if marked else self._listed_paths()
            sessions: list[LoadedSession] = [load_folder(path) for path in paths]
            where = self.listed
            requested = (None, None) if marked else (where.date_from, where.date_to)
            result = run_export(
                self.setup.data_dir,
                sessions,
                ExportFormat.DISCLOSURE,
                out_dir,
                omit=omit,
                requested=requested,
            )
        except (UserError, OSError) as error:
            self.post_message(ExportFailed(str(error)))
            return
        self.post_message(ExportFinished(result.written, result.skipped))

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
        status = self.query_one("#disclose-status", PhraseText)
        status.update(text)
        status.set_class(error, "-error")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()
