"""How the desk microphone is recorded: the `[audio]` part of the configuration."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AudioSettings(BaseModel):
    """Capture format, which microphone, and how patient the watchdog is.

    The device is chosen by name (a case-insensitive part of it) and optionally by host API,
    never by index: indices change whenever PortAudio rescans or a device is plugged in.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="Record the microphone during sessions.")
    record_after_contact: bool = Field(
        default=False,
        description="Keep recording after the contact ends (切電, the visitor left) until the "
        "session is ended; off: the recording stops when the contact ends.",
    )
    samplerate: int = Field(default=16000, ge=8000, le=192000, description="Frames per second.")
    channels: int = Field(default=1, ge=1, le=2, description="1 = mono (speech), 2 = stereo.")
    device: str | None = Field(
        default=None, description="Part of the input device's name; none = the system default."
    )
    hostapi: str | None = Field(
        default=None, description="Part of the host API's name (ALSA, WASAPI, Core Audio…)."
    )
    flush_interval: float = Field(
        default=1.0, gt=0, le=1.0, description="Seconds between fsyncs: the most a crash loses."
    )
    stall_seconds: float = Field(
        default=2.0, gt=0, description="No audio block for this long is a fault."
    )
    open_timeout: float = Field(
        default=5.0, gt=0, description="Seconds a newly opened stream may take to deliver audio."
    )
    silence_seconds: float | None = Field(
        default=10.0,
        gt=0,
        description=(
            "Exact digital silence (every sample zero) for this long is a fault: a real microphone"
            " always hears some noise, an unplugged one under PulseAudio delivers zeros."
            " None turns the check off (for microphones with a digital noise gate)."
        ),
    )
    retry_interval: float = Field(
        default=2.0, gt=0, description="Seconds between attempts to reopen a failed microphone."
    )
    close_timeout: float = Field(
        default=3.0, gt=0, description="The most we wait for a stream to close (it can hang)."
    )
