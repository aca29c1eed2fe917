"""The Windows branch of the locks, run on Linux with byte-range locks standing in for
`msvcrt.locking`: one writer per journal across processes, readers unhindered, and log appends
from several processes taking turns with the chain intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from kasuhara_timer.integrity.chainlog import read_log
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.journal import Journal, journal_in_use, read_journal
from kasuhara_timer.system import locks
from tests.support.windows_locks import in_child, windows_msvcrt


@pytest.fixture(autouse=True)
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "WINDOWS", True)
    monkeypatch.setattr(locks, "msvcrt", windows_msvcrt)


def test_a_journal_written_in_another_process_is_in_use_and_still_readable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.jsonl"
    Journal.create(path).close()
    child = in_child(
        f"""
        import sys
        from pathlib import Path
        from kasuhara_timer.store.journal import Journal
        with Journal.open_for_append(Path({str(path)!r})):
            print("writing", flush=True)
            sys.stdin.readline()
        """
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    try:
        assert journal_in_use(path)
        assert read_journal(path).lines == 0  # readers are never blocked
        with pytest.raises(StoreError) as caught:
            Journal.open_for_append(path)
        assert caught.value.reason is StoreProblem.IN_USE
    finally:
        assert child.stdin is not None
        child.stdin.close()
        assert child.wait(timeout=30) == 0
    assert not journal_in_use(path)
    Journal.open_for_append(path).close()


def test_log_appends_from_several_processes_take_turns(tmp_path: Path) -> None:
    log = tmp_path / "access.jsonl"
    code = f"""
        import sys
        from pathlib import Path
        from kasuhara_timer.integrity.chainlog import append_to_log
        sys.stdin.readline()
        for n in range(40):
            append_to_log(Path({str(log)!r}), [{{"n": n}}])
        """
    children = [in_child(code) for _ in range(3)]
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.close()
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]

    read = read_log(log)
    assert len(read.lines) == 120
    assert read.problems == ()


def test_the_stand_in_conflicts_like_windows(tmp_path: Path) -> None:
    """The stand-in itself: a byte locked by another process is busy, another byte is not."""
    path = tmp_path / "f"
    path.write_bytes(b"x")
    child = in_child(
        f"""
        import os, sys
        from kasuhara_timer.system import locks
        fd = os.open({str(path)!r}, os.O_RDWR)
        locks.try_lock(fd)
        print("held", flush=True)
        sys.stdin.readline()
        """
    )
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    try:
        assert locks.held_elsewhere(path)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
    assert not locks.held_elsewhere(path)
