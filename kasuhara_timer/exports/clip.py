"""An audio clip around one event: 30 s before to 60 s after it (bounds adjustable).

A supervisor handing on what was said at one moment (the limit, a threat) needs a short file,
and whoever receives it needs to know where it came from. The clip is cut from the original
(the lossless FLAC, else the raw segments not yet archived), sample for sample, encoded to FLAC,
and a small manifest beside it gives its own SHA-256 and its place in the original: the start
and end offsets (seconds and frames) and the original file's name, size and SHA-256, which must
still match the hash journaled when it was archived (else the clip is refused: run verify).

The access is logged before the clip is written, like every export; an encrypted original is
decrypted in memory (ffmpeg reads it from a pipe), and the clip is the deliberate plaintext copy.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasuhara_timer import __version__
from kasuhara_timer.audio.archive import FLAC_NAME, MANIFEST_NAME, ArchiveResult, ffmpeg_executable
from kasuhara_timer.audio.ffmpeg import PIPE, start_ffmpeg
from kasuhara_timer.catalog.recordings import Recording, find_recording, pcm_chunks
from kasuhara_timer.catalog.sessions import LoadedSession, require_record
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports.bundle import scratch_folder
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.store import vault
from kasuhara_timer.store.atomic import make_private_dir, write_atomic
from kasuhara_timer.store.record import Record, TimelineRow

CLIP_SCHEMA = "kasuhara-timer/clip"
BEFORE = 30.0
AFTER = 60.0


@dataclass(frozen=True)
class Original:
    """The recording a clip is cut from: how to read it, and the files it is."""

    recording: Recording
    kind: str
    """``flac`` (the archived original) or ``segments`` (raw, not archived yet)."""
    files: tuple[dict[str, object], ...]
    """name (in the session folder), bytes, sha256 of each file (plaintext)."""


@dataclass(frozen=True)
class Clip:
    """A clip written: the audio file and its manifest."""

    audio: Path
    manifest: Path
    start: float
    end: float


def clip_events(record: Record) -> list[tuple[int, TimelineRow]]:
    """The timeline rows a clip can be made around (they have a place in the recording), with
    their number on the timeline (from 1)."""
    return [
        (number, row)
        for number, row in enumerate(record.sheet.timeline, start=1)
        if row.audio_offset is not None
    ]


def clip_bounds(offset: float, duration: float, before: float, after: float) -> tuple[float, float]:
    """Start and end (seconds, to the millisecond) of a clip around `offset`, kept within the
    recording. Raises `UserError` for a negative bound or an empty clip."""
    if before < 0 or after < 0:
        raise UserError("the seconds before and after the event cannot be negative")
    start = round(max(0.0, offset - before), 3)
    end = round(min(duration, offset + after), 3)
    if end <= start:
        raise UserError("the clip would be empty: the event lies at the end of the recording")
    return start, end


def find_original(loaded: LoadedSession) -> Original:
    """The lossless original of the session's recording, checked against its journaled hash.

    Raises `UserError` when there is none (no recording, or only a lossy copy) or when the
    original no longer matches the hash journaled at its archive.
    """
    folder = loaded.folder
    audio = folder.audio
    flac = vault.present(audio / FLAC_NAME)
    if flac is not None:
        manifest = ArchiveResult.model_validate_json(vault.read_plain(audio / MANIFEST_NAME))
        data = vault.read_plain(audio / FLAC_NAME)
        digest = hashlib.sha256(data).hexdigest()
        journaled = _journaled_sha256(require_record(loaded)) or (
            manifest.flac.sha256 if manifest.flac else ""
        )
        if journaled and journaled != digest:
            raise UserError(
                "the original recording no longer matches the SHA-256 journaled when it was "
                "archived; no clip is made (run kasuhara-timer verify)",
                flac,
            )
        recording = Recording(
            kind="flac",
            files=(flac,),
            seconds=manifest.seconds,
            samplerate=manifest.samplerate,
            channels=manifest.channels,
        )
        entry = {"name": f"audio/{FLAC_NAME}", "bytes": len(data), "sha256": digest}
        return Original(recording, "flac", (entry,))
    recording_found = find_recording(folder)
    if recording_found is None:
        raise UserError("this session has no recording", audio)
    if recording_found.kind != "segments":
        raise UserError("only the listening copy is left, not the original: no clip", audio)
    files = tuple(
        {
            "name": f"audio/{path.name}",
            "bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        for path in recording_found.files
    )
    return Original(recording_found, "segments", files)


def write_clip(
    data_dir: Path,
    loaded: LoadedSession,
    event: int,
    out_dir: Path,
    *,
    before: float = BEFORE,
    after: float = AFTER,
    now: datetime | None = None,
) -> Clip:
    """Cut the clip around timeline row `event` (numbered from 1) into `out_dir`, log it first.

    Writes ``<folder>-clip-<event>-<start>s-<end>s.flac`` and the ``.json`` manifest beside it.
    """
    record = require_record(loaded)
    rows = dict(clip_events(record))
    if event not in rows:
        known = ", ".join(str(n) for n in rows) or "none"
        raise UserError(
            f"timeline row {event} has no place in the recording (rows that have: {known})"
        )
    row = rows[event]
    assert row.audio_offset is not None
    original = find_original(loaded)
    recording = original.recording
    start, end = clip_bounds(row.audio_offset, recording.seconds, before, after)
    name = f"{loaded.folder.name}-clip-{event:02d}-{int(start)}s-{int(end)}s"
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError("the export folder is a file, not a folder", out_dir)
    make_private_dir(out_dir)
    target = out_dir / f"{name}.flac"
    log_access(
        data_dir, AccessAction.EXPORT, loaded.folder.name, f"clip:{target} {start:.3f}-{end:.3f}s"
    )
    first = round(start * recording.samplerate)
    frames = round(end * recording.samplerate) - first
    pcm = _exactly(pcm_chunks(recording, start), frames * recording.frame_bytes)
    flac = _encode(pcm, recording, out_dir)
    write_atomic(target, flac)
    manifest = {
        "schema": CLIP_SCHEMA,
        "version": 1,
        "written_by": f"kasuhara-timer {__version__}",
        "made_at": (now or datetime.now()).astimezone().isoformat(),
        "session": loaded.folder.name,
        "clip": {
            "file": target.name,
            "bytes": len(flac),
            "sha256": hashlib.sha256(flac).hexdigest(),
            "samplerate": recording.samplerate,
            "channels": recording.channels,
            "frames": len(pcm) // recording.frame_bytes,
        },
        "start": {"seconds": start, "frame": first},
        "end": {"seconds": end, "frame": first + len(pcm) // recording.frame_bytes},
        "original": {
            "kind": original.kind,
            "files": list(original.files),
            "samplerate": recording.samplerate,
            "channels": recording.channels,
            "seconds": recording.seconds,
        },
        "event": {
            "number": event,
            "kind": row.kind,
            "text": row.text,
            "at": row.at.isoformat(),
            "clock": row.clock,
            "elapsed": row.elapsed,
            "audio_offset": row.audio_offset,
        },
        "asked": {"before": before, "after": after},
    }
    manifest_path = out_dir / f"{name}.json"
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomic(manifest_path, text.encode("utf-8"))
    return Clip(target, manifest_path, start, end)


def _journaled_sha256(record: Record) -> str:
    """The original's SHA-256 as the journal's `AudioArchived` recorded it; '' if none."""
    audio = record.audio or {}
    files = audio.get("files")
    for entry in files if isinstance(files, list) else []:
        if isinstance(entry, dict) and entry.get("role") == "original":
            value = entry.get("sha256")
            return value if isinstance(value, str) else ""
    return ""


def _exactly(chunks: Iterator[bytes], size: int) -> bytes:
    """The first `size` bytes of the decoded stream (less only at the recording's end)."""
    kept = bytearray()
    try:
        for chunk in chunks:
            kept += chunk[: size - len(kept)]
            if len(kept) >= size:
                break
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return bytes(kept)


def _encode(pcm: bytes, recording: Recording, scratch_parent: Path) -> bytes:
    """s16le PCM to FLAC bytes by ffmpeg, through a private scratch file (a FLAC written to a
    pipe would lack its length and checksum)."""
    with scratch_folder(scratch_parent) as scratch, tempfile.TemporaryFile() as errors:
        target = scratch / "clip.flac"
        command = [
            ffmpeg_executable(), "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(recording.samplerate), "-ac", str(recording.channels),
            "-i", "pipe:0", "-c:a", "flac", str(target),
        ]  # fmt: skip
        process = start_ffmpeg(command, stdin=PIPE, stderr=errors)
        process.communicate(pcm)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip() or "no message"
            raise UserError(f"ffmpeg could not encode the clip: {message}", recording.files[0])
        return target.read_bytes()
