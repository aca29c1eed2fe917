"""The player panel: status line and loudness overview; owns the `Player` of one session.

The loudness is read in a worker thread and the player opens the sound output in its own, so
opening a session never waits for PortAudio or ffmpeg. Without a recording the panel says so;
without an output device it says why in the interface's words (PortAudio's only as the
detail), jumps and ±10 s still move the position, and playing waits for a device to answer.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kasuhara_timer.catalog.playback import (
    AudioOutput,
    Player,
    PlayerState,
    loudness,
    no_output,
)
from kasuhara_timer.catalog.recordings import Recording
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.review.messages import LoudnessRead, PlayerChanged
from kasuhara_timer.review.widgets.loudness import LoudnessView
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.ui.phrase_text import PhraseText


class PlayerPanel(Vertical):
    """Play, pause, seek and jump in one session's recording."""

    def __init__(
        self,
        recording: Recording | None,
        marks: list[tuple[float, str]],
        *,
        words: Translator,
        output: AudioOutput | None,
        access: tuple[Path, str],
        problem: str = "",
    ) -> None:
        super().__init__(id="player")
        self.recording = recording
        self.marks = marks
        self.words = words
        self.output = output
        self.access = access
        """(data folder, session name) for the access log."""
        self.problem = problem
        self.player: Player | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="player-status", markup=False)
        yield PhraseText(id="player-problem")
        if self.recording is not None:
            yield LoudnessView(self.recording.seconds, self.marks, id="loudness")

    def on_mount(self) -> None:
        if self.recording is None:
            self._status(self.problem or self.words("player.none"))
            return
        self._read_loudness(self.recording)
        self.player = Player(
            self.recording, self.output or no_output, on_change=self._changed_from_thread
        )
        if self.output is None:  # nothing to open: known at once, shown from the first frame
            self.player.wait_probed(1.0)
        self.show_state()

    @work(thread=True, exclusive=True, group="loudness", exit_on_error=False)
    def _read_loudness(self, recording: Recording) -> None:
        try:
            levels = loudness(recording)
        except (OSError, UserError):
            levels = []
        self.post_message(LoudnessRead(levels))

    def _changed_from_thread(self, state: PlayerState) -> None:
        self.post_message(PlayerChanged(state))

    @on(LoudnessRead)
    def _loudness(self, message: LoudnessRead) -> None:
        self.query_one(LoudnessView).show_levels(message.levels)
        self.show_state()

    @on(PlayerChanged)
    def _changed(self, message: PlayerChanged) -> None:
        self.show_state()

    def show_state(self) -> None:
        """Repaint the status line and the position (also called by the screen's pulse)."""
        if self.recording is None or self.player is None:
            return
        words = self.words
        state = self.player.state
        duration = format_elapsed(self.recording.seconds)
        position = format_elapsed(state.position)
        problem = ""
        if state.unavailable:
            label = words("player.waiting" if state.waiting else "player.no_device")
            hint = words(
                "player.waiting_hint" if state.waiting else "player.no_device_hint",
                position=position,
            )
            detail = words("player.detail", detail=state.error) if state.error else ""
            problem = "\n".join(line for line in (hint, detail) if line)
        elif state.error:
            label = words("player.cannot_play")
            problem = words("player.decode_failed", detail=state.error)
        elif state.playing:
            label = words("player.playing")
        else:
            label = words("player.finished" if state.finished else "player.paused")
        self._status(f"{label}　{position} / {duration}　{words('player.keys')}")
        self.query_one("#player-problem", PhraseText).update(problem)
        self.query_one(LoudnessView).position = state.position

    def toggle(self) -> None:
        """Play or pause; the first play of each listening is logged (asked for, it plays as
        soon as a device answers)."""
        if self.player is None:
            self._tell_unavailable()
            return
        if not self.player.state.playing and not self._log(self.player.state.position):
            return
        self.player.toggle()

    def skip(self, delta: float) -> None:
        """Seek relative to the current position (with or without a device)."""
        if self.player is not None:
            self.player.skip(delta)

    def jump(self, offset: float) -> None:
        """Play from `offset` seconds into the recording (an event's moment)."""
        if self.player is None:
            self._tell_unavailable()
            return
        if not self._log(offset):
            return
        self.player.seek(offset)
        self.player.play()

    def on_unmount(self) -> None:
        """The screen went: so does its player (its thread and the device)."""
        self.close()

    def close(self) -> None:
        """Stop playing and release the device."""
        if self.player is not None:
            self.player.close()
            self.player = None

    def _log(self, offset: float) -> bool:
        """Log the listening first; False (and a message) when the log refuses."""
        data_dir, session = self.access
        try:
            log_access(data_dir, AccessAction.LISTEN, session, f"from {offset:.1f}s")
        except UserError as error:
            self.notify(self.words("player.unavailable", reason=error), severity="error")
            return False
        return True

    def _tell_unavailable(self) -> None:
        self.notify(self.problem or self.words("player.none"), severity="warning")

    def _status(self, text: str) -> None:
        self.query_one("#player-status", Static).update(text)
