"""An audio clip around one event, read back with soundfile and compared sample for sample with
the original at the offsets its manifest gives; the original's hash checked; logged first."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.cli import main
from kasuhara_timer.exports.clip import clip_events, write_clip
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.lifecycle.encrypting import encrypt_session
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.record import read_record
from tests.support.corpus import at
from tests.support.factory import RATE, Script, make_session
from tests.support.supervisors import supervisor

SCRIPT = Script(
    start=at(6, 2, 9), minutes=3, audio_seconds=180, steps=2, tags=("restraint",), noise=True
)


@pytest.fixture
def recorded(tmp_path: Path, nanyo: Policy) -> SessionFolder:
    """A session with three minutes of noise recorded and archived, events spread over it."""
    return make_session(tmp_path / "data", nanyo, SCRIPT)


def clip_cli(data_dir: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), "clip", *args])


def samples(data: bytes | Path) -> tuple[np.ndarray[Any, Any], int]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    frames, rate = soundfile.read(source, dtype="int16", always_2d=True)
    return frames, rate


def test_a_clip_is_the_original_between_its_offsets(recorded: SessionFolder) -> None:
    data_dir = recorded.path.parent.parent
    listing = clip_cli(data_dir, recorded.name)
    assert listing.exit_code == 0, listing.output
    rows = dict(clip_events(read_record(recorded.record)))
    number = max(n for n, row in rows.items() if row.kind == "step_taken")
    offset = rows[number].audio_offset
    assert offset is not None and 60 < offset < 150
    assert f"{number:3d}  {rows[number].clock}" in listing.output

    out = data_dir.parent / "out"
    made = clip_cli(data_dir, recorded.name, "--event", str(number), "--out", str(out))
    assert made.exit_code == 0, made.output
    audio, manifest_path = (Path(line) for line in made.output.splitlines())
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    clip = audio.read_bytes()
    assert manifest["clip"]["sha256"] == hashlib.sha256(clip).hexdigest()
    assert manifest["clip"]["bytes"] == len(clip)
    start, end = round(offset - 30, 3), round(min(180.0, offset + 60), 3)
    assert manifest["start"] == {"seconds": start, "frame": round(start * RATE)}
    assert manifest["end"] == {"seconds": end, "frame": round(end * RATE)}
    assert manifest["event"]["number"] == number and manifest["event"]["kind"] == "step_taken"
    # its place in the original: the original's own hash, which is the one journaled
    flac = recorded.audio / "recording.flac"
    (original,) = manifest["original"]["files"]
    digest = hashlib.sha256(flac.read_bytes()).hexdigest()
    assert original == {"name": "audio/recording.flac", "bytes": flac.stat().st_size,
                        "sha256": digest}  # fmt: skip
    journaled = json.loads(recorded.record.read_text(encoding="utf-8"))["audio"]["files"][0]
    assert (journaled["role"], journaled["sha256"]) == ("original", digest)
    # the samples, read back with soundfile, are the original's at those frames exactly
    got, rate = samples(clip)
    whole, whole_rate = samples(flac)
    assert rate == whole_rate == RATE
    first, last = manifest["start"]["frame"], manifest["end"]["frame"]
    assert got.shape == (last - first, 1) == (manifest["clip"]["frames"], 1)
    assert np.array_equal(got, whole[first:last])
    assert not np.array_equal(
        got[:RATE], whole[first + 1 : first + 1 + RATE]
    )  # one sample off shows
    # logged before, as an export, with the file and the bounds
    (entry,) = [e for e in read_access_log(data_dir).entries if e.action == "export"]
    assert entry.detail == f"clip:{audio} {start:.3f}-{end:.3f}s"
    assert entry.session == recorded.name


def test_bounds_are_adjustable_and_kept_within_the_recording(recorded: SessionFolder) -> None:
    data_dir = recorded.path.parent.parent
    loaded = load_folder(recorded.path)
    events = clip_events(read_record(recorded.record))
    first_number, first_row = events[0]
    assert first_row.audio_offset == 0.0  # the start
    made = write_clip(data_dir, loaded, first_number, data_dir.parent / "o", before=5, after=2.5)
    assert (made.start, made.end) == (0.0, 2.5)
    got, _rate = samples(made.audio)
    whole, _ = samples(recorded.audio / "recording.flac")
    assert np.array_equal(got, whole[: int(2.5 * RATE)])
    last_number, last_row = events[-1]
    assert last_row.audio_offset is not None
    made = write_clip(data_dir, loaded, last_number, data_dir.parent / "o", before=1.25, after=600)
    assert made.end == 180.0 and made.start == round(last_row.audio_offset - 1.25, 3)
    got, _rate = samples(made.audio)
    assert np.array_equal(got, whole[round(made.start * RATE) :])


def test_a_changed_original_or_a_row_without_audio_is_refused(recorded: SessionFolder) -> None:
    data_dir = recorded.path.parent.parent
    record = read_record(recorded.record)
    silent = [n for n, row in enumerate(record.sheet.timeline, start=1) if row.audio_offset is None]
    out = data_dir.parent / "out"
    if silent:
        result = clip_cli(data_dir, recorded.name, "--event", str(silent[0]), "--out", str(out))
        assert result.exit_code == 2 and "no place in the recording" in result.output
    result = clip_cli(data_dir, recorded.name, "--event", "2", "--before", "-1", "--out", str(out))
    assert result.exit_code == 2 and "negative" in result.output
    flac = recorded.audio / "recording.flac"
    data = bytearray(flac.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flac.write_bytes(bytes(data))
    result = clip_cli(data_dir, recorded.name, "--event", "2", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "no longer matches" in result.output and "Traceback" not in result.output
    assert not (out.exists() and list(out.glob("*.flac")))
    assert not [e for e in read_access_log(data_dir).entries if e.action == "export"]


def test_an_encrypted_original_is_read_in_memory(
    recorded: SessionFolder, clock: ManualClock
) -> None:
    data_dir = recorded.path.parent.parent
    whole, _ = samples(recorded.audio / "recording.flac")
    boss = supervisor()
    encrypt_session(recorded, [boss.recipient], clock=clock)
    assert not (recorded.audio / "recording.flac").exists()
    vault.unlock([boss.identity.age_identity])
    loaded = load_folder(recorded.path)
    number, row = clip_events(loaded.record)[2]  # type: ignore[arg-type]
    assert row.audio_offset is not None
    made = write_clip(data_dir, loaded, number, data_dir.parent / "out", before=3, after=4)
    got, _rate = samples(made.audio)
    first = round(made.start * RATE)
    assert np.array_equal(got, whole[first : round(made.end * RATE)])
    manifest = json.loads(made.manifest.read_text(encoding="utf-8"))
    assert manifest["original"]["files"][0]["name"] == "audio/recording.flac"


def test_before_the_archive_the_clip_comes_from_the_raw_segments(
    recorded: SessionFolder, nanyo: Policy
) -> None:
    data_dir = recorded.path.parent.parent
    whole, _ = samples(recorded.audio / "recording.flac")
    folder = make_session(
        data_dir, nanyo, Script(start=at(6, 3, 9), minutes=3, audio_seconds=180, noise=True)
    )
    pcm = np.frombuffer(_raw_segments(folder, whole), dtype="<i2")
    loaded = load_folder(folder.path)
    number, _row = clip_events(loaded.record)[0]  # type: ignore[arg-type]
    made = write_clip(data_dir, loaded, number, data_dir.parent / "out", before=0, after=7)
    got, _rate = samples(made.audio)
    assert np.array_equal(got[:, 0], pcm[: 7 * RATE])
    manifest = json.loads(made.manifest.read_text(encoding="utf-8"))
    assert manifest["original"]["kind"] == "segments"
    (entry,) = manifest["original"]["files"]
    segment = folder.audio / "seg-0001.pcm"
    assert entry["sha256"] == hashlib.sha256(segment.read_bytes()).hexdigest()


def _raw_segments(folder: SessionFolder, whole: np.ndarray[Any, Any]) -> bytes:
    """Put back the raw segment the archive replaced (as before an archive ran)."""
    from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter

    for name in ("recording.flac", "recording.opus", "recording.json"):
        (folder.audio / name).unlink()
    sidecar = folder.audio / "seg-0001.json"
    fmt = SegmentFormat.model_validate_json(sidecar.read_bytes())
    sidecar.unlink()
    writer = SegmentWriter(folder.audio, 1, fmt)
    data = whole[:, 0].astype("<i2").tobytes()
    writer.write(data)
    writer.close()
    return data
