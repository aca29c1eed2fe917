"""Playback: decoding streamed from the archived files and raw segments, the player's controls,
the loudness overview. The output device is a fake here (logic); test_real_playback.py plays
through real PortAudio."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.review.playback import OutputUnavailable, Player, loudness, overview
from kasuhara_timer.review.recording import Recording, find_recording, pcm_chunks
from kasuhara_timer.store.folders import SessionFolder
from tests.review.conftest import folder_named
from tests.review.factory import JST, RATE

WAIT = 20.0
"""Generous bound for the player's thread; never an assertion about speed."""


class FakeOutput:
    """An output device that keeps what it is given; `gate` makes each write wait for a permit."""

    def __init__(self, gated: bool = False) -> None:
        self.chunks: list[bytes] = []
        self.calls: list[str] = []
        self.gate = threading.Semaphore(0) if gated else None
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
        if self.gate is not None:
            self.gate.acquire()
        with self.changed:
            self.chunks.append(bytes(data))
            self.changed.notify_all()

    def wait_for(self, what: str, test: object) -> None:
        with self.changed:
            assert self.changed.wait_for(test, WAIT), f"never {what}"  # type: ignore[arg-type]

    def _note(self, call: str) -> None:
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()


def rms_db(data: bytes) -> float:
    samples = np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768
    return float(20 * np.log10(np.sqrt(np.mean(samples**2))))


@pytest.fixture
def archived(corpus_master: Path) -> Recording:
    """The 3-minute recording of the corpus (Opus listening copy): louder every minute."""
    path = folder_named(corpus_master, "20260507-0930")
    recording = find_recording(SessionFolder(path, drill=False))
    assert recording is not None
    return recording


@pytest.fixture
def segments(tmp_path: Path) -> Recording:
    """Two raw segments (as before the archive): 2 s of 1000s then 1 s of 2000s."""
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    for number, (seconds, value) in enumerate([(2, 1000), (1, 2000)], start=1):
        writer = SegmentWriter(tmp_path, number, fmt)
        writer.write(np.full(seconds * RATE, value, dtype="<i2").tobytes())
        writer.close()
    recording = find_recording(SessionFolder(tmp_path.parent, False).__class__(tmp_path.parent, False))
    folder = SessionFolder(tmp_path / "session", drill=False)
    folder.path.mkdir()
    (tmp_path / "seg-0001.pcm").rename(folder.audio / "seg-0001.pcm") if False else None
    del recording, folder
    from kasuhara_timer.review.recording import Recording as R
    from kasuhara_timer.audio.segments import list_segments

    found = tuple(list_segments(tmp_path))
    return R("segments", tuple(s.path for s in found), 3.0, RATE, 1, found)
