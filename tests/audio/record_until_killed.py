"""Child process for the kill test: record the default microphone until SIGKILL arrives.

Prints each report as a JSON line, then, every tenth of a second, how many seconds of audio
the recorder had received (its own frame count, `Recorder.mark`), so the parent knows how much
audio existed before the kill without comparing clocks.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from kasuhara_timer.audio.recorder import Recorder, RecorderReport
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.session.clock import SessionClock, SystemClock


def main(audio_dir: Path) -> None:
    def report(change: RecorderReport) -> None:
        print(json.dumps({"state": change.state}), flush=True)

    recorder = Recorder(audio_dir, AudioSettings(), SessionClock(SystemClock()), report)
    recorder.start()
    tick = threading.Event()
    while not tick.wait(0.1):
        mark = recorder.mark()
        print(json.dumps({"offset": mark.offset if mark is not None else 0.0}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
