"""Fixture sessions made through the real store API: DeskSession + Journal + save_record_and_sheet.

Every session a review test reads was written the way the desk app writes it: a session folder,
a journal appended (and fsynced) event by event on a hand-moved clock, then record.json and
sheet.html rebuilt from that journal. Nothing here writes JSON by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

import numpy as np

from kasuhara_timer.audio.recorder import RecordingSummary
from kasuhara_timer.audio.segments import Segment, SegmentFormat, SegmentWriter
from kasuhara_timer.lifecycle.ending import finish_recording
from kasuhara_timer.lifecycle.interrupted import close_interrupted
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import AudioMark, ChecklistAnswer, Staff, StepBroughtForward
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, create_session_folder
from kasuhara_timer.store.journal import Journal

JST = timezone(timedelta(hours=9))
RATE = 16000


@dataclass
class Script:
    """What happens in one fixture session, minute by minute."""

    start: datetime
    minutes: float
    channel: ChannelId = ChannelId.PHONE
    staff: Staff = field(default_factory=lambda: Staff(name="山田 太郎", section="市民課"))
    caller: str = ""
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    steps: int = 0
    """Steps of the ladder taken after the limit (or before it, if the session is short)."""
    immediate: bool = False
    drill: bool = False
    end: Literal["staff", "interrupted", "none"] = "staff"
    """How it ends: pressed end, closed as interrupted by the recovery, or never ended. The
    last two get a last note at `minutes`, the time their evidence stops."""
    save_sheet: bool = True
    content: str = ""
    remarks: tuple[tuple[int, str], ...] = ((7, "大声で威圧"), (17, "通話録音あり"))
    """Checklist items ticked, with their remarks."""
    method: str = ""
    """For the `other` channel: mail, sns or outside."""
    host: str = "DESK-07"
    audio_seconds: float | None = None
    """Record a real recording of this length (a tone), events marked in it, archived by the
    audio package after the end as the desk does (only for sessions ended by the staff)."""
    noise: bool = False
    """Record seeded random noise instead of the tone, so that any shift of samples shows."""


def make_session(data_dir: Path, policy: Policy, script: Script) -> SessionFolder:
    """Run `script` at a desk against the real store and save it as the desk app does."""
    clock = ManualClock(wall=script.start)
    folder = create_session_folder(data_dir, script.start, script.host, drill=script.drill)
    session_clock = SessionClock(clock, speed=1.0)
    recording = script.audio_seconds is not None

    def audio() -> AudioMark | None:
        if not recording:
            return None
        offset = min(session_clock.elapsed(), script.audio_seconds or 0.0)
        return AudioMark(segment="seg-0001.pcm", segment_offset=offset, offset=offset)

    with Journal.create(folder.journal) as journal:
        desk = DeskSession.start(
            policy,
            script.channel,
            session_clock,
            journal,
            drill=script.drill,
            staff=script.staff,
            desk=script.host,
            caller=script.caller,
            audio=audio,
        )
        if recording:
            desk.recording_changed("started")
        total = script.minutes * 60
        moments = _spread(total, len(script.tags) + len(script.notes) + script.steps + 1)
        plan: list[tuple[float, str, str]] = [
            *((moments.pop(0), "tag", tag) for tag in script.tags),
            *((moments.pop(0), "note", note) for note in script.notes),
            *((moments.pop(0), "step", "") for _ in range(script.steps)),
        ]
        if script.immediate:
            plan.append((moments.pop(0), "immediate", ""))
        for at, kind, value in sorted(plan, key=lambda item: item[0]):
            _advance_to(clock, desk, at)
            if kind == "tag":
                desk.toggle_tag(value)
            elif kind == "note":
                desk.add_note(value)
            elif kind == "step":  # a step taken: before the limit it is brought forward first
                if isinstance(desk.take_next_step(), StepBroughtForward):
                    desk.take_next_step()
            else:
                desk.go_immediate()
                desk.take_next_step()
        _advance_to(clock, desk, total)
        if recording:
            segments = write_segments(
                folder, script.audio_seconds or 0.0, script.start, noise=script.noise
            )
            desk.recording_changed("stopped")
        if script.end != "staff":
            desk.add_note("（最後の記録）")
        else:
            desk.end()
            if script.save_sheet:
                desk.save_sheet(
                    fields={"content": script.content, "counterpart": "男性・60代くらい"},
                    checklist=[
                        ChecklistAnswer(no=no, checked=True, remark=remark)
                        for no, remark in script.remarks
                    ],
                    staff=script.staff,
                    method=script.method,
                )
            if recording:  # as the desk does after the end: archive, then journal it
                summary = RecordingSummary("stopped", "", segments, faults=0, gap_seconds=0.0)
                stamp = desk.stamp()
                desk.record(finish_recording(folder.audio, summary, t=stamp.t, at=stamp.at))
    if script.end == "staff":
        save_record_and_sheet(folder, policy)
    elif script.end == "interrupted":
        clock.advance(3600)
        close_interrupted(folder, policy, clock)
    return folder


def write_segments(
    folder: SessionFolder, seconds: float, started: datetime, *, noise: bool = False
) -> tuple[Segment, ...]:
    """The raw segment the recorder writes during a session (a tone, louder every minute so
    the loudness overview has a shape to check; or seeded noise)."""
    generator = np.random.default_rng(15)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=started)
    writer = SegmentWriter(folder.audio, 1, fmt)
    chunk = RATE * 10
    done = 0
    total = int(seconds * RATE)
    while done < total:
        count = min(chunk, total - done)
        t = (np.arange(count) + done) / RATE
        level = 0.05 + 0.5 * ((t // 60) % 4) / 4
        wave = generator.uniform(-1, 1, count) if noise else np.sin(2 * np.pi * 440 * t)
        samples = (wave * level * 32767).astype("<i2")
        writer.write(samples.tobytes())
        done += count
    return (writer.close(),)


def _spread(total: float, count: int) -> list[float]:
    """`count` moments evenly inside (0, total)."""
    return [total * (i + 1) / (count + 1) for i in range(count)]


def _advance_to(clock: ManualClock, desk: DeskSession, t: float) -> None:
    """Move the clock to session time `t`, letting the desk journal its pre-warnings and limit.

    Counted on the hand-moved clock, not the session's: a session clock that stops (a contact
    that ended at a step, a paused session) must not keep this loop waiting for it forever."""
    remaining = t - desk.clock.elapsed()
    while remaining > 0:
        step = min(60.0, remaining)
        clock.advance(step)
        remaining -= step
        desk.tick()
