"""After a session: join the segments into a lossless FLAC original and a compact Opus copy.

Runs in the background (a worker thread) while the staff member starts the next session. The
segments are streamed through the ffmpeg binary that the imageio-ffmpeg wheel ships, a megabyte
at a time, so a recording of many hours never sits in memory (pydub would hold it whole). The raw
segments are deleted only after the FLAC decodes back to exactly the captured samples. A manifest,
`recording.json`, keeps the hashes, durations and where each segment lies in the joined recording,
so an event's `AudioMark` still finds its place after the segments are gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from kasuhara_timer.audio.ffmpeg import PIPE, start_ffmpeg
from kasuhara_timer.audio.segments import (
    Segment,
    recover_segments,
)
from kasuhara_timer.errors import UserError
from kasuhara_timer.store.atomic import (
    fsync_directory,
    make_private,
    open_private,
    replace_atomically,
)
from kasuhara_timer.system.files import sync_file

if TYPE_CHECKING:
    from kasuhara_timer.audio.recorder import RecordingSummary

FLAC_NAME = "recording.flac"
OPUS_NAME = "recording.opus"
MANIFEST_NAME = "recording.json"
OPUS_BITRATE = "24k"
"""Speech at 16 kHz mono: clear at 24 kbps, about 11 MB per hour."""
OPUS_COMPLEXITY = "7"
"""libopus effort (0-10, its default 10): 7 encodes speech ~15 % faster and still passes the
listening copy's likeness test (5 did not); the FLAC stays the lossless original."""

_CHUNK = 1 << 20


class ArchivedFile(BaseModel):
    """One file of the archive, with what proves it unchanged later."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    sha256: str
    bytes: int = Field(ge=0)
    seconds: float = Field(ge=0, description="Duration as decoded back.")


class SegmentEntry(BaseModel):
    """Where a segment lies in the joined recording and on the session clock."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    started_t: float
    offset: float = Field(description="Seconds into the joined recording where it begins.")
    seconds: float
    device: str = ""


class ArchiveResult(BaseModel):
    """The archive of one session's recording, also saved as `recording.json`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    samplerate: int
    channels: int
    seconds: float
    pcm_sha256: str = Field(description="SHA-256 of the joined raw samples (s16le).")
    flac: ArchivedFile | None = None
    opus: ArchivedFile | None = None
    segments: tuple[SegmentEntry, ...] = ()


def audio_section(
    summary: RecordingSummary, archived: ArchiveResult | None = None
) -> dict[str, object]:
    """The record's `audio` section: what was recorded, the gaps, and (once archived) the files
    with their SHA-256, so `verify` can check them and the sheet can say why there is no audio."""
    entries = archived.segments if archived else tuple(_entries(list(summary.segments)))
    files = []
    if archived is not None:
        for role, file in (("original", archived.flac), ("listening", archived.opus)):
            if file is not None:
                files.append(
                    {
                        "name": file.name,
                        "role": role,
                        "sha256": file.sha256,
                        "bytes": file.bytes,
                        "duration_seconds": file.seconds,
                    }
                )
    return {
        "state": summary.state,
        "detail": summary.detail,
        "seconds": summary.seconds,
        "faults": summary.faults,
        "gap_seconds": summary.gap_seconds,
        "segments": [entry.model_dump(mode="json") for entry in entries],
        "archived": archived is not None,
        "pcm_sha256": archived.pcm_sha256 if archived else None,
        "files": files,
    }


def ffmpeg_executable() -> str:
    """The ffmpeg binary of the imageio-ffmpeg wheel (or IMAGEIO_FFMPEG_EXE)."""
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as error:
        raise UserError(f"ffmpeg is not available ({error}); reinstall kasuhara-timer") from None


def archive(audio_dir: Path, *, keep_segments: bool = False) -> ArchiveResult:
    """Make `recording.flac` and `recording.opus` from the segments; hash and verify them.

    Idempotent: run again after a crash, it starts over from the segments; once they are gone,
    it returns the saved manifest. Raises `UserError` for segments that cannot be joined.
    """
    manifest = audio_dir / MANIFEST_NAME
    segments = recover_segments(audio_dir)
    if manifest.exists():
        return _finish_earlier_archive(manifest, segments, keep_segments)
    segments = [s for s in segments if s.frames > 0]
    if not segments:
        result = ArchiveResult(samplerate=0, channels=0, seconds=0.0, pcm_sha256=_EMPTY_SHA256)
        replace_atomically(manifest, result.model_dump_json(indent=2).encode())
        return result
    fmt = segments[0].format
    for segment in segments[1:]:
        if (segment.format.samplerate, segment.format.channels) != (fmt.samplerate, fmt.channels):
            raise UserError(
                f"recorded at {segment.format.samplerate} Hz × {segment.format.channels} channels,"
                f" unlike {segments[0].name} ({fmt.samplerate} Hz × {fmt.channels}); cannot join",
                segment.path,
            )
    ffmpeg = ffmpeg_executable()
    pcm_args = ["-f", "s16le", "-ar", str(fmt.samplerate), "-ac", str(fmt.channels)]
    flac_partial = audio_dir / (FLAC_NAME + ".partial")
    opus_partial = audio_dir / (OPUS_NAME + ".partial")
    pcm_sha256 = _encode(ffmpeg, pcm_args, segments, flac_partial, opus_partial)
    flac_bytes = _decoded_frames(ffmpeg, flac_partial, pcm_args, expect_sha256=pcm_sha256)
    frames = sum(segment.frames for segment in segments)
    if flac_bytes != frames * fmt.frame_bytes:
        raise UserError("the FLAC archive does not decode back to the recording", flac_partial)
    opus_seconds = opus_duration(opus_partial)
    for partial in (flac_partial, opus_partial):
        make_private(partial)
        _sync_file(partial)
        partial.replace(audio_dir / partial.stem)
    fsync_directory(audio_dir)
    seconds_per_byte = 1 / (fmt.samplerate * fmt.frame_bytes)
    result = ArchiveResult(
        samplerate=fmt.samplerate,
        channels=fmt.channels,
        seconds=frames / fmt.samplerate,
        pcm_sha256=pcm_sha256,
        flac=_describe(audio_dir / FLAC_NAME, flac_bytes * seconds_per_byte),
        opus=_describe(audio_dir / OPUS_NAME, opus_seconds),
        segments=tuple(_entries(segments)),
    )
    replace_atomically(manifest, result.model_dump_json(indent=2).encode())
    if not keep_segments:
        _delete(recover_segments(audio_dir))  # the empty ones too
    return result


_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _finish_earlier_archive(
    manifest: Path, segments: list[Segment], keep_segments: bool
) -> ArchiveResult:
    """An archive was made (perhaps interrupted while deleting): finish it, never redo it.

    Re-encoding from what is left would drop the segments already deleted.
    """
    try:
        result = ArchiveResult.model_validate_json(manifest.read_bytes())
    except ValueError as error:
        raise UserError(f"not a valid archive manifest: {error}", manifest) from None
    archived = {entry.name for entry in result.segments}
    for segment in segments:
        if segment.frames > 0 and segment.name not in archived:
            raise UserError(
                "this segment was recorded after the archive was made; it is kept as it is",
                segment.path,
            )
    if not keep_segments:
        _delete(segments)
    return result


def _delete(segments: list[Segment]) -> None:
    """Remove raw segments (their sidecars stay: small, and they say when each was heard)."""
    for segment in segments:
        segment.path.unlink(missing_ok=True)
    if segments:
        fsync_directory(segments[0].path.parent)


def _encode(
    ffmpeg: str, pcm_args: list[str], segments: list[Segment], flac: Path, opus: Path
) -> str:
    """One ffmpeg pass writing both files from the joined PCM; returns the PCM's SHA-256.

    Both files are made private (empty) first: ffmpeg truncates them and keeps their mode, so
    the recording is never readable by others while it is written, nor after a kill.
    """
    for partial in (flac, opus):
        _create_private(partial)
    command = [
        ffmpeg, "-hide_banner", "-nostats", "-loglevel", "error", "-y",
        *pcm_args, "-i", "pipe:0",
        "-map", "0:a", "-c:a", "flac", "-compression_level", "5", "-f", "flac", str(flac),
        "-map", "0:a", "-c:a", "libopus", "-b:a", OPUS_BITRATE, "-vbr", "on",
        "-application", "voip", "-compression_level", OPUS_COMPLEXITY, "-f", "opus", str(opus),
    ]  # fmt: skip
    digest = hashlib.sha256()
    with (
        tempfile.TemporaryFile() as errors,
        start_ffmpeg(command, stdin=PIPE, stderr=errors, low_priority=True) as process,
    ):
        assert process.stdin is not None
        try:
            for chunk in _pcm_chunks(segments):
                digest.update(chunk)
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its exit status and message tell why
        except BaseException:
            process.kill()  # e.g. a segment unreadable: ffmpeg must not wait for more input
            raise
        finally:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        if process.wait() != 0:
            raise UserError(f"ffmpeg could not encode the recording: {_tail(errors)}", flac)
    return digest.hexdigest()


def _create_private(path: Path) -> None:
    """An empty file at `path` that only its readers may open (a stale one is replaced)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    os.close(open_private(path, os.O_WRONLY | os.O_EXCL))


def decoded_sound(
    path: Path, samplerate: int, channels: int, data: bytes | None = None
) -> tuple[str, float]:
    """Decode an archived file to the capture's PCM (s16le at `samplerate`, `channels`): the
    SHA-256 of its samples and its duration in seconds. For verify, which compares the sound
    itself with what the recorder journaled; `UserError` naming the file when it cannot.
    `data` is the file's contents already decrypted in memory (fed to ffmpeg on a pipe)."""
    pcm_args = ["-f", "s16le", "-ar", str(samplerate), "-ac", str(channels)]
    digest = hashlib.sha256()
    total = _decoded_frames(ffmpeg_executable(), path, pcm_args, digest=digest, data=data)
    return digest.hexdigest(), total / (samplerate * channels * 2)


def _decoded_frames(
    ffmpeg: str,
    path: Path,
    pcm_args: list[str],
    expect_sha256: str | None = None,
    digest: Any = None,
    data: bytes | None = None,
) -> int:
    """Decode a file back to the capture's PCM format; return its byte count (and check it)."""
    source = "pipe:0" if data is not None else str(path)
    command = [ffmpeg, "-hide_banner", "-nostats", "-loglevel", "error", "-i", source]
    command += [*pcm_args, "pipe:1"]
    digest = digest if digest is not None else hashlib.sha256()
    total = 0
    with (
        tempfile.TemporaryFile() as errors,
        start_ffmpeg(
            command,
            stdin=PIPE if data is not None else None,
            stdout=PIPE,
            stderr=errors,
            low_priority=True,
        ) as process,
    ):
        assert process.stdout is not None
        if data is not None:
            feeder = threading.Thread(target=_feed, args=(process, data), daemon=True)
            feeder.start()
        while chunk := process.stdout.read(_CHUNK):
            total += len(chunk)
            digest.update(chunk)
        if process.wait() != 0:
            raise UserError(f"cannot decode the archive back: {_tail(errors)}", path)
    if expect_sha256 is not None and digest.hexdigest() != expect_sha256:
        raise UserError("the FLAC archive does not decode back to the recording", path)
    return total


def opus_duration(path: Path) -> float:
    """Seconds an Ogg Opus file decodes to, from its headers (RFC 7845): the last page's
    granule position less the pre-skip, at 48 kHz. Decoding the listening copy back only to
    learn its length took the archive a third of its time; the FLAC original is still decoded
    and compared sample by sample. Raises `UserError` for a file that is not Ogg Opus."""
    with path.open("rb") as file:
        head = file.read(_OGG_HEAD_BYTES)
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - _OGG_TAIL_BYTES))
        tail = file.read()
    at = head.find(b"OpusHead")
    last = tail.rfind(b"OggS")
    # The last page: version 0, the end-of-stream flag set (the pattern may occur in audio data)
    while last >= 0 and not (
        tail[last + 4 : last + 5] == b"\0" and tail[last + 5 : last + 6] in _EOS
    ):
        last = tail.rfind(b"OggS", 0, last)
    if not head.startswith(b"OggS") or at < 0 or last < 0 or len(tail) < last + 14:
        raise UserError("not an Ogg Opus file (no OpusHead, or no last page)", path)
    pre_skip = int.from_bytes(head[at + 10 : at + 12], "little")
    granule = int.from_bytes(tail[last + 6 : last + 14], "little", signed=True)
    return max(0, granule - pre_skip) / 48000


_EOS = {bytes([flags]) for flags in range(256) if flags & 0x04}
"""Header-type bytes with the end-of-stream bit."""
_OGG_HEAD_BYTES = 4096
_OGG_TAIL_BYTES = 65536
"""More than an Ogg page's largest size (65,307 bytes): the last page starts in it."""


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    """Write `data` to ffmpeg's stdin and close it (a thread, so its stdout keeps draining)."""
    assert process.stdin is not None
    with contextlib.suppress(OSError):
        process.stdin.write(data)
    with contextlib.suppress(OSError):
        process.stdin.close()


def _pcm_chunks(segments: list[Segment]) -> Iterator[bytes]:
    for segment in segments:
        remaining = segment.frames * segment.format.frame_bytes
        with segment.path.open("rb") as file:
            while remaining > 0 and (chunk := file.read(min(_CHUNK, remaining))):
                remaining -= len(chunk)
                yield chunk


def _entries(segments: list[Segment]) -> Iterator[SegmentEntry]:
    offset = 0.0
    for segment in segments:
        yield SegmentEntry(
            name=segment.name,
            started_t=segment.format.started_t,
            offset=offset,
            seconds=segment.seconds,
            device=segment.format.device,
        )
        offset += segment.seconds


def _describe(path: Path, seconds: float) -> ArchivedFile:
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    return ArchivedFile(name=path.name, sha256=sha256, bytes=path.stat().st_size, seconds=seconds)


def _sync_file(path: Path) -> None:
    sync_file(path)  # through a handle that may write: Windows cannot fsync a read-only one


def _tail(errors: IO[bytes]) -> str:
    errors.seek(0)
    text = errors.read().decode(errors="replace").strip().splitlines()
    return " / ".join(text[-3:]) or "no message"
