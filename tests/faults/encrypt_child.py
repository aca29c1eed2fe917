"""Encrypt one session folder (``python -m tests.faults.encrypt_child FOLDER RECIPIENT``),
saying ``ready`` once everything is imported, so the parent can kill it mid-way."""

from __future__ import annotations

import sys
from pathlib import Path

from kasuhara_timer.lifecycle.encrypting import encrypt_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store.folders import SessionFolder

if __name__ == "__main__":
    folder = SessionFolder(Path(sys.argv[1]), drill=False)
    print("ready", flush=True)
    sys.stdin.readline()
    encrypt_session(folder, [sys.argv[2]], clock=ManualClock())
    print("done", flush=True)
