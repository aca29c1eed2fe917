"""A desk process to be killed with SIGKILL mid-call: a real DeskSession on a real Journal,
recording into a real segment that is never closed.

    python -m tests.desk.killed_desk DATA_DIR HOST

It prints ``ready <folder>`` once a tag and a note are journaled (fsynced) and a second of
audio is synced to disk, then waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from kasuhara_timer import __version__
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import SessionClock, SystemClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.folders import create_session_folder
from kasuhara_timer.store.journal import Journal

RATE = 16000


def main(data_dir: Path, host: str) -> None:
    """Start a session, act, record a second, say so, then wait for the kill."""
    system = SystemClock()
    folder = create_session_folder(data_dir, system.now(), host)
    journal = Journal.create(folder.journal)
    clock = SessionClock(system)
    session = DeskSession.start(
        load_policy("nanyo").policy,
        ChannelId.PHONE,
        clock,
        journal,
        staff=Staff(name="山田", section="市民課"),
        desk=host,
        app_version=__version__,
    )
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=system.now())
    writer = SegmentWriter(folder.audio, 1, fmt)
    tone = np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE) * 8000
    writer.write(tone.astype("<i2").tobytes())
    writer.sync()
    session.toggle_tag("mental_attack")
    session.add_note("同じ主張を繰り返す")
    print(f"ready {folder.path}", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
