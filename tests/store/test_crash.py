"""A desk process killed mid-session leaves a journal holding everything it acknowledged."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from kasuhara_timer.session.events import NoteAdded, Started
from kasuhara_timer.store.journal import ProblemKind, read_journal

CHILD = Path(__file__).with_name("journal_child.py")


def run_and_kill(journal: Path, acknowledged_before_kill: int) -> list[int]:
    """Start the appender, kill it with SIGKILL after that many acknowledgements, return all it
    printed (including what it printed between our read and the kill)."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(journal)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    printed = [int(child.stdout.readline()) for _ in range(acknowledged_before_kill)]
    child.send_signal(signal.SIGKILL)
    printed += [int(line) for line in child.stdout.read().split()]
    assert child.wait() == -signal.SIGKILL
    return printed


def test_sigkill_loses_no_acknowledged_event(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    rng = random.Random(20260401)
    acknowledged: list[int] = []
    for _trial in range(6):  # each trial resumes the journal the last one left behind
        acknowledged += run_and_kill(journal, rng.randint(2, 40))
        result = read_journal(journal)
        assert result.damaged == ()
        assert set(acknowledged) <= {entry.seq for entry in result.entries}
        assert [p.kind for p in result.problems] in ([], [ProblemKind.TORN_TAIL])
    events = read_journal(journal).events
    assert isinstance(events[0], Started)
    assert all(isinstance(e, NoteAdded) for e in events[1:])
