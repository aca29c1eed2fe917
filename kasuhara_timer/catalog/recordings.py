"""Finding a session's recording and reading it as a stream of PCM, never whole.

The recorder (kasuhara_timer/audio) leaves either raw segments (``seg-0001.pcm`` + ``.json``
sidecars, while recording or before the archive ran) or, after the archive, ``recording.opus``
(the listening copy), ``recording.flac`` (the lossless original) and the manifest
``recording.json``. Event offsets (`AudioMark.offset`) count seconds into the segments joined,
which is also the time line of the archived files. Archived files are decoded by the ffmpeg
binary of the imageio-ffmpeg wheel, a chunk at a time (pydub would load a multi-hour recording
whole); raw segments are read directly.

A session encrypted at its close (``recording.opus.age``…, see `store.vault`) is decrypted in
memory with the review's unlocked identity and fed to ffmpeg through a pipe: no plaintext copy
of the recording is ever written to disk.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kasuhara_timer.audio.archive import (
    FLAC_NAME,
    MANIFEST_NAME,
    OPUS_NAME,
    ArchiveResult,
    ffmpeg_executable,
)
from kasuhara_timer.audio.ffmpeg import PIPE, start_ffmpeg
from kasuhara_timer.audio.segments import SAMPLE_BYTES, Segment, list_segments, segment_number
from kasuhara_timer.errors import UserError
from kasuhara_timer.store import vault
from kasuhara_timer.store.folders import SessionFolder

CHUNK_SECONDS = 0.25
"""Decoded audio is handed on in pieces of this length."""


@dataclass(frozen=True)
class Recording:
    """A session's recording as found on disk."""

    kind: Literal["opus", "flac", "segments"]
    files: tuple[Path, ...]
    seconds: float
    samplerate: int
    channels: int
    segments: tuple[Segment, ...] = ()
    """For raw segments: each with its frames (joined in order)."""

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame of decoded s16le PCM."""
        return self.channels * SAMPLE_BYTES


def has_audio(folder: SessionFolder) -> bool:
    """Cheap check for the list: an archived file, or a raw segment with any bytes in it."""
    try:
        entries = list(folder.audio.iterdir())
    except OSError:
        return False
    for entry in entries:
        if vault.plain_path(entry).name in (FLAC_NAME, OPUS_NAME):
            return True
        if entry.name.endswith(".pcm" + vault.SUFFIX):
            return True
        if segment_number(entry.name) is not None:
            try:
                if entry.stat().st_size > 0:
                    return True
            except OSError:
                continue
    return False


def find_recording(folder: SessionFolder) -> Recording | None:
    """The best file to listen to: the Opus copy, else the FLAC original, else raw segments.

    Raises `UserError` naming the file when a manifest or a segment description is unreadable.
    """
    audio = folder.audio
    manifest_path = audio / MANIFEST_NAME
    if vault.exists(manifest_path):
        try:
            manifest = ArchiveResult.model_validate_json(vault.read_plain(manifest_path))
        except UserError:
            raise
        except (OSError, ValueError) as error:
            raise UserError(f"not a readable recording manifest: {error}", manifest_path) from None
        for kind, name in (("opus", OPUS_NAME), ("flac", FLAC_NAME)):
            path = vault.present(audio / name)
            if path is not None and manifest.samplerate > 0:
                return Recording(
                    kind="opus" if kind == "opus" else "flac",
                    files=(path,),
                    seconds=manifest.seconds,
                    samplerate=manifest.samplerate,
                    channels=manifest.channels,
                )
    segments = tuple(s for s in list_segments(audio) if s.frames > 0)
    if not segments:
        return None
    first = segments[0].format
    return Recording(
        kind="segments",
        files=tuple(s.path for s in segments),
        seconds=sum(s.seconds for s in segments),
        samplerate=first.samplerate,
        channels=first.channels,
        segments=segments,
    )


def pcm_chunks(
    recording: Recording, start: float = 0.0, *, samplerate: int | None = None
) -> Iterator[bytes]:
    """Decoded s16le PCM from `start` seconds, in chunks of about `CHUNK_SECONDS`.

    Archived files go through ffmpeg (`samplerate` lets the loudness overview read at a low
    rate); raw segments are read directly at their own rate, whatever `samplerate` says.
    Closing the iterator stops the decoder.
    """
    start = min(max(0.0, start), recording.seconds)
    if recording.kind == "segments":
        return _segment_chunks(recording, start)
    return _ffmpeg_chunks(recording, start, samplerate or recording.samplerate)


def chunk_rate(recording: Recording, samplerate: int | None) -> int:
    """The rate `pcm_chunks(recording, samplerate=...)` really delivers."""
    return (
        recording.samplerate if recording.kind == "segments" else samplerate or recording.samplerate
    )


def _segment_chunks(recording: Recording, start: float) -> Iterator[bytes]:
    chunk = max(1, int(recording.samplerate * CHUNK_SECONDS)) * recording.frame_bytes
    skip_frames = int(start * recording.samplerate)
    for segment in recording.segments:
        if skip_frames >= segment.frames:
            skip_frames -= segment.frames
            continue
        remaining = (segment.frames - skip_frames) * recording.frame_bytes
        with segment.path.open("rb") as file:
            file.seek(skip_frames * recording.frame_bytes)
            skip_frames = 0
            while remaining > 0 and (data := file.read(min(chunk, remaining))):
                remaining -= len(data)
                yield data


def _encrypted(path: Path) -> bool:
    return path.name.endswith(vault.SUFFIX)


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    """Hand decrypted bytes to ffmpeg's input; stops quietly when ffmpeg is stopped."""
    assert process.stdin is not None
    with contextlib.suppress(OSError, ValueError):
        process.stdin.write(data)
    with contextlib.suppress(OSError, ValueError):
        process.stdin.close()


def _ffmpeg_chunks(recording: Recording, start: float, rate: int) -> Iterator[bytes]:
    """Run ffmpeg with its output on a pipe and hand that on chunk by chunk; an encrypted file
    is decrypted in memory and reaches ffmpeg through its input pipe."""
    source = recording.files[0]
    plain = vault.decrypt_bytes(source, source.read_bytes()) if _encrypted(source) else None
    where = ["-i", "pipe:0", "-ss", f"{start:.3f}"] if plain is not None else None
    command = [
        ffmpeg_executable(), "-hide_banner", "-nostats", "-loglevel", "error",
        *(where or ["-ss", f"{start:.3f}", "-i", str(source)]),
        "-f", "s16le", "-ac", str(recording.channels), "-ar", str(rate), "pipe:1",
    ]  # fmt: skip
    chunk = max(1, int(rate * CHUNK_SECONDS)) * recording.frame_bytes
    with tempfile.TemporaryFile() as errors:
        process = start_ffmpeg(
            command, stdin=PIPE if plain is not None else None, stdout=PIPE, stderr=errors
        )
        assert process.stdout is not None
        if plain is not None:
            threading.Thread(target=_feed, args=(process, plain), daemon=True).start()
        try:
            while data := process.stdout.read(chunk):
                yield data
            if process.wait() != 0:
                errors.seek(0)
                why = errors.read().decode(errors="replace").strip().splitlines()
                message = why[-1] if why else "no message"
                raise UserError(f"cannot decode the recording: {message}", recording.files[0])
        finally:
            process.kill()
            process.wait()
            process.stdout.close()
