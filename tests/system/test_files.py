"""Files on Windows: binary mode everywhere, positional reads without `os.pread`, fsync through a
handle that may write. What Linux cannot do natively is marked or switched on here."""

from __future__ import annotations

import builtins
import fcntl
import io
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kasuhara_timer.audio.archive import archive
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter, recover_segments
from kasuhara_timer.integrity.chainlog import append_to_log, read_log
from kasuhara_timer.store.journal import Journal, journal_in_use, read_journal
from kasuhara_timer.system import files
from kasuhara_timer.system.files import read_at, sync_file

FAKE_BINARY = 0x1000_0000
"""A flag bit Linux does not use, standing in for Windows' O_BINARY so its absence shows."""

JST = timezone(timedelta(hours=9))
PCM_WITH_NEWLINES = bytes(range(256)) * 64
"""Every byte value, 0x0A included: a text-mode file would add a CR before each 0x0A."""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every file the code opens, as (path, how): `os.open` flags must carry O_BINARY (faked),
    `open()` modes must say "b"."""
    seen: list[tuple[str, str]] = []
    real_os_open = os.open
    real_open = io.open

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if not os.path.isdir(path):
            seen.append((str(path), "binary" if flags & FAKE_BINARY else "TEXT (no O_BINARY)"))
        return real_os_open(path, flags & ~FAKE_BINARY, *args, **kwargs)

    def py_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int):
            seen.append((str(file), "binary" if "b" in mode else f"TEXT (mode {mode!r})"))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "O_BINARY", FAKE_BINARY, raising=False)
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", py_open)
    monkeypatch.setattr(builtins, "open", py_open)
    yield seen


def evidence_files(seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The opens of audio, journals and logs (not the JSON sidecars, nor ffmpeg's temp files)."""
    kinds = (".pcm", ".flac", ".opus", ".jsonl", ".log", ".partial")
    return [(path, how) for path, how in seen if Path(path).name.endswith(kinds)]


def segment_format() -> SegmentFormat:
    started = datetime(2026, 4, 1, 9, tzinfo=JST)
    return SegmentFormat(samplerate=16000, channels=1, started_t=0.0, started_at=started)


def test_audio_journal_and_logs_are_opened_in_binary_mode(
    tmp_path: Path, opened: list[tuple[str, str]]
) -> None:
    audio = tmp_path / "audio"
    audio.mkdir()
    writer = SegmentWriter(audio, 1, segment_format())
    writer.write(PCM_WITH_NEWLINES)
    writer.close()
    recover_segments(audio)
    archive(audio, keep_segments=True)
    with Journal.create(tmp_path / "journal.jsonl"):
        assert journal_in_use(tmp_path / "journal.jsonl")
    Journal.open_for_append(tmp_path / "journal.jsonl").close()
    read_journal(tmp_path / "journal.jsonl")
    append_to_log(tmp_path / "access.jsonl", [{"action": "open"}])
    append_to_log(tmp_path / "access.jsonl", [{"action": "export"}])
    read_log(tmp_path / "access.jsonl")
    sync_file(audio / "recording.flac")

    checked = evidence_files(opened)
    assert {Path(path).suffix for path, _ in checked} >= {".pcm", ".flac", ".opus", ".jsonl"}
    assert [(path, how) for path, how in checked if how != "binary"] == []


def test_archive_fsyncs_only_through_handles_that_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' fsync (FlushFileBuffers) fails with EBADF on a read-only handle."""
    writer = SegmentWriter(tmp_path, 1, segment_format())
    writer.write(PCM_WITH_NEWLINES)
    writer.close()
    read_only: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{fd}") and (
            fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY
        ):
            read_only.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = archive(tmp_path)
    assert result.flac is not None
    assert read_only == []


@pytest.fixture
def windows_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows branch of `read_at`, and no `os.pread` anywhere (Windows has none)."""
    monkeypatch.setattr(files, "WINDOWS", True)
    monkeypatch.delattr(os, "pread")


@pytest.mark.usefixtures("windows_reads")
def test_reads_at_an_offset_without_pread_and_keeps_the_position(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"0123456789")
    fd = os.open(path, os.O_RDWR)
    try:
        os.lseek(fd, 3, os.SEEK_SET)
        assert read_at(fd, 4, 5) == b"5678"
        assert read_at(fd, 10, 8) == b"89"
        assert read_at(fd, 1, 10) == b""
        assert os.lseek(fd, 0, os.SEEK_CUR) == 3
    finally:
        os.close(fd)


@pytest.mark.usefixtures("windows_reads")
def test_log_appends_chain_without_pread(tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    for action in ("open", "play", "export"):
        append_to_log(log, [{"action": action}])
    with log.open("ab") as file:
        file.write(b'{"torn')  # a writer died mid-line: the next one ends it
    append_to_log(log, [{"action": "verify"}])

    read = read_log(log)
    assert [line.data["action"] for line in read.lines] == ["open", "play", "export", "verify"]
    assert [str(problem) for problem in read.damaged] == [
        "line 4: not a readable log line (Unterminated string starting at: line 1 column 2"
        " (char 1))"
    ]
