"""Playback through the real sound path: PortAudio → ALSA → a private PulseAudio.

Run under `scripts/with-virtual-mic` (skipped otherwise): the review's player plays a tone into
the default output (the virtual room), and `parec` listening to the room must hear that tone.
"""

from __future__ import annotations

import subprocess
import threading
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.catalog.playback import Player, PlayerState, sounddevice_output
from kasuhara_timer.catalog.recordings import find_recording
from kasuhara_timer.store.folders import SessionFolder
from tests.support.audio import WAIT, needs_virtual_mic, room_sink
from tests.support.factory import JST, RATE

pytestmark = [pytest.mark.audio, needs_virtual_mic]

TONE_HZ = 1000


def test_the_player_is_heard_in_the_room(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path / "session", drill=False)
    folder.audio.mkdir(parents=True)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    writer = SegmentWriter(folder.audio, 1, fmt)
    t = np.arange(3 * RATE) / RATE
    writer.write((np.sin(2 * np.pi * TONE_HZ * t) * 0.5 * 32767).astype("<i2").tobytes())
    writer.close()
    recording = find_recording(folder)
    assert recording is not None

    heard = tmp_path / "heard.raw"
    finished = threading.Event()

    def changed(state: PlayerState) -> None:
        if state.finished:
            finished.set()

    with heard.open("wb") as sink:
        listener = subprocess.Popen(
            ["parec", f"--device={room_sink()}.monitor", "--raw", "--format=s16le",
             f"--rate={RATE}", "--channels=1"],
            stdout=sink,
        )  # fmt: skip
        try:
            player = Player(recording, sounddevice_output, on_change=changed)
            player.play()
            assert finished.wait(WAIT), "playback never finished"
            player.close()
        finally:
            listener.terminate()
            listener.wait()
    samples = np.frombuffer(heard.read_bytes(), dtype="<i2").astype(np.float64) / 32768
    assert len(samples) > RATE, "the room heard less than a second"
    spectrum = np.abs(np.fft.rfft(samples))
    peak_hz = np.argmax(spectrum) * RATE / len(samples)
    assert abs(peak_hz - TONE_HZ) < 20
    assert np.sqrt(np.mean(samples**2)) > 0.05
