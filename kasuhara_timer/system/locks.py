"""Exclusive locks on an open file that leave readers alone, on Windows, POSIX and SMB shares.

POSIX: `flock` on the whole file (advisory: readers are never blocked). Windows: its locks are
mandatory (a locked byte cannot be read by anyone else), so one byte far beyond any real end of
file is locked instead (`LOCK_OFFSET`); the SMB server enforces that lock across PCs. A lock
belongs to the open file and goes with its `close`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

LOCK_OFFSET = 0x7FFF_FFF0
"""The byte locked on Windows: beyond any journal or log, below 2 GiB for every CRT and server."""

BUSY_ERRNOS = frozenset({errno.EACCES, errno.EAGAIN, errno.EDEADLK, errno.EWOULDBLOCK})
"""What a lock held by someone else raises (msvcrt says EACCES or EDEADLOCK)."""

UNSUPPORTED_ERRNOS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL})
"""What a filesystem without locks raises (some network folders): callers carry on unlocked."""

WAIT_SECONDS = 30.0
"""How long `lock` waits for another writer on Windows before giving up (SMB round trips)."""


class LockBusy(Exception):
    """Someone else holds the lock."""


WINDOWS = sys.platform == "win32"
"""Whether the Windows branch runs; tests switch it on with a stand-in for `msvcrt`."""


def msvcrt() -> ModuleType:
    """The `msvcrt` module (a stand-in in the tests that run the Windows branch on Linux)."""
    return importlib.import_module("msvcrt")


def try_lock(fd: int) -> None:
    """Take the exclusive lock now or raise `LockBusy`; `OSError` for other failures."""
    if sys.platform == "win32" or WINDOWS:
        crt = msvcrt()
        _at_lock_offset(fd, lambda f: _busy_as_lockbusy(crt.locking, f, crt.LK_NBLCK))
    else:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise LockBusy from error


def lock(fd: int) -> None:
    """Take the exclusive lock, waiting for the holder; `OSError` when it cannot be had."""
    if sys.platform == "win32" or WINDOWS:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                try_lock(fd)
                return
            except LockBusy as busy:
                if time.monotonic() > deadline:
                    why = "the file stayed locked by another program"
                    raise OSError(errno.EDEADLK, why) from busy
                time.sleep(0.05)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def unlock(fd: int) -> None:
    """Release the lock before closing (Windows may release a closed file's locks late)."""
    if sys.platform == "win32" or WINDOWS:
        crt = msvcrt()
        _at_lock_offset(fd, lambda f: crt.locking(f, crt.LK_UNLCK, 1))
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def held_elsewhere(path: os.PathLike[str] | str) -> bool:
    """True when another open file holds the lock on `path` (False when it cannot be told)."""
    try:
        fd = os.open(path, os.O_RDONLY | int(getattr(os, "O_BINARY", 0)))
    except OSError:
        return False
    try:
        try_lock(fd)
    except LockBusy:
        return True
    except OSError:
        return False
    else:
        with contextlib.suppress(OSError):
            unlock(fd)  # at once: Windows may release a closed file's lock late
        return False
    finally:
        os.close(fd)


@contextlib.contextmanager
def single_instance(path: Path) -> Iterator[None]:
    """Hold the lock file `path` while the block runs; `LockBusy` when another process holds it.

    `filelock` uses `flock` on POSIX and `msvcrt.locking` on Windows, so the lock goes with the
    process however it ends (a killed window never leaves a stale lock). Where the filesystem
    has no locks at all the block runs unlocked rather than never.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=0, mode=0o600, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout as error:
        raise LockBusy(str(path)) from error
    except (OSError, NotImplementedError):
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _at_lock_offset(fd: int, lock_one_byte: Callable[[int], None]) -> None:
    """Run a Windows-style lock call (`msvcrt.locking` locks from the file position) on the
    byte at `LOCK_OFFSET`, then put the position back: an O_APPEND write still goes to the end."""
    position = os.lseek(fd, 0, os.SEEK_CUR)
    os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
    try:
        lock_one_byte(fd)
    finally:
        os.lseek(fd, position, os.SEEK_SET)


def _busy_as_lockbusy(locking: Callable[[int, int, int], None], fd: int, mode: int) -> None:
    try:
        locking(fd, mode, 1)
    except OSError as error:
        if error.errno in BUSY_ERRNOS:
            raise LockBusy from error
        raise
