"""`kasuhara-timer` (no subcommand) builds the desk from the config file and the options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kasuhara_timer import IMPORTED_AT
from kasuhara_timer.desk.launch import desk_setup, launch_instant
from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.policy.models import ChannelId


def test_defaults_nanyo_japanese_no_drill(tmp_path: Path) -> None:
    setup = desk_setup()
    assert setup.policy.id == "nanyo"
    assert setup.profile_source == ""  # bundled
    assert (setup.lang, setup.drill, setup.speed, setup.bell) == ("ja", False, 1.0, False)
    assert setup.start_channel is None
    assert isinstance(setup.store, FolderSessionStore)
    assert setup.store.data_dir == tmp_path / "data"  # KASUHARA_DATA_DIR


def test_options_override_the_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'profile = "sakaide"\nlang = "en"\nbell = true\ndrill_speed = 20\n', encoding="utf-8"
    )
    from_config = desk_setup(drill=True)
    assert from_config.policy.id == "sakaide"
    assert (from_config.lang, from_config.bell, from_config.speed) == ("en", True, 20.0)
    given = desk_setup(
        profile="fujimi",
        channel="counter",
        drill=True,
        speed=90,
        lang="ja",
        data_dir=tmp_path / "elsewhere",
    )
    assert given.policy.id == "fujimi"
    assert given.start_channel is ChannelId.COUNTER
    assert (given.lang, given.speed) == ("ja", 90)
    assert isinstance(given.store, FolderSessionStore)
    assert given.store.data_dir == tmp_path / "elsewhere"


def test_speed_without_drill_is_refused() -> None:
    with pytest.raises(UserError, match="--speed only applies to drills"):
        desk_setup(speed=60)


def test_an_office_profile_file_is_recorded_as_its_source(tmp_path: Path) -> None:
    from importlib import resources

    office = tmp_path / "office.toml"
    bundled = resources.files("kasuhara_timer.policy.profiles") / "nanyo.toml"
    office.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    assert desk_setup(profile=str(office)).profile_source == str(office)


def test_bad_options_exit_2_with_a_message_and_no_traceback() -> None:
    for args, message in (
        (["--speed", "5"], "--speed only applies to drills"),
        (["--profile", "nosuch"], "unknown profile 'nosuch'"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kasuhara_timer", *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_the_launch_is_taken_no_later_than_the_package_import() -> None:
    launched = launch_instant()
    mono, wall = IMPORTED_AT
    assert mono - 10 <= launched.monotonic <= mono
    assert launched.wall.timestamp() <= wall
    assert launched.wall.utcoffset() is not None


def test_the_channel_option_carries_the_launch_and_the_idle_desk_does_not() -> None:
    launched = launch_instant()
    assert desk_setup(channel="phone", launched=launched).launched == launched
    assert desk_setup(launched=launched).launched is None


def test_the_desk_starts_without_what_its_first_frame_does_not_need() -> None:
    """numpy and PortAudio load with the first recording, Jinja2 with the first sheet, ffmpeg
    with the first archive: each is a tenth of a second or more before the idle screen."""
    code = (
        "import sys\n"
        "from kasuhara_timer.desk.launch import desk_setup, launch_instant\n"
        "import kasuhara_timer.desk.app\n"
        "desk_setup(launched=launch_instant())\n"
        "late = {'numpy', 'sounddevice', 'jinja2', 'imageio_ffmpeg', 'openpyxl'}\n"
        "print(sorted(late & set(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert loaded.strip() == "[]"
