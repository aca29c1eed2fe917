"""Privacy on disk and on the network: private folders and files, nothing listening."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.config import Retention
from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.integrity.accesslog import log_access
from kasuhara_timer.integrity.holds import place_hold
from kasuhara_timer.integrity.retention import apply_purge, plan_purge
from kasuhara_timer.integrity.seal import seal_session
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.lifecycle.interrupted import close_interrupted
from kasuhara_timer.session.clock import ManualClock
from tests.support.sessions import (
    HOST,
    begin,
    finished_session,
    nanyo,
    some_events,
    write_segment,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def typical_umask() -> Iterator[None]:
    """0022, the usual umask, which alone would leave new files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@posix_only
def test_every_folder_and_file_in_a_new_data_folder_is_private(
    tmp_path: Path, clock: ManualClock, typical_umask: None
) -> None:
    data = tmp_path / "data"
    recorded, _ = finished_session(data, clock)  # journal, record, sheet, seal
    write_segment(recorded, clock, 0.0, 0.5)  # raw audio as the recorder writes it
    place_hold(data, recorded.name, "監査", clock=clock)
    crashed, journal, session = begin(data, clock)
    some_events(session, clock)
    journal.close()
    close_interrupted(crashed, nanyo(), clock)
    seal_session(crashed, clock=clock)
    place_hold(data, crashed.name, "監査", clock=clock)
    log_access(data, "listen", crashed.name, clock=clock)
    doomed, _ = finished_session(data, clock)
    clock.advance(20 * 366 * 86400)
    rule = Retention(audio_days=1, flagged_years=1, record_years=1)
    apply_purge(data, plan_purge(data, rule, clock.now()), clock=clock)  # the purge log

    paths = [data, *data.rglob("*")]
    names = {p.name for p in paths}
    assert {"access-log.jsonl", "purge-log.jsonl", "seal.json", "seg-0001.pcm"} <= names
    assert f"{crashed.name}.json" in names and not doomed.path.exists()
    loose = {
        str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in paths
        if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)
        and p.parent.name != "audio"
    }
    assert loose == {}
    audio = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in recorded.audio.iterdir()}
    assert set(audio.values()) == {"0o600"}, audio


@posix_only
def test_the_audio_archive_is_private(
    tmp_path: Path, clock: ManualClock, typical_umask: None
) -> None:
    recorded, _ = finished_session(tmp_path / "data", clock, audio=True)
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in recorded.audio.iterdir()}
    assert set(modes.values()) == {"0o600"}, modes


def _listening_inodes() -> set[str]:
    """Inodes of every listening socket in this network namespace (TCP/UDP v4/v6, Unix)."""
    found: set[str] = set()
    for name in ("tcp", "tcp6", "udp", "udp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            state, inode = fields[3], fields[9]
            if name.startswith("udp") or state == "0A":  # a bound UDP socket receives
                found.add(inode)
    unix = Path("/proc/net/unix")
    if unix.exists():
        for line in unix.read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[3], 16) & 0x10000:  # __SO_ACCEPTCON: listening
                found.add(fields[6])
    return found


def _my_socket_inodes() -> set[str]:
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    return inodes


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")
async def test_nothing_listens_on_the_network_during_a_desk_session(
    tmp_path: Path, clock: ManualClock
) -> None:
    setup = DeskSetup(
        policy=nanyo(),
        store=FolderSessionStore(tmp_path / "data", HOST),
        staff_book=JsonStaffBook(tmp_path / "state" / "staff.json"),
        clock=clock,
        desk=HOST,
        pulse_seconds=None,
        cursor_blink=False,
    )
    app = DeskApp(setup)
    seen: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, SessionScreen)
        seen |= _my_socket_inodes()
        clock.advance(25 * 60)
        app.screen.pulse()
        await pilot.press("n")
        await pilot.pause()
        seen |= _my_socket_inodes()
        listening = _listening_inodes() & seen
    assert listening == set()
