"""Run by test_crash.py: appends notes forever, printing each seq once `append` returned.

Whatever it printed was acknowledged, as the desk app would have shown it; the parent kills this
process with SIGKILL at an arbitrary moment and checks every printed seq is in the journal.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.events import NoteAdded, Started
from kasuhara_timer.store.journal import Journal


def main(path: Path) -> None:
    at = datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    if path.exists():
        journal = Journal.open_for_append(path)
    else:
        journal = Journal.create(path)
        journal.append(
            Started(t=0, at=at, channel=ChannelId.PHONE, profile="nanyo", limit_minutes=30)
        )
    seq = journal.seq
    print(seq, flush=True)
    while True:
        entry = journal.append(NoteAdded(t=seq, at=at, text=f"メモ {seq} " + "あ" * (seq % 700)))
        seq = entry.seq
        print(seq, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
