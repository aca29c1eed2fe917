"""A recorder the test drives, for the desk app's recording logic without a sound card.

It writes real segments (a tone, through the real `SegmentWriter`) so the archive that follows
a session is the real one (ffmpeg, hashes), and it reports from its own thread, as the real
recorder does. What it does not do is listen: that is `test_real_recording.py`'s job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from kasuhara_timer.audio.recorder import RecorderReport, RecordingSummary
from kasuhara_timer.audio.segments import (
    SegmentFormat,
    SegmentWriter,
    list_segments,
    next_segment_number,
)
from kasuhara_timer.session.clock import SessionClock
from kasuhara_timer.session.events import AudioMark, RecordingState

RATE = 16000
TONE_SECONDS = 1.0


class FakeRecorder:
    """Reports what the test says, from another thread; `level()` is fixed so screens are."""

    def __init__(
        self,
        audio_dir: Path,
        clock: SessionClock,
        report: Callable[[RecorderReport], None],
        *,
        level: float = -27.0,
        unavailable: str | None = None,
    ) -> None:
        self.audio_dir = audio_dir
        self.clock = clock
        self._report = report
        self.fixed_level = level
        self.unavailable = unavailable
        self.calls: list[str] = []
        self.release_stop = threading.Event()
        self.release_stop.set()
        """Clear it to hold `stop()` until the test sets it (a slow sound system)."""
        self._writer: SegmentWriter | None = None
        self._segment_t = 0.0
        self._offset_before = 0.0
        self._number = 0
        self._state: RecordingState | None = None

    # -- what the app calls --------------------------------------------------------------------

    def start(self) -> None:
        self.calls.append("start")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def mark(self) -> AudioMark | None:
        if self._writer is None:
            return None
        into = max(0.0, self.clock.elapsed() - self._segment_t)
        return AudioMark(
            segment=self._writer.name, segment_offset=into, offset=self._offset_before + into
        )

    def level(self) -> float:
        return self.fixed_level if self._writer is not None else -100.0

    def stop(self) -> RecordingSummary:
        self.calls.append("stop")
        self.release_stop.wait(20)
        if self._state not in ("unavailable", "stopped"):
            self._end_segment()
            self.send("stopped")
        return RecordingSummary(
            state="unavailable" if self._state == "unavailable" else "stopped",
            detail=self.unavailable or "",
            segments=tuple(list_segments(self.audio_dir)),
            faults=0,
            gap_seconds=0.0,
        )

    # -- what the test does --------------------------------------------------------------------

    def send(
        self, state: RecordingState, detail: str = "", gap_seconds: float | None = None
    ) -> None:
        """Report `state` from another thread, as the recorder's thread would; segments open
        on started/resumed/recovered and close on paused/fault."""
        if state in ("started", "resumed", "recovered"):
            self._begin_segment(state)
        elif state in ("paused", "fault"):
            self._end_segment()
        self._state = state
        report = RecorderReport(state, self.clock.elapsed(), detail, gap_seconds, self.mark())
        thread = threading.Thread(target=self._report, args=(report,))
        thread.start()
        thread.join()

    def _begin_segment(self, reason: str) -> None:
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        if self._number == 0:  # a resumed session: go on after what the killed run recorded
            self._offset_before = sum(s.seconds for s in list_segments(self.audio_dir))
        self._number = next_segment_number(self.audio_dir)
        fmt = SegmentFormat(
            samplerate=RATE,
            channels=1,
            started_t=self.clock.elapsed(),
            started_at=self.clock.now(),
            device="Fake Mic",
            reason=reason,
        )
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        self._writer = SegmentWriter(self.audio_dir, self._number, fmt)
        t = np.arange(int(TONE_SECONDS * RATE)) / RATE
        self._writer.write((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes())
        self._segment_t = self.clock.elapsed()

    def _end_segment(self) -> None:
        if self._writer is not None:
            segment = self._writer.close()
            self._offset_before += segment.seconds
            self._writer = None


class FakeRecorders:
    """The `recorder_factory` of a test desk: remembers every recorder it made."""

    def __init__(self, **options: object) -> None:
        self.options = options
        self.made: list[FakeRecorder] = []

    def __call__(
        self, audio_dir: Path, clock: SessionClock, report: Callable[[RecorderReport], None]
    ) -> FakeRecorder:
        recorder = FakeRecorder(audio_dir, clock, report, **self.options)  # type: ignore[arg-type]
        self.made.append(recorder)
        return recorder

    @property
    def last(self) -> FakeRecorder:
        """The recorder of the latest session."""
        assert self.made, "no session has started a recorder"
        return self.made[-1]
