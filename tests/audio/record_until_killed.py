"""Child process for the kill test: record the default microphone until SIGKILL arrives.

Prints each report as a JSON line with the system's monotonic time (shared across processes on
Linux), so the parent knows when audio began.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from kasuhara_timer.audio.recorder import Recorder, RecorderReport
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.session.clock import SessionClock, SystemClock


def main(audio_dir: Path) -> None:
    def report(change: RecorderReport) -> None:
        print(json.dumps({"state": change.state, "mono": time.monotonic()}), flush=True)

    Recorder(audio_dir, AudioSettings(), SessionClock(SystemClock()), report).start()
    threading.Event().wait()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
