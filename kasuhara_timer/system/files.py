"""File flags and positional reads that behave the same on Windows and POSIX.

Windows opens files in text mode unless told otherwise: a CR goes in before every 0x0A byte
written, which turns PCM into noise and breaks a hash chain. Every `os.open` of audio, a journal
or a log therefore adds `binary()`. Windows also lacks `os.pread`, and refuses to fsync a file
opened read-only (EBADF).
"""

from __future__ import annotations

import os
import sys

WINDOWS = sys.platform == "win32"
"""Whether the Windows branches run (tests switch it to exercise them on Linux)."""


def binary() -> int:
    """`O_BINARY` where it exists (Windows), else 0; read at each call so tests can mark it."""
    return int(getattr(os, "O_BINARY", 0))


def read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to `size` bytes at `offset` (fewer at the end of the file), like `os.pread`.

    On Windows the file position moves and is put back, so the caller must be the only user of
    `fd` meanwhile (the logs read their tail under their lock).
    """
    if sys.platform != "win32" and not WINDOWS:
        return os.pread(fd, size, offset)
    return _read_by_seeking(fd, size, offset)


def _read_by_seeking(fd: int, size: int, offset: int) -> bytes:
    position = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        os.lseek(fd, offset, os.SEEK_SET)
        chunks: list[bytes] = []
        remaining = size
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.lseek(fd, position, os.SEEK_SET)


def sync_file(path: os.PathLike[str] | str) -> None:
    """fsync an existing file through a handle that may write (Windows refuses read-only ones)."""
    fd = os.open(path, os.O_RDWR | binary())
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_mode(fd: int, mode: int) -> None:
    """Give an open file exactly `mode` whatever the umask; nothing on Windows (no such bits)."""
    if sys.platform != "win32" and not WINDOWS:
        os.fchmod(fd, mode)
