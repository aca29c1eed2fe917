"""Segments on disk: what a crash can leave, and how it is made whole."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kasuhara_timer.audio.segments import (
    SegmentFormat,
    SegmentWriter,
    list_segments,
    next_segment_number,
    recover_segments,
)
from kasuhara_timer.errors import UserError

JST = timezone(timedelta(hours=9))


def stereo_format() -> SegmentFormat:
    return SegmentFormat(
        samplerate=8000, channels=2, started_t=3.0, started_at=datetime(2026, 4, 1, 9, tzinfo=JST)
    )


def test_a_torn_last_frame_is_cut_and_the_rest_kept(tmp_path: Path) -> None:
    writer = SegmentWriter(tmp_path, 1, stereo_format())
    writer.write(bytes(4 * 8000) + b"\x01\x02\x03")  # one second, then 3 bytes of a 4-byte frame
    # the process dies here: no close

    (found,) = list_segments(tmp_path)
    assert (found.frames, found.torn_bytes) == (8000, 3)
    (recovered,) = recover_segments(tmp_path)

    assert recovered.seconds == 1.0
    assert recovered.ended_t == 4.0
    assert (tmp_path / "seg-0001.pcm").stat().st_size == 4 * 8000
    assert list_segments(tmp_path)[0].torn_bytes == 0


def test_segments_are_listed_in_recording_order_past_9999(tmp_path: Path) -> None:
    for number in (10000, 2, 9999):
        SegmentWriter(tmp_path, number, stereo_format()).close()

    names = [segment.name for segment in list_segments(tmp_path)]

    assert names == ["seg-0002.pcm", "seg-9999.pcm", "seg-10000.pcm"]
    assert next_segment_number(tmp_path) == 10001


def test_numbering_continues_after_segments_whose_audio_was_archived(tmp_path: Path) -> None:
    SegmentWriter(tmp_path, 1, stereo_format()).close()
    (tmp_path / "seg-0001.pcm").unlink()  # archived: the sidecar stays
    assert next_segment_number(tmp_path) == 2


def test_a_missing_sidecar_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "seg-0001.pcm").write_bytes(b"\0\0")
    with pytest.raises(UserError, match=r"seg-0001\.json: segment description is missing"):
        list_segments(tmp_path)


def test_a_malformed_sidecar_says_which_field(tmp_path: Path) -> None:
    (tmp_path / "seg-0001.pcm").write_bytes(b"\0\0")
    (tmp_path / "seg-0001.json").write_text('{"samplerate": -5, "channels": 1}')
    with pytest.raises(UserError, match=r"seg-0001\.json: not a valid .*samplerate"):
        list_segments(tmp_path)


def test_files_are_private_to_the_user(tmp_path: Path) -> None:
    SegmentWriter(tmp_path, 1, stereo_format()).close()
    for name in ("seg-0001.pcm", "seg-0001.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
