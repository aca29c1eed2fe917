"""The one place that opens PortAudio streams, behind a small protocol tests can replace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kasuhara_timer.audio.devices import (
    AudioUnavailable,
    describe_choice,
    find_input_device,
    list_input_devices,
    load_sounddevice,
    quiet_stderr,
)
from kasuhara_timer.audio.settings import AudioSettings

BlockCallback = Callable[[Any, int, Any, Any], None]
"""sounddevice's callback: (indata: int16 array frames×channels, frames, time, status)."""


BLOCKS_PER_SECOND = 4
"""Blocks PortAudio hands the callback each second: few, since each costs Python calls."""


class InputStream(Protocol):
    """What the recorder needs of an open capture stream."""

    @property
    def active(self) -> bool:
        """False once the stream has stopped for any reason."""
        ...

    def close(self) -> None:
        """Stop and release the stream (may block; the recorder bounds it)."""
        ...


class AudioBackend(Protocol):
    """Opens capture streams; the real one is PortAudio through sounddevice."""

    def check(self) -> None:
        """Raise `AudioUnavailable` when recording is impossible here (no library, no input)."""
        ...

    def open(
        self, settings: AudioSettings, callback: BlockCallback, finished: Callable[[], None]
    ) -> tuple[InputStream, str]:
        """Open and start a stream; return it with a label of the device. Raises on failure."""
        ...

    def reinitialise(self) -> None:
        """Make the sound library rescan devices. Only call with every stream closed."""
        ...


class DeviceNotFound(Exception):
    """The configured microphone is not connected (now); the recorder retries."""


class SoundDeviceBackend:
    """PortAudio via sounddevice: int16 capture, device looked up by name at every open."""

    def check(self) -> None:
        """Fail with a reason when PortAudio is missing or sees no input device at all."""
        if not list_input_devices():
            raise AudioUnavailable(
                "no microphone (input device) was found; connect one, then check it with"
                " `kasuhara-timer devices`"
            )

    def open(
        self, settings: AudioSettings, callback: BlockCallback, finished: Callable[[], None]
    ) -> tuple[InputStream, str]:
        """Resolve the configured device now (indices change) and start an int16 stream."""
        sd = load_sounddevice()
        devices = list_input_devices()
        device = find_input_device(devices, settings.device, settings.hostapi)
        if device is None:
            seen = ", ".join(d.label for d in devices) or "none"
            raise DeviceNotFound(
                f"{describe_choice(settings.device, settings.hostapi)} is not connected"
                f" (inputs seen: {seen})"
            )
        extra = None
        if "wasapi" in device.hostapi.casefold():
            extra = sd.WasapiSettings(auto_convert=True)  # accept a rate other than the mixer's
        with quiet_stderr():
            stream = sd.InputStream(
                samplerate=settings.samplerate,
                channels=settings.channels,
                dtype="int16",
                device=device.index,
                latency="high",
                # 200 ms blocks: each costs Python calls (ALSA via PulseAudio would deliver ~115
                # tiny ones a second). Measured against arecord on the virtual microphone: 6×
                # its CPU with 50 ms blocks, 2.3× with 200 ms; PortAudio alone is ~1×.
                blocksize=settings.samplerate // BLOCKS_PER_SECOND,
                extra_settings=extra,
                callback=callback,
                finished_callback=finished,
            )
            try:
                stream.start()
            except Exception:
                stream.close(ignore_errors=True)
                raise
        return stream, device.label

    def reinitialise(self) -> None:
        """`sd._terminate(); sd._initialize()`: the only way PortAudio sees a replugged device."""
        sd = load_sounddevice()
        with quiet_stderr():
            if sd._initialized > 0:
                sd._terminate()
            sd._initialize()
