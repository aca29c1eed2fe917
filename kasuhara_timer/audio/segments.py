"""Recording segments on disk: raw PCM files that stay usable whatever the moment of a crash.

A recording is a series of segments `seg-0001.pcm`, `seg-0002.pcm`… in the session's audio
folder. Each is headerless s16le PCM, appended to and fsynced as it is captured, with a small JSON
sidecar (`seg-0001.json`, written and synced before the PCM file exists) that says its format and
when on the session clock its first frame was heard. Frames within a segment are contiguous in
time; a new segment starts after every pause or fault, so the gaps are exactly the boundaries.
Recovery after a kill or a power cut is arithmetic: length ÷ frame size, a torn last frame cut.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kasuhara_timer.errors import UserError
from kasuhara_timer.store.atomic import fsync_directory, open_private, replace_atomically
from kasuhara_timer.system.files import binary

SAMPLE_BYTES = 2
"""Bytes per sample of s16le, the only live format."""

_SEGMENT_NAME = re.compile(r"^seg-(\d{4,})\.pcm$")


class SegmentFormat(BaseModel):
    """The sidecar of a segment: what its bytes mean and when they were heard."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sample_format: Literal["s16le"] = "s16le"
    samplerate: int = Field(gt=0)
    channels: int = Field(gt=0)
    started_t: float = Field(ge=0, description="Session-clock seconds of the first frame.")
    started_at: AwareDatetime = Field(description="Wall time of the first frame.")
    device: str = Field(default="", description="The input device it was captured from.")
    reason: str = Field(default="", description="Why this segment began (started, resumed…).")

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame (one sample of every channel)."""
        return self.channels * SAMPLE_BYTES


@dataclass(frozen=True)
class Segment:
    """One segment as found on disk."""

    name: str
    path: Path
    format: SegmentFormat
    frames: int
    torn_bytes: int = 0
    """Bytes of an incomplete last frame (a write cut short); not counted in `frames`."""

    @property
    def seconds(self) -> float:
        """Duration of the whole frames."""
        return self.frames / self.format.samplerate

    @property
    def ended_t(self) -> float:
        """Session-clock seconds just after the last frame."""
        return self.format.started_t + self.seconds


def segment_name(number: int) -> str:
    """`seg-0001.pcm` for 1: zero-padded so names sort in recording order."""
    return f"seg-{number:04d}.pcm"


def sidecar_path(pcm_path: Path) -> Path:
    """The JSON sidecar beside a segment."""
    return pcm_path.with_suffix(".json")


def segment_number(name: str) -> int | None:
    """The number in a segment file name, or None for any other file."""
    match = _SEGMENT_NAME.match(name)
    return int(match.group(1)) if match else None


def read_format(pcm_path: Path) -> SegmentFormat:
    """Read a segment's sidecar; a missing or malformed one is a `UserError` naming it."""
    path = sidecar_path(pcm_path)
    try:
        return SegmentFormat.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise UserError(
            "segment description is missing (the recording is incomplete)", path
        ) from None
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise UserError(f"not a valid segment description: {problems}", path) from None


def list_segments(audio_dir: Path) -> list[Segment]:
    """The segments in a folder, in recording order, without changing anything."""
    if not audio_dir.is_dir():
        return []
    numbered = [
        (number, path)
        for path in audio_dir.iterdir()
        if (number := segment_number(path.name)) is not None
    ]
    segments = []
    for _, path in sorted(numbered):
        fmt = read_format(path)
        size = path.stat().st_size
        frames, torn = divmod(size, fmt.frame_bytes)
        segments.append(Segment(path.name, path, fmt, frames, torn))
    return segments


def recover_segments(audio_dir: Path) -> list[Segment]:
    """Make every segment whole after a crash: cut a torn last frame. Only for a dead recorder."""
    recovered = []
    for segment in list_segments(audio_dir):
        if segment.torn_bytes:
            with segment.path.open("r+b") as file:
                file.truncate(segment.frames * segment.format.frame_bytes)
                os.fsync(file.fileno())
        recovered.append(segment)
    return recovered


def next_segment_number(audio_dir: Path) -> int:
    """The number after the highest segment (or sidecar) already in the folder."""
    if not audio_dir.is_dir():
        return 1
    numbers = [
        number
        for path in audio_dir.iterdir()
        if (number := segment_number(path.with_suffix(".pcm").name)) is not None
    ]
    return max(numbers, default=0) + 1


class SegmentWriter:
    """Owns one segment file while it is recorded: appends frames, fsyncs, closes."""

    def __init__(self, audio_dir: Path, number: int, fmt: SegmentFormat) -> None:
        self.name = segment_name(number)
        self.path = audio_dir / self.name
        self.format = fmt
        self.bytes_written = 0
        replace_atomically(sidecar_path(self.path), fmt.model_dump_json(indent=2).encode())
        self._fd: int | None = open_private(
            self.path, os.O_WRONLY | os.O_EXCL | os.O_APPEND | binary()
        )
        try:
            fsync_directory(audio_dir)
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise

    @property
    def frames(self) -> int:
        """Whole frames written so far."""
        return self.bytes_written // self.format.frame_bytes

    @property
    def seconds(self) -> float:
        """Duration written so far."""
        return self.frames / self.format.samplerate

    def write(self, data: bytes) -> None:
        """Append bytes (to the OS; `sync` makes them durable). Raises OSError, e.g. disk full."""
        if self._fd is None:
            raise ValueError(f"{self.name} is closed")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            self.bytes_written += written
            view = view[written:]

    def sync(self) -> None:
        """fsync: what was written survives a power cut from now on."""
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> Segment:
        """Sync and close (errors swallowed: the bytes on disk are what recovery will find)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.fsync(fd)
            except OSError:
                pass
            finally:
                os.close(fd)
        frames, torn = divmod(self.bytes_written, self.format.frame_bytes)
        return Segment(self.name, self.path, self.format, frames, torn)
