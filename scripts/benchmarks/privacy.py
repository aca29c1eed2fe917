"""Privacy: what encryption at rest costs, as ratios against the same work unencrypted.

- encrypting a closed session with one recorded hour (16 kHz mono: the desk's default), its
  FLAC original and Opus copy made by the real archive, journal, record and sheet: against
  copying the same files with an fsync each (the least that writing them again costs), and
  against archiving that hour (the close's own work without encryption);
- review's first page with encryption on: a fresh index built from 1,000 sessions encrypted to a
  supervisor (every journal and record decrypted in memory) and its first page queried: against
  the same sessions unencrypted.

Nothing here asserts.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from scripts.benchmarks.common import Result

SESSIONS = 1_000
RATE = 16_000


def run() -> list[Result]:
    """Both figures."""
    from kasuhara_timer.store import vault
    from kasuhara_timer.trust.supervisor import generate_supervisor

    boss = generate_supervisor("係長")
    recipient = boss.public.age_recipient
    assert recipient is not None
    with tempfile.TemporaryDirectory() as scratch:
        results = _hour(Path(scratch), recipient)
        vault.unlock([boss.age_identity])
        try:
            results.append(_first_page(Path(scratch), recipient))
        finally:
            vault.lock()
    return results


def _hour(scratch: Path, recipient: str) -> list[Result]:
    """Encrypting the files of a session with one recorded hour."""
    import numpy as np

    from kasuhara_timer.audio.archive import archive
    from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
    from kasuhara_timer.lifecycle.encrypting import encrypt_session
    from kasuhara_timer.session.clock import ManualClock
    from tests.support.sessions import finished_session

    clock = ManualClock()
    data = scratch / "hour"
    folder, _ = finished_session(data, clock, seal=False)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=clock.now())
    writer = SegmentWriter(folder.audio, 1, fmt)
    noise = np.random.default_rng(0).integers(-3000, 3000, RATE * 60, dtype=np.int16)
    minute = noise.astype("<i2").tobytes()
    for _ in range(60):
        writer.write(minute)
    writer.close()
    started = time.perf_counter()
    archive(folder.audio)
    archived = time.perf_counter() - started

    files = [p for p in folder.path.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1e6

    def copy() -> None:
        target = scratch / "copy"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for number, path in enumerate(files):
            with path.open("rb") as source, (target / str(number)).open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
                sink.flush()
                os.fsync(sink.fileno())

    copied = _seconds(copy)
    pristine = scratch / "pristine"
    shutil.copytree(folder.path, pristine)

    times = []
    for _ in range(3):
        shutil.rmtree(folder.path)
        shutil.copytree(pristine, folder.path)
        started = time.perf_counter()
        encrypt_session(folder, [recipient], clock=clock)
        times.append(time.perf_counter() - started)
    encrypted = statistics.median(times)
    name = f"encrypting a closed session with one recorded hour ({size:.0f} MB)"
    return [
        Result(name, encrypted, "s", copied, "copying the same files with fsync"),
        Result(name, encrypted, "s", archived, "archiving the hour (FLAC + Opus)"),
    ]


def _first_page(scratch: Path, recipient: str) -> Result:
    """A fresh index of 1,000 sessions and its first page, encrypted against plain."""
    from kasuhara_timer.catalog.index import SessionIndex
    from kasuhara_timer.lifecycle.encrypting import encrypt_session
    from kasuhara_timer.policy.loader import load_policy
    from kasuhara_timer.session.clock import ManualClock
    from kasuhara_timer.store.folders import list_session_folders
    from scripts.benchmarks.review import JST, PAGE, _write_session

    plain = scratch / "plain"
    policy = load_policy("nanyo").policy
    rng = random.Random(0)
    start = datetime(2025, 4, 1, 8, 30, tzinfo=JST)
    for number in range(SESSIONS):
        when = start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        _write_session(plain, policy, rng, number, when, minutes=rng.choice([2, 8, 15, 25]))
    sealed = scratch / "sealed"
    shutil.copytree(plain, sealed)
    clock = ManualClock()
    for folder in list_session_folders(sealed):
        encrypt_session(folder, [recipient], clock=clock)

    def page(data: Path) -> Callable[[], object]:
        def build() -> object:
            path = scratch / f"index-{data.name}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            index = SessionIndex(data, path)
            index.refresh()
            return index.query(limit=PAGE)

        return build

    rows = page(sealed)()
    assert isinstance(rows, list) and len(rows) == PAGE and all(r.started_at for r in rows)
    return Result(
        f"review's first page, index built from {SESSIONS} encrypted sessions",
        _seconds(page(sealed), repeat=3),
        "s",
        _seconds(page(plain), repeat=3),
        "the same sessions unencrypted",
    )


def _seconds(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall seconds of `action`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
