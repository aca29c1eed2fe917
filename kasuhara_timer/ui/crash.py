"""A crashed app leaves its traceback in the state folder and a non-zero exit status.

Windows Terminal closes a tab whose program exits 0, and with it the traceback Textual prints on
the way out: the staff member sees a window vanish and IT has nothing to read. So the exit status
of a crash (Textual's `return_code`, 1) is passed on, and the traceback (without local variables:
they may hold what a caller said) is appended to `crash.log` first.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App

from kasuhara_timer.store.atomic import make_private_dir, open_private

CRASH_LOG = "crash.log"
"""In the state folder: the tracebacks of the apps' crashes, newest last."""


def run_logging_crashes(app: App[Any], log: Path) -> int:
    """Run `app` until it exits; return its exit status, writing a crash's traceback to `log`."""
    handle = app._handle_exception

    def logged(error: Exception) -> None:
        write_crash(log, error)
        handle(error)

    app._handle_exception = logged  # type: ignore[method-assign]
    app.run()
    code = app.return_code or 0
    if code:
        print(f"kasuhara-timer: stopped on an error; the details are in {log}", file=sys.stderr)
    return code


def write_crash(log: Path, error: BaseException) -> None:
    """Append one crash (time, version, platform, traceback) to `log`; never raises."""
    from kasuhara_timer import __version__

    lines = [
        f"== {datetime.now().astimezone().isoformat(timespec='seconds')}"
        f" kasuhara-timer {__version__}, Python {platform.python_version()},"
        f" {platform.platform()}\n",
        *traceback.format_exception(error),
        "\n",
    ]
    data = "".join(lines).encode("utf-8", errors="replace")
    try:
        make_private_dir(log.parent)
        fd = open_private(log, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except Exception:  # a crash log must not hide the crash
        pass
