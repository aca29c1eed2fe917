"""A crash keeps its exit status and leaves its traceback in the state folder's crash.log, so a
Windows Terminal tab stays open on it and IT has something to read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.app import App

from kasuhara_timer import cli
from kasuhara_timer.ui.crash import CRASH_LOG, run_logging_crashes


class Crashing(App[None]):
    """Fails as it starts, like a bug in a screen."""

    def on_mount(self) -> None:
        raise RuntimeError("a bug in the desk")

    def run(self, *args: Any, **kwargs: Any) -> None:
        super().run(headless=True)


class Closing(App[None]):
    def on_mount(self) -> None:
        self.exit()

    def run(self, *args: Any, **kwargs: Any) -> None:
        super().run(headless=True)


def test_a_crash_exits_1_and_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "state" / CRASH_LOG
    assert run_logging_crashes(Crashing(), log) == 1
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: a bug in the desk" in text
    assert run_logging_crashes(Crashing(), log) == 1
    assert log.read_text(encoding="utf-8").count("RuntimeError: a bug in the desk") == 2


def test_a_normal_close_exits_0_and_logs_nothing(tmp_path: Path) -> None:
    log = tmp_path / CRASH_LOG
    assert run_logging_crashes(Closing(), log) == 0
    assert not log.exists()


@pytest.mark.parametrize("args", [[], ["review"]])
def test_the_commands_pass_a_crash_on_as_their_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    import kasuhara_timer.audio.devices as devices
    import kasuhara_timer.desk.app as desk_app
    import kasuhara_timer.review.app as review_app

    monkeypatch.setattr(devices, "divert_native_stderr", lambda log: None)
    monkeypatch.setattr(desk_app, "DeskApp", lambda setup: Crashing())
    monkeypatch.setattr(review_app, "ReviewApp", lambda setup: Crashing())
    (tmp_path / "data").mkdir()

    result = CliRunner().invoke(cli.main, args)

    assert result.exit_code == 1, result.output
    assert "RuntimeError: a bug in the desk" in (tmp_path / "state" / CRASH_LOG).read_text(
        encoding="utf-8"
    )
