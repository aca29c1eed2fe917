"""Being asked to end reaches the app's own end, once, on its loop; the Windows console handler
holds Windows back until the app says it is done (its body runs on any platform)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

import pytest

from kasuhara_timer.system.signals import on_termination

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@posix_only
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_calls_the_end_once_on_the_loop_and_removing_restores_the_default(
    name: str,
) -> None:
    number = getattr(signal, name)
    before = signal.getsignal(number)
    calls: list[tuple[str, int]] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def end(why: str) -> None:
            calls.append((why, threading.get_ident()))
            done.set()

        termination = on_termination(loop, end)
        os.kill(os.getpid(), number)
        os.kill(os.getpid(), number)  # a second one changes nothing
        await asyncio.wait_for(done.wait(), 5)
        await asyncio.sleep(0.05)
        assert termination.asked == name
        termination.remove()

    asyncio.run(main())
    assert calls == [(name, threading.get_ident())]  # on the loop's (main) thread
    assert signal.getsignal(number) == before


def test_the_console_handler_waits_for_the_app_then_lets_windows_go_on() -> None:
    calls: list[str] = []

    async def main() -> tuple[bool, bool, bool]:
        loop = asyncio.get_running_loop()

        def end(why: str) -> None:
            calls.append(why)
            loop.call_later(0.3, termination.done)  # the app's end takes a moment

        termination = on_termination(loop, end, windows=True)
        console = termination.console
        assert console is not None
        unknown = await asyncio.to_thread(console, 99)

        def windows_thread() -> tuple[bool, bool]:
            handled = console(2)  # CTRL_CLOSE_EVENT
            return handled, termination.wait(0)  # returned only once the app was done

        closed, app_done = await asyncio.to_thread(windows_thread)
        return unknown, closed, app_done

    unknown, closed, app_done = asyncio.run(main())
    assert calls == ["CTRL_CLOSE"]
    assert not unknown and closed and app_done
