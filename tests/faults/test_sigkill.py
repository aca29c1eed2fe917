"""SIGKILL at random moments: every session recoverable, nothing acknowledged lost.

A real DeskSession on a real Journal (tests/faults/desk_child.py) acts as fast as it can and is
killed with SIGKILL after a random number of acknowledged events plus a random few milliseconds.
After each kill the journal must parse with at most a torn last line, every line the process
acknowledged must be on disk unchanged, and the session must be offered for recovery. The next
trial resumes it (so kills also land during a resume) or closes it, and a closed session must
verify intact. With the virtual microphone, a recording variant also checks that a kill loses
at most about a second of audio.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kasuhara_timer.audio.backend import BLOCKS_PER_SECOND
from kasuhara_timer.audio.segments import list_segments
from kasuhara_timer.integrity.seal import seal_session
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.lifecycle.interrupted import close_interrupted
from kasuhara_timer.lifecycle.lookback import find_interrupted
from kasuhara_timer.session.clock import SystemClock
from kasuhara_timer.store.folders import SessionFolder, list_session_folders
from kasuhara_timer.store.journal import ProblemKind, read_journal
from tests.faults.desk_child import run_desk
from tests.support.sessions import HOST, nanyo
from tests.support.tally import Tally

KILL_TRIALS = 60
START_KILL_TRIALS = 15
RECORDING_TRIALS = 6
PATIENCE = 30.0
"""Seconds to wait for a child's next line before calling it hung (never a speed assertion)."""


class Lines:
    """Lines from a child's pipe, with a bound on how long to wait for each."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.closed = False

    def next(self) -> str | None:
        """The next complete line, or None at end of file."""
        while b"\n" not in self.buffer:
            if self.closed:
                return None
            ready, _, _ = select.select([self.fd], [], [], PATIENCE)
            assert ready, "the child stopped talking"
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.closed = True
                continue
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def rest(self) -> list[str]:
        """Every complete line left (the writer is dead)."""
        lines = []
        while (line := self.next()) is not None:
            lines.append(line)
        return lines


@dataclass
class Acks:
    """What the desk process acknowledged: journal line number → its hash."""

    folder: Path | None = None
    lines: dict[int, str] = field(default_factory=dict)
    recording_started: float | None = None

    def take(self, line: str) -> None:
        kind, *rest = line.split()
        if kind == "folder":
            self.folder = Path(line.split(" ", 1)[1])
        elif kind == "ack":
            self.lines[int(rest[0])] = rest[1]
        elif kind == "recording" and rest[0] == "started" and self.recording_started is None:
            self.recording_started = float(rest[1])


def fork_and_kill(
    data_dir: Path, resume: Path | None, rng: random.Random, acks: Acks, wanted: int
) -> None:
    """Run the desk in a forked child; SIGKILL it after `wanted` acks and a random moment."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        try:
            os.close(read_fd)
            run_desk(data_dir, resume, write_fd, rng.randrange(1 << 30))
        finally:
            os._exit(3)
    os.close(write_fd)
    lines = Lines(read_fd)
    try:
        seen = 0
        while seen < wanted:
            line = lines.next()
            assert line is not None, "the desk process died on its own"
            acks.take(line)
            seen += line.startswith("ack")
        time.sleep(rng.uniform(0, 0.003))
        os.kill(pid, signal.SIGKILL)
        for line in lines.rest():
            acks.take(line)
    finally:
        with_status = os.waitpid(pid, 0)[1]
        os.close(read_fd)
    assert os.WIFSIGNALED(with_status) and os.WTERMSIG(with_status) == signal.SIGKILL


def missing(folder: Path, acks: Acks) -> tuple[int, list[str]]:
    """Acknowledged lines not on disk as acknowledged, and the journal's damage."""
    result = read_journal(folder / "journal.jsonl")
    on_disk = {entry.seq: entry.hash for entry in result.entries}
    lost = sum(on_disk.get(seq) != digest for seq, digest in acks.lines.items())
    damage = [str(p) for p in result.problems if p.kind is not ProblemKind.TORN_TAIL]
    return lost, damage


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path, tally: Tally) -> None:
    kind = "SIGKILL mid-session"
    data_dir = tmp_path / "data"
    rng = random.Random(20260401)
    acks = Acks()
    resume: Path | None = None
    failures = []
    torn = 0
    for trial in range(KILL_TRIALS):
        if resume is None:
            acks = Acks()
        fork_and_kill(data_dir, resume, rng, acks, wanted=rng.randint(1, 25))
        assert acks.folder is not None
        lost, damage = missing(acks.folder, acks)
        torn += (
            read_journal(acks.folder / "journal.jsonl").good_size
            != (acks.folder / "journal.jsonl").stat().st_size
        )
        offered = [i.folder.path for i in find_interrupted(data_dir, HOST) if i.resumable]
        survived = lost == 0 and not damage and acks.folder in offered
        if survived and (rng.random() < 0.3 or trial == KILL_TRIALS - 1):
            folder = SessionFolder(acks.folder, drill=False)
            close_interrupted(folder, nanyo(), SystemClock())
            seal_session(folder, clock=SystemClock())
            report = verify_session(folder)
            survived = report.intact and missing(acks.folder, acks)[0] == 0
            resume = None
        else:
            resume = acks.folder
        tally.record(kind, survived=survived, lost=lost)
        if not survived:
            failures.append((trial, lost, damage, acks.folder in offered))
    sessions = list_session_folders(data_dir)
    events = sum(len(read_journal(s.journal).entries) for s in sessions)
    tally.note(kind, f"{len(sessions)} sessions, {events} events, {torn} killed mid-line")
    assert failures == [], "\n".join(map(str, failures))


def test_sigkill_while_a_session_starts_leaves_nothing_broken(tmp_path: Path, tally: Tally) -> None:
    """Killed within the first milliseconds: before, during or just after the start."""
    kind = "SIGKILL during start"
    data_dir = tmp_path / "data"
    rng = random.Random(7)
    failures = []
    unstarted = 0
    for trial in range(START_KILL_TRIALS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_fd)
                run_desk(data_dir, None, write_fd, trial)
            finally:
                os._exit(3)
        os.close(write_fd)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        acks = Acks()
        for line in Lines(read_fd).rest():
            acks.take(line)
        os.close(read_fd)
        problems = []
        for folder in list_session_folders(data_dir):
            if folder.journal.exists():
                result = read_journal(folder.journal)
                problems += [str(p) for p in result.damaged]
        offered = {i.folder.path: i for i in find_interrupted(data_dir, HOST)}
        problems += [f"{p}: {i.reason}" for p, i in offered.items() if not i.resumable]
        lost = 0
        if acks.lines:  # the start was acknowledged: it must be offered and resumable
            assert acks.folder is not None
            lost, _ = missing(acks.folder, acks)
            found = offered.get(acks.folder)
            problems += [] if found is not None and found.resumable else ["not offered"]
        survived = not problems and lost == 0
        tally.record(kind, survived=survived, lost=lost)
        if not survived:
            failures.append((trial, problems, lost))
        unstarted += not acks.lines
    tally.note(kind, f"{unstarted} killed before the start was saved")
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.audio
@pytest.mark.skipif(
    not os.environ.get("PULSE_SOURCE"),
    reason="needs the virtual microphone (run under scripts/with-virtual-mic; PULSE_SOURCE unset)",
)
def test_sigkill_while_recording_loses_at_most_about_a_second_of_audio(
    tmp_path: Path, tally: Tally
) -> None:
    kind = "SIGKILL while recording"
    data_dir = tmp_path / "data"
    rng = random.Random(11)
    losses: list[float] = []
    failures = []
    for trial in range(RECORDING_TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.desk_child", str(data_dir), str(trial)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).parents[2],
        )
        assert child.stdout is not None
        lines = Lines(child.stdout.fileno())
        acks = Acks()
        try:
            while acks.recording_started is None:
                line = lines.next()
                assert line is not None, "the desk process died before recording"
                acks.take(line)
            until = time.monotonic() + rng.uniform(1.0, 3.0)
            while time.monotonic() < until:
                line = lines.next()
                assert line is not None
                acks.take(line)
            killed_at = time.monotonic()
            child.send_signal(signal.SIGKILL)
            for line in lines.rest():
                acks.take(line)
        finally:
            child.kill()
            child.wait()
        assert acks.folder is not None
        lost, damage = missing(acks.folder, acks)
        recorded = sum(s.seconds for s in list_segments(acks.folder / "audio"))
        audio_lost = (killed_at - acks.recording_started) - recorded
        losses.append(audio_lost)
        folder = SessionFolder(acks.folder, drill=False)
        close_interrupted(folder, nanyo(), SystemClock())
        seal_session(folder, clock=SystemClock())
        intact = verify_session(folder).intact
        # Negative: more audio than the time since the desk said "recording" — the report
        # comes with the first block, so up to one block (plus PulseAudio's latency) early.
        early = 0.2 + 1 / BLOCKS_PER_SECOND
        survived = lost == 0 and not damage and -early < audio_lost <= 1.0 and intact
        tally.record(kind, survived=survived, lost=lost)
        if not survived:
            failures.append((trial, lost, damage, round(audio_lost, 3), intact))
    tally.note(kind, f"audio lost per kill: {min(losses):+.2f} to {max(losses):+.2f} s", "events")
    assert failures == [], "\n".join(map(str, failures))
