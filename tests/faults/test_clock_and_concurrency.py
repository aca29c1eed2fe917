"""The wall clock moved during a session leaves the timer alone; many processes appending to the
access log at once leave every line readable and the chain unbroken."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

from kasuhara_timer.integrity.accesslog import log_access, read_access_log
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import LimitReached, PrewarningShown
from kasuhara_timer.sheets.save import save_record_and_sheet
from tests.support.sessions import begin, nanyo
from tests.support.tally import Tally

CLOCK_TRIALS = 30
WRITERS = 4
LINES_EACH = 60
ROUNDS = 5


def test_moving_the_wall_clock_never_moves_the_timer(tmp_path: Path, tally: Tally) -> None:
    kind = "wall clock moved"
    rng = random.Random(12)
    failures = []
    for trial in range(CLOCK_TRIALS):
        clock = ManualClock()
        folder, journal, session = begin(tmp_path / f"t{trial}", clock)
        elapsed = 0.0
        while elapsed < 31 * 60:
            step = rng.uniform(1, 120)
            clock.advance(step)
            elapsed += step
            if rng.random() < 0.3:  # NTP, daylight saving, a user: back or forward, up to a day
                clock.set_wall(clock.wall + timedelta(seconds=rng.uniform(-86400, 86400)))
            session.tick()
        session.end()
        journal.close()
        problems = []
        if abs(session.clock.elapsed() - elapsed) > 1e-6:
            problems.append(f"timer {session.clock.elapsed()} ≠ {elapsed}")
        events = session.state.events
        due = {e.minutes_before: e.t for e in events if isinstance(e, PrewarningShown)}
        limit = [e.t for e in events if isinstance(e, LimitReached)]
        if not limit or not 1800 <= limit[0] < 1800 + 120:
            problems.append(f"limit at {limit}")
        for minutes, t in due.items():
            if not 1800 - minutes * 60 <= t < 1800 - minutes * 60 + 120:
                problems.append(f"pre-warning {minutes} at {t}")
        if [e.t for e in events] != sorted(e.t for e in events):
            problems.append("event times out of order")
        record = save_record_and_sheet(folder, nanyo())
        if abs(record.session.duration_seconds - elapsed) > 1e-6:
            problems.append("duration on the record")
        tally.record(kind, survived=not problems)
        if problems:
            failures.append((trial, problems))
    assert failures == [], "\n".join(map(str, failures))


def test_many_processes_appending_to_the_access_log_at_once(tmp_path: Path, tally: Tally) -> None:
    kind = "concurrent access-log writers"
    failures = []
    for trial in range(ROUNDS):
        problems, lost = _writers_race(tmp_path / f"r{trial}")
        tally.record(kind, survived=not problems, lost=lost)
        if problems:
            failures.append((trial, problems))
    tally.note(kind, f"{WRITERS} processes × {LINES_EACH} lines per trial")
    assert failures == [], "\n".join(map(str, failures))


def _writers_race(data_dir: Path) -> tuple[list[str], int]:
    log_access(data_dir, "view", "S0")
    children = []
    for writer in range(WRITERS):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                for n in range(LINES_EACH):
                    log_access(data_dir, "listen", f"W{writer}", f"{n}")
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in children]
    read = read_access_log(data_dir)
    problems = []
    if any(os.waitstatus_to_exitcode(s) != 0 for s in statuses):
        problems.append("a writer failed")
    if read.problems:
        problems.append(str(read.problems))
    for writer in range(WRITERS):
        details = [e.detail for e in read.entries if e.session == f"W{writer}"]
        if details != [str(n) for n in range(LINES_EACH)]:
            problems.append(f"writer {writer} lost or reordered lines")
    return problems, WRITERS * LINES_EACH + 1 - len(read.entries)
