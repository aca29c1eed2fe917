"""The player panel: status line and loudness overview; owns the `Player` of one session.

The sound output is opened and the loudness read in worker threads, so opening a session never
waits for PortAudio or ffmpeg. Without a recording or an output device the panel says so and
everything else on the screen keeps working.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kasuhara_timer.catalog.playback import (
    AudioOutput,
    OutputUnavailable,
    Player,
    PlayerState,
    loudness,
)
from kasuhara_timer.catalog.recordings import Recording
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.review.messages import LoudnessRead, PlayerChanged
from kasuhara_timer.review.widgets.loudness import LoudnessView
from kasuhara_timer.session.clock import format_elapsed


class PlayerUnavailable(PlayerChanged):
    """No sound can be played; the panel shows why."""

    def __init__(self, reason: str) -> None:
        super().__init__(PlayerState(0.0, 0.0, False, False, reason))


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
        self.unavailable = ""

    def compose(self) -> ComposeResult:
        yield Static(id="player-status", markup=False)
        if self.recording is not None:
            yield LoudnessView(self.recording.seconds, self.marks, id="loudness")

    def on_mount(self) -> None:
        if self.recording is None:
            self._status(self.problem or self.words("player.none"))
            return
        self._status(self.words("player.loading"))
        self._read_loudness(self.recording)
        self._open(self.recording)

    @work(thread=True, exclusive=True, group="loudness", exit_on_error=False)
    def _read_loudness(self, recording: Recording) -> None:
        try:
            levels = loudness(recording)
        except (OSError, UserError):
            levels = []
        self.post_message(LoudnessRead(levels))

    @work(thread=True, exclusive=True, group="output", exit_on_error=False)
    def _open(self, recording: Recording) -> None:
        if self.output is None:
            self.post_message(PlayerUnavailable(self.words("player.no_output")))
            return
        try:
            player = Player(recording, self.output, on_change=self._changed_from_thread)
        except OutputUnavailable as error:  # PortAudio speaks English: say it, keep its detail
            reason = self.words("player.no_output_detail", detail=str(error))
            self.post_message(PlayerUnavailable(reason))
            return
        self.player = player
        self.post_message(PlayerChanged(player.state))

    def _changed_from_thread(self, state: PlayerState) -> None:
        self.post_message(PlayerChanged(state))

    @on(LoudnessRead)
    def _loudness(self, message: LoudnessRead) -> None:
        self.query_one(LoudnessView).show_levels(message.levels)
        self.show_state()

    @on(PlayerChanged)
    def _changed(self, message: PlayerChanged) -> None:
        if isinstance(message, PlayerUnavailable):
            self.unavailable = message.state.error
        self.show_state()

    def show_state(self) -> None:
        """Repaint the status line and the position (also called by the screen's pulse)."""
        if self.recording is None:
            return
        words = self.words
        duration = format_elapsed(self.recording.seconds)
        if self.player is None:
            reason = self.unavailable or words("player.loading")
            if self.unavailable:
                reason = words("player.unavailable", reason=reason)
            self._status(f"{reason}　0:00:00 / {duration}")
            return
        state = self.player.state
        if state.error:
            label = words("player.unavailable", reason=state.error)
        elif state.playing:
            label = words("player.playing")
        else:
            label = words("player.finished" if state.finished else "player.paused")
        self._status(
            f"{label}　{format_elapsed(state.position)} / {duration}　{words('player.keys')}"
        )
        self.query_one(LoudnessView).position = state.position

    def toggle(self) -> None:
        """Play or pause; the first play of each listening is logged."""
        if self.player is None:
            self._tell_unavailable()
            return
        if not self.player.state.playing and not self._log(self.player.state.position):
            return
        self.player.toggle()

    def skip(self, delta: float) -> None:
        """Seek relative to the current position."""
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
        reason = self.unavailable or self.problem or self.words("player.none")
        if self.recording is not None and self.unavailable:
            reason = self.words("player.unavailable", reason=self.unavailable)
        self.notify(reason, severity="warning")

    def _status(self, text: str) -> None:
        self.query_one("#player-status", Static).update(text)
