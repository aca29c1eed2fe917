"""Child processes (ffmpeg) that never read the keyboard or flash a console window.

A child inherits the console: ffmpeg reads keys from it while it runs (`q` ends a decode early
with exit status 0, `c` swallows typing until Enter), so the staff member's wrap-up typing would
reach it. Its stdin is therefore never the terminal, and on Windows it gets no window of its own.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import IO, Any

Stream = int | IO[Any] | None

CREATE_NO_WINDOW = 0x08000000
"""The Windows process creation flag (`subprocess.CREATE_NO_WINDOW`)."""


def creation_flags(platform: str = sys.platform) -> int:
    """`creationflags` for every child: no console window on Windows, nothing elsewhere."""
    return CREATE_NO_WINDOW if platform == "win32" else 0


BELOW_NORMAL_PRIORITY_CLASS = 0x00004000
"""The Windows process creation flag (`subprocess.BELOW_NORMAL_PRIORITY_CLASS`)."""

LOWER_BY = 10
"""Niceness added to a low-priority child elsewhere (the desk's own threads stay at 0)."""


def background_popen(
    command: list[str],
    *,
    stdin: int | None,
    stdout: Stream = None,
    stderr: Stream = None,
    low_priority: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `command` detached from the console: stdin a pipe or nothing, never the terminal.

    `low_priority`: the child yields the CPU to the desk (an archive encoding while the staff
    member types): below-normal on Windows, `LOWER_BY` nicer elsewhere.
    """
    flags = creation_flags()
    if low_priority and sys.platform == "win32":
        flags |= BELOW_NORMAL_PRIORITY_CLASS
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL if stdin is None else stdin,
        stdout=stdout,
        stderr=stderr,
        creationflags=flags,
    )
    if low_priority and sys.platform != "win32":  # mypy --platform win32 skips this branch
        # Not preexec_fn (unsafe with threads): lowered at once after the start instead.
        with contextlib.suppress(OSError):
            now = os.getpriority(os.PRIO_PROCESS, process.pid)
            os.setpriority(os.PRIO_PROCESS, process.pid, min(19, now + LOWER_BY))
    return process
