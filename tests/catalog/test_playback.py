"""Playback: decoding streamed from the archived files and raw segments, the player's controls,
the loudness overview. The output device is a fake here (logic); test_real_playback.py plays
through real PortAudio."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.catalog.playback import OutputUnavailable, Player, loudness, overview
from kasuhara_timer.catalog.recordings import Recording, find_recording, pcm_chunks
from kasuhara_timer.errors import UserError
from kasuhara_timer.store.folders import SessionFolder
from tests.support.corpus import folder_named
from tests.support.factory import JST, RATE
from tests.support.review_fakes import FakeOutput


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
    folder = SessionFolder(tmp_path / "session", drill=False)
    folder.audio.mkdir(parents=True)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    for number, (seconds, value) in enumerate([(2, 1000), (1, 2000)], start=1):
        writer = SegmentWriter(folder.audio, number, fmt)
        writer.write(np.full(seconds * RATE, value, dtype="<i2").tobytes())
        writer.close()
    recording = find_recording(folder)
    assert recording is not None and recording.kind == "segments"
    return recording


def test_raw_segments_are_read_from_any_point(segments: Recording) -> None:
    assert segments.seconds == 3.0
    data = b"".join(pcm_chunks(segments, 1.5))
    samples = np.frombuffer(data, dtype="<i2")
    assert len(samples) == int(1.5 * RATE)
    assert set(samples[: RATE // 2]) == {1000} and set(samples[RATE // 2 :]) == {2000}


def test_archived_files_are_decoded_as_a_stream_from_any_point(archived: Recording) -> None:
    assert (archived.kind, archived.seconds) == ("opus", 180.0)
    chunks = pcm_chunks(archived, 170.0)
    first = next(chunks)
    assert len(first) <= RATE * 2  # a quarter second at a time, never the whole file
    rest = b"".join(chunks)
    assert abs((len(first) + len(rest)) / 2 / RATE - 10.0) < 0.1


def test_loudness_overview_follows_the_recording(archived: Recording) -> None:
    levels = loudness(archived)
    assert len(levels) == 180
    minutes = [float(np.mean(levels[i * 60 + 5 : i * 60 + 55])) for i in range(3)]
    assert minutes[0] < minutes[1] < minutes[2]
    columns = overview(levels, 3)
    assert columns[0] < columns[1] < columns[2]
    assert len(overview(levels, 500)) == 500


def test_plays_to_the_end(segments: Recording) -> None:
    output = FakeOutput()
    player = Player(segments, output)
    player.play()
    output.wait_for("finished", lambda: player.state.finished and not player.state.playing)
    assert b"".join(output.chunks) == b"".join(pcm_chunks(segments))
    assert player.state.position == 3.0 and output.format == (RATE, 1)
    player.close()
    assert output.calls[-1] == "close"


def test_jumping_to_an_event_plays_from_its_moment(archived: Recording) -> None:
    output = FakeOutput(gated=True)
    player = Player(archived, output)
    player.seek(125.0)
    player.play()
    output.allow()
    output.wait_for("a chunk", lambda: output.chunks)
    loud = rms_db(output.chunks[0])
    player.pause()
    output.allow()  # the write already under way finishes
    output.wait_for("stopped", lambda: "stop" in output.calls)
    player.seek(5.0)
    assert player.state.position == 5.0
    player.play()
    output.allow()
    output.wait_for("a chunk after the seek", lambda: len(output.chunks) == 3)
    quiet = rms_db(output.chunks[2])
    assert loud - quiet > 10  # minute 3 is much louder than minute 1
    player.close()


def test_skip_stays_within_the_recording(segments: Recording) -> None:
    player = Player(segments, FakeOutput())
    player.skip(10.0)
    assert player.state.position == 3.0 and player.state.finished
    player.skip(-10.0)
    assert player.state.position == 0.0
    player.seek(1.25)
    player.skip(-1.0)
    assert player.state.position == 0.25
    player.close()


def test_pause_stops_the_device(segments: Recording) -> None:
    output = FakeOutput(gated=True)
    player = Player(segments, output)
    player.play()
    output.allow()
    output.wait_for("a chunk", lambda: output.chunks)
    player.pause()
    output.allow()  # the write already under way finishes
    output.wait_for("stopped", lambda: "stop" in output.calls)
    assert not player.state.playing
    player.close()


def test_an_output_that_cannot_open_says_why(segments: Recording) -> None:
    def no_device(samplerate: int, channels: int) -> FakeOutput:
        raise OutputUnavailable("Error querying device -1")

    player = Player(segments, no_device)
    assert player.wait_probed(20)
    state = player.state
    assert state.unavailable and state.error == "Error querying device -1"
    assert not state.playing and not state.waiting
    player.close()


def test_a_damaged_archive_is_reported_not_played_as_silence(
    archived: Recording, tmp_path: Path
) -> None:
    damaged = tmp_path / "recording.opus"
    damaged.write_bytes(b"OggS" + bytes(5000))
    broken = Recording("opus", (damaged,), 180.0, RATE, 1)
    with pytest.raises(UserError, match="cannot decode the recording"):
        b"".join(pcm_chunks(broken))
    output = FakeOutput()
    player = Player(broken, output)
    player.play()
    output.wait_for("an error", lambda: player.state.error)
    assert "cannot decode" in player.state.error and not player.state.playing
    player.close()
