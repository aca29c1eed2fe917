"""Finding the microphone by name, and saying clearly when there is none."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer.audio import devices
from kasuhara_timer.audio.backend import SoundDeviceBackend
from kasuhara_timer.audio.devices import AudioUnavailable, InputDevice, find_input_device
from kasuhara_timer.cli import main


def device(index: int, name: str, hostapi: str, default: bool = False) -> InputDevice:
    return InputDevice(index, name, hostapi, 2, 48000.0, default)


SEEN = [
    device(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", "ALSA"),
    device(1, "pulse", "ALSA"),
    device(2, "default", "ALSA", default=True),
    device(3, "Headset Microphone (Jabra EVOLVE 20)", "MME"),
    device(4, "Headset Microphone (Jabra EVOLVE 20)", "Windows WASAPI"),
]


@pytest.mark.parametrize(
    ("name", "hostapi", "expected"),
    [
        (None, None, 2),
        ("jabra", None, 3),
        ("jabra", "wasapi", 4),
        ("Pulse", None, 1),
        ("ALC257", "alsa", 0),
        (None, "WASAPI", 4),
        ("Blue Yeti", None, None),
        ("jabra", "Core Audio", None),
    ],
)
def test_devices_are_found_by_name_and_host_api_not_index(
    name: str | None, hostapi: str | None, expected: int | None
) -> None:
    found = find_input_device(SEEN, name, hostapi)
    assert (found.index if found else None) == expected


def test_an_exact_name_wins_over_a_partial_one() -> None:
    seen = [device(0, "pulse_monitor", "ALSA"), device(1, "pulse", "ALSA")]
    found = find_input_device(seen, "pulse")
    assert found is not None and found.index == 1


def test_missing_portaudio_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_library(name: str) -> None:
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(importlib, "import_module", no_library)
    with pytest.raises(AudioUnavailable, match="install it with `apt-get install libportaudio2`"):
        SoundDeviceBackend().check()


def test_missing_sounddevice_package_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(AudioUnavailable, match="sounddevice package is not installed"):
        devices.list_input_devices()


def test_no_input_device_at_all_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kasuhara_timer.audio.backend.list_input_devices", lambda: [])
    with pytest.raises(AudioUnavailable, match="no microphone"):
        SoundDeviceBackend().check()


def test_the_devices_command_lists_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_input_devices", lambda: SEEN)
    result = CliRunner().invoke(main, ["devices"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Jabra EVOLVE 20" in result.output
    assert "Windows WASAPI" in result.output
    assert "default" in result.output


def test_the_devices_command_explains_missing_portaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> list[InputDevice]:
        raise AudioUnavailable("the PortAudio library is missing")

    monkeypatch.setattr(devices, "list_input_devices", missing)
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code == 2
    assert "the PortAudio library is missing" in result.output
    assert "Traceback" not in result.output


def test_the_devices_command_explains_no_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_input_devices", lambda: [])
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code == 2
    assert "no microphone" in result.output


_DIVERTED_CHILD = """
import os, sys, threading
from pathlib import Path
from kasuhara_timer.audio.devices import divert_native_stderr, quiet_stderr

divert_native_stderr(Path(sys.argv[1]))
os.write(2, b"ALSA lib pcm.c: noise before\\n")

def probe() -> None:  # the recorder's thread, probing devices while the UI draws
    with quiet_stderr():
        os.write(2, b"ALSA lib pcm.c: noise from the thread\\n")
        sys.__stderr__.write("drawn on the screen meanwhile\\n")
        sys.__stderr__.flush()

thread = threading.Thread(target=probe)
thread.start()
thread.join()
print("python's own message", file=sys.stderr)
"""


def test_a_diverted_stderr_keeps_the_terminal_for_python_and_c_noise_in_the_log(
    tmp_path: Path,
) -> None:
    log = tmp_path / "state" / "native.log"
    child = subprocess.run(
        [sys.executable, "-c", _DIVERTED_CHILD, str(log)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert child.stderr == "drawn on the screen meanwhile\npython's own message\n"
    assert log.read_text() == (
        "ALSA lib pcm.c: noise before\nALSA lib pcm.c: noise from the thread\n"
    )
