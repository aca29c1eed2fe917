"""Being asked to end: SIGTERM, SIGHUP (the terminal window closed), SIGINT, the Windows console.

By default these signals kill the process where it stands: the sheet typed since the last
draft, the recorder's last block and the journal's close are lost. `on_termination` runs the
app's own end instead, on its event loop (never inside the signal handler, which may interrupt
a journal write half-way), and waits for it where the system allows:

* POSIX: SIGTERM, SIGHUP and SIGINT go to the event loop's own handlers
  (`loop.add_signal_handler`), which wake it whichever thread the signal hit.
* Windows: the console's close button, logoff and shutdown never reach Python's `signal`; a
  console control handler (`SetConsoleCtrlHandler`) does. Windows runs it on a thread of its
  own and ends the process as soon as it returns (after at most about 5 s for a close), so it
  waits (`WINDOWS_WAIT_SECONDS`) until the app says its end is done. Ctrl+C and Ctrl+Break
  are handled the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

WINDOWS_WAIT_SECONDS = 4.5
"""How long the console handler holds Windows back (it gives a closed console about 5 s)."""

POSIX_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")
"""What asks a POSIX process to end: kill's default, the terminal closing, Ctrl+C from outside
(inside the app Ctrl+C is a key: the terminal is in raw mode)."""

CTRL_EVENTS = {0: "CTRL_C", 1: "CTRL_BREAK", 2: "CTRL_CLOSE", 5: "CTRL_LOGOFF", 6: "CTRL_SHUTDOWN"}
"""The Windows console control events, by number, as `HandlerRoutine` receives them."""


@dataclass
class Termination:
    """An installed handler: `done()` says the app's end is complete; `remove()` restores."""

    _done: threading.Event = field(default_factory=threading.Event)
    _restore: list[Callable[[], object]] = field(default_factory=list)
    asked: str = ""
    """The first signal or console event that asked (``SIGTERM``, ``CTRL_CLOSE``…)."""
    console: Callable[[int], bool] | None = None
    """The Windows console handler's body (installed there; tests call it anywhere)."""
    _keep: list[object] = field(default_factory=list)
    """What ctypes must keep alive while the handler is installed."""

    def done(self) -> None:
        """The app has kept what it must: a waiting console handler may let Windows go on."""
        self._done.set()

    def wait(self, timeout: float) -> bool:
        """Block until `done` (True) or `timeout` seconds (False)."""
        return self._done.wait(timeout)

    def remove(self) -> None:
        """Put back what was there before (the app has exited)."""
        while self._restore:
            with contextlib.suppress(Exception):
                self._restore.pop()()


def on_termination(
    loop: asyncio.AbstractEventLoop, end: Callable[[str], None], *, windows: bool | None = None
) -> Termination:
    """Call `end(name)` on `loop` when the process is asked to end; call from the main thread.

    `end` runs once, however many signals come; it should call `Termination.done` when what it
    must keep is on disk. `windows` forces the platform branch (tests); None: this platform's.
    """
    termination = Termination()
    lock = threading.Lock()

    def ask(name: str) -> None:
        with lock:
            first = not termination.asked
            if first:
                termination.asked = name
        if first:
            with contextlib.suppress(RuntimeError):  # the loop closed: the app is gone anyway
                loop.call_soon_threadsafe(end, name)

    use_windows = sys.platform == "win32" if windows is None else windows
    if use_windows:
        _install_console_handler(termination, ask)
    else:
        _install_posix(loop, termination, ask)
    return termination


def terminal_gone() -> None:
    """The terminal hung up (its window closed): point every descriptor of it the standard
    streams use at the null device, so the exit's last writes (putting the screen back) and the
    interpreter's final flush do not fail on a terminal that is no more (Python would exit with
    status 120). The streams may sit on duplicates (`audio.devices.divert_native_stderr`)."""
    streams = (sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__)
    descriptors = {0, 1}
    for stream in streams:
        with contextlib.suppress(Exception):
            if stream is not None:
                descriptors.add(stream.fileno())
    if sys.__stderr__ is not None and _fileno(sys.__stderr__) not in (2, None):
        descriptors.discard(2)  # fd 2 was turned into the native libraries' log: keep it
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in sorted(descriptors - {null}):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


def _fileno(stream: object) -> int | None:
    try:
        return int(stream.fileno())  # type: ignore[attr-defined]
    except Exception:
        return None


def _install_posix(
    loop: asyncio.AbstractEventLoop, termination: Termination, ask: Callable[[str], None]
) -> None:
    """The loop's own signal handling: it wakes the loop at once (a wakeup fd), whichever
    thread the kernel delivered the signal to, and runs `ask` there, between callbacks."""
    for name in POSIX_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        loop.add_signal_handler(number, ask, name)
        termination._restore.append(partial(loop.remove_signal_handler, number))


def console_event_handler(
    termination: Termination, ask: Callable[[str], None]
) -> Callable[[int], bool]:
    """What the Windows console handler does with one event (testable on any platform): ask
    the app to end, then hold Windows back until the app is done or time is up. True: handled
    (the default handler, which ends the process at once, is not run)."""

    def handle(event: int) -> bool:
        name = CTRL_EVENTS.get(event)
        if name is None:
            return False
        ask(name)
        termination.wait(WINDOWS_WAIT_SECONDS)
        return True

    return handle


def _install_console_handler(termination: Termination, ask: Callable[[str], None]) -> None:
    handle = console_event_handler(termination, ask)
    termination.console = handle
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        routine_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)

        def routine(event: int) -> bool:
            return handle(event)

        callback = routine_type(routine)
        kernel32 = ctypes.windll.kernel32
        if not kernel32.SetConsoleCtrlHandler(callback, True):
            return  # no console (a service, a redirected run): nothing asks to end that way

        def remove() -> None:
            kernel32.SetConsoleCtrlHandler(callback, False)
            del termination._keep[:]

        termination._keep.append(callback)  # ctypes must keep the callback alive
        termination._restore.append(remove)
