"""Desk app: start-up to the first frame, CPU per idle minute during a session, where the start-up
time goes (an import-time breakdown), and the desk while an archive runs beside it.

Each figure is measured in a fresh subprocess for the desk app and for a bare Textual app (the
baseline) in the same run, interleaved so that a burst of load on a shared machine hits both,
and reported as a ratio.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from scripts.benchmarks.common import Result

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, time, tempfile
from pathlib import Path
t0 = time.perf_counter()
kind, idle = sys.argv[1], float(sys.argv[2])
from textual.app import App, ComposeResult
from textual.widgets import Static

marks = {}
late = []

def ready(app):
    marks["ready"] = time.perf_counter() - t0
    marks["ready_cpu"] = time.process_time()
    marks["cpu0"] = time.process_time()
    if not idle:
        app.exit()
        return
    due = [time.perf_counter() + 0.25]
    def beat():
        now = time.perf_counter()
        late.append(now - due[0])
        due[0] = now + 0.25
    app.set_interval(0.25, beat)
    def done():
        marks["idle_cpu"] = time.process_time() - marks["cpu0"]
        marks["late"] = statistics.mean(late) if late else 0.0
        app.exit()
    app.set_timer(idle, done)

import statistics
if kind == "bare":
    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("0:00:00", id="t")
        def on_ready(self) -> None:
            clock = self.query_one("#t", Static)
            self.set_interval(0.25, lambda: clock.update(time.strftime("%H:%M:%S")))
            ready(self)
    Bare().run(headless=True, size=(80, 24))
else:
    from kasuhara_timer.policy.loader import load_policy
    from kasuhara_timer.policy.models import ChannelId
    from kasuhara_timer.desk.app import DeskApp
    from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
    from kasuhara_timer.desk.setup import DeskSetup
    from kasuhara_timer.desk.staff_memory import JsonStaffBook
    tmp = Path(tempfile.mkdtemp())
    setup = DeskSetup(
        policy=load_policy("nanyo").policy,
        store=FolderSessionStore(tmp, "bench"),
        staff_book=JsonStaffBook(tmp / "staff.json"),
        start_channel=ChannelId.PHONE if idle else None,
        desk="bench",
    )
    class Timed(DeskApp):
        def on_ready(self) -> None:
            ready(self)
    Timed(setup).run(headless=True, size=(80, 24))
print(json.dumps(marks))
"""

DESK_IMPORTS = (
    "from kasuhara_timer.policy.loader import load_policy; import kasuhara_timer.desk.app, "
    "kasuhara_timer.desk.launch, kasuhara_timer.lifecycle.folder_store, "
    "kasuhara_timer.desk.staff_memory"
)
BARE_IMPORTS = "from textual.app import App; from textual.widgets import Static"


def _child(kind: str, idle: float) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(idle)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run(long: bool = False) -> list[Result]:
    """Start-up (median of 5, or 9 with --long), idle CPU over 10 s (60 s), the breakdown."""
    repeats, idle = (9, 60.0) if long else (5, 10.0)
    bare_runs, desk_runs = [], []
    with tempfile.TemporaryDirectory():
        for _ in range(repeats):  # interleaved: a burst of load hits both
            bare_runs.append(_child("bare", 0))
            desk_runs.append(_child("desk", 0))
        bare_idle = _child("bare", idle)
        desk_idle = _child("desk", idle)
        during = _idle_during_archive(idle)
    ready = [statistics.median(r["ready"] for r in runs) for runs in (desk_runs, bare_runs)]
    cpu = [statistics.median(r["ready_cpu"] for r in runs) for runs in (desk_runs, bare_runs)]
    per_minute = 60 / idle
    results = [
        Result("desk start-up to first frame", ready[0], "s", ready[1], "bare Textual app"),
        Result("desk CPU to first frame", cpu[0], "s", cpu[1], "bare Textual app"),
        Result(
            "desk CPU per idle minute (session running)",
            desk_idle["idle_cpu"] * per_minute,
            "s",
            bare_idle["idle_cpu"] * per_minute,
            "bare Textual app repainting a clock 4×/s",
        ),
        Result(
            "desk CPU per idle minute while an hour is archived beside it",
            during["idle_cpu"] * per_minute,
            "s",
            desk_idle["idle_cpu"] * per_minute,
            "the same desk with nothing beside it",
        ),
        Result(
            "desk's 0.25 s timer, mean lateness while archiving",
            during["late"] * 1000,
            "ms",
            desk_idle["late"] * 1000,
            "with nothing beside it",
        ),
    ]
    results.extend(import_breakdown())
    return results


def _idle_during_archive(idle: float) -> dict[str, float]:
    """The desk idle with a session running while another process archives a recording."""
    archiver = subprocess.Popen(
        [sys.executable, "-c", ARCHIVE_CHILD, str(max(idle * 3, 30))],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        return _child("desk", idle)
    finally:
        archiver.kill()
        archiver.wait()


ARCHIVE_CHILD = r"""
import sys, tempfile
from datetime import UTC, datetime
from pathlib import Path
import numpy as np
from scripts.bench_audio import RATE, speechlike
from kasuhara_timer.audio.archive import archive
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
with tempfile.TemporaryDirectory() as folder:
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(UTC))
    writer = SegmentWriter(Path(folder), 1, fmt)
    block = speechlike(10.0, np.random.default_rng(0)).tobytes()
    for _ in range(360):  # an hour
        writer.write(block)
    writer.close()
    archive(Path(folder))
"""


def import_breakdown(top: int = 8) -> list[Result]:
    """Where the desk's import time goes (`python -X importtime`), by package, each against the
    whole import of a bare Textual app; the total against the same."""
    desk, bare = _import_times(DESK_IMPORTS), _import_times(BARE_IMPORTS)
    bare_total = sum(bare.values())
    results = [
        Result("desk imports, total", sum(desk.values()), "ms", bare_total, "bare Textual imports")
    ]
    for group, ms in sorted(desk.items(), key=lambda item: -item[1])[:top]:
        extra = ms - bare.get(group, 0.0)
        name = f"  import {group} (+{extra:.0f} ms over bare)"
        results.append(Result(name, ms, "ms", bare_total, "bare Textual imports"))
    return results


def _import_times(code: str) -> dict[str, float]:
    """Self time of each imported module in ms (median of 3 runs), grouped by package."""
    runs: list[dict[str, float]] = []
    for _ in range(3):
        stderr = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stderr  # fmt: skip
        groups: defaultdict[str, float] = defaultdict(float)
        for line in stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
            if match:
                groups[_group(match[2])] += int(match[1]) / 1000
        runs.append(groups)
    names = set().union(*runs)
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def _group(module: str) -> str:
    """`kasuhara_timer.desk.app` → `kasuhara_timer.desk`; `pydantic._internal.x` → `pydantic`."""
    parts = module.split(".")
    if parts[0] == "kasuhara_timer" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0].lstrip("_") or module
