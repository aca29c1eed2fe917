"""Review: 10,000 sessions indexed, listed, filtered, reported; memory exporting a 4-hour session.

The sessions are made with the real domain and store functions (`DeskSession` on a hand-moved
clock, `encode_line` for the hash-chained journal, `build_record` for record.json), written
without fsync for speed and cached in the temporary folder, so later runs start at once. Each
figure is a ratio against a baseline measured in the same run on the same data:

- index build: against reading every record.json and decoding its JSON (the least any index
  must do);
- refresh with nothing changed: against listing the session folders;
- first page and a filtered page: against a plain SQLite query of a page of the same table;
- the list screen's first frame with its first page (the index refresh that follows in the
  background is measured on its own above): against a bare Textual app showing a DataTable of
  as many rows and columns;
- report over all sessions: against fetching every row with plain SQLite;
- the review's cold start on 5,000 sessions (no index yet: the app builds it in a worker and
  shows the newest rows as soon as they are read): to the first rows, and to the full list
  with the build done, each against the same build without the UI (`SessionIndex.rebuild`);
- peak memory exporting a 4-hour session (XLSX and the disclosure bundle with its FLAC), in a
  child process: against a child that imports the same modules and reads the record.
Nothing here asserts.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scripts.benchmarks.common import Result

SESSIONS = 10_000
PAGE = 200
"""Rows on the list's first page (`ReviewSetup.page_size`)."""
CACHE = Path(tempfile.gettempdir()) / f"kasuhara-bench-review-v1-{SESSIONS}"
JST = timezone(timedelta(hours=9))
STAFF = [(f"職員{n:02d}", f"第{n % 10}課") for n in range(30)]


def run(long: bool = False) -> list[Result]:
    """All review figures; `long` adds 100,000 sessions (time and memory, against 10,000)."""
    data = _corpus()
    with tempfile.TemporaryDirectory() as scratch:
        results = _index_figures(data, Path(scratch))
    results.extend(_cold_start(_first(data, COLD_SESSIONS)))
    results.append(_export_memory())
    if long:
        results.extend(_at_city_scale(data))
    return results


# -- the review's cold start -----------------------------------------------------------------

COLD_SESSIONS = 5_000


def _first(data: Path, count: int) -> Path:
    """A data folder of the corpus's first `count` sessions (hard links, made once)."""
    target = CACHE.parent / f"{CACHE.name}-first{count}"
    done = target / "complete"
    if done.exists():
        return target / "data"
    for folder in sorted((data / "sessions").iterdir())[:count]:
        copied = target / "data" / "sessions" / folder.name
        (copied / "audio").mkdir(parents=True, exist_ok=True)
        for name in ("journal.jsonl", "record.json"):
            with contextlib.suppress(FileExistsError):
                os.link(folder / name, copied / name)
    done.touch()
    return target / "data"


def _cold_start(data: Path, repeat: int = 3) -> list[Result]:
    """Seconds from the review's start with no index to its first rows and to the full list
    (the build done and its rows shown), against `rebuild()` alone; runs alternate, medians."""
    import asyncio

    from kasuhara_timer.catalog.index import SessionIndex
    from kasuhara_timer.review.app import ReviewApp
    from kasuhara_timer.review.setup import ReviewSetup
    from kasuhara_timer.review.widgets.wrapped_table import WrappedTable

    async def cold(index: SessionIndex) -> tuple[float, float, float]:
        app = ReviewApp(ReviewSetup(data_dir=data, index=index, output=None, pulse_seconds=None))
        started, cpu = time.perf_counter(), time.process_time()
        first = None
        async with app.run_test(size=(120, 40)):
            while True:
                await asyncio.sleep(0.02)  # a plain sleep: the Pilot's pause would cost the UI
                shown = app.screen.query_one("#sessions", WrappedTable).row_count
                if shown and first is None:
                    first = time.perf_counter() - started
                if shown and app.index_state.complete:
                    full = time.perf_counter() - started
                    return first or 0.0, full, time.process_time() - cpu

    headless, headless_cpu, firsts, fulls, cpus = [], [], [], [], []
    for run in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            index = SessionIndex(data, Path(scratch) / "headless.sqlite3")
            cpu = time.process_time()
            headless.append(_seconds(index.rebuild, repeat=1))
            headless_cpu.append(time.process_time() - cpu)
            ui = SessionIndex(data, Path(scratch) / f"ui{run}.sqlite3")
            first, full, used = asyncio.run(cold(ui))
            firsts.append(first)
            fulls.append(full)
            cpus.append(used)
    build = statistics.median(headless)
    n = len(list((data / "sessions").iterdir()))
    return [
        Result(f"review cold start to first rows, {n} sessions", statistics.median(firsts), "s",
               build, "headless index build"),
        Result(f"review cold start to the full list, {n} sessions", statistics.median(fulls), "s",
               build, "headless index build"),
        # CPU seconds (all threads): what the UI adds to the build, whatever else the machine
        # runs (on a loaded machine the wall-clock ratios above move with the load)
        Result(f"review cold start CPU, {n} sessions", statistics.median(cpus), "s",
               statistics.median(headless_cpu), "headless index build CPU"),
    ]  # fmt: skip


# -- 100,000 sessions ----------------------------------------------------------------------------

SCALE_CHILD = r"""
import json, re, sqlite3, sys, tempfile, time
from pathlib import Path
from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.query import SessionFilter
data = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as scratch:
    index = SessionIndex(data, Path(scratch) / "index.sqlite3")
    began = time.perf_counter(); index.rebuild(); build = time.perf_counter() - began
    began = time.perf_counter(); index.refresh(); refresh = time.perf_counter() - began
    where = SessionFilter(channel="phone", text="繰り返す", limit_reached=True, section="第3課")
    began = time.perf_counter(); index.page(where, limit=200); page = time.perf_counter() - began
hwm = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
print(json.dumps({"build": build, "refresh": refresh, "page": page,
                  "peak_mb": int(hwm.group(1)) / 1024 if hwm else 0.0}))
"""


def _at_city_scale(data: Path) -> list[Result]:
    """Index build, refresh, a filtered page and peak memory at 10× the sessions, each against
    the same at 1× (a child process each, so the memory is the index's own)."""
    big = _replicated(data, 10)

    def measured(folder: Path) -> dict[str, float]:
        output = subprocess.run(
            [sys.executable, "-c", SCALE_CHILD, str(folder)],
            check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": "."},
        ).stdout  # fmt: skip
        return dict(json.loads(output.strip().splitlines()[-1]))

    small, large = measured(data), measured(big)
    n = SESSIONS * 10
    return [
        Result(f"index build, {n} sessions", large["build"], "s", small["build"],
               f"{SESSIONS} sessions"),
        Result(f"index refresh, {n} sessions", large["refresh"], "s", small["refresh"],
               f"{SESSIONS} sessions"),
        Result(f"filtered page, {n} sessions", large["page"], "s", small["page"],
               f"{SESSIONS} sessions"),
        Result(f"peak memory building the index, {n} sessions", large["peak_mb"], "MB",
               small["peak_mb"], f"{SESSIONS} sessions"),
    ]  # fmt: skip


def _replicated(data: Path, times: int) -> Path:
    """`times` copies of every session (folder names and records changed to match), made once:
    writing 100,000 distinct sessions would take a quarter of an hour."""
    target = CACHE.parent / f"{CACHE.name}-x{times}"
    done = target / "complete"
    if done.exists():
        return target / "data"
    sessions = target / "data" / "sessions"
    for folder in sorted((data / "sessions").iterdir()):
        journal = (folder / "journal.jsonl").read_bytes()
        record = (folder / "record.json").read_bytes()
        stem, number = folder.name.rsplit("_", 1)
        for copy in range(times):
            name = f"{stem}_{int(number, 16) + copy * 0x100000:06x}"
            copied = sessions / name
            (copied / "audio").mkdir(parents=True, exist_ok=True)
            (copied / "journal.jsonl").write_bytes(journal)
            renamed = record.replace(folder.name.encode(), name.encode())
            (copied / "record.json").write_bytes(renamed)
    done.touch()
    return target / "data"


# -- the corpus --------------------------------------------------------------------------------


def _corpus() -> Path:
    """10,000 sessions under CACHE/data, made once."""
    data = CACHE / "data"
    done = CACHE / "complete"
    if done.exists():
        return data
    from kasuhara_timer.policy.loader import load_policy

    policy = load_policy("nanyo").policy
    rng = random.Random(0)
    start = datetime(2025, 4, 1, 8, 30, tzinfo=JST)
    for number in range(SESSIONS):
        when = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        _write_session(data, policy, rng, number, when, minutes=rng.choice([2, 8, 15, 25, 40, 75]))
    done.touch()
    return data


def _write_session(
    data: Path, policy: object, rng: random.Random, number: int, when: datetime, minutes: float,
    notes_every: float | None = None,
) -> Path:  # fmt: skip
    """One session folder: journal.jsonl and record.json, from a scripted desk session."""
    from kasuhara_timer.policy.models import ChannelId, Policy
    from kasuhara_timer.session.clock import ManualClock, SessionClock
    from kasuhara_timer.session.desk import DeskSession
    from kasuhara_timer.session.events import Event, Staff
    from kasuhara_timer.store.journal import GENESIS_HASH, encode_line, line_hash
    from kasuhara_timer.store.record import build_record

    assert isinstance(policy, Policy)
    events: list[Event] = []

    class Sink:
        def append(self, event: Event) -> None:
            events.append(event)

    clock = ManualClock(wall=when)
    name, section = STAFF[rng.randrange(len(STAFF))]
    channel = rng.choice(list(ChannelId))
    desk = DeskSession.start(
        policy, channel, SessionClock(clock), Sink(), staff=Staff(name=name, section=section),
        desk="BENCH", caller=f"相手{rng.randrange(500)}" if rng.random() < 0.3 else "",
    )  # fmt: skip
    tags = rng.sample([b.id for b in policy.behaviours], rng.randrange(0, 3))
    step = notes_every or minutes * 60 / (len(tags) + 3)
    while desk.clock.elapsed() + step < minutes * 60:
        clock.advance(step)
        desk.tick()
        if tags:
            desk.toggle_tag(tags.pop())
        else:
            desk.add_note(f"メモ {desk.clock.elapsed():.0f} 秒：同じ主張を繰り返す")
        if desk.state.limit_reached_at is not None and rng.random() < 0.5:
            desk.take_next_step()
    clock.advance(minutes * 60 - desk.clock.elapsed())
    desk.tick()
    desk.end()
    desk.save_sheet(
        {"content": "手続についての要求", "counterpart": "男性"}, [], desk.state.started.staff
    )
    folder_name = f"{when:%Y%m%d-%H%M%S}_BENCH_{number:06x}"
    folder = data / "sessions" / folder_name
    (folder / "audio").mkdir(parents=True)
    prev = GENESIS_HASH
    lines = []
    for seq, event in enumerate(events, start=1):
        line = encode_line(seq, prev, event)
        lines.append(line)
        prev = line_hash(line)
    (folder / "journal.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    record = build_record(events, policy, folder_name, journal_hash=prev)
    (folder / "record.json").write_bytes(record.to_json_bytes())
    return folder


# -- index, list, report -----------------------------------------------------------------------


def _index_figures(data: Path, scratch: Path) -> list[Result]:
    from kasuhara_timer.catalog.index import SessionIndex
    from kasuhara_timer.catalog.query import SessionFilter
    from kasuhara_timer.report.source import report_from_index
    from kasuhara_timer.store.folders import list_session_folders

    folders = list_session_folders(data)
    index = SessionIndex(data, scratch / "index.sqlite3")
    for folder in folders:  # both read from the page cache: a cold first read is not the index's
        folder.journal.read_bytes()
    read_all = _seconds(lambda: [json.loads((f.record).read_bytes()) for f in folders], repeat=1)
    build = _seconds(index.rebuild, repeat=1)
    refresh = _seconds(index.refresh)
    listing = _seconds(lambda: list_session_folders(data))

    def plain(sql: str) -> Callable[[], object]:
        def query() -> object:
            with sqlite3.connect(index.path) as db:
                return db.execute(sql).fetchall()

        return query

    page_sql = f"SELECT * FROM sessions WHERE drill = 0 ORDER BY started_ts DESC LIMIT {PAGE}"
    first_page = _seconds(lambda: index.page(limit=PAGE))
    plain_page = _seconds(plain(page_sql))
    where = SessionFilter(channel="phone", text="繰り返す", limit_reached=True, section="第3課")
    filtered = _seconds(lambda: index.page(where, limit=PAGE))
    report = _seconds(lambda: report_from_index(index), repeat=3)
    plain_all = _seconds(plain("SELECT * FROM sessions"), repeat=3)
    screen, bare = _first_frames(data, scratch)
    n = len(folders)
    return [
        Result(f"index build, {n} sessions", build, "s", read_all, "reading every record.json"),
        Result("index refresh, nothing changed", refresh, "s", listing, "listing the folders"),
        Result(
            f"first page ({PAGE} rows + count)", first_page, "s", plain_page, "plain SQLite page"
        ),
        Result("filtered page (4 filters + count)", filtered, "s", plain_page, "plain SQLite page"),
        Result("list screen to first page", screen, "s", bare, f"bare DataTable of {PAGE} rows"),
        Result(f"report over {n} sessions", report, "s", plain_all, "plain SQLite, every row"),
    ]


def _first_frames(data: Path, scratch: Path) -> tuple[float, float]:
    """Seconds from start to the list filled (review app vs a bare DataTable app), headless."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from kasuhara_timer.catalog.index import SessionIndex
    from kasuhara_timer.review.app import ReviewApp
    from kasuhara_timer.review.screens.sessions import SessionListScreen
    from kasuhara_timer.review.setup import ReviewSetup

    row = ("2026-04-01 09:00", "電話", "職員01", "第1課", "0:45:00", "●", "♪", "", "ステップ1",
           "精神的な攻撃", "")  # fmt: skip
    rows = [row] * PAGE

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*(f"列{n}" for n in range(len(row))))
            table.add_rows(rows)

    async def timed(app: App[None]) -> float:
        started = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return time.perf_counter() - started

    def review() -> App[None]:
        index = SessionIndex(data, scratch / "index.sqlite3")
        setup = ReviewSetup(data_dir=data, index=index, output=None, pulse_seconds=None)
        return Quiet(setup)

    class QuietList(SessionListScreen):
        def refresh_index(self) -> None:
            """Measured apart: see "index refresh, nothing changed"."""

    class Quiet(ReviewApp):
        def get_default_screen(self) -> SessionListScreen:
            return QuietList()

    screen = statistics.median(asyncio.run(timed(review())) for _ in range(3))
    bare = statistics.median(asyncio.run(timed(Bare())) for _ in range(3))
    return screen, bare


# -- memory exporting a 4-hour session -----------------------------------------------------------

EXPORT_CHILD = r"""
import re, resource, sys, tempfile
from pathlib import Path
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.catalog.sessions import load_folder
folder, data, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
loaded = load_folder(folder)
if mode == "export":
    with tempfile.TemporaryDirectory() as out:
        for fmt in (ExportFormat.XLSX, ExportFormat.BUNDLE):
            run_export(data, [loaded], fmt, Path(out))
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across exec on Linux)
status = Path("/proc/self/status")
hwm = re.search(r"VmHWM:\s+(\d+) kB", status.read_text()) if status.exists() else None
peak = int(hwm.group(1)) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak * 1024)
"""


def _export_memory() -> Result:
    folder, data = _four_hours()
    peaks = {}
    for mode in ("baseline", "export"):
        output = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD, str(folder), str(data), mode],
            check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": "."},
        )  # fmt: skip
        peaks[mode] = int(output.stdout.split()[-1]) / 1e6
    flac = (folder / "audio" / "recording.flac").stat().st_size / 1e6
    return Result(
        f"peak memory exporting a 4-hour session (XLSX + bundle, FLAC {flac:.0f} MB)",
        peaks["export"], "MB", peaks["baseline"], "reading its record only",
    )  # fmt: skip


def _four_hours() -> tuple[Path, Path]:
    """A 4-hour session with a note every 2 minutes and a 4-hour FLAC made by ffmpeg."""
    from kasuhara_timer.audio.archive import (
        FLAC_NAME,
        MANIFEST_NAME,
        ArchivedFile,
        ArchiveResult,
        ffmpeg_executable,
    )
    from kasuhara_timer.policy.loader import load_policy

    data = CACHE / "four-hours"
    found = list((data / "sessions").glob("*")) if data.exists() else []
    if found and (found[0] / "audio" / MANIFEST_NAME).exists():
        return found[0], data
    when = datetime(2026, 4, 1, 9, 0, tzinfo=JST)
    folder = _write_session(data, load_policy("nanyo").policy, random.Random(1), 0, when,
                            minutes=240, notes_every=120)  # fmt: skip
    flac = folder / "audio" / FLAC_NAME
    subprocess.run(
        [ffmpeg_executable(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "anoisesrc=d=14400:c=pink:r=16000:a=0.05", "-ac", "1", "-c:a", "flac", str(flac)],
        check=True,
    )  # fmt: skip
    manifest = ArchiveResult(
        samplerate=16000, channels=1, seconds=14400.0, pcm_sha256="0" * 64,
        flac=ArchivedFile(name=FLAC_NAME, sha256="0" * 64, bytes=flac.stat().st_size,
                          seconds=14400.0),
    )  # fmt: skip
    (folder / "audio" / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2))
    return folder, data


def _seconds(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall seconds of `action`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
