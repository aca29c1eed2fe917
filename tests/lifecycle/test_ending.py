"""Handing a recording to the archive: never while its recorder may still be writing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from kasuhara_timer.audio.recorder import RecordingSummary
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter, list_segments
from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.ending import RecordingNotFinished, finish_recording

AT = datetime(2025, 4, 1, 10, 0, tzinfo=timezone(timedelta(hours=9)))
RATE = 16000


def recorded(audio: Path) -> RecordingSummary:
    audio.mkdir()
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=AT)
    writer = SegmentWriter(audio, 1, fmt)
    writer.write(np.full(RATE, 1000, dtype="<i2").tobytes())
    segment = writer.close()
    return RecordingSummary(
        state="stopped", detail="", segments=(segment,), faults=0, gap_seconds=0.0
    )


def test_a_recording_whose_recorder_did_not_finish_is_left_for_the_next_start(
    tmp_path: Path,
) -> None:
    audio = tmp_path / "audio"
    summary = recorded(audio)
    unfinished = RecordingSummary(**{**summary.__dict__, "complete": False})

    with pytest.raises(RecordingNotFinished, match="archived at the next start") as raised:
        finish_recording(audio, unfinished, t=1.0, at=AT)

    assert isinstance(raised.value, UserError)  # the desk shows it as a failed archive
    assert [segment.frames for segment in list_segments(audio)] == [RATE]
    assert sorted(path.name for path in audio.iterdir()) == ["seg-0001.json", "seg-0001.pcm"]


def test_a_finished_recording_is_archived(tmp_path: Path) -> None:
    audio = tmp_path / "audio"
    event = finish_recording(audio, recorded(audio), t=1.0, at=AT)

    assert event.seconds == 1.0
    assert {file.role for file in event.files} == {"original", "listening"}
    assert not (audio / "seg-0001.pcm").exists()
