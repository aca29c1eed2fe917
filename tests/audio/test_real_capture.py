"""The real sound path: PortAudio → ALSA → a private PulseAudio whose microphone hears a sink.

Run under `scripts/with-virtual-mic`; skipped otherwise. Sound is played into the "room" with
paplay while a real `Recorder` records, then the files on disk are compared with what was played.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

from kasuhara_timer.audio.archive import archive
from kasuhara_timer.audio.recorder import Recorder
from kasuhara_timer.audio.segments import list_segments, recover_segments
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.cli import main
from kasuhara_timer.session.clock import SessionClock, SystemClock
from tests.support.audio import (
    RATE,
    WAIT,
    ReportLog,
    best_match,
    needs_virtual_mic,
    play,
    plug_mic,
    reference_signal,
    room_noise,
    unplug_mic,
)

pytestmark = [pytest.mark.audio, needs_virtual_mic]


@pytest.fixture
def room(tmp_path: Path) -> Iterator[None]:
    """Quiet noise in the room for the whole test, as a real room has: never digital silence."""
    with room_noise(tmp_path):
        yield


@pytest.fixture
def mic_plugged_back() -> Iterator[None]:
    """Whatever a test unplugs, the next test finds the microphone plugged in."""
    yield
    plug_mic()


def recorded_so_far(recorder: Recorder) -> float:
    """Seconds in the recording, by the recorder's own frame count (0 between segments)."""
    mark = recorder.mark()
    return mark.offset if mark is not None else 0.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition`; the bound only keeps a broken test from hanging (not about speed)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


def recording(audio: Path) -> np.ndarray[Any, Any]:
    """All segments joined, as floats in [-1, 1)."""
    parts = [np.frombuffer(s.path.read_bytes(), dtype="<i2") for s in list_segments(audio)]
    return np.concatenate(parts).astype(np.float64) / 32768


def test_what_the_room_hears_is_what_is_recorded(room: None, tmp_path: Path) -> None:
    signal_path = tmp_path / "signal.wav"
    signal_samples = reference_signal()
    soundfile.write(signal_path, signal_samples, RATE, subtype="PCM_16")
    audio = tmp_path / "audio"
    log = ReportLog()
    recorder = Recorder(audio, AudioSettings(), SessionClock(SystemClock()), log)
    recorder.start()
    log.wait_for("started")

    assert play(signal_path).wait() == 0
    played_until = recorded_so_far(recorder)
    wait_until(lambda: recorded_so_far(recorder) >= played_until + 0.5, "the signal's tail")
    summary = recorder.stop()
    stopped = log.wait_for("stopped")

    lag, similarity = best_match(recording(audio), signal_samples)
    assert similarity > 0.8
    assert lag > 0
    # the files hold every frame the recorder counted, no more and no less
    assert stopped.mark is not None
    assert summary.seconds == pytest.approx(stopped.mark.offset)
    assert len(recording(audio)) == round(stopped.mark.offset * RATE)
    assert summary.seconds > len(signal_samples) / RATE
    assert log.states == ["started", "stopped"]


def test_unplugging_the_microphone_is_a_fault_and_replugging_recovers(
    room: None, mic_plugged_back: None, tmp_path: Path
) -> None:
    audio = tmp_path / "audio"
    log = ReportLog()
    settings = AudioSettings(silence_seconds=1.0, retry_interval=0.5)
    clock = SessionClock(SystemClock())
    recorder = Recorder(audio, settings, clock, log)
    recorder.start()
    log.wait_for("started")
    wait_until(lambda: recorded_so_far(recorder) >= 1.0, "a second recorded")

    unplug_mic()
    fault = log.wait_for("fault")
    wait_until(lambda: clock.elapsed() >= fault.t + 1.0, "a second unplugged")
    plug_mic()
    recovered = log.wait_for("recovered")
    assert recovered.mark is not None
    back_at = recovered.mark.offset
    wait_until(lambda: recorded_so_far(recorder) >= back_at + 1.0, "a second after recovery")
    summary = recorder.stop()

    assert log.states == ["started", "fault", "recovered", "stopped"]
    assert "digital silence" in fault.detail or "no audio" in fault.detail
    assert recovered.gap_seconds is not None and recovered.gap_seconds >= 1.0
    assert summary.faults == 1
    assert summary.gap_seconds == recovered.gap_seconds
    last = summary.segments[-1]
    assert len(summary.segments) >= 2 and last.seconds > 0.5
    samples = np.frombuffer(last.path.read_bytes(), dtype="<i2")
    assert np.count_nonzero(samples) > 0.9 * len(samples)  # the room again, not zeros


def test_a_killed_recording_loses_at_most_about_a_second(room: None, tmp_path: Path) -> None:
    audio = tmp_path / "audio"
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("record_until_killed.py")), str(audio)],
        stdout=subprocess.PIPE,
        text=True,
    )
    received, states = 0.0, []
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + WAIT  # only keeps a broken test from hanging
        while received < 3.0:
            assert time.monotonic() < deadline, f"the child recorded only {received} s"
            line = json.loads(child.stdout.readline())
            received = line.get("offset", received)
            states += [line["state"]] if "state" in line else []
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()

    segments = recover_segments(audio)
    recorded = sum(segment.seconds for segment in segments)
    # what the recorder had received before the kill survives, but for at most a second
    # (the flush interval) not yet handed to the OS
    assert states == ["started"]
    assert recorded >= received - 1.0
    result = archive(audio)
    assert result.seconds == pytest.approx(recorded)
    assert soundfile.info(audio / "recording.flac").frames == round(recorded * RATE)


def test_the_devices_command_shows_the_virtual_microphone() -> None:
    result = CliRunner().invoke(main, ["devices"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "default" in result.output
    assert "ALSA" in result.output
