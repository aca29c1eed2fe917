"""The real desk app in a pseudo-terminal, asked to end while its record sheet is being typed.

Run under `scripts/with-virtual-mic` (skipped otherwise): `python -m kasuhara_timer` on the
nanyo drill profile at 80×24, recording the virtual microphone; keys go in as a terminal sends
them. On the sheet a name is typed and at once (well inside the 2 s draft delay) the process is
sent SIGTERM, or its terminal is closed (the pty's master end goes away: the kernel sends SIGHUP,
as when a terminal window is closed). It must exit cleanly with the typing in the journal as a
draft, the recording stopped with whole frames on disk, the journal released and the record
written; the next start archives the recording and finishes the sheet from its draft.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kasuhara_timer.audio.segments import list_segments
from kasuhara_timer.session.events import (
    AudioArchived,
    Event,
    RecordingChanged,
    SheetDrafted,
    SheetSaved,
)
from kasuhara_timer.store.folders import SessionFolder, list_session_folders
from kasuhara_timer.store.journal import journal_in_use, read_journal
from kasuhara_timer.store.record import read_record
from tests.support.audio import needs_virtual_mic

pytestmark = [pytest.mark.audio, needs_virtual_mic]

WAIT = 60.0
"""Seconds to wait for the app at each step on a loaded machine (a failure, not a measure)."""


class Terminal:
    """The desk app on a pseudo-terminal of 80×24 that is its controlling terminal."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        command = [sys.executable, "-m", "kasuhara_timer", "--profile", "nanyo", "--drill"]
        self.process = subprocess.Popen(
            [*command, "--speed", "1"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session, this pty its controlling terminal
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Drain what the app draws, or it would block on a full terminal."""
        while self.master is not None:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def type(self, text: str) -> None:
        assert self.master is not None
        os.write(self.master, text.encode("utf-8"))

    def hang_up(self) -> None:
        """Close the terminal window: the master end goes, the kernel sends SIGHUP."""
        master, self.master = self.master, None
        if master is not None:
            os.close(master)

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited ({self.process.returncode}) before {what}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what}; the screen: {self.output[-3000:]!r}")
            time.sleep(0.05)

    def folder(self) -> SessionFolder:
        [folder] = list_session_folders(self.data_dir, drill=True)
        return folder

    def events(self) -> list[Event]:
        folders = list_session_folders(self.data_dir, drill=True)
        if not folders or not folders[0].journal.exists():
            return []
        return list(read_journal(folders[0].journal).events)

    def kinds(self) -> list[str]:
        return [event.kind for event in self.events()]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.hang_up()


@contextmanager
def desk(data_dir: Path) -> Iterator[Terminal]:
    terminal = Terminal(data_dir)
    try:
        yield terminal
    finally:
        terminal.close()


def recording(events: list[Event]) -> list[str]:
    return [e.state for e in events if isinstance(e, RecordingChanged)]


def on_the_sheet_typing(terminal: Terminal, name: str) -> None:
    """Start a phone drill once the idle screen is up, let it record, end it, type `name`."""
    terminal.wait_for(lambda: "対応タイマー".encode() in terminal.output, "idle screen")
    time.sleep(0.5)  # the look back at start
    terminal.type("1")
    terminal.wait_for(lambda: "started" in recording(terminal.events()), "recording")
    time.sleep(1.0)  # a second of audio
    terminal.type("e")
    time.sleep(0.3)
    terminal.type("y")
    terminal.wait_for(lambda: "ended" in terminal.kinds(), "end")
    shown = len(terminal.output)
    terminal.wait_for(lambda: "記録シート".encode() in terminal.output[shown:], "the sheet")
    time.sleep(0.5)  # its staff name field focused (no one remembered yet)
    shown = len(terminal.output)
    terminal.type(name)
    # the app has the keys: it says a draft is coming (its 2 s timer has not fired yet)
    terminal.wait_for(lambda: "入力中".encode() in terminal.output[shown:], "typing seen")


@pytest.mark.parametrize("ask", ["SIGTERM", "hang up"])
def test_asked_to_end_on_the_sheet_the_app_keeps_the_typing_and_finalises_the_recording(
    ask: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    with desk(data_dir) as terminal:
        on_the_sheet_typing(terminal, "南陽花子")
        if ask == "SIGTERM":
            terminal.process.send_signal(signal.SIGTERM)
        else:
            terminal.hang_up()
        code = terminal.process.wait(WAIT)
        assert code == 0, (code, terminal.kinds())

    folder = terminal.folder()
    events = list(read_journal(folder.journal).events)
    drafts = [e for e in events if isinstance(e, SheetDrafted)]
    assert drafts and drafts[-1].staff is not None
    assert drafts[-1].staff.name == "南陽花子"
    assert recording(events)[-1] == "stopped"
    assert not any(isinstance(e, SheetSaved) for e in events)
    assert not journal_in_use(folder.journal)
    segments = list_segments(folder.audio)
    assert segments and all(s.torn_bytes == 0 for s in segments) and segments[0].seconds > 0.5
    assert read_record(folder.record).sheet.completion == "記録シート未完成（下書きあり）"

    # the next start: the recording is archived, the sheet offered and finished from its draft
    with desk(data_dir) as again:
        again.wait_for(lambda: any(isinstance(e, AudioArchived) for e in again.events()), "archive")
        again.wait_for(lambda: "記録シート未完成".encode() in again.output, "the offer")
        again.type("f")
        again.wait_for(lambda: "sheet_resumed" in again.kinds(), "sheet taken up")
        time.sleep(0.5)
        again.type("\x13")  # ctrl+s
        again.wait_for(lambda: "sheet_saved" in again.kinds(), "save")
        again.type("\x11")  # ctrl+q on the idle screen
        assert again.process.wait(WAIT) == 0
    saved = again.events()[-1]
    assert isinstance(saved, SheetSaved) and saved.staff.name == "南陽花子"
    record = read_record(folder.record)
    assert record.sheet.finished_later and record.audio is not None
