"""Record the desk microphone for a session, watched, crash-safe, and honest about its gaps.

Threads: PortAudio's callback only copies each block into a queue. One recorder thread owns
everything else — the segment files, the stream's life, the watchdog — so segment boundaries and
stream changes are decided in one place without locks between them. The UI talks to it through
commands (pause, resume, stop) and hears from it through `report`, called from that thread.

Why a watchdog: sound systems fail silently. Under PulseAudio an unplugged microphone raises no
error: the stream moves to another source and delivers digital silence. So the recorder checks for
itself that blocks keep coming at the expected rate, that they are not exact zeros for long, that
no overflow dropped audio and that the stream is still active. On a fault it closes the stream
(bounded: closing can hang), has PortAudio rescan its devices, and retries until audio flows again;
the gap is reported with its length.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from kasuhara_timer.audio.backend import AudioBackend, InputStream, SoundDeviceBackend
from kasuhara_timer.audio.devices import AudioUnavailable
from kasuhara_timer.audio.segments import (
    Segment,
    SegmentFormat,
    SegmentWriter,
    list_segments,
    next_segment_number,
    recover_segments,
)
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.errors import UserError
from kasuhara_timer.session.events import AudioMark, RecordingState

if TYPE_CHECKING:  # imported where blocks are measured: the desk's start loads this module for
    import numpy as np  # `RecordingSummary`, and numpy is a fifth of a second it does not need
from kasuhara_timer.store.atomic import make_private_dir

log = logging.getLogger(__name__)

SILENT_DBFS = -100.0
"""What `level()` returns for digital silence or when nothing is being recorded."""

DID_NOT_FINISH = "the recorder did not finish in time; the audio on disk is kept as it is"
"""`RecordingSummary.detail` when `stop` gave up waiting for the thread."""

FAILED_UNEXPECTEDLY = "the recorder failed unexpectedly"
"""The start of a fault's detail when the recorder's thread met an error nobody expected."""

_TICK = 0.25
"""Seconds the recorder thread waits for a block before it looks at the watchdog; a command
wakes it at once (`_command`), so this is no polling rate: blocks and commands drive it."""

_RATE_WINDOW = 30.0
"""Seconds over which frames received are compared with the monotonic clock (sound-card clocks
drift from it by up to ~0.01 %, which must not add up to a false fault over hours)."""


class RecordingClock(Protocol):
    """The session clock (`SessionClock` fits): where events fall, and the wall time."""

    @property
    def offset(self) -> float:
        """Session seconds when this process's part of the session began (0 for a new one):
        the wait from there to the first audio is reported as the started report's gap."""
        ...

    def elapsed(self) -> float:
        """Session seconds."""
        ...

    def now(self) -> datetime:
        """Aware wall time."""
        ...


@dataclass(frozen=True)
class RecorderReport:
    """A change of the recorder's state, for the timeline and the recording indicator."""

    state: RecordingState
    t: float
    """Session-clock seconds when the recorder noticed the change."""
    detail: str = ""
    gap_seconds: float | None = None
    """Seconds of session time with no audio before this: for started, from the session's
    start (the staff member's key or click) to the first audio; for resumed and recovered,
    the pause or the fault."""
    mark: AudioMark | None = None
    """Where in the recording this falls: the start of the new segment for started, resumed and
    recovered; the end of the last audio for paused, fault and stopped."""


@dataclass(frozen=True)
class RecordingSummary:
    """What was recorded, for the record sheet."""

    state: Literal["stopped", "unavailable"]
    detail: str
    segments: tuple[Segment, ...]
    """Every segment in the audio folder, earlier processes' included (a resumed session)."""
    faults: int
    gap_seconds: float
    """Total session time lost to faults (pauses are the staff's choice and not counted)."""
    complete: bool = True
    """False when the recorder's thread was still running after `stop` gave up waiting: it may
    still write to the segments, so they must not be archived (or deleted) in this process."""

    @property
    def seconds(self) -> float:
        """Total recorded audio."""
        return sum(segment.seconds for segment in self.segments)


@dataclass(eq=False)
class _Capture:
    """One opened stream and what its callback delivered; counters written only by the callback."""

    opened_at: float
    stream: InputStream | None = None
    device: str = ""
    frames_in: int = 0
    first_block_at: float | None = None
    last_block_at: float | None = None
    rate_since: tuple[float, int] | None = None
    finished: bool = False


@dataclass(frozen=True)
class _Block:
    capture: _Capture
    first_frame: int
    data: np.ndarray[Any, Any]
    overflow: bool


@dataclass
class _Open:
    """The segment being written and where it begins in the capture's frame count."""

    writer: SegmentWriter
    first_frame: int
    capture: _Capture


@dataclass
class _Pending:
    """What to report when the next segment begins, and since when nothing usable was heard."""

    state: Literal["started", "resumed", "recovered"]
    since_t: float


@dataclass
class _Counters:
    faults: int = 0
    gap_seconds: float = 0.0
    closed: list[Segment] = field(default_factory=list)


class Recorder:
    """Records the microphone into `audio_dir` from `start()` to `stop()`.

    Every method returns at once and never raises for sound problems: those arrive as reports.
    `report` is called from the recorder's thread and must not block.
    """

    def __init__(
        self,
        audio_dir: Path,
        settings: AudioSettings,
        clock: RecordingClock,
        report: Callable[[RecorderReport], None],
        *,
        backend: AudioBackend | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.audio_dir = audio_dir
        self.settings = settings
        self._clock = clock
        self._report_to = report
        self._backend: AudioBackend = backend or SoundDeviceBackend()
        self._monotonic = monotonic
        self._blocks: queue.SimpleQueue[_Block | None] = queue.SimpleQueue()
        """Blocks from the callback; None only wakes the thread for a command."""
        self._commands: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # Shared with other threads (under _lock or single assignments):
        self._state: RecordingState | Literal["idle"] = "idle"
        self._detail = ""
        self._open: _Open | None = None
        self._offset_before = 0.0
        self._level_db = SILENT_DBFS
        # Owned by the recorder thread:
        self._mode: Literal["recording", "paused", "stopped"] = "recording"
        self._capture: _Capture | None = None
        self._pending: _Pending | None = None
        self._probation = False
        self._silent_frames = 0
        self._next_retry: float | None = None
        self._next_sync = 0.0
        self._write_error: str | None = None
        self._can_reinitialise = True
        self._next_number = 1
        self._counters = _Counters()
        self._last_sound_t = 0.0
        """Session time of the last block with sound written: where a gap begins. Frame counts
        would mislead here: a stream moved to another source can deliver a backlog in a burst."""
        self._paused_t = 0.0

    # -- the UI's side ---------------------------------------------------------------------------

    @property
    def state(self) -> RecordingState | Literal["idle"]:
        """The last reported state ("idle" before `start`)."""
        return self._state

    def start(self) -> None:
        """Begin recording in the background; "started" (or why not) arrives as a report."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="audio-recorder", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """Stop capturing until `resume` (nothing is heard meanwhile); reports "paused"."""
        self._command("pause")

    def resume(self) -> None:
        """Capture again into a new segment; reports "resumed" with the pause as gap."""
        self._command("resume")

    def _command(self, command: str) -> None:
        self._commands.put(command)
        self._blocks.put(None)  # wake the thread now rather than at its next tick

    def mark(self) -> AudioMark | None:
        """Where the recording stands right now, or None when nothing is being recorded."""
        with self._lock:
            current = self._open
            if current is None:
                return None
            frames = max(0, current.capture.frames_in - current.first_frame)
            segment_offset = frames / current.writer.format.samplerate
            return AudioMark(
                segment=current.writer.name,
                segment_offset=segment_offset,
                offset=self._offset_before + segment_offset,
            )

    def level(self) -> float:
        """Loudness of the latest block in dBFS (0 = full scale), for the level meter."""
        return self._level_db

    def stop(self, timeout: float | None = None) -> RecordingSummary:
        """Finish the recording (files synced and closed) and say what is on disk.

        Waits at most `timeout` seconds (default: the close timeout plus a margin), so a hung
        sound system cannot hang the end of a session.
        """
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._command("stop")
            thread.join(self.settings.close_timeout + 5.0 if timeout is None else timeout)
        detail = self._detail
        complete = thread is None or not thread.is_alive()
        if not complete:
            detail = DID_NOT_FINISH
        try:
            segments = tuple(list_segments(self.audio_dir))
        except Exception as error:  # a damaged folder must not break ending a session
            segments = tuple(self._counters.closed)
            detail = detail or str(error)
        final: Literal["stopped", "unavailable"] = (
            "unavailable" if self._state == "unavailable" else "stopped"
        )
        return RecordingSummary(
            state=final,
            detail=detail,
            segments=segments,
            faults=self._counters.faults,
            gap_seconds=self._counters.gap_seconds,
            complete=complete,
        )

    # -- the recorder thread ---------------------------------------------------------------------

    def _run(self) -> None:
        """The thread: nothing may escape it, or it would die with the indicator still saying
        録音中 and a traceback printed over the terminal UI."""
        try:
            if not self._prepare():
                return
            self._open_capture()
        except Exception as error:
            self._failed(error)
        while self._running():
            try:
                self._step()
            except Exception as error:
                self._failed(error)

    def _step(self) -> None:
        """One turn of the loop: a block, the commands, the sync and the watchdog."""
        with contextlib.suppress(queue.Empty):
            block = self._blocks.get(timeout=_TICK)
            if block is not None:
                self._on_block(block)
        while True:
            try:
                self._on_command(self._commands.get_nowait())
            except queue.Empty:
                break
        if not self._running():
            return
        if self._write_error is not None:
            detail, self._write_error = self._write_error, None
            self._fault(detail, keep_queued=False)
        self._sync_if_due()
        self._watch()

    def _failed(self, error: Exception) -> None:
        """An unexpected error: log it, report a fault and retry as for any fault; if even that
        fails, end the recording (segments closed as far as possible) and say why."""
        log.error("the recorder failed", exc_info=error)
        detail = f"{FAILED_UNEXPECTEDLY}: {type(error).__name__}: {error}"
        if self._mode == "stopped":  # while stopping: it is stopped, and the summary says why
            self._detail = detail
            self._report("stopped", detail)
            return
        try:
            self._fault(detail, keep_queued=False)
            return
        except Exception as second:
            log.error("the recorder could not recover", exc_info=second)
        self._mode = "stopped"
        self._detail = detail
        with contextlib.suppress(Exception):
            self._close_capture(keep_queued=False)
        with contextlib.suppress(Exception):
            self._end_segment()
        if self._state != "fault":
            self._counters.faults += 1
        self._report("fault", detail)

    def _running(self) -> bool:
        return self._mode != "stopped"

    def _prepare(self) -> bool:
        """Check that recording is possible and continue the folder's numbering (a resume)."""
        if not self.settings.enabled:
            return self._unavailable("recording is turned off in the settings")
        try:
            self._backend.check()
        except AudioUnavailable as error:
            return self._unavailable(str(error))
        try:
            make_private_dir(self.audio_dir)
            earlier = recover_segments(self.audio_dir)
            self._next_number = next_segment_number(self.audio_dir)
        except Exception as error:
            return self._unavailable(f"cannot use the audio folder {self.audio_dir}: {error}")
        self._offset_before = sum(segment.seconds for segment in earlier)
        # From the session's start: the moment the staff member acted, before this thread ran.
        start_t = self._clock.offset
        self._pending = _Pending("started", start_t)
        self._last_sound_t = start_t
        return True

    def _unavailable(self, reason: str) -> bool:
        self._mode = "stopped"
        self._detail = reason
        self._report("unavailable", reason)
        return False

    def _on_command(self, command: str) -> None:
        if command == "stop":
            try:
                self._close_capture()
                mark = self._end_segment()
            finally:
                self._mode = "stopped"  # even after an error: a stop is never lost
            self._report("stopped", mark=mark)
        elif command == "pause" and self._mode == "recording":
            self._close_capture()
            mark = self._end_segment()
            self._mode = "paused"
            self._pending = None
            self._paused_t = self._clock.elapsed()
            self._next_retry = None
            self._probation = False
            self._report("paused", mark=mark)
        elif command == "resume" and self._mode == "paused":
            self._mode = "recording"
            self._pending = _Pending("resumed", self._paused_t)
            self._open_capture()

    def _open_capture(self) -> None:
        capture = _Capture(opened_at=self._monotonic())
        try:
            stream, device = self._backend.open(
                self.settings, self._callback_for(capture), lambda: _finish(capture)
            )
        except Exception as error:
            self._fault(f"cannot open the microphone: {error}")
            return
        capture.stream = stream
        capture.device = device
        self._capture = capture
        self._silent_frames = 0

    def _callback_for(self, capture: _Capture) -> Callable[[Any, int, Any, Any], None]:
        monotonic = self._monotonic
        blocks = self._blocks

        def callback(indata: Any, frames: int, _time: Any, status: Any) -> None:
            # PortAudio's thread: copy and count, nothing else.
            now = monotonic()
            first = capture.frames_in
            capture.frames_in = first + frames
            if capture.first_block_at is None:
                capture.first_block_at = now
                capture.rate_since = (now, first)
            capture.last_block_at = now
            blocks.put(_Block(capture, first, indata.copy(), bool(status.input_overflow)))

        return callback

    def _on_block(self, block: _Block) -> None:
        if block.capture is not self._capture or self._mode == "stopped":
            return
        heard_t = self._clock.elapsed()
        data = block.data
        silent = not data.any()
        self._silent_frames = self._silent_frames + len(data) if silent else 0
        self._level_db = dbfs(data)
        if self._write_error is not None:
            return
        current = self._open
        if block.overflow and current is not None and current.writer.frames > 0:
            mark = self._end_segment()
            self._counters.faults += 1
            self._report("fault", "input overflow: the sound system dropped audio", mark=mark)
            self._pending = _Pending("recovered", self._last_sound_t)
            current = None
        if current is None:
            if self._probation and silent:
                return  # a reopened device proves itself with sound before it counts as back
            if not self._begin_segment(block):
                return
        assert self._open is not None
        try:
            self._open.writer.write(data.tobytes())
        except OSError as error:
            self._write_error = f"cannot write the recording: {error}"
            return
        if not silent:
            self._last_sound_t = heard_t

    def _begin_segment(self, block: _Block) -> bool:
        capture = block.capture
        rate = self.settings.samplerate
        lag = (capture.frames_in - block.first_frame) / rate
        started_t = max(0.0, self._clock.elapsed() - lag)
        pending = self._pending or _Pending("recovered", self._last_sound_t)
        fmt = SegmentFormat(
            samplerate=rate,
            channels=self.settings.channels,
            started_t=started_t,
            started_at=self._clock.now() - timedelta(seconds=lag),
            device=capture.device,
            reason=pending.state,
        )
        number = self._next_number
        self._next_number += 1  # even on failure: the file may exist, and a retry needs a new one
        try:
            writer = SegmentWriter(self.audio_dir, number, fmt)
        except (OSError, UserError) as error:  # UserError: a StoreError from the folder fsync
            self._write_error = f"cannot write the recording: {error}"
            return False
        with self._lock:
            self._open = _Open(writer, block.first_frame, capture)
        self._next_sync = self._monotonic() + self.settings.flush_interval
        self._pending = None
        self._probation = False
        self._last_sound_t = started_t
        gap = max(0.0, started_t - pending.since_t)
        if pending.state == "recovered":
            self._counters.gap_seconds += gap
        mark = AudioMark(segment=writer.name, segment_offset=0.0, offset=self._offset_before)
        self._report(pending.state, gap_seconds=gap, mark=mark)
        return True

    def _end_segment(self) -> AudioMark | None:
        """Sync and close the open segment; return where the audio ends."""
        current = self._open
        if current is None:
            return None
        segment = current.writer.close()
        with self._lock:
            self._open = None
            end = self._offset_before + segment.seconds
            self._offset_before = end
        self._counters.closed.append(segment)
        return AudioMark(segment=segment.name, segment_offset=segment.seconds, offset=end)

    def _sync_if_due(self) -> None:
        current = self._open
        if current is None or self._monotonic() < self._next_sync:
            return
        self._next_sync = self._monotonic() + self.settings.flush_interval
        try:
            current.writer.sync()
        except (OSError, UserError) as error:
            self._write_error = f"cannot write the recording: {error}"

    # -- the watchdog ----------------------------------------------------------------------------

    def _watch(self) -> None:
        if self._mode != "recording":
            return
        now = self._monotonic()
        capture = self._capture
        if capture is None:
            if self._next_retry is not None and now >= self._next_retry:
                self._next_retry = now + self.settings.retry_interval
                self._open_capture()
            return
        problem = self._health(capture, now)
        if problem is not None:
            self._fault(problem)

    def _health(self, capture: _Capture, now: float) -> str | None:
        """What is wrong with the stream, in words for the timeline, or None."""
        settings = self.settings
        rate = settings.samplerate
        device = capture.device or "the microphone"
        stream = capture.stream
        if capture.finished or (stream is not None and not stream.active):
            return f"the sound system stopped the stream from {device}"
        if capture.last_block_at is None:
            if now - capture.opened_at > settings.open_timeout:
                return f"no audio from {device} within {settings.open_timeout:g} s of opening it"
            return None
        if now - capture.last_block_at > settings.stall_seconds:
            return f"no audio from {device} for {now - capture.last_block_at:.1f} s"
        if capture.rate_since is not None:
            since, frames_then = capture.rate_since
            received = capture.frames_in - frames_then
            expected = (now - since) * rate
            if expected - received > settings.stall_seconds * rate:
                return f"{device} delivered {received} of {expected:.0f} expected frames"
            if now - since > _RATE_WINDOW:
                capture.rate_since = (now, capture.frames_in)
        if settings.silence_seconds and self._silent_frames >= settings.silence_seconds * rate:
            return (
                f"only digital silence from {device} for {settings.silence_seconds:g} s"
                " (unplugged or muted?)"
            )
        return None

    def _fault(self, detail: str, *, keep_queued: bool = True) -> None:
        """Close everything, let PortAudio rescan, report once, and retry from now on."""
        self._close_capture(keep_queued=keep_queued)
        mark = self._end_segment()
        if self._can_reinitialise:
            try:
                self._backend.reinitialise()
            except Exception as error:
                log.warning("re-initialising the sound library failed: %s", error)
        self._next_retry = self._monotonic() + self.settings.retry_interval
        self._probation = self.settings.silence_seconds is not None
        if self._pending is None or self._pending.state != "recovered":
            since = self._pending.since_t if self._pending else self._last_sound_t
            self._pending = _Pending("recovered", since)
        if self._state != "fault":
            self._counters.faults += 1
            self._report("fault", detail, mark=mark)

    def _close_capture(self, *, keep_queued: bool = True) -> None:
        """Close the stream within the close timeout, then write what it had already delivered."""
        capture = self._capture
        if capture is None:
            return
        if capture.stream is not None and not _close_within(
            capture.stream, self.settings.close_timeout
        ):
            self._can_reinitialise = False  # a stream may still be open: never terminate now
            log.warning("closing the stream from %s hung", capture.device)
        while True:
            try:
                block = self._blocks.get_nowait()
            except queue.Empty:
                break
            if block is None:  # a command's wake-up: the command itself waits in its queue
                continue
            if keep_queued:
                self._on_block(block)
        self._capture = None
        self._silent_frames = 0
        self._level_db = SILENT_DBFS

    def _report(
        self,
        state: RecordingState,
        detail: str = "",
        *,
        gap_seconds: float | None = None,
        mark: AudioMark | None = None,
    ) -> None:
        self._state = state
        report = RecorderReport(state, self._clock.elapsed(), detail, gap_seconds, mark)
        try:
            self._report_to(report)
        except Exception:
            log.exception("the recording report callback failed")


def _finish(capture: _Capture) -> None:
    capture.finished = True


def _close_within(stream: InputStream, timeout: float) -> bool:
    """Close a stream in a helper thread; False when it did not return in time (it can hang)."""
    done = threading.Event()

    def close() -> None:
        with contextlib.suppress(Exception):
            stream.close()
        done.set()

    threading.Thread(target=close, name="audio-close", daemon=True).start()
    return done.wait(timeout)


def dbfs(block: np.ndarray[Any, Any]) -> float:
    """RMS of int16 samples in dBFS, floored at `SILENT_DBFS`."""
    if block.size == 0:
        return SILENT_DBFS
    import numpy as np  # loaded by then (sounddevice needs it): a dictionary look-up

    rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64))))
    if rms <= 0:
        return SILENT_DBFS
    return max(SILENT_DBFS, 20 * math.log10(rms / 32768.0))
