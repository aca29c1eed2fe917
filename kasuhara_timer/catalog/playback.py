"""Listening to a session: play, pause, seek, jump to an event, and a loudness overview.

Audio goes out through sounddevice (PortAudio) as a blocking raw stream fed by one player thread
from `recording.pcm_chunks`, so only a fraction of a second is ever decoded ahead: a recording of
many hours plays with flat memory. Without an output device the player still keeps its position
(jumps and skips move it) and says why it cannot play, with PortAudio's own words as the detail
(`OutputUnavailable`); asked to play, it waits for a device, trying again every
`RETRY_SECONDS`, and plays on from its position once one answers. A device lost while playing is
the same: the player waits, then resumes where the sound stopped, without reopening anything.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from kasuhara_timer.audio.devices import AudioUnavailable, load_sounddevice, quiet_stderr
from kasuhara_timer.catalog.recordings import Recording, chunk_rate, pcm_chunks
from kasuhara_timer.errors import UserError

SILENT_DB = -90.0
"""The floor of the loudness overview (digital silence)."""

RETRY_SECONDS = 1.0
"""How often a player asked to play looks again for an output device."""


class OutputUnavailable(Exception):
    """No sound can be played here; the message is the detail (PortAudio's words, or '')."""


class OutputStream(Protocol):
    """What the player needs of an output stream (sounddevice's RawOutputStream fits)."""

    def start(self) -> None:
        """Begin (or continue) playing."""
        ...

    def stop(self) -> None:
        """Stop after what was written (pause)."""
        ...

    def write(self, data: bytes) -> Any:
        """Play `data` (s16le frames); blocks while the device's buffer is full."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


AudioOutput = Callable[[int, int], OutputStream]
"""Opens an output stream for (samplerate, channels); raises `OutputUnavailable`."""


_PORTAUDIO = threading.Lock()
"""Opening streams and initialising PortAudio again, one thread at a time (two at once crash)."""
_open_streams = 0
"""Streams `sounddevice_output` opened and nobody closed yet: PortAudio is never initialised
again under them (that would close them)."""


def sounddevice_output(samplerate: int, channels: int) -> OutputStream:
    """The default output device through PortAudio, 16-bit.

    When it cannot be opened PortAudio is initialised again and asked once more (unless another
    stream of ours is open): PortAudio lists devices only when initialised, so a speaker
    plugged in later is otherwise never seen.
    """
    global _open_streams
    try:
        sd = load_sounddevice()
    except AudioUnavailable as error:
        raise OutputUnavailable(str(error)) from None
    with _PORTAUDIO:
        try:
            stream = _open(sd, samplerate, channels)
        except Exception as error:  # PortAudioError, ValueError: no device, or a stale list
            if _open_streams:
                raise OutputUnavailable(str(error) or type(error).__name__) from None
            try:
                with quiet_stderr():
                    if sd._initialized > 0:
                        sd._terminate()
                    sd._initialize()
                stream = _open(sd, samplerate, channels)
            except Exception as again:
                raise OutputUnavailable(str(again) or type(again).__name__) from None
        _open_streams += 1
    return _Counted(stream)


class _Counted:
    """A stream that tells `sounddevice_output` when it is closed."""

    def __init__(self, stream: OutputStream) -> None:
        self._stream = stream
        self._closed = False

    def start(self) -> None:
        self._stream.start()

    def stop(self) -> None:
        self._stream.stop()

    def write(self, data: bytes) -> Any:
        return self._stream.write(data)

    def close(self) -> None:
        global _open_streams
        with _PORTAUDIO:
            if self._closed:
                return
            self._closed = True
            _open_streams -= 1
            with quiet_stderr():
                self._stream.close()


def _open(sd: Any, samplerate: int, channels: int) -> OutputStream:
    with quiet_stderr():  # ALSA prints its probing on fd 2 (diverted for the review's run)
        stream: OutputStream = sd.RawOutputStream(
            samplerate=samplerate, channels=channels, dtype="int16", latency="high"
        )
    return stream


def no_output(samplerate: int, channels: int) -> OutputStream:
    """An output that never opens: where the review runs without any sound (tests, setup)."""
    raise OutputUnavailable("")


@dataclass(frozen=True)
class PlayerState:
    """What the player panel shows."""

    position: float
    duration: float
    playing: bool
    """Asked to play (and playing, unless `waiting`)."""
    finished: bool
    error: str = ""
    """PortAudio's words when no device plays (`unavailable`), else why the recording could
    not be decoded; '' when all is well."""
    unavailable: bool = False
    """No output device could be opened (or it was lost); `error` has the detail."""
    waiting: bool = False
    """Asked to play, no device: plays on from `position` as soon as one answers."""


class Player:
    """Plays one recording; every control returns at once, the thread does the work."""

    def __init__(
        self,
        recording: Recording,
        output: AudioOutput = sounddevice_output,
        on_change: Callable[[PlayerState], None] | None = None,
        *,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.recording = recording
        self._output = output
        self._stream: OutputStream | None = None
        self._on_change = on_change
        self._retry = retry_seconds
        self._lock = threading.Condition()
        self._position = 0.0
        self._playing = False
        self._seek_to: float | None = 0.0
        self._closed = False
        self._error = ""
        self._unavailable = False
        self._probed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="review-player", daemon=True)
        self._thread.start()

    @property
    def state(self) -> PlayerState:
        """Position, duration, playing or not, at the end or not, and any device problem."""
        with self._lock:
            return self._state()

    def wait_probed(self, timeout: float | None = None) -> bool:
        """Wait until the first attempt to open the output has been made (tests, the panel)."""
        return self._probed.wait(timeout)

    def play(self) -> None:
        """Play from the current position (from the start again when at the end)."""
        with self._lock:
            if self._position >= self.recording.seconds:
                self._seek_to = 0.0
                self._position = 0.0
            self._playing = True
            self._lock.notify_all()
        self._changed()

    def pause(self) -> None:
        """Stop where it is (and stop waiting for a device)."""
        with self._lock:
            self._playing = False
            self._lock.notify_all()
        self._changed()

    def toggle(self) -> None:
        """Play or pause."""
        if self.state.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Go to `seconds` into the recording (kept within it); playing continues if it was.
        Without a device the position moves all the same."""
        with self._lock:
            self._seek_to = min(max(0.0, seconds), self.recording.seconds)
            self._position = self._seek_to
            self._lock.notify_all()
        self._changed()

    def skip(self, delta: float) -> None:
        """Seek relative to the current position (±10 s from the keys)."""
        with self._lock:
            position = self._position
        self.seek(position + delta)

    def close(self) -> None:
        """Stop the thread and release the device."""
        with self._lock:
            self._closed = True
            self._playing = False
            self._lock.notify_all()
        self._thread.join(timeout=5)

    def _state(self) -> PlayerState:
        duration = self.recording.seconds
        waiting = self._playing and self._stream is None and self._unavailable
        return PlayerState(
            position=self._position,
            duration=duration,
            playing=self._playing,
            finished=self._position >= duration,
            error=self._error,
            unavailable=self._unavailable,
            waiting=waiting,
        )

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self.state)

    def _open(self) -> bool:
        """Try the output device once; True when a stream is open."""
        try:
            stream = self._output(self.recording.samplerate, self.recording.channels)
        except OutputUnavailable as error:
            with self._lock:
                changed = not self._unavailable or self._error != str(error)
                self._unavailable, self._error = True, str(error)
            if changed:
                self._changed()
            return False
        with self._lock:
            self._stream, self._unavailable, self._error = stream, False, ""
        self._changed()
        return True

    def _lost(self, error: Exception) -> None:
        """The device failed mid-play: let it go, and play on from here once one answers."""
        stream, self._stream = self._stream, None
        if stream is not None:  # a lost device may fail to close too; it is gone anyway
            with quiet_stderr(), contextlib.suppress(Exception):
                stream.close()
        with self._lock:
            self._unavailable = True
            self._error = str(error) or type(error).__name__
            if self._seek_to is None:
                self._seek_to = self._position
        self._changed()

    def _run(self) -> None:
        chunks: Iterator[bytes] | None = None
        started = False
        self._open()  # at once: the panel says whether a device is there before anyone plays
        self._probed.set()
        try:
            while True:
                with self._lock:
                    stop = started and not self._playing
                if stop and self._stream is not None:
                    started = False
                    try:
                        self._stream.stop()
                    except Exception as error:  # lost while pausing: found again on play
                        self._lost(error)
                with self._lock:
                    self._lock.wait_for(lambda: self._closed or self._playing)
                    if self._closed:
                        return
                if self._stream is None and not self._open():
                    with self._lock:  # no device: look again soon, or when told to stop
                        self._lock.wait_for(lambda: self._closed or not self._playing, self._retry)
                    continue
                assert self._stream is not None
                with self._lock:
                    if self._seek_to is not None:
                        start, self._seek_to = self._seek_to, None
                        _close(chunks)
                        chunks = pcm_chunks(self.recording, start)
                assert chunks is not None
                try:
                    data = next(chunks, b"")
                except (UserError, OSError) as error:  # a damaged file: said, never silence
                    _close(chunks)
                    with self._lock:
                        self._error, self._playing = str(error), False
                        self._seek_to = self._position
                    self._changed()
                    continue
                if not data:
                    with self._lock:
                        self._playing = False
                        self._position = self.recording.seconds
                    self._changed()
                    continue
                try:
                    if not started:
                        self._stream.start()
                        started = True
                    self._stream.write(data)
                except Exception as error:  # PortAudioError: the device went away mid-play
                    started = False
                    self._lost(error)
                    continue
                with self._lock:
                    if self._seek_to is None:
                        frames = len(data) / self.recording.frame_bytes
                        self._position += frames / self.recording.samplerate
        finally:
            _close(chunks)
            if self._stream is not None:
                with quiet_stderr(), contextlib.suppress(Exception):
                    self._stream.close()


def _close(chunks: Iterator[bytes] | None) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


def loudness(recording: Recording, *, samplerate: int = 8000) -> list[float]:
    """Loudness (dBFS, RMS) of each second of the recording, read as a stream.

    Archived files are decoded at a low rate for speed; the values are only for the overview.
    """
    import numpy as np  # deferred: only the overview needs it (~0.1 s to import)

    rate = chunk_rate(recording, samplerate)
    per_second = rate * recording.channels
    levels: list[float] = []
    pending = np.zeros(0, dtype=np.float64)
    for data in pcm_chunks(recording, samplerate=samplerate):
        samples = np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0
        pending = np.concatenate([pending, samples])
        while len(pending) >= per_second:
            levels.append(_dbfs(pending[:per_second]))
            pending = pending[per_second:]
    if len(pending):
        levels.append(_dbfs(pending))
    return levels


def _dbfs(samples: Any) -> float:
    rms = math.sqrt(float((samples * samples).mean())) if len(samples) else 0.0
    return max(SILENT_DB, 20 * math.log10(rms)) if rms > 0 else SILENT_DB


def overview(levels: list[float], width: int) -> list[float]:
    """Per-second loudness squeezed (or stretched) to `width` columns: the loudest in each."""
    if not levels or width <= 0:
        return [SILENT_DB] * max(0, width)
    columns = []
    for column in range(width):
        start = column * len(levels) // width
        end = max(start + 1, (column + 1) * len(levels) // width)
        columns.append(max(levels[start:end]))
    return columns
