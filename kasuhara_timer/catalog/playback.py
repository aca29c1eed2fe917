"""Listening to a session: play, pause, seek, jump to an event, and a loudness overview.

Audio goes out through sounddevice (PortAudio) as a blocking raw stream fed by one player thread
from `recording.pcm_chunks`, so only a fraction of a second is ever decoded ahead: a recording of
many hours plays with flat memory. Where there is no PortAudio or no output device, `open_output`
raises `OutputUnavailable` with the reason in plain words and the review goes on without sound.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from kasuhara_timer.audio.devices import AudioUnavailable, load_sounddevice
from kasuhara_timer.catalog.recordings import Recording, chunk_rate, pcm_chunks

SILENT_DB = -90.0
"""The floor of the loudness overview (digital silence)."""


class OutputUnavailable(Exception):
    """No sound can be played here; the message says why."""


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


def sounddevice_output(samplerate: int, channels: int) -> OutputStream:
    """The default output device through PortAudio, 16-bit."""
    try:
        sd = load_sounddevice()
    except AudioUnavailable as error:
        raise OutputUnavailable(str(error)) from None
    try:
        stream: OutputStream = sd.RawOutputStream(
            samplerate=samplerate, channels=channels, dtype="int16", latency="high"
        )
    except Exception as error:  # PortAudioError, ValueError: no device or no such format
        raise OutputUnavailable(f"no sound output device can play this ({error})") from None
    return stream


@dataclass(frozen=True)
class PlayerState:
    """What the player panel shows."""

    position: float
    duration: float
    playing: bool
    finished: bool
    error: str = ""


class Player:
    """Plays one recording; every control returns at once, the thread does the work."""

    def __init__(
        self,
        recording: Recording,
        output: AudioOutput = sounddevice_output,
        on_change: Callable[[PlayerState], None] | None = None,
    ) -> None:
        self.recording = recording
        self._stream = output(recording.samplerate, recording.channels)
        self._on_change = on_change
        self._lock = threading.Condition()
        self._position = 0.0
        self._playing = False
        self._seek_to: float | None = 0.0
        self._closed = False
        self._error = ""
        self._thread = threading.Thread(target=self._run, name="review-player", daemon=True)
        self._thread.start()

    @property
    def state(self) -> PlayerState:
        """Position, duration, playing or not, at the end or not, and any error."""
        with self._lock:
            return self._state()

    def play(self) -> None:
        """Play from the current position (from the start again when at the end)."""
        with self._lock:
            if self._position >= self.recording.seconds:
                self._seek_to = 0.0
            self._playing = True
            self._lock.notify_all()
        self._changed()

    def pause(self) -> None:
        """Stop where it is."""
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
        """Go to `seconds` into the recording (kept within it); playing continues if it was."""
        with self._lock:
            self._seek_to = min(max(0.0, seconds), self.recording.seconds)
            self._position = self._seek_to
            self._lock.notify_all()
        self._changed()

    def skip(self, delta: float) -> None:
        """Seek relative to the current position (±10 s from the keys)."""
        self.seek(self.state.position + delta)

    def close(self) -> None:
        """Stop the thread and release the device."""
        with self._lock:
            self._closed = True
            self._playing = False
            self._lock.notify_all()
        self._thread.join(timeout=5)

    def _state(self) -> PlayerState:
        duration = self.recording.seconds
        return PlayerState(
            position=self._position,
            duration=duration,
            playing=self._playing,
            finished=self._position >= duration,
            error=self._error,
        )

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self.state)

    def _run(self) -> None:
        chunks: Iterator[bytes] | None = None
        started = False
        try:
            while True:
                with self._lock:
                    if started and not self._playing:
                        self._stream.stop()
                        started = False
                    self._lock.wait_for(lambda: self._closed or self._playing)
                    if self._closed:
                        return
                    if self._seek_to is not None:
                        start, self._seek_to = self._seek_to, None
                        _close(chunks)
                        chunks = pcm_chunks(self.recording, start)
                assert chunks is not None
                data = next(chunks, b"")
                if not data:
                    with self._lock:
                        self._playing = False
                        self._position = self.recording.seconds
                    self._changed()
                    continue
                if not started:
                    self._stream.start()
                    started = True
                self._stream.write(data)
                with self._lock:
                    if self._seek_to is None:
                        frames = len(data) / self.recording.frame_bytes
                        self._position += frames / self.recording.samplerate
        except Exception as error:  # a device lost mid-play: say so, keep the review usable
            with self._lock:
                self._error = str(error) or type(error).__name__
                self._playing = False
            self._changed()
        finally:
            _close(chunks)
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
