"""The clip dialog: an audio clip around the timeline's selected event, bounds adjustable.

It shows the event and the span the bounds give (kept within the recording) as they are typed;
the clip and its manifest are written by `exports.clip.write_clip` in a worker, logged first.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from kasuhara_timer.catalog.sessions import LoadedSession
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports.clip import AFTER, BEFORE, clip_bounds, write_clip
from kasuhara_timer.review.messages import ExportFailed, ExportFinished
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.store.record import TimelineRow
from kasuhara_timer.ui.phrase_text import PhraseText


class ClipScreen(ReviewNode, ModalScreen[None]):
    """Seconds before and after one event; the clip written where asked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "key.back", tooltip="key.back.tip", id="review.clip_back"),
    ]

    def __init__(self, loaded: LoadedSession, number: int, row: TimelineRow, seconds: float):
        super().__init__()
        self.translate_bindings()
        self.loaded = loaded
        self.number = number
        self.row = row
        self.seconds = seconds
        """The recording's length: the clip stays within it."""

    def compose(self) -> ComposeResult:
        words = self.words
        row = self.row
        with Vertical(id="clip-dialog", classes="dialog") as dialog:
            dialog.border_title = words("clip.title")
            event = words(
                "clip.event",
                clock=row.clock,
                elapsed=row.elapsed,
                offset=f"{row.audio_offset or 0.0:.1f}",
                text=row.text,
            )
            yield PhraseText(terminal_safe(event), id="clip-event")
            with Horizontal(id="clip-bounds"):
                yield Label(words("clip.before"))
                yield Input(f"{BEFORE:g}", id="clip-before", compact=True, type="number")
                yield Label(words("clip.after"))
                yield Input(f"{AFTER:g}", id="clip-after", compact=True, type="number")
            yield PhraseText(id="clip-span")
            yield Label(words("export.folder"))
            yield Input(str(self.setup.export_dir), id="clip-dir", compact=True)
            yield PhraseText(id="clip-status")
            with Horizontal(classes="buttons"):
                yield Button(words("clip.go"), variant="primary", id="go", compact=True)
                yield Button(words("key.back"), id="close", compact=True)

    def on_mount(self) -> None:
        self.steady_inputs()
        self._span()

    def bounds(self) -> tuple[float, float]:
        """Seconds before and after, as typed; `UserError` for what is not a number."""
        values = []
        for name in ("#clip-before", "#clip-after"):
            text = self.query_one(name, Input).value.strip()
            try:
                value = float(text)
            except ValueError:
                raise UserError(self.words("clip.not_a_number", text=text)) from None
            if not value >= 0:  # negative, or not a number at all (nan)
                raise UserError(self.words("clip.negative"))
            values.append(value)
        return values[0], values[1]

    def span(self) -> tuple[float, float]:
        """Start and end of the clip the bounds give; `UserError` (in words) if none."""
        before, after = self.bounds()
        try:
            return clip_bounds(self.row.audio_offset or 0.0, self.seconds, before, after)
        except UserError:
            raise UserError(self.words("clip.empty")) from None

    @on(Input.Changed, "#clip-before")
    @on(Input.Changed, "#clip-after")
    def _span(self) -> None:
        span = self.query_one("#clip-span", PhraseText)
        try:
            start, end = self.span()
        except UserError as error:
            span.update(str(error))
            span.add_class("-error")
            self.query_one("#go", Button).disabled = True
            return
        span.update(
            self.words(
                "clip.span", start=f"{start:.1f}", end=f"{end:.1f}", length=f"{end - start:.1f}"
            )
        )
        span.remove_class("-error")
        self.query_one("#go", Button).disabled = False

    @on(Button.Pressed, "#go")
    @on(Input.Submitted)
    def _go(self) -> None:
        try:
            self.span()
            before, after = self.bounds()
        except UserError as error:
            self._say(str(error), error=True)
            return
        typed = self.query_one("#clip-dir", Input).value.strip()
        out_dir = (Path(typed).expanduser() if typed else self.setup.export_dir).absolute()
        self.query_one("#go", Button).disabled = True
        self._clip(before, after, out_dir)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _clip(self, before: float, after: float, out_dir: Path) -> None:
        try:
            made = write_clip(
                self.setup.data_dir, self.loaded, self.number, out_dir, before=before, after=after
            )
        except (UserError, OSError) as error:
            self.post_message(ExportFailed(str(error)))
            return
        self.post_message(ExportFinished([made.audio, made.manifest], []))

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        self._say(self.words("export.done", files="\n".join(str(p) for p in message.written)))
        self.query_one("#go", Button).disabled = False

    @on(ExportFailed)
    def _failed(self, message: ExportFailed) -> None:
        self._say(self.words("export.failed", error=message.error), error=True)
        self.query_one("#go", Button).disabled = False

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#clip-status", PhraseText)
        status.update(text)
        status.set_class(error, "-error")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()
