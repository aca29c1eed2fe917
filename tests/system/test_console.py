"""Output under a Japanese Windows console's code page (cp932), which lacks 「—」「✓」: a report
redirected to a file there must come out whole, with what cp932 lacks replaced."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.system.console import make_safe
from tests.support.sessions import finished_session


def test_a_cp932_stream_replaces_what_it_cannot_encode() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp932")
    make_safe(stream)
    stream.write("削除 — 済 ✓\n")
    stream.flush()
    assert raw.getvalue().decode("cp932") == "削除 ? 済 ?\n"


def test_a_utf8_stream_is_left_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    make_safe(stream)
    assert stream.errors == "strict"


def test_purge_redirected_under_cp932_prints_every_line(tmp_path: Path) -> None:
    config = "[retention]\naudio_days = 1\nflagged_years = 1\nrecord_years = 1\n"
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    long_ago = ManualClock(wall=datetime(2020, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))))
    folder, _ = finished_session(tmp_path / "data", long_ago)

    result = subprocess.run(
        [sys.executable, "-m", "kasuhara_timer", "--lang", "en", "purge"],
        env={**os.environ, "PYTHONIOENCODING": "cp932"},
        capture_output=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr.decode("cp932", errors="replace")
    out = result.stdout.decode("cp932")
    assert f"would delete session  {folder.name}" in out
    assert "Dry run: nothing was deleted" in out
