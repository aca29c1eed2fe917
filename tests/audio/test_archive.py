"""The archive read back by libsndfile (soundfile): FLAC bit-exact, Opus the right length."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from kasuhara_timer.audio import archive as archive_module
from kasuhara_timer.audio.archive import (
    MANIFEST_NAME,
    ArchiveResult,
    archive,
    audio_section,
    ffmpeg_executable,
    opus_duration,
)
from kasuhara_timer.audio.ffmpeg import PIPE, start_ffmpeg
from kasuhara_timer.audio.recorder import RecordingSummary
from kasuhara_timer.audio.segments import (
    Segment,
    SegmentFormat,
    SegmentWriter,
    list_segments,
    recover_segments,
)
from kasuhara_timer.errors import UserError

JST = timezone(timedelta(hours=9))
RATE = 16000


def speechlike(seconds: float, seed: int) -> np.ndarray[Any, Any]:
    """Two tones under a slow syllable-like envelope, plus a little noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)
    voice = np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 1100 * t)
    noise = np.random.default_rng(seed).standard_normal(len(t)) * 0.01
    return (np.clip(envelope * voice * 0.3 + noise, -1, 1) * 32767).astype(np.int16)


def write_segment(
    audio: Path, number: int, samples: np.ndarray[Any, Any], started_t: float, rate: int = RATE
) -> None:
    fmt = SegmentFormat(
        samplerate=rate,
        channels=1,
        started_t=started_t,
        started_at=datetime(2026, 4, 1, 9, tzinfo=JST) + timedelta(seconds=started_t),
    )
    writer = SegmentWriter(audio, number, fmt)
    writer.write(samples.tobytes())
    writer.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, np.ndarray[Any, Any]]:
    """An audio folder with two segments (a fault between them) and the samples they hold."""
    first, second = speechlike(3.0, seed=1), speechlike(2.0, seed=2)
    write_segment(tmp_path, 1, first, started_t=1.0)
    write_segment(tmp_path, 2, second, started_t=9.0)
    return tmp_path, np.concatenate([first, second])


def test_flac_holds_exactly_the_recorded_samples(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, samples = recorded

    result = archive(audio)

    assert result.flac is not None
    flac = audio / result.flac.name
    decoded, rate = soundfile.read(flac, dtype="int16")
    assert rate == RATE
    assert np.array_equal(decoded, samples)
    assert result.flac.sha256 == sha256(flac)
    assert result.flac.bytes == flac.stat().st_size
    assert result.seconds == result.flac.seconds == 5.0
    assert result.pcm_sha256 == hashlib.sha256(samples.tobytes()).hexdigest()


def test_opus_is_a_compact_listening_copy_of_the_same_length(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, samples = recorded

    result = archive(audio)

    assert result.opus is not None
    opus = audio / result.opus.name
    info = soundfile.info(opus)
    assert (info.format, info.subtype) == ("OGG", "OPUS")
    assert info.duration == pytest.approx(5.0, abs=0.03)
    assert result.opus.seconds == pytest.approx(5.0, abs=0.03)
    assert result.opus.sha256 == sha256(opus)
    assert opus.stat().st_size < (audio / "recording.flac").stat().st_size / 4
    decoded, rate = soundfile.read(opus, dtype="float32")
    original = samples.astype(np.float32) / 32768
    length = min(len(original), len(decoded) * RATE // rate)
    if rate != RATE:
        decoded = decoded[:: rate // RATE]
    similarity = np.corrcoef(original[:length], decoded[:length])[0, 1]
    assert similarity > 0.9


def test_raw_segments_go_once_verified_and_the_manifest_keeps_their_place(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, _ = recorded

    result = archive(audio)

    assert not list(audio.glob("*.pcm"))
    assert sorted(p.name for p in audio.glob("seg-*.json")) == ["seg-0001.json", "seg-0002.json"]
    saved = ArchiveResult.model_validate_json((audio / MANIFEST_NAME).read_bytes())
    assert saved == result
    assert [(s.name, s.offset, s.seconds, s.started_t) for s in result.segments] == [
        ("seg-0001.pcm", 0.0, 3.0, 1.0),
        ("seg-0002.pcm", 3.0, 2.0, 9.0),
    ]


def test_archiving_again_returns_the_archive_without_redoing_it(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, _ = recorded
    first = archive(audio, keep_segments=True)  # as if killed before deleting the segments
    flac_hash = sha256(audio / "recording.flac")

    again = archive(audio)

    assert again == first
    assert sha256(audio / "recording.flac") == flac_hash
    assert not list(audio.glob("*.pcm"))


def test_a_segment_recorded_after_the_archive_is_never_deleted(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, _ = recorded
    archive(audio)
    write_segment(audio, 3, speechlike(1.0, seed=3), started_t=20.0)

    with pytest.raises(UserError, match=r"seg-0003\.pcm: this segment was recorded after"):
        archive(audio)
    assert (audio / "seg-0003.pcm").exists()


def test_segments_of_different_rates_are_refused_by_name(tmp_path: Path) -> None:
    write_segment(tmp_path, 1, speechlike(1.0, seed=1), started_t=0.0)
    write_segment(tmp_path, 2, speechlike(1.0, seed=2), started_t=5.0, rate=48000)

    with pytest.raises(UserError, match=r"seg-0002\.pcm: recorded at 48000 Hz"):
        archive(tmp_path)
    assert (tmp_path / "seg-0001.pcm").exists()


def test_a_torn_frame_from_a_crash_is_cut_before_archiving(tmp_path: Path) -> None:
    samples = speechlike(1.0, seed=1)
    write_segment(tmp_path, 1, samples, started_t=0.0)
    with (tmp_path / "seg-0001.pcm").open("ab") as file:
        file.write(b"\x7f")

    (segment,) = recover_segments(tmp_path)
    result = archive(tmp_path)

    assert segment.seconds == 1.0
    decoded, _ = soundfile.read(tmp_path / "recording.flac", dtype="int16")
    assert np.array_equal(decoded, samples)
    assert result.seconds == 1.0


def test_nothing_recorded_gives_an_empty_archive(tmp_path: Path) -> None:
    result = archive(tmp_path)
    assert (result.seconds, result.flac, result.opus) == (0.0, None, None)
    assert (tmp_path / MANIFEST_NAME).exists()


def test_the_record_section_names_the_files_and_their_hashes(
    recorded: tuple[Path, np.ndarray[Any, Any]],
) -> None:
    audio, _ = recorded
    summary = RecordingSummary(
        state="stopped", detail="", segments=tuple(list_segments(audio)), faults=1, gap_seconds=5.0
    )
    before = audio_section(summary)

    section = audio_section(summary, archive(audio))

    assert before["archived"] is False and before["files"] == []
    assert before["segments"] == section["segments"]
    assert (section["seconds"], section["faults"], section["gap_seconds"]) == (5.0, 1, 5.0)
    files = {f["role"]: f for f in section["files"]}  # type: ignore[attr-defined]
    assert files["original"]["name"] == "recording.flac"
    assert files["original"]["sha256"] == sha256(audio / "recording.flac")
    assert files["listening"]["sha256"] == sha256(audio / "recording.opus")


def test_the_record_section_says_why_there_is_no_recording() -> None:
    summary = RecordingSummary(
        state="unavailable",
        detail="the PortAudio library is missing",
        segments=(),
        faults=0,
        gap_seconds=0.0,
    )
    section = audio_section(summary)
    assert section["state"] == "unavailable"
    assert section["detail"] == "the PortAudio library is missing"
    assert section["seconds"] == 0


def test_a_segment_unreadable_while_encoding_stops_ffmpeg_and_keeps_the_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_segment(tmp_path, 1, speechlike(1.0, seed=1), started_t=0.0)
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    def unreadable(segments: list[Segment]) -> Iterator[bytes]:
        yield b"\0" * 3200
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    monkeypatch.setattr(archive_module, "_pcm_chunks", unreadable)

    with pytest.raises(OSError, match="Input/output error"):
        archive(tmp_path)

    assert started
    assert all(process.returncode is not None for process in started)  # no ffmpeg left running
    assert (tmp_path / "seg-0001.pcm").exists()
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_the_opus_length_is_read_from_its_pages_as_a_decoder_counts_it(tmp_path: Path) -> None:
    audio = tmp_path
    write_segment(audio, 1, speechlike(3.7, seed=3), started_t=0.0)
    result = archive(audio)
    assert result.opus is not None
    opus = audio / result.opus.name
    info = soundfile.info(opus)
    assert opus_duration(opus) == pytest.approx(info.frames / info.samplerate, abs=0.001)
    assert opus_duration(opus) == pytest.approx(3.7, abs=0.03)
    with pytest.raises(UserError, match="not an Ogg Opus file"):
        opus_duration(audio / "recording.flac")


def test_the_archive_runs_below_the_desk_s_priority() -> None:
    if not hasattr(os, "getpriority"):
        pytest.skip("POSIX niceness")
    command = [ffmpeg_executable(), "-f", "s16le", "-i", "pipe:0", "-f", "null", "-"]
    process = start_ffmpeg(command, stdin=PIPE, stderr=subprocess.DEVNULL, low_priority=True)
    try:  # ffmpeg waits for its input meanwhile
        niceness = os.getpriority(os.PRIO_PROCESS, process.pid)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    assert niceness >= os.getpriority(os.PRIO_PROCESS, 0) + 1
