"""No plaintext leaks: partial files private from their first byte and gone after a kill.

A bundle export and an audio archive are stopped half-written in a child process (umask 0022,
which alone would make their files world-readable); the parent checks the partial files with
`stat` while they are written, kills the child with SIGKILL, checks them again, and checks that
the next run removes or replaces them. The review index and the state folder are private even
where an older version left them readable, and a purged session leaves the index.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kasuhara_timer.audio.archive import FLAC_NAME, OPUS_NAME, archive
from kasuhara_timer.catalog.index import SessionIndex, default_index_path
from kasuhara_timer.catalog.sessions import load_session
from kasuhara_timer.config import Retention
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.integrity.retention import apply_purge, plan_purge
from kasuhara_timer.session.clock import ManualClock
from tests.support.sessions import begin, finished_session, write_segment

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def typical_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@contextmanager
def stopped_child(*args: str) -> Iterator[subprocess.Popen[str]]:
    """tests/integrity/leak_child.py, once it says it is writing; SIGKILLed on leaving."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integrity.leak_child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        yield child
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)


@posix_only
def test_a_bundle_is_private_while_written_and_its_remains_go_at_the_next_export(
    tmp_path: Path, clock: ManualClock, typical_umask: None
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    out = tmp_path / "new" / "exports"
    partial = out / f".{folder.name}-bundle.zip.partial"
    with stopped_child("bundle", str(data), folder.name, str(out)) as child:
        assert partial.stat().st_size > 0  # the sheet and record are in it already
        assert mode(partial) == 0o600
        assert (mode(out), mode(out.parent)) == (0o700, 0o700)
    assert child.returncode == -signal.SIGKILL
    assert mode(partial) == 0o600 and [p.name for p in out.iterdir()] == [partial.name]

    result = run_export(data, [load_session(folder)], ExportFormat.JSON, out)
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in result.written]
    assert {mode(p) for p in result.written} == {0o600}


@posix_only
def test_a_bundle_being_written_by_another_export_is_left_alone(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    first, _ = finished_session(data, clock)
    second, _ = finished_session(data, clock)
    out = tmp_path / "exports"
    with stopped_child("bundle", str(data), first.name, str(out)):
        run_export(data, [load_session(second)], ExportFormat.BUNDLE, out)
        assert (out / f".{first.name}-bundle.zip.partial").exists()
    assert (out / f"{second.name}-bundle.zip").exists()


@posix_only
def test_the_audio_archive_is_private_while_encoded_and_after_a_kill(
    tmp_path: Path, clock: ManualClock, typical_umask: None
) -> None:
    folder, journal, _session = begin(tmp_path / "data", clock)
    journal.close()
    write_segment(folder, clock, 0.0, 30.0)
    partials = [folder.audio / f"{name}.partial" for name in (FLAC_NAME, OPUS_NAME)]
    with stopped_child("archive", str(folder.audio)):
        assert {mode(p) for p in partials} == {0o600}
    assert {mode(p) for p in partials} == {0o600}

    result = archive(folder.audio)
    assert result.flac is not None and not any(p.exists() for p in partials)
    assert {mode(p) for p in folder.audio.iterdir()} == {0o600}


@posix_only
def test_the_state_folder_and_review_index_are_private_even_if_left_readable(
    tmp_path: Path, clock: ManualClock, typical_umask: None
) -> None:
    data = tmp_path / "data"
    finished_session(data, clock)
    state = tmp_path / "state"
    path = default_index_path(data)
    path.parent.mkdir(parents=True)
    for folder in (state, path.parent):
        folder.chmod(0o755)  # as an older version left them
    SessionIndex(data).refresh()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").touch()
        Path(f"{path}{suffix}").chmod(0o644)

    SessionIndex(data).refresh()
    assert (mode(state), mode(path.parent)) == (0o700, 0o700)
    assert {mode(p) for p in path.parent.iterdir()} == {0o600}


def test_a_purged_session_leaves_the_index_at_the_next_refresh(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    doomed, _ = finished_session(data, clock)
    index = SessionIndex(data)
    index.refresh()
    assert "同じ主張を繰り返す" in str(index.dump())
    clock.advance(20 * 366 * 86400)
    kept, _ = finished_session(data, clock)
    rule = Retention(audio_days=1, flagged_years=1, record_years=1)
    apply_purge(data, plan_purge(data, rule, clock.now()), clock=clock)
    assert not doomed.path.exists()

    index.refresh()
    assert [row.name for row in index.query()] == [kept.name]
    assert doomed.name not in str(index.dump())
