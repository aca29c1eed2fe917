"""A full disk: a clear StoreError naming the file, the timer goes on, nothing written is damaged,
and the same write succeeds once there is room again.

Two ways to fill it: a file-size limit (RLIMIT_FSIZE, in a forked child so pytest keeps its own
limits), which works anywhere, and a real 256 KB tmpfs (ENOSPC), when this machine lets the
test mount one.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from kasuhara_timer.integrity.accesslog import access_log_path, log_access, read_access_log
from kasuhara_timer.lifecycle.interrupted import resume_session
from kasuhara_timer.session.clock import ManualClock, SystemClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import NoteAdded
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal, read_journal
from tests.support.sessions import begin, finished_session, nanyo, some_events
from tests.support.tally import Tally

TRIALS = 12


def in_child(work: Callable[[], dict[str, Any]], limit: int) -> dict[str, Any]:
    """Run `work` in a forked child whose files may not grow past `limit` bytes."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.close(read_fd)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
            result = work()
        except BaseException as error:  # report anything, never run pytest in the child
            result = {"crash": f"{type(error).__name__}: {error}"}
            code = 1
        try:
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    data: dict[str, Any] = json.loads(b"".join(chunks))
    return data


def _store_error_of(call: Callable[..., object], *args: object) -> dict[str, Any]:
    """Call; the StoreError it raised (message and reason), or blanks when it did not."""
    try:
        call(*args)
    except StoreError as error:
        return {"message": str(error), "reason": error.reason.value}
    return {"message": "", "reason": ""}


def lift_limit() -> None:
    """There is room again (the child's soft limit back to none)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def crashed(data_dir: Path, clock: ManualClock) -> SessionFolder:
    folder, journal, session = begin(data_dir, clock)
    some_events(session, clock)
    journal.close()
    return folder


def test_journal_on_a_full_disk(tmp_path: Path, clock: ManualClock, tally: Tally) -> None:
    kind = "disk full: journal"
    rng = random.Random(5)
    failures = []
    for trial in range(TRIALS):
        folder = crashed(tmp_path / f"d{trial}", clock)
        session = resume_session(folder, nanyo(), SystemClock())
        assert isinstance(session.sink, Journal)
        before = folder.journal.read_bytes()
        text = "記録" * rng.randint(10, 400)
        work = partial(_fill_journal, session, text)
        result = in_child(work, limit=len(before) + rng.randint(0, 4000))
        session.sink.close()
        problems = _journal_problems(folder, before, result)
        survived = not problems
        tally.record(kind, survived=survived)
        if not survived:
            failures.append((trial, problems))
    assert failures == [], "\n".join(map(str, failures))


def _fill_journal(session: DeskSession, text: str) -> dict[str, Any]:
    """Add notes until the disk refuses one; check the desk goes on; retry it with room."""
    written = 0
    try:
        while True:
            session.add_note(f"{written}:{text}")
            written += 1
    except StoreError as error:
        failed = f"{written}:{text}"
        elapsed = session.clock.elapsed()
        assert failed not in [n.text for n in session.state.notes]  # not shown: not on disk
        assert session.assess() is not None  # the desk still has its timer
        lift_limit()
        session.add_note(failed)  # the same note, once there is room
        return {
            "message": str(error),
            "reason": error.reason.value,
            "written": written,
            "failed": failed,
            "timer_goes_on": session.clock.elapsed() >= elapsed,
        }


def _journal_problems(folder: SessionFolder, before: bytes, result: dict[str, Any]) -> list[str]:
    if "crash" in result:
        return [result["crash"]]
    problems = []
    if result["reason"] != StoreProblem.DISK_FULL:
        problems.append(f"reason {result['reason']}")
    if not result["message"].startswith(f"{folder.journal}: could not append to the journal"):
        problems.append(f"message {result['message']!r}")
    if not result["timer_goes_on"]:
        problems.append("timer stopped")
    data = folder.journal.read_bytes()
    if not data.startswith(before):
        problems.append("earlier lines changed")
    read = read_journal(folder.journal)
    if read.problems:
        problems.append(f"journal problems {read.problems}")
    notes = [e.text for e in read.events if isinstance(e, NoteAdded)]
    if notes.count(result["failed"]) != 1:
        problems.append("the retried note is not there exactly once")
    return problems


def test_record_and_sheet_on_a_full_disk(tmp_path: Path, clock: ManualClock, tally: Tally) -> None:
    kind = "disk full: record + sheet"
    rng = random.Random(6)
    failures = []
    for trial in range(TRIALS):
        folder, _ = finished_session(tmp_path / f"d{trial}", clock, seal=False)
        old = {p.name: p.read_bytes() for p in folder.path.iterdir() if p.is_file()}
        with Journal.open_for_append(folder.journal) as journal:  # the wrap-up saved again
            journal.append(NoteAdded(t=999.0, at=clock.now(), text="追記" * 200))
        journal_bytes = folder.journal.read_bytes()

        work = partial(_store_error_of, save_record_and_sheet, folder, nanyo())
        limit = rng.randint(0, len(old["sheet.html"]) - 1)
        result = in_child(work, limit=limit)
        problems = []
        if "crash" in result or result["reason"] != StoreProblem.DISK_FULL:
            problems.append(str(result))
        elif "could not write the file: the file size limit was reached" not in result["message"]:
            problems.append(result["message"])
        now = {p.name: p.read_bytes() for p in folder.path.iterdir() if p.is_file()}
        if now != {**old, "journal.jsonl": journal_bytes}:
            problems.append(f"files changed or left behind: {sorted(now)}")
        save_record_and_sheet(folder, nanyo())  # room again: it saves
        tally.record(kind, survived=not problems)
        if problems:
            failures.append((trial, limit, problems))
    assert failures == [], "\n".join(map(str, failures))


def test_access_log_on_a_full_disk(tmp_path: Path, tally: Tally) -> None:
    kind = "disk full: access log"
    rng = random.Random(8)
    failures = []
    for trial in range(TRIALS):
        data_dir = tmp_path / f"d{trial}"
        for n in range(rng.randint(1, 5)):
            log_access(data_dir, "listen", f"S{n}")
        before = access_log_path(data_dir).read_bytes()

        detail = "x" * rng.randint(0, 2000)
        work = partial(_store_error_of, log_access, data_dir, "export", "S1", detail)
        result = in_child(work, limit=len(before) + rng.randint(0, 150))
        problems = []
        if result.get("reason") != StoreProblem.DISK_FULL:
            problems.append(str(result))
        if access_log_path(data_dir).read_bytes() != before:
            problems.append("the log changed")
        log_access(data_dir, "export", "S1")
        if read_access_log(data_dir).problems:
            problems.append(str(read_access_log(data_dir).problems))
        tally.record(kind, survived=not problems)
        if problems:
            failures.append((trial, problems))
    assert failures == [], "\n".join(map(str, failures))


def _expect_disk_full(problems: list[str], error: StoreError) -> None:
    if error.reason is not StoreProblem.DISK_FULL or "the disk is full" not in str(error):
        problems.append(str(error))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KB tmpfs, when this machine allows the test to mount one."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk(small_disk: Path, clock: ManualClock, tally: Tally) -> None:
    kind = "disk full: real tmpfs (ENOSPC)"
    rng = random.Random(9)
    failures = []
    for trial in range(6):
        folder = crashed(small_disk / f"d{trial}", clock)
        filler = small_disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        with filler.open("r+b") as handle:  # leave a little room, a random amount
            handle.truncate(max(0, filler.stat().st_size - rng.randint(0, 3) * 4096))
        before = folder.journal.read_bytes()
        problems: list[str] = []
        clear = partial(_expect_disk_full, problems)
        try:  # even the Resumed event may find no room: a clear error is the right outcome
            session: DeskSession | None = resume_session(folder, nanyo(), SystemClock())
        except StoreError as error:
            clear(error)
            session = None
        if session is not None:
            try:
                for written in range(10_000):
                    session.add_note(f"{written} " + "あ" * rng.randint(50, 3000))
                problems.append("the disk never filled")
            except StoreError as error:
                clear(error)
        filler.unlink()
        if session is None:
            session = resume_session(folder, nanyo(), SystemClock())
        session.add_note("空きができた")
        assert isinstance(session.sink, Journal)
        session.sink.close()
        read = read_journal(folder.journal)
        if read.problems or not folder.journal.read_bytes().startswith(before):
            problems.append(f"journal damaged: {read.problems}")
        tally.record(kind, survived=not problems)
        if problems:
            failures.append((trial, problems))
        for path in sorted(small_disk.rglob("*"), reverse=True):  # room for the next trial
            if path.is_file():
                path.unlink()
            elif path.is_dir():
                path.rmdir()
    assert failures == [], "\n".join(map(str, failures))
