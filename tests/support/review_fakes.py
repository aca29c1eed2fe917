"""Test doubles for the review: an output device that keeps what it is given."""

from __future__ import annotations

import threading
from collections.abc import Callable

WAIT = 20.0
"""Generous bound for the player's thread; never an assertion about speed."""


class FakeOutput:
    """An output device that keeps what it is given; `gate` makes each write wait for a permit."""

    def __init__(self, gated: bool = False) -> None:
        self.chunks: list[bytes] = []
        self.calls: list[str] = []
        self.gated = gated
        self.gate = threading.Semaphore(0)
        self.changed = threading.Condition()

    def __call__(self, samplerate: int, channels: int) -> FakeOutput:
        self.format = (samplerate, channels)
        return self

    def start(self) -> None:
        self._note("start")

    def stop(self) -> None:
        self._note("stop")

    def close(self) -> None:
        self._note("close")

    def write(self, data: bytes) -> None:
        if self.gated:
            self.gate.acquire()
        with self.changed:
            self.chunks.append(bytes(data))
            self.changed.notify_all()

    def allow(self) -> None:
        """Let one (gated) write through."""
        self.gate.release()

    def wait_for(self, what: str, test: Callable[[], object]) -> None:
        with self.changed:
            assert self.changed.wait_for(test, WAIT), f"never {what}"

    def _note(self, call: str) -> None:
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()


class PluggableOutput:
    """An output device that can be unplugged and plugged back: opening fails while unplugged
    (PortAudio's words), and a write to a stream whose device went raises, as PortAudio does."""

    ERROR = "Error querying device -1"

    def __init__(self, plugged: bool = False, *, gated: bool = False) -> None:
        self.plugged = plugged
        self.gated = gated
        self.opened: list[FakeOutput] = []
        self.attempts = 0
        self._lock = threading.Condition()

    def __call__(self, samplerate: int, channels: int) -> FakeOutput:
        with self._lock:
            self.attempts += 1
            self._lock.notify_all()
            if not self.plugged:
                from kasuhara_timer.catalog.playback import OutputUnavailable

                raise OutputUnavailable(self.ERROR)
            stream = _Unpluggable(self, gated=self.gated)
            stream.format = (samplerate, channels)
            self.opened.append(stream)
            return stream

    def plug(self) -> None:
        with self._lock:
            self.plugged = True

    def allow(self, writes: int = 1) -> None:
        """Let `writes` more writes through the newest stream (gated)."""
        for _ in range(writes):
            self.opened[-1].allow()

    def unplug(self) -> None:
        with self._lock:
            self.plugged = False

    def wait_attempts(self, count: int) -> None:
        with self._lock:
            assert self._lock.wait_for(lambda: self.attempts >= count, WAIT), "never retried"

    @property
    def chunks(self) -> list[bytes]:
        """Everything every stream was given, in order."""
        return [chunk for stream in self.opened for chunk in stream.chunks]


class _Unpluggable(FakeOutput):
    def __init__(self, socket: PluggableOutput, *, gated: bool) -> None:
        super().__init__(gated=gated)
        self.socket = socket

    def write(self, data: bytes) -> None:
        if not self.socket.plugged:
            raise RuntimeError("Error writing to the stream: Unanticipated host error")
        super().write(data)
