"""A desk process for the kill trials: a real DeskSession on a real Journal, acting at random.

It prints ``folder <path>`` once, then ``ack <seq> <hash>`` for every journal line as soon as the
DeskSession call that wrote it returned — the moment the desk app would show it. The parent kills
it with SIGKILL at a random moment and checks that every acknowledged line is on disk unchanged.

Forked by the parent (`run_desk`), or run as a script for the recording variant, which also
records the default microphone with a real `Recorder` (PortAudio must not be forked)::

    python -m tests.faults.desk_child DATA_DIR SEED

and prints ``recording <state> <monotonic seconds>`` for each recorder report.
"""

from __future__ import annotations

import os
import queue
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from kasuhara_timer import __version__
from kasuhara_timer.lifecycle.interrupted import resume_session
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import SessionClock, SystemClock
from kasuhara_timer.session.desk import AudioPosition, DeskSession
from kasuhara_timer.session.events import Event, RecordingState, Staff
from kasuhara_timer.store.folders import SessionFolder, create_session_folder
from kasuhara_timer.store.journal import Journal, JournalEntry
from tests.support.sessions import HOST, nanyo

TEXTS = [
    "大声で同じ主張を繰り返す",
    "「責任者を出せ」🙏",
    "مرحبا بالعالم",
    "שלום \u202eevil\u202c",
    "tab\tand\x1b[31mescape",
    "メモ",
]

StartRecorder = Callable[[SessionFolder, SessionClock], AudioPosition]
Report = tuple[RecordingState, str, float | None]


class AckingSink:
    """The journal, remembering each line written until the desk call returns."""

    def __init__(self, journal: Journal, pending: list[JournalEntry]) -> None:
        self.journal = journal
        self.pending = pending

    def append(self, event: Event) -> JournalEntry:
        entry = self.journal.append(event)
        self.pending.append(entry)
        return entry


def send(out: int, line: str) -> None:
    """One line to the parent in one write (atomic below PIPE_BUF)."""
    os.write(out, (line + "\n").encode("utf-8"))


def run_desk(
    data_dir: Path,
    resume: Path | None,
    out: int,
    seed: int,
    *,
    start_recorder: StartRecorder | None = None,
    reports: queue.SimpleQueue[Report] | None = None,
    pause: tuple[float, float] = (0.0, 0.0),
) -> NoReturn:
    """Start (or resume) a session and act on it at random until killed."""
    rng = random.Random(seed)
    policy = nanyo()
    system = SystemClock()
    pending: list[JournalEntry] = []
    if resume is None:
        folder = create_session_folder(data_dir, system.now(), HOST)
        journal = Journal.create(folder.journal)
        send(out, f"folder {folder.path}")
        clock = SessionClock(system)
        session = DeskSession.start(
            policy,
            ChannelId.PHONE,
            clock,
            AckingSink(journal, pending),
            staff=Staff(name="山田", section="市民課"),
            desk=HOST,
            app_version=__version__,
        )
    else:
        folder = SessionFolder(resume, drill=False)
        send(out, f"folder {folder.path}")
        session = resume_session(folder, policy, system, sink=lambda j: AckingSink(j, pending))
    if start_recorder is not None:
        session.audio = start_recorder(folder, session.clock)
    behaviours = [b.id for b in policy.behaviours]
    while True:
        _flush(out, pending)
        while reports is not None and not reports.empty():
            state, detail, gap = reports.get()
            session.recording_changed(state, detail, gap)
            _flush(out, pending)
        _act(session, rng, behaviours)
        if pause[1] > 0:
            time.sleep(rng.uniform(*pause))


def _flush(out: int, pending: list[JournalEntry]) -> None:
    for entry in pending:
        send(out, f"ack {entry.seq} {entry.hash}")
    pending.clear()


def _act(session: DeskSession, rng: random.Random, behaviours: list[str]) -> None:
    roll = rng.random()
    if roll < 0.45:
        text = rng.choice(TEXTS)
        if rng.random() < 0.15:
            text *= rng.randint(200, 3000)  # long notes widen the window of a write
        session.add_note(text)
    elif roll < 0.75:
        session.toggle_tag(rng.choice(behaviours))
    elif roll < 0.85:
        session.take_next_step()
    elif roll < 0.88:
        session.go_immediate()
    else:
        session.tick()


def main() -> None:
    """The recording variant: a new session recorded from the default microphone."""
    from kasuhara_timer.audio.recorder import Recorder, RecorderReport
    from kasuhara_timer.audio.settings import AudioSettings

    data_dir, seed = Path(sys.argv[1]), int(sys.argv[2])
    out = sys.stdout.fileno()
    reports: queue.SimpleQueue[Report] = queue.SimpleQueue()

    def report(change: RecorderReport) -> None:
        send(out, f"recording {change.state} {time.monotonic()}")
        reports.put((change.state, change.detail, change.gap_seconds))

    def start_recorder(folder: SessionFolder, clock: SessionClock) -> AudioPosition:
        recorder = Recorder(folder.audio, AudioSettings(), clock, report)
        recorder.start()
        return recorder.mark

    run_desk(
        data_dir,
        None,
        out,
        seed,
        start_recorder=start_recorder,
        reports=reports,
        pause=(0.005, 0.05),
    )


if __name__ == "__main__":
    main()
