"""Test doubles and probes for the recorder: a fake PortAudio, a report log, the virtual mic."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from kasuhara_timer.audio.backend import BlockCallback
from kasuhara_timer.audio.devices import AudioUnavailable
from kasuhara_timer.audio.recorder import RecorderReport
from kasuhara_timer.audio.settings import AudioSettings

WAIT = 20.0
"""Generous bound for waiting on the recorder's thread; never an assertion about speed."""


@dataclass(frozen=True)
class FakeStatus:
    """sounddevice's CallbackFlags, as much as the recorder reads."""

    input_overflow: bool = False


class FakeStream:
    """A capture stream the test feeds by hand, block by block."""

    def __init__(self, callback: BlockCallback, finished: Callable[[], None]) -> None:
        self._callback = callback
        self._finished = finished
        self.active = True
        self.closed = False

    def feed(self, samples: np.ndarray[Any, Any], *, overflow: bool = False) -> None:
        """Deliver one block as PortAudio's thread would."""
        block = samples.reshape(-1, 1).astype(np.int16)
        self._callback(block, len(block), None, FakeStatus(overflow))

    def end(self) -> None:
        """The host ended the stream (as WASAPI does on unplug)."""
        self.active = False
        self._finished()

    def close(self) -> None:
        self.active = False
        self.closed = True


@dataclass
class FakeBackend:
    """Opens `FakeStream`s; can be told to be unavailable or to fail the next opens."""

    unavailable: str | None = None
    failures: list[Exception] = field(default_factory=list)
    streams: list[FakeStream] = field(default_factory=list)
    reinitialised: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def check(self) -> None:
        if self.unavailable is not None:
            raise AudioUnavailable(self.unavailable)

    def open(
        self, settings: AudioSettings, callback: BlockCallback, finished: Callable[[], None]
    ) -> tuple[FakeStream, str]:
        with self._changed:
            if self.failures:
                raise self.failures.pop(0)
            stream = FakeStream(callback, finished)
            self.streams.append(stream)
            self._changed.notify_all()
        return stream, "Fake Mic (Test API)"

    def reinitialise(self) -> None:
        self.reinitialised += 1

    def wait_for_stream(self, number: int) -> FakeStream:
        """The `number`-th stream opened (1-based), once it is."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.streams) >= number, WAIT), (
                f"stream {number} was never opened"
            )
            return self.streams[number - 1]


class ReportLog:
    """Collects the recorder's reports and lets a test wait for one."""

    def __init__(self) -> None:
        self.reports: list[RecorderReport] = []
        self._changed = threading.Condition()

    def __call__(self, report: RecorderReport) -> None:
        with self._changed:
            self.reports.append(report)
            self._changed.notify_all()

    @property
    def states(self) -> list[str]:
        with self._changed:
            return [report.state for report in self.reports]

    def wait_for(self, state: str, count: int = 1) -> RecorderReport:
        """The `count`-th report of `state`, waiting for it."""

        def found() -> list[RecorderReport]:
            return [report for report in self.reports if report.state == state]

        with self._changed:
            assert self._changed.wait_for(lambda: len(found()) >= count, WAIT), (
                f"no report {state!r} #{count}; got {[r.state for r in self.reports]}"
            )
            return found()[count - 1]


def tone(
    seconds: float, rate: int = 16000, hz: float = 440.0, level: float = 0.3
) -> np.ndarray[Any, Any]:
    """A sine tone as int16 samples."""
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * hz * t) * level * 32767).astype(np.int16)


# -- the virtual microphone (scripts/with-virtual-mic) ------------------------------------------

VIRTUAL_MIC = os.environ.get("KASUHARA_VIRTUAL_MIC") == "1" and bool(os.environ.get("PULSE_SOURCE"))

needs_virtual_mic = pytest.mark.skipif(
    not VIRTUAL_MIC or shutil.which("pactl") is None or shutil.which("paplay") is None,
    reason="needs the virtual microphone: run under scripts/with-virtual-mic (PULSE_SOURCE unset)",
)


def room_sink() -> str:
    """The null sink the virtual microphone hears."""
    return os.environ["KASUHARA_VIRTUAL_MIC_SINK"]


def unplug_mic() -> None:
    """Unload the remapped source, as pulling a USB microphone out would."""
    subprocess.run(["pactl", "unload-module", "module-remap-source"], check=True)


def plug_mic() -> None:
    """Load the virtual microphone again (no-op when it is there)."""
    modules = subprocess.run(
        ["pactl", "list", "short", "modules"], check=True, capture_output=True, text=True
    ).stdout
    if "module-remap-source" not in modules:
        name, *arguments = os.environ["KASUHARA_VIRTUAL_MIC_MODULE"].split()
        subprocess.run(["pactl", "load-module", name, *arguments], check=True)


ROOM_MODULE = (
    "module-null-sink sink_name=kasuhara_room rate=48000"
    " sink_properties=device.description=KasuharaRoom"
)
"""How scripts/with-virtual-mic loads the room (the only output device)."""


def unplug_room() -> None:
    """Unload the room's sink: no output device left, as with the speakers pulled out (the
    virtual microphone, which hears that sink, goes with it)."""
    subprocess.run(["pactl", "unload-module", "module-null-sink"], check=True)


def plug_room() -> None:
    """The room's sink back as the default output, and the virtual microphone with it."""
    modules = subprocess.run(
        ["pactl", "list", "short", "modules"], check=True, capture_output=True, text=True
    ).stdout
    if "module-null-sink" not in modules:
        name, *arguments = ROOM_MODULE.split()
        subprocess.run(["pactl", "load-module", name, *arguments], check=True)
    subprocess.run(["pactl", "set-default-sink", room_sink()], check=True)
    plug_mic()
    subprocess.run(["pactl", "set-default-source", os.environ["PULSE_SOURCE"]], check=True)


@contextmanager
def room_unplugged() -> Iterator[None]:
    """No output device inside (the room plugged back in afterwards, whatever happened)."""
    unplug_room()
    try:
        yield
    finally:
        plug_room()


# -- the real sound path: a known signal played into the room, found again in the recording --

RATE = 16000


def play(path: Path) -> subprocess.Popen[bytes]:
    """Play a sound file into the room (the virtual microphone hears it)."""
    return subprocess.Popen(["paplay", f"--device={room_sink()}", str(path)])


@contextmanager
def room_noise(folder: Path) -> Iterator[None]:
    """Quiet noise in the room while inside, as a real room has: never digital silence."""
    noise = np.random.default_rng(0).standard_normal(RATE * 120) * 0.003
    path = folder / "room.wav"
    soundfile.write(path, noise, RATE, subtype="PCM_16")
    player = play(path)
    try:
        yield
    finally:
        player.kill()
        player.wait()


def reference_signal() -> np.ndarray[Any, Any]:
    """A chirp then a noise burst: one sharp peak when cross-correlated with itself."""
    t = np.arange(2 * RATE) / RATE
    chirp = np.sin(2 * np.pi * (150 * t + (3000 - 150) / 4 * t**2))
    burst = np.random.default_rng(1).uniform(-1, 1, RATE)
    return np.concatenate([chirp, burst]) * 0.3


def best_match(heard: np.ndarray[Any, Any], signal: np.ndarray[Any, Any]) -> tuple[int, float]:
    """Where `signal` lies in `heard`, and the normalised correlation there (1 = identical)."""
    size = len(heard) + len(signal)
    spectrum = np.fft.rfft(heard, size) * np.conj(np.fft.rfft(signal, size))
    correlation = np.fft.irfft(spectrum, size)[: len(heard) - len(signal) + 1]
    lag = int(np.argmax(correlation))
    window = heard[lag : lag + len(signal)]
    return lag, float(correlation[lag] / (np.linalg.norm(signal) * np.linalg.norm(window)))
