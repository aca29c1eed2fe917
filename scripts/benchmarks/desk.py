"""Desk app: start-up to the first frame, and CPU per idle minute during a session.

Each figure is measured in a fresh subprocess for the desk app and for a bare Textual app (the
baseline) in the same run, and reported as a ratio, so a slower machine changes both alike.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.benchmarks.common import Result

CHILD = r"""
import json, sys, time, tempfile
from pathlib import Path
t0 = time.perf_counter()
kind, idle = sys.argv[1], float(sys.argv[2])
from textual.app import App, ComposeResult
from textual.widgets import Static

marks = {}

def ready(app):
    marks["ready"] = time.perf_counter() - t0
    marks["cpu0"] = time.process_time()
    def done():
        marks["idle_cpu"] = time.process_time() - marks["cpu0"]
        app.exit()
    app.set_timer(idle, done) if idle else app.exit()

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


def _child(kind: str, idle: float) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(idle)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run(repeats: int = 5, idle_seconds: float = 20.0) -> list[Result]:
    """Start-up ratio (median of `repeats`) and idle CPU per minute over `idle_seconds`."""
    with tempfile.TemporaryDirectory():
        bare = statistics.median(_child("bare", 0)["ready"] for _ in range(repeats))
        desk = statistics.median(_child("desk", 0)["ready"] for _ in range(repeats))
        bare_idle = _child("bare", idle_seconds)["idle_cpu"] * 60 / idle_seconds
        desk_idle = _child("desk", idle_seconds)["idle_cpu"] * 60 / idle_seconds
    return [
        Result("desk start-up to first frame", desk, "s", bare, "bare Textual app"),
        Result(
            "desk CPU per idle minute (session running)",
            desk_idle,
            "s",
            bare_idle,
            "bare Textual app repainting a clock 4×/s",
        ),
    ]
