"""ffmpeg never reads the staff member's keyboard: `q` typed while a recording is archived or
played would end the decode early, and still exit 0."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kasuhara_timer.audio import archive as archive_module
from kasuhara_timer.audio.archive import ffmpeg_executable
from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.system import processes
from kasuhara_timer.system.processes import CREATE_NO_WINDOW, creation_flags

RATE = 16000
SECONDS = 900
"""Long enough that ffmpeg looks at its stdin (it checks every 0.1 s) before it has finished."""


@pytest.fixture(scope="module")
def long_opus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "recording.opus"
    subprocess.run(
        [
            ffmpeg_executable(), "-nostdin", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", f"anoisesrc=d={SECONDS}:r={RATE}", "-ac", "1",
            "-c:a", "libopus", "-b:a", "16k", "-compression_level", "0", "-f", "opus", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture
def keys_on_stdin() -> Iterator[None]:
    """The process's fd 0 is a pipe holding what a clerk might type: `q`, `c`, Enter."""
    read, write = os.pipe()
    os.write(write, b"qqqq c\nq\n")
    saved = os.dup(0)
    os.dup2(read, 0)
    os.close(read)
    try:
        yield
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(write)


@pytest.mark.usefixtures("keys_on_stdin")
def test_archive_check_decodes_everything_while_keys_are_typed(long_opus: Path) -> None:
    pcm_args = ["-f", "s16le", "-ar", str(RATE), "-ac", "1"]
    decoded = archive_module._decoded_frames(ffmpeg_executable(), long_opus, pcm_args)
    assert decoded == SECONDS * RATE * 2


def test_every_ffmpeg_run_is_detached_from_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[tuple[list[str], dict[str, Any]]] = []
    real_popen = subprocess.Popen

    def spy(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        runs.append((command, kwargs))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    started = datetime(2026, 4, 1, 9, tzinfo=timezone(timedelta(hours=9)))
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=started)
    writer = SegmentWriter(tmp_path, 1, fmt)
    writer.write(os.urandom(RATE * 2))
    writer.close()
    archive_module.archive(tmp_path)

    assert len(runs) == 2  # encode both, decode the FLAC back (the Opus length: its pages)
    for command, kwargs in runs:
        assert command[1] == "-nostdin"
        assert kwargs["stdin"] in (subprocess.PIPE, subprocess.DEVNULL)
        assert kwargs["creationflags"] == creation_flags()


def test_windows_children_get_no_console_window() -> None:
    assert creation_flags("win32") == CREATE_NO_WINDOW == 0x08000000
    assert creation_flags("linux") == 0
    assert processes.creation_flags() == 0
