"""Real sessions on the real store for the integrity tests: folders, journals, audio, seals."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import numpy as np

from kasuhara_timer import __version__
from kasuhara_timer.audio.segments import (
    Segment,
    SegmentFormat,
    SegmentWriter,
    next_segment_number,
)
from kasuhara_timer.integrity.checkpoints import watch_with_desk_key
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import AudioArchived, ChecklistAnswer, Staff
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, create_session_folder
from kasuhara_timer.store.journal import Journal, watch_journals
from kasuhara_timer.store.record import Record
from kasuhara_timer.trust.keys import Signer, desk_signer

HOST = "DESK-07"
STAFF = Staff(name="山田 太郎", section="市民課", title="主事")
RATE = 16000


@cache
def nanyo() -> Policy:
    """The bundled nanyo profile (sessions name it, so verify can rebuild their records)."""
    return load_policy("nanyo").policy


def begin(
    data_dir: Path,
    clock: ManualClock,
    *,
    host: str = HOST,
    drill: bool = False,
    speed: float = 1.0,
    channel: ChannelId = ChannelId.PHONE,
    caller: str = "",
) -> tuple[SessionFolder, Journal, DeskSession]:
    """A session started at a desk: its folder, its open journal and the live session."""
    folder = create_session_folder(data_dir, clock.now(), host, drill)
    journal = Journal.create(folder.journal)
    session = DeskSession.start(
        nanyo(),
        channel,
        SessionClock(clock, speed=speed),
        journal,
        drill=drill,
        staff=STAFF,
        desk=host,
        caller=caller,
        app_version=__version__,
    )
    return folder, journal, session


def some_events(session: DeskSession, clock: ManualClock) -> None:
    """Five minutes of a call: a tag at 1 min, notes at 3 and 5 min (the last event at t=300)."""
    clock.advance(60)
    session.toggle_tag("mental_attack")
    clock.advance(120)
    session.add_note("同じ主張を繰り返す")
    clock.advance(120)
    session.add_note("「上の者を出せ」")


def wrap_up(session: DeskSession) -> None:
    """End and save the sheet, as the wrap-up screen does."""
    session.end()
    session.save_sheet(
        fields={"counterpart": "男性", "content": "手続の即日完了を要求"},
        checklist=[ChecklistAnswer(no=7, checked=True, remark="大声")],
        staff=STAFF,
    )


def write_segment(
    folder: SessionFolder, clock: ManualClock, started_t: float, seconds: float, seed: int = 0
) -> Segment:
    """A recording segment as the recorder writes it (sidecar first, then raw PCM)."""
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=started_t, started_at=clock.now())
    writer = SegmentWriter(folder.audio, next_segment_number(folder.audio), fmt)
    noise = np.random.default_rng(seed).integers(-3000, 3000, int(seconds * RATE), dtype=np.int16)
    writer.write(noise.astype("<i2").tobytes())
    return writer.close()


def desk_key(data_dir: Path) -> Signer:
    """The desk key of the account that writes `data_dir` in a test (its state folder beside)."""
    return desk_signer(data_dir.parent / "desk-state", f"staff@{data_dir.parent.name}")


def signing(data_dir: Path, clock: ManualClock) -> Signer:
    """Sign every journal written from now on as the desk does (checkpoints, ledger)."""
    signer = desk_key(data_dir)
    watch_with_desk_key(signer, clock)
    return signer


def finished_session(
    data_dir: Path,
    clock: ManualClock,
    *,
    audio: bool = False,
    seal: bool = True,
    caller: str = "",
    host: str = HOST,
    signed: bool = True,
) -> tuple[SessionFolder, Record]:
    """A whole session as the desk app leaves it: signed by its desk key (checkpoints and
    ledger), ended, its sheet saved, optionally recorded (archived with the real ffmpeg and
    `AudioArchived` journaled), record and sheet written, optionally sealed."""
    from kasuhara_timer.integrity.seal import seal_session

    if signed:
        signing(data_dir, clock)
    folder, journal, session = begin(data_dir, clock, caller=caller, host=host)
    if audio:
        write_segment(folder, clock, 0.0, 2.0, seed=1)
    some_events(session, clock)
    if audio:
        write_segment(folder, clock, 200.0, 1.5, seed=2)
    wrap_up(session)
    if audio:
        journal.append(archived_event(folder, session))
    journal.close()
    if signed:
        watch_journals(None)
    record = save_record_and_sheet(folder, nanyo())
    if seal:
        seal_session(folder, clock=clock)
    written_at(folder, clock)
    return folder, record


def written_at(folder: SessionFolder, clock: ManualClock) -> None:
    """Date the session's files as the file system would have when the clock was right."""
    stamp = clock.now().timestamp()
    for path in folder.path.rglob("*"):
        os.utime(path, (stamp, stamp))


def archived_event(folder: SessionFolder, session: DeskSession) -> AudioArchived:
    """Archive the segments (FLAC + Opus, real ffmpeg) into the event the desk app journals."""
    from kasuhara_timer.audio.recorder import RecordingSummary
    from kasuhara_timer.audio.segments import list_segments
    from kasuhara_timer.lifecycle.ending import finish_recording

    summary = RecordingSummary(
        state="stopped",
        detail="",
        segments=tuple(list_segments(folder.audio)),
        faults=0,
        gap_seconds=0.0,
    )
    stamp = session.stamp()
    return finish_recording(folder.audio, summary, t=stamp.t, at=stamp.at)
