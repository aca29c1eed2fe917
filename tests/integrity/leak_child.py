"""A child that stops in the middle of writing a partial file, for the parent to stat and kill.

``python -m tests.integrity.leak_child bundle DATA SESSION OUT`` writes a disclosure bundle and
``… archive AUDIO_DIR`` archives a recording; each prints ``writing`` once its partial file has
content, then waits to be killed with SIGKILL.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _wait_to_be_killed() -> None:
    print("writing", flush=True)
    time.sleep(3600)


def bundle(data: Path, session: str, out: Path) -> None:
    """Export `session` as a bundle, stopping before its audio goes in."""
    from kasuhara_timer.catalog.sessions import load_session
    from kasuhara_timer.exports import ExportFormat, run_export
    from kasuhara_timer.exports import bundle as bundle_module
    from kasuhara_timer.store.folders import resolve_session

    def stop(*args: Any) -> str:
        _wait_to_be_killed()
        return "none"

    bundle_module._add_audio = stop  # type: ignore[assignment]
    os.umask(0o022)
    run_export(data, [load_session(resolve_session(data, session))], ExportFormat.BUNDLE, out)


def archive(audio_dir: Path) -> None:
    """Archive the segments in `audio_dir`, stopping once ffmpeg has some of the PCM."""
    from kasuhara_timer.audio import archive as archive_module

    real = archive_module._pcm_chunks

    def chunks(*args: Any, **kwargs: Any) -> Iterator[bytes]:
        for number, chunk in enumerate(real(*args, **kwargs)):
            yield chunk
            if number == 0:
                _wait_to_be_killed()

    archive_module._pcm_chunks = chunks
    os.umask(0o022)
    archive_module.archive(audio_dir)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "bundle":
        bundle(Path(args[0]), args[1], Path(args[2]))
    else:
        archive(Path(args[0]))
