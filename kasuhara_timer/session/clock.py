"""Time, injected: the domain never reads the system clock itself.

Elapsed time comes from a monotonic source so that moving the wall clock (NTP, daylight saving,
a user changing the time) cannot move the timer. Wall time is only used to stamp events for the
record sheet. Tests use `ManualClock` to run 30 minutes in microseconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """A source of monotonic seconds and of aware wall time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards."""
        ...

    def now(self) -> datetime:
        """The wall time, timezone-aware."""
        ...


class SystemClock:
    """The real clocks of this machine; created only at the edge (the app, the CLI)."""

    def monotonic(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    def now(self) -> datetime:
        """Local wall time with its UTC offset."""
        return datetime.now().astimezone()


@dataclass
class ManualClock:
    """A clock tests move by hand; wall and monotonic time can be moved independently."""

    mono: float = 1000.0
    wall: datetime = field(
        default_factory=lambda: datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    )

    def monotonic(self) -> float:
        """The manual monotonic reading."""
        return self.mono

    def now(self) -> datetime:
        """The manual wall reading."""
        return self.wall

    def advance(self, seconds: float) -> None:
        """Move both clocks forward together, as real time passing would."""
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)

    def set_wall(self, wall: datetime) -> None:
        """Move only the wall clock, as an NTP correction or a user would."""
        self.wall = wall


@dataclass(frozen=True)
class Instant:
    """One moment on both clocks: when the staff member acted (a key, a shortcut's click).

    Taken at the edge (the key handler, the process's launch) and handed down, so a session
    counts from the act and not from whenever the app got round to opening its folder.
    """

    monotonic: float
    wall: datetime

    @classmethod
    def now(cls, clock: Clock) -> Instant:
        """This moment on `clock`."""
        return cls(clock.monotonic(), clock.now())


@dataclass
class SessionClock:
    """Elapsed time of one session on the monotonic clock, optionally sped up for drills.

    `offset` carries time already elapsed before this process (a session resumed after a crash).
    `began` is the moment the session began (the staff member's act); by default, now.
    """

    clock: Clock
    speed: float = 1.0
    offset: float = 0.0
    began: Instant | None = None
    origin: float = field(init=False)
    began_at: datetime = field(init=False)
    """Wall time at elapsed `offset`: the `Started` event's `at`."""

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        began = self.began or Instant.now(self.clock)
        self.origin = began.monotonic
        self.began_at = began.wall

    def elapsed(self) -> float:
        """Seconds on the session clock since the session started."""
        return self.offset + (self.clock.monotonic() - self.origin) * self.speed

    def now(self) -> datetime:
        """Wall time for stamping events."""
        return self.clock.now()


def format_elapsed(seconds: float) -> str:
    """`H:MM:SS` for any duration, days included as hours (``27:03:09``); never negative."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
