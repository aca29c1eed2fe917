"""The microphones PortAudio can see, and finding the configured one by name.

Devices are matched by (part of) their name and host API, never by index: PortAudio renumbers
them whenever it rescans, which the recorder makes it do after every fault.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from kasuhara_timer.errors import UserError
from kasuhara_timer.store.atomic import make_private_dir
from kasuhara_timer.system.files import binary


class AudioUnavailable(Exception):
    """Recording is impossible on this machine; the message says why in plain words."""


@dataclass(frozen=True)
class InputDevice:
    """One capture device as PortAudio reports it."""

    index: int
    """Valid only until PortAudio is re-initialised; never store it."""
    name: str
    hostapi: str
    channels: int
    default_samplerate: float
    is_default: bool

    @property
    def label(self) -> str:
        """`name (host API)`, as shown to users and written in segment sidecars."""
        return f"{self.name} ({self.hostapi})"


WINDOWS_MIC_ACCESS = (
    "Windows: Settings > Privacy & security > Microphone: turn on 'Microphone access' and"
    " 'Let desktop apps access your microphone'; then Settings > System > Sound > Input"
)
"""Where a Windows PC blocks or picks the microphone (the privacy switch makes it silent)."""


def microphone_help(platform: str = sys.platform) -> str:
    """Where this system shows, allows and chooses microphones."""
    if platform == "win32":
        return WINDOWS_MIC_ACCESS
    if platform == "darwin":
        return "macOS: System Settings > Privacy & Security > Microphone, and Sound > Input"
    return "Linux: `arecord -l`, and the sound settings' input"


def portaudio_install_hint(platform: str = sys.platform) -> str:
    """How to get PortAudio: Linux needs the system library; elsewhere the wheel ships it."""
    if platform in ("win32", "darwin"):
        return "`install.cmd` of the offline bundle again (the sounddevice wheel ships it)"
    return "`apt-get install libportaudio2` (or scripts/system-deps)"


def load_sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into `AudioUnavailable`."""
    try:
        return importlib.import_module("sounddevice")
    except ImportError as error:
        raise AudioUnavailable(
            f"the sounddevice package is not installed ({error}); reinstall kasuhara-timer"
        ) from None
    except OSError as error:
        raise AudioUnavailable(
            f"the PortAudio library is missing ({error}); install it with"
            f" {portaudio_install_hint()}"
        ) from None


_native_stderr_diverted = False


def divert_native_stderr(log: Path) -> None:
    """For the whole run of a full-screen app: fd 2 goes to `log`, Python keeps the terminal.

    C libraries (ALSA, PortAudio) print diagnostics on fd 2 while probing devices, which would
    scribble over the terminal UI. Redirecting fd 2 only around those calls is not safe once a
    UI runs: the recorder makes them from its own thread, and Textual draws the screen on
    `sys.__stderr__`, fd 2 itself, so frames drawn meanwhile would be lost. So Python's stderr
    (and Textual's) gets a duplicate of the terminal's fd 2, fd 2 is pointed at `log` (or
    /dev/null when it cannot be opened) for good, and `quiet_stderr` does nothing from then on.
    """
    global _native_stderr_diverted
    if _native_stderr_diverted:
        return
    try:
        terminal = os.dup(2)
    except OSError:  # no stderr at all (pythonw): nothing to protect
        return
    try:
        make_private_dir(log.parent)
        target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | binary(), 0o600)
    except (OSError, UserError):
        target = os.open(os.devnull, os.O_WRONLY)
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    stream = os.fdopen(terminal, "w", buffering=1, encoding=encoding, errors="backslashreplace")
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    os.dup2(target, 2)
    os.close(target)
    sys.stderr = stream
    sys.__stderr__ = stream  # type: ignore[misc]  # Textual's Linux driver draws on it
    _native_stderr_diverted = True


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send what C libraries print on fd 2 (ALSA, PortAudio) to /dev/null for a moment.

    They print diagnostics while probing devices; the errors that matter reach us as exceptions
    anyway. A no-op once `divert_native_stderr` has run: fd 2 is the log already, and swapping
    it from another thread would lose what the terminal UI draws meanwhile.
    """
    if _native_stderr_diverted:
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (pythonw)
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel, as PortAudio sees it now."""
    sd = load_sounddevice()
    with quiet_stderr():
        return _input_devices(sd)


def _input_devices(sd: ModuleType) -> list[InputDevice]:
    hostapis: Any = sd.query_hostapis()
    default_input = _default_input_index(sd)
    devices = []
    for info in sd.query_devices():
        if info["max_input_channels"] <= 0:
            continue
        devices.append(
            InputDevice(
                index=int(info["index"]),
                name=str(info["name"]),
                hostapi=str(hostapis[info["hostapi"]]["name"]),
                channels=int(info["max_input_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default=int(info["index"]) == default_input,
            )
        )
    return devices


def _default_input_index(sd: ModuleType) -> int:
    try:
        return int(sd.default.device[0])
    except (TypeError, ValueError, IndexError):
        return -1


def find_input_device(
    devices: list[InputDevice], name: str | None, hostapi: str | None = None
) -> InputDevice | None:
    """The device whose name (and host API) contains the given parts, case-insensitively.

    Without a name, the system's default input (or the host API's first one). An exact name
    match wins over a partial one, so "pulse" picks "pulse" rather than "pulse_monitor".
    """
    candidates = [
        device
        for device in devices
        if hostapi is None or hostapi.casefold() in device.hostapi.casefold()
    ]
    if name is None:
        default = next((device for device in candidates if device.is_default), None)
        if default is None and hostapi is not None and candidates:
            return candidates[0]
        return default
    wanted = name.casefold()
    exact = [device for device in candidates if device.name.casefold() == wanted]
    partial = [device for device in candidates if wanted in device.name.casefold()]
    matches = exact or partial
    return matches[0] if matches else None


def describe_choice(name: str | None, hostapi: str | None) -> str:
    """How the configured choice reads in messages."""
    if name is None:
        return "the default input device" + (f" of {hostapi}" if hostapi else "")
    return f"input device '{name}'" + (f" ({hostapi})" if hostapi else "")


def show_input_devices() -> None:
    """Print the inputs as a table (`kasuhara-timer devices`); explain when there are none."""
    from rich.console import Console
    from rich.table import Table

    from kasuhara_timer.errors import UserError

    try:
        found = list_input_devices()
    except AudioUnavailable as error:
        raise UserError(f"cannot list microphones: {error}") from None
    if not found:
        raise UserError(
            "no microphone (input device) found: connect one and check that the system sees it"
            f" ({microphone_help()})"
        )
    table = Table(title="Input devices (microphones)")
    table.add_column("default")
    table.add_column("name")
    table.add_column("host API")
    table.add_column("channels", justify="right")
    table.add_column("default rate", justify="right")
    for device in found:
        table.add_row(
            "*" if device.is_default else "",
            device.name,
            device.hostapi,
            str(device.channels),
            f"{device.default_samplerate:g} Hz",
        )
    console = Console()
    console.print(table)
    console.print(
        "Choose one in the [audio] settings by a part of its name (`device`) and, if the name"
        " appears under several host APIs, the host API (`hostapi`); without `device` the"
        " default (*) is recorded.",
        markup=False,
    )
