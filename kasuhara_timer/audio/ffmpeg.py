"""Starting the ffmpeg binary: never on the keyboard, never in a window of its own.

ffmpeg reads keys from its stdin while it runs (`q` ends a decode early, and still exits 0), and a
child inherits the console the staff member is typing in. So every run gets `-nostdin`, a stdin
that is a pipe or nothing, and on Windows no console window (`system.processes`).
"""

from __future__ import annotations

import subprocess

from kasuhara_timer.system.processes import Stream, background_popen

PIPE = subprocess.PIPE


def start_ffmpeg(
    command: list[str],
    *,
    stdin: int | None = None,
    stdout: Stream = None,
    stderr: Stream = None,
    low_priority: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `command` (the ffmpeg binary, then its arguments) with `-nostdin` put first.

    `stdin` is `PIPE` when the caller feeds it, else nothing (not the terminal).
    `low_priority` for work in the background (the archive), so it never slows the desk.
    """
    executable, *arguments = command
    if "-nostdin" not in arguments:
        arguments.insert(0, "-nostdin")
    return background_popen(
        [executable, *arguments],
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        low_priority=low_priority,
    )
