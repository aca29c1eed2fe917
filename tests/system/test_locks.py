"""Locks that leave readers alone: the Windows branch locks one byte far beyond the end."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kasuhara_timer.system import locks
from kasuhara_timer.system.locks import LOCK_OFFSET, LockBusy


def test_windows_lock_is_taken_beyond_the_end_and_appends_still_go_to_the_end(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b"line 1\n")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    positions: list[int] = []
    try:
        os.lseek(fd, 2, os.SEEK_SET)
        locks._at_lock_offset(fd, lambda f: positions.append(os.lseek(f, 0, os.SEEK_CUR)))
        assert os.lseek(fd, 0, os.SEEK_CUR) == 2
        os.write(fd, b"line 2\n")
    finally:
        os.close(fd)
    assert positions == [LOCK_OFFSET]
    assert LOCK_OFFSET > 2**30  # no journal or log grows that far: readers never meet the lock
    assert path.read_bytes() == b"line 1\nline 2\n"


@pytest.mark.parametrize("code", [errno.EACCES, errno.EDEADLK])
def test_windows_lock_held_elsewhere_is_busy(code: int) -> None:
    def locking(fd: int, mode: int, size: int) -> None:
        raise OSError(code, "Permission denied")

    with pytest.raises(LockBusy):
        locks._busy_as_lockbusy(locking, 3, 1)


def test_other_windows_lock_errors_are_not_busy() -> None:
    def locking(fd: int, mode: int, size: int) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    with pytest.raises(OSError) as caught:
        locks._busy_as_lockbusy(locking, 3, 1)
    assert not isinstance(caught.value, LockBusy)


def test_a_held_lock_is_seen_from_another_open_file_and_readers_still_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b'{"seq":1}\n')
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        locks.try_lock(fd)
        assert locks.held_elsewhere(path)
        assert path.read_bytes() == b'{"seq":1}\n'
        other = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(LockBusy):
                locks.try_lock(other)
        finally:
            os.close(other)
        locks.unlock(fd)
        assert not locks.held_elsewhere(path)
    finally:
        os.close(fd)
