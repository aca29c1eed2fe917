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
