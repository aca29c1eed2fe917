"""Append-only, hash-chained JSON Lines logs in the data folder: the access log, the purge log.

Each line is a JSON object whose ``prev`` is the SHA-256 of the previous line's bytes (64 zeros
on the first), as in the session journal, so an edited, removed or inserted line shows when the
log is read. Several processes may append (the review on many PCs, the CLI): an exclusive lock
(`system.locks`: `flock` on POSIX, a byte beyond the end on Windows, which SMB enforces across
PCs while readers still read) serialises them. Lines are written with one ``O_APPEND`` write and
fsynced before `append_to_log` returns.

A line left incomplete by a crash is never cut off (nothing is deleted from an audit log): the
next writer ends it with a newline, so readers report it as unreadable instead of gluing the next
entry onto it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kasuhara_timer.store.atomic import (
    GROUP_FILE_MODE,
    PRIVATE_FILE_MODE,
    fsync_directory,
    make_private_dir,
    modes_for,
)
from kasuhara_timer.store.errors import store_error
from kasuhara_timer.store.journal import GENESIS_HASH, line_hash
from kasuhara_timer.system import locks
from kasuhara_timer.system.files import binary, read_at, set_mode

"""For a log in a folder the office opened to a group: every desk's account must append."""

_TAIL_CHUNK = 1 << 16


@dataclass(frozen=True)
class LogProblem:
    """Something wrong with one line of a log (1-based line number)."""

    line: int
    message: str
    torn: bool = False
    """The last line has no newline: a writer stopped mid-line (nothing it confirmed is lost)."""

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class LogLine:
    """One readable line: its number and its JSON object (``prev`` included)."""

    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class LogRead:
    """Every readable line of a log and every problem, in line order."""

    path: Path
    lines: tuple[LogLine, ...]
    problems: tuple[LogProblem, ...]

    @property
    def damaged(self) -> tuple[LogProblem, ...]:
        """Problems other than a torn last line."""
        return tuple(p for p in self.problems if not p.torn)


def log_file_mode(folder: Path) -> int:
    """0600, or 0660 in an office's shared folder (declared, or granting its group write)."""
    if modes_for(folder).file == GROUP_FILE_MODE:
        return GROUP_FILE_MODE
    try:
        mode = folder.stat().st_mode
    except OSError:
        return PRIVATE_FILE_MODE
    return GROUP_FILE_MODE if mode & stat.S_IWGRP else PRIVATE_FILE_MODE


LineSigner = Callable[[dict[str, Any]], dict[str, Any]]
"""Adds a signature to a line once its ``prev`` is known (`trust.signing.sign_record`)."""


def encode_record(record: Mapping[str, object], prev: str, sign: LineSigner | None = None) -> bytes:
    """One log line without its newline: ``v`` and ``prev`` first, then the record's keys;
    signed over all of them (``prev`` too, so a signed line cannot be moved) when `sign` is
    given."""
    data = {"v": record.get("v", 1), "prev": prev, **{k: v for k, v in record.items() if k != "v"}}
    if sign is not None:
        data = sign(data)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON escapes keep it
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def append_to_log(
    path: Path, records: Sequence[Mapping[str, object]], sign: LineSigner | None = None
) -> None:
    """Append `records` as chained lines in one write, fsynced; `StoreError` names the file.
    With `sign`, each line is signed once its ``prev`` is known.

    On failure (disk full, no permission) the bytes this call wrote are cut off again and what
    was already in the log is untouched.
    """
    if not records:
        return
    make_private_dir(path.parent)
    fd, created = _open(path)
    locked = False
    try:
        locked = _lock(fd, path)
        try:
            size = os.fstat(fd).st_size
            last = _last_line(fd, size)
        except OSError as error:
            raise store_error(error, path, "read the end of the log") from error
        prefix = b"\n" if last is not None and size > 0 and _ends_torn(fd, size) else b""
        prev = line_hash(last) if last is not None else GENESIS_HASH
        chunks = [prefix]
        for record in records:
            line = encode_record(record, prev, sign)
            chunks.append(line + b"\n")
            prev = line_hash(line)
        try:
            _write_all(fd, b"".join(chunks))
            os.fsync(fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
                os.fsync(fd)
            raise store_error(error, path, "append to the log") from error
    finally:
        if locked:
            with contextlib.suppress(OSError):
                locks.unlock(fd)
        os.close(fd)
    if created:
        fsync_directory(path.parent)


def read_log(path: Path) -> LogRead:
    """Read a log, checking every line and the chain; a missing log is an empty one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LogRead(path, (), ())
    except OSError as error:
        raise store_error(error, path, "read the log") from error
    *complete, tail = data.split(b"\n")
    lines: list[LogLine] = []
    problems: list[LogProblem] = []
    expected = GENESIS_HASH
    for number, raw in enumerate(complete, start=1):
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(LogProblem(number, f"not a readable log line ({error})"))
            parsed = None
        if parsed is not None and not isinstance(parsed, dict):
            problems.append(LogProblem(number, "not a JSON object"))
            parsed = None
        if parsed is not None:
            prev = parsed.get("prev")
            if prev is None:
                problems.append(LogProblem(number, "not chained (no 'prev'): cannot be checked"))
            elif prev != expected:
                problems.append(
                    LogProblem(
                        number,
                        "hash chain broken: a line before this one was changed, removed or "
                        "inserted after this one was written",
                    )
                )
            lines.append(LogLine(number, parsed))
        expected = line_hash(raw)
    if tail:
        problems.append(
            LogProblem(
                len(complete) + 1,
                f"incomplete last line ({len(tail)} bytes): a writer stopped while writing it",
                torn=True,
            )
        )
    return LogRead(path, tuple(lines), tuple(problems))


def _open(path: Path) -> tuple[int, bool]:
    flags = os.O_RDWR | os.O_APPEND | binary() | getattr(os, "O_CLOEXEC", 0)
    mode = log_file_mode(path.parent)
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        pass
    except OSError as error:
        raise store_error(error, path, "create the log") from error
    else:
        with contextlib.suppress(OSError):
            set_mode(fd, mode)  # the umask must not widen or narrow it
        return fd, True
    try:
        return os.open(path, flags), False
    except OSError as error:
        raise store_error(error, path, "open the log") from error


def _lock(fd: int, path: Path) -> bool:
    """Wait for the log's lock; False where the filesystem has none (some network folders)."""
    try:
        locks.lock(fd)
    except OSError as error:
        if error.errno not in locks.UNSUPPORTED_ERRNOS:
            raise store_error(error, path, "lock the log") from error
        return False
    return True


def _ends_torn(fd: int, size: int) -> bool:
    return read_at(fd, 1, size - 1) != b"\n"


def _last_line(fd: int, size: int) -> bytes | None:
    """The bytes of the last line (complete or torn) without its newline; None when empty."""
    if size == 0:
        return None
    end = size - 1 if read_at(fd, 1, size - 1) == b"\n" else size
    start = end
    while start > 0:
        begin = max(0, start - _TAIL_CHUNK)
        chunk = read_at(fd, start - begin, begin)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            start = begin + newline + 1
            break
        start = begin
    return read_at(fd, end - start, start) if end > start else b""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
