"""Print HTML files to PDF with the system's headless Chromium, as a browser's 印刷 does.

One Chromium process prints every file of a call: the DevTools protocol over
`--remote-debugging-pipe` (fd 3 in, fd 4 out, NUL-separated JSON), so a test of several sheets
pays for one browser start. The PDF is Chromium's own print (CSS `@page`, margin boxes, page
breaks), the same engine as the browser a supervisor prints from.

Chromium missing is a failure, not a skip: scripts/system-deps --tests installs it (Debian
`chromium` with `fonts-noto-cjk`), so CI always prints for real.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0
"""Seconds for one protocol answer (a 300-row sheet prints in about one on a busy machine)."""


def chromium_path() -> str:
    """The Chromium executable, or the test fails saying how to install it."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is not installed: run scripts/system-deps --tests (chromium)")


class _Pipe:
    """The DevTools protocol over two pipes: one request at a time, events kept aside."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._write_fd = write_fd
        self._read_fd = read_fd
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"Chromium: {method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_event(self, method: str, session: str) -> None:
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[index]
                    return
            self.events.append(self._read())

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read_fd], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer within 60 s")
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it crash?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed


def print_to_pdf(pages: Iterable[Path], out_dir: Path) -> dict[Path, Path]:
    """Print each HTML file to `out_dir/<stem>.pdf` with the page size and margins its CSS
    sets (`@page`), backgrounds on, no browser header or footer; returns html → pdf."""
    executable = chromium_path()
    out_dir.mkdir(parents=True, exist_ok=True)
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        # bash puts the two pipe ends on fd 3 and 4, where Chromium expects them (dash cannot
        # redirect from a descriptor above 9).
        command = [
            "bash",
            "-c",
            f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}',
            executable,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        log = (out_dir / "chromium.log").open("wb")
        process = subprocess.Popen(
            command,
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        written: dict[Path, Path] = {}
        try:
            pipe = _Pipe(to_chrome_w, from_chrome_r)
            target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
            session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            pipe.call("Page.enable", session)
            for page in pages:
                pipe.call("Page.navigate", session, url=page.resolve().as_uri())
                pipe.wait_event("Page.loadEventFired", session)
                pipe.call(  # the Japanese font loaded before the layout is printed
                    "Runtime.evaluate",
                    session,
                    expression="document.fonts.ready",
                    awaitPromise=True,
                )
                data = pipe.call(
                    "Page.printToPDF",
                    session,
                    preferCSSPageSize=True,
                    printBackground=True,
                    displayHeaderFooter=False,
                )["data"]
                pdf = out_dir / f"{page.stem}.pdf"
                pdf.write_bytes(base64.b64decode(data))
                written[page] = pdf
            pipe.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError) as error:
            said = (out_dir / "chromium.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{error}; Chromium said:\n{said}") from error
        finally:
            log.close()
            os.close(to_chrome_w)
            os.close(from_chrome_r)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return written
