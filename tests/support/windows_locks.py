"""Windows' byte-range locks, played on Linux, so the Windows branch of `system.locks` runs in
tests: `msvcrt.locking(fd, mode, n)` locks n bytes from the file position. Linux's open file
description locks (F_OFD_SETLK) are the same thing: a byte range, held by the open file (not the
process, unlike POSIX record locks), conflicting with every other open file of it, released at
its close. Children (`in_child`) show it across processes as on two PCs."""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType, SimpleNamespace

from kasuhara_timer.system import locks

ROOT = Path(__file__).resolve().parents[2]

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4


_FLOCK = "hhqqi4x"
"""struct flock on Linux x86-64/arm64: type, whence, start, len, pid (0 for OFD locks)."""


def _locking(fd: int, mode: int, nbytes: int) -> None:
    start = os.lseek(fd, 0, os.SEEK_CUR)
    if mode == LK_UNLCK:
        kind = fcntl.F_UNLCK
    else:  # Windows locks read-only handles too: a read lock still conflicts with a write lock
        writable = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY
        kind = fcntl.F_WRLCK if writable else fcntl.F_RDLCK
    request = struct.pack(_FLOCK, kind, os.SEEK_SET, start, nbytes, 0)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, request)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EAGAIN):
            raise OSError(errno.EACCES, "Permission denied") from error  # what msvcrt says
        raise


MSVCRT = SimpleNamespace(
    locking=_locking, LK_UNLCK=LK_UNLCK, LK_LOCK=LK_LOCK, LK_NBLCK=LK_NBLCK, LK_RLCK=LK_RLCK
)


def windows_msvcrt() -> ModuleType:
    return MSVCRT  # type: ignore[return-value]


def emulate_windows_locks() -> None:
    """From now on `system.locks` takes its Windows branch, on the stand-in `msvcrt`."""
    locks.WINDOWS = True
    locks.msvcrt = windows_msvcrt


def in_child(code: str) -> subprocess.Popen[str]:
    """Run `code` in a Python child with the Windows locks played; its stdin and stdout piped."""
    prelude = "from tests.support.windows_locks import emulate_windows_locks\n"
    prelude += "emulate_windows_locks()\n"
    return subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
