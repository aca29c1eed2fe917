"""The recorder's logic against a fake PortAudio: segments, marks, the watchdog, pause, faults.

Time is a `ManualClock` shared by the session clock and the watchdog, so a stall of three
seconds takes no time; each test feeds one block per step so the recorder's estimates are exact.
"""

from __future__ import annotations

import errno
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kasuhara_timer.audio import segments
from kasuhara_timer.audio.backend import DeviceNotFound
from kasuhara_timer.audio.recorder import (
    DID_NOT_FINISH,
    FAILED_UNEXPECTEDLY,
    SILENT_DBFS,
    Recorder,
    RecorderReport,
)
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.store.errors import StoreError
from tests.support.audio import FakeBackend, FakeStream, ReportLog, tone

RATE = 16000
MakeRecorder = Callable[..., tuple[Recorder, ReportLog]]


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock()


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def make(tmp_path: Path, manual: ManualClock, backend: FakeBackend) -> Iterator[MakeRecorder]:
    """Build a started recorder on the fake backend; every one is stopped after the test."""
    made: list[Recorder] = []

    def build(
        report: Callable[[RecorderReport], None] | None = None, **settings: Any
    ) -> tuple[Recorder, ReportLog]:
        log = ReportLog()
        recorder = Recorder(
            tmp_path / "audio",
            AudioSettings(**settings),
            SessionClock(manual),
            report or log,
            backend=backend,
            monotonic=manual.monotonic,
        )
        made.append(recorder)
        recorder.start()
        return recorder, log

    yield build
    for recorder in made:
        recorder.stop(timeout=5)


def pcm(path: Path) -> np.ndarray[Any, Any]:
    return np.frombuffer(path.read_bytes(), dtype="<i2")


def test_blocks_heard_are_written_to_a_segment_with_its_sidecar(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock, tmp_path: Path
) -> None:
    recorder, log = make()
    stream = backend.wait_for_stream(1)
    manual.advance(1.0)
    sound = tone(1.0)
    stream.feed(sound[:8000])
    started = log.wait_for("started")
    stream.feed(sound[8000:])

    summary = recorder.stop()

    audio = tmp_path / "audio"
    assert np.array_equal(pcm(audio / "seg-0001.pcm"), sound)
    sidecar = json.loads((audio / "seg-0001.json").read_text())
    assert sidecar["samplerate"] == RATE
    assert sidecar["channels"] == 1
    assert sidecar["sample_format"] == "s16le"
    assert sidecar["started_t"] == pytest.approx(0.5)
    assert sidecar["device"] == "Fake Mic (Test API)"
    assert started.mark is not None and started.mark.offset == 0.0
    # the first frame came 0.5 s into the session: a gap the timeline shows
    assert started.gap_seconds == pytest.approx(0.5)
    assert log.states == ["started", "stopped"]
    stopped = log.wait_for("stopped")
    assert stopped.mark is not None and stopped.mark.offset == pytest.approx(1.0)
    assert summary.state == "stopped"
    assert summary.seconds == pytest.approx(1.0)
    assert stream.closed


def test_mark_says_where_the_recording_stands_now(make: MakeRecorder, backend: FakeBackend) -> None:
    recorder, log = make()
    assert recorder.mark() is None
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    stream.feed(tone(0.25))

    mark = recorder.mark()

    assert mark is not None
    assert mark.segment == "seg-0001.pcm"
    assert mark.segment_offset == pytest.approx(0.75)
    assert mark.offset == pytest.approx(0.75)


def test_level_follows_the_sound_and_drops_when_paused(
    make: MakeRecorder, backend: FakeBackend
) -> None:
    recorder, log = make()
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5, level=0.3))
    log.wait_for("started")
    assert recorder.level() == pytest.approx(20 * np.log10(0.3 / np.sqrt(2)), abs=0.2)
    recorder.pause()
    log.wait_for("paused")
    assert recorder.level() == SILENT_DBFS


def test_a_stall_is_a_fault_and_recovery_reports_the_gap(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock, tmp_path: Path
) -> None:
    recorder, log = make(stall_seconds=2.0, retry_interval=1.0)
    first = backend.wait_for_stream(1)
    manual.advance(1.0)
    first.feed(tone(0.5))
    log.wait_for("started")

    manual.advance(3.0)  # nothing heard for 3 s
    fault = log.wait_for("fault")
    assert "no audio" in fault.detail
    assert fault.mark is not None and fault.mark.offset == pytest.approx(0.5)
    assert first.closed
    assert backend.reinitialised >= 1

    manual.advance(1.0)  # the retry interval
    second = backend.wait_for_stream(2)
    second.feed(tone(0.5, hz=660))
    recovered = log.wait_for("recovered")

    # audio ended at t=1.0; the new segment's first frame was heard at 5.0 - 0.5
    assert recovered.gap_seconds == pytest.approx(3.5)
    assert recovered.mark is not None
    assert recovered.mark.segment == "seg-0002.pcm"
    assert recovered.mark.offset == pytest.approx(0.5)
    summary = recorder.stop()
    assert [s.name for s in summary.segments] == ["seg-0001.pcm", "seg-0002.pcm"]
    assert summary.faults == 1
    assert summary.gap_seconds == pytest.approx(3.5)
    assert np.array_equal(pcm(tmp_path / "audio" / "seg-0002.pcm"), tone(0.5, hz=660))


def test_long_digital_silence_is_a_fault_and_only_sound_counts_as_recovery(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock, tmp_path: Path
) -> None:
    recorder, log = make(silence_seconds=1.0, retry_interval=1.0)
    first = backend.wait_for_stream(1)
    first.feed(tone(0.5))
    log.wait_for("started")
    for _ in range(4):
        first.feed(np.zeros(4000, dtype=np.int16))  # an unplugged mic under PulseAudio

    fault = log.wait_for("fault")
    assert "digital silence" in fault.detail

    manual.advance(1.0)
    second = backend.wait_for_stream(2)
    second.feed(np.zeros(4000, dtype=np.int16))  # still unplugged: not a recovery
    second.feed(tone(0.25, hz=660))
    recovered = log.wait_for("recovered")

    recorder.stop()
    assert log.states == ["started", "fault", "recovered", "stopped"]
    assert recovered.mark is not None and recovered.mark.offset == pytest.approx(1.5)
    audio = tmp_path / "audio"
    assert len(pcm(audio / "seg-0001.pcm")) == 8000 + 16000  # the silence heard is kept
    assert np.array_equal(pcm(audio / "seg-0002.pcm"), tone(0.25, hz=660))


def test_too_few_frames_for_the_time_passed_is_a_fault(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock
) -> None:
    _, log = make(stall_seconds=2.0, retry_interval=60.0)
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    for _ in range(8):  # half a second of sound per second: a device at half speed
        manual.advance(1.0)
        stream.feed(tone(0.5))

    fault = log.wait_for("fault")

    assert "expected frames" in fault.detail


def test_an_input_overflow_starts_a_new_segment_after_a_fault(
    make: MakeRecorder, backend: FakeBackend
) -> None:
    recorder, log = make()
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    stream.feed(tone(0.25), overflow=True)

    fault = log.wait_for("fault")
    recovered = log.wait_for("recovered")

    assert "overflow" in fault.detail
    assert recovered.mark is not None and recovered.mark.segment == "seg-0002.pcm"
    assert len(backend.streams) == 1  # the stream itself is fine: no reopening
    summary = recorder.stop()
    assert [s.seconds for s in summary.segments] == [0.5, 0.25]


def test_a_stream_ended_by_the_host_is_a_fault(make: MakeRecorder, backend: FakeBackend) -> None:
    _, log = make()
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")

    stream.end()

    assert "stopped the stream" in log.wait_for("fault").detail


def test_a_microphone_missing_at_start_is_retried_until_it_is_there(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock
) -> None:
    backend.failures.append(DeviceNotFound("input device 'USB' is not connected"))
    _, log = make(device="USB", retry_interval=1.0)

    fault = log.wait_for("fault")
    assert "'USB' is not connected" in fault.detail
    assert fault.mark is None

    manual.advance(1.0)
    backend.wait_for_stream(1).feed(tone(0.5))
    recovered = log.wait_for("recovered")
    assert recovered.gap_seconds == pytest.approx(0.5)
    assert log.states == ["fault", "recovered"]


def test_no_portaudio_or_no_microphone_is_reported_as_unavailable(
    make: MakeRecorder, backend: FakeBackend, tmp_path: Path
) -> None:
    backend.unavailable = "the PortAudio library is missing"
    recorder, log = make()

    unavailable = log.wait_for("unavailable")
    summary = recorder.stop()

    assert unavailable.detail == "the PortAudio library is missing"
    assert summary.state == "unavailable"
    assert summary.detail == "the PortAudio library is missing"
    assert summary.segments == ()
    assert recorder.mark() is None
    assert backend.streams == []


def test_recording_turned_off_in_the_settings_says_so(make: MakeRecorder) -> None:
    _, log = make(enabled=False)
    assert "turned off" in log.wait_for("unavailable").detail


def test_pause_closes_the_microphone_and_resume_reports_the_gap(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock
) -> None:
    recorder, log = make()
    first = backend.wait_for_stream(1)
    manual.advance(1.0)
    first.feed(tone(0.5))
    log.wait_for("started")

    recorder.pause()
    paused = log.wait_for("paused")
    assert first.closed
    assert recorder.mark() is None
    assert paused.mark is not None and paused.mark.offset == pytest.approx(0.5)

    manual.advance(2.0)
    recorder.resume()
    backend.wait_for_stream(2).feed(tone(0.25))
    resumed = log.wait_for("resumed")

    assert resumed.gap_seconds == pytest.approx(1.75)  # audio ended at 1.0, resumed at 2.75
    assert resumed.mark is not None
    assert (resumed.mark.segment, resumed.mark.offset) == ("seg-0002.pcm", 0.5)
    summary = recorder.stop()
    assert summary.faults == 0 and summary.gap_seconds == 0.0


def test_a_resumed_session_continues_the_numbering_and_the_offsets(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock, tmp_path: Path
) -> None:
    audio = tmp_path / "audio"
    audio.mkdir()
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=manual.now())
    earlier = SegmentWriter(audio, 1, fmt)
    earlier.write(tone(2.0).tobytes() + b"\x01")  # the crash tore the last frame
    earlier.close()

    recorder, log = make()
    backend.wait_for_stream(1).feed(tone(0.5))
    started = log.wait_for("started")

    assert started.mark is not None
    assert (started.mark.segment, started.mark.offset) == ("seg-0002.pcm", 2.0)
    assert (audio / "seg-0001.pcm").stat().st_size == 2 * 2 * RATE
    assert recorder.stop().seconds == pytest.approx(2.5)


def test_a_full_disk_is_a_fault_and_what_was_written_stays(
    make: MakeRecorder,
    backend: FakeBackend,
    manual: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, log = make(retry_interval=1.0)
    first = backend.wait_for_stream(1)
    first.feed(tone(0.5))
    log.wait_for("started")

    def disk_full(self: SegmentWriter, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(segments.SegmentWriter, "write", disk_full)
        first.feed(tone(0.25))
        fault = log.wait_for("fault")
    assert "No space left on device" in fault.detail

    manual.advance(1.0)
    backend.wait_for_stream(2).feed(tone(0.25, hz=660))
    log.wait_for("recovered")
    assert np.array_equal(pcm(tmp_path / "audio" / "seg-0001.pcm"), tone(0.5))


def test_a_failing_report_callback_does_not_stop_the_recording(
    make: MakeRecorder, backend: FakeBackend
) -> None:
    def broken(report: RecorderReport) -> None:
        raise RuntimeError("the UI went away")

    recorder, _ = make(report=broken)
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    stream.feed(tone(0.5))

    assert recorder.stop().seconds == pytest.approx(1.0)


def test_stop_returns_even_when_closing_the_stream_hangs(
    make: MakeRecorder, backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder, log = make(close_timeout=0.2)
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    release = threading.Event()
    monkeypatch.setattr(FakeStream, "close", lambda self: release.wait())

    summary = recorder.stop(timeout=10)
    release.set()

    assert log.states == ["started", "stopped"]
    assert summary.seconds == pytest.approx(0.5)


def test_a_store_error_beginning_a_segment_is_a_fault_and_recording_recovers(
    make: MakeRecorder,
    backend: FakeBackend,
    manual: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def folder_cannot_be_flushed(folder: Path) -> None:
        raise StoreError("cannot flush the folder to disk: I/O error", folder)

    recorder, log = make(retry_interval=1.0)
    first = backend.wait_for_stream(1)
    with monkeypatch.context() as patch:
        patch.setattr(segments, "fsync_directory", folder_cannot_be_flushed)
        first.feed(tone(0.5))
        fault = log.wait_for("fault")
    assert "cannot flush the folder" in fault.detail

    manual.advance(1.0)
    backend.wait_for_stream(2).feed(tone(0.25))
    log.wait_for("recovered")
    summary = recorder.stop()
    assert log.states == ["fault", "recovered", "stopped"]
    assert summary.complete and summary.seconds == pytest.approx(0.25)


def test_an_unexpected_error_in_the_recorder_thread_is_a_fault_not_a_silent_death(
    make: MakeRecorder, backend: FakeBackend, manual: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: SegmentWriter, data: bytes) -> None:
        raise RuntimeError("a bug")

    recorder, log = make(retry_interval=1.0)
    first = backend.wait_for_stream(1)
    first.feed(tone(0.5))
    log.wait_for("started")
    with monkeypatch.context() as patch:
        patch.setattr(segments.SegmentWriter, "write", broken)
        first.feed(tone(0.25))
        fault = log.wait_for("fault")
    assert fault.detail == f"{FAILED_UNEXPECTEDLY}: RuntimeError: a bug"
    assert first.closed

    manual.advance(1.0)
    backend.wait_for_stream(2).feed(tone(0.25))
    log.wait_for("recovered")
    summary = recorder.stop()
    assert log.states == ["started", "fault", "recovered", "stopped"]
    assert summary.complete and summary.faults == 1


def test_an_error_while_stopping_still_stops_and_says_why(
    make: MakeRecorder, backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: SegmentWriter) -> segments.Segment:
        raise RuntimeError("a bug")

    recorder, log = make()
    backend.wait_for_stream(1).feed(tone(0.5))
    log.wait_for("started")
    monkeypatch.setattr(segments.SegmentWriter, "close", broken)

    summary = recorder.stop(timeout=10)

    assert summary.complete
    assert log.wait_for("stopped").detail == f"{FAILED_UNEXPECTEDLY}: RuntimeError: a bug"
    assert summary.detail == log.wait_for("stopped").detail


def test_a_recorder_that_does_not_finish_in_time_gives_an_incomplete_summary(
    make: MakeRecorder, backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    original_close = segments.SegmentWriter.close

    def hanging(self: SegmentWriter) -> segments.Segment:
        release.wait()
        return original_close(self)

    recorder, log = make()
    backend.wait_for_stream(1).feed(tone(0.5))
    log.wait_for("started")
    monkeypatch.setattr(segments.SegmentWriter, "close", hanging)
    try:
        summary = recorder.stop(timeout=0.2)
    finally:
        release.set()

    assert not summary.complete
    assert summary.detail == DID_NOT_FINISH
    log.wait_for("stopped")
    assert recorder.stop().complete
