"""One desk window per PC account: a shortcut clicked again while a session runs says so and
stops, instead of seeing the live session as interrupted and taking it over."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer import cli
from kasuhara_timer.desk.launch import DESK_LOCK
from kasuhara_timer.system.locks import LockBusy, single_instance


@pytest.fixture
def desk_open_elsewhere(tmp_path: Path) -> Iterator[Path]:
    """Another process holds the desk lock, as a desk window would."""
    state = tmp_path / "state"
    state.mkdir()
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from kasuhara_timer.system.locks import single_instance
        with single_instance(Path({str(state / DESK_LOCK)!r})):
            print("held", flush=True)
            sys.stdin.readline()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    try:
        yield state
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def test_a_second_desk_window_stops_with_a_clear_message(
    desk_open_elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kasuhara_timer.audio.devices as devices
    import kasuhara_timer.desk.app as desk_app

    started: list[object] = []
    monkeypatch.setattr(devices, "divert_native_stderr", lambda log: None)
    monkeypatch.setattr(desk_app, "DeskApp", lambda setup: started.append(setup))

    result = CliRunner().invoke(cli.main, ["--channel", "phone"])

    assert result.exit_code == 2
    assert "the desk is already open in another window on this PC" in result.output
    assert str(desk_open_elsewhere / DESK_LOCK) in result.output
    assert started == []


def test_the_lock_is_free_again_when_its_holder_ends(tmp_path: Path) -> None:
    path = tmp_path / DESK_LOCK
    with single_instance(path), pytest.raises(LockBusy), single_instance(path):
        pass
    with single_instance(path):
        pass
