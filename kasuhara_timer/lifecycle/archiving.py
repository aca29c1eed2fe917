"""Closing a session's recording: archive it, and put what the archive holds into the journal.

The record's `audio` section is derived from the journal like everything else, so the end of a
recording is an event, `AudioArchived`, built from `archive.audio_section`. Two callers:

* the desk app, in a worker thread right after a session ends (`finish_recording`);
* the desk app's start, for recordings an earlier run never archived: it was closed or killed
  while archiving, or while the session ran (`archive_unfinished`).

Everything here may take minutes for a long recording (ffmpeg), so it never runs on the UI
thread. `archive` is idempotent, so finishing again after a crash never loses or redoes work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from kasuhara_timer.audio.archive import ArchiveResult, archive, audio_section
from kasuhara_timer.audio.recorder import RecordingSummary
from kasuhara_timer.audio.segments import recover_segments
from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import session_policy
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import (
    AudioArchived,
    Ended,
    Event,
    RecordingChanged,
    Started,
)
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import Journal, journal_in_use, read_journal


def archived_event(
    summary: RecordingSummary, result: ArchiveResult | None, *, t: float, at: datetime
) -> AudioArchived:
    """The `AudioArchived` event for a recording: `audio_section` mapped onto its fields.

    `archived` is left out (the files say it); `seconds` comes from the archive when there is
    one, because after a crash the raw segments may already be gone and only the manifest
    knows how long the recording is.
    """
    section = audio_section(summary, result)
    section.pop("archived", None)
    if result is not None:
        section["seconds"] = result.seconds
    return AudioArchived.model_validate({"t": t, "at": at, **section})


class RecordingNotFinished(UserError):
    """The recorder's thread was still running when the session ended: its segments may still
    grow, so they are left untouched until the next start (`archive_unfinished`)."""


def finish_recording(
    audio_dir: Path, summary: RecordingSummary, *, t: float, at: datetime
) -> AudioArchived:
    """Archive the recording in `audio_dir` (FLAC + Opus, hashed) and describe it as an event.

    Nothing recorded (no PortAudio, no microphone, recording turned off) archives nothing: the
    event then carries the state and the reason, so the sheet can say why there is no audio.
    Raises `UserError` when the segments cannot be archived (they stay on disk as they are),
    and `RecordingNotFinished` (a `UserError`) for a summary whose recorder had not finished.
    """
    if not summary.complete:
        raise RecordingNotFinished(
            "the recorder was still running when the session ended; its audio is kept as it is"
            " and archived at the next start",
            audio_dir,
        )
    result = archive(audio_dir) if _has_audio(audio_dir) else None
    return archived_event(summary, result, t=t, at=at)


def summary_from_journal(events: tuple[Event, ...], audio_dir: Path) -> RecordingSummary:
    """What an earlier run recorded, when its recorder is gone: rebuilt from the journal's
    `RecordingChanged` events and the segments on disk (torn last frames cut off)."""
    changes = [event for event in events if isinstance(event, RecordingChanged)]
    segments = tuple(recover_segments(audio_dir))
    last = changes[-1] if changes else None
    unavailable = last is not None and last.state == "unavailable" and not segments
    state: Literal["stopped", "unavailable"] = "unavailable" if unavailable else "stopped"
    return RecordingSummary(
        state=state,
        detail=last.detail if unavailable and last is not None else "",
        segments=segments,
        faults=sum(1 for event in changes if event.state == "fault"),
        gap_seconds=sum(
            event.gap_seconds or 0.0 for event in changes if event.state == "recovered"
        ),
    )


@dataclass(frozen=True)
class LeftoverResult:
    """One session whose recording an earlier run left: archived now, or why not."""

    folder: str
    event: AudioArchived | None
    problem: str = ""


def archive_unfinished(data_dir: Path, host: str, clock: Clock) -> list[LeftoverResult]:
    """Archive the recordings of this desk's ended sessions that have no `AudioArchived` yet.

    Sessions still running (no `Ended`: the crash recovery resumes or closes them first), other
    desks' sessions and journals another window holds open are left alone. For each session
    archived, `AudioArchived` is journaled and record.json + sheet.html are rewritten. A
    problem with one session is reported and the others are still done.
    """
    wanted = sanitize_host(host)
    results = []
    for folder in list_session_folders(data_dir):
        if folder.host != wanted or not _has_audio_material(folder.audio):
            continue
        if not folder.journal.exists() or journal_in_use(folder.journal):
            continue
        try:
            events = read_journal(folder.journal).events
        except UserError as error:
            results.append(LeftoverResult(folder.name, None, str(error)))
            continue
        if not _waiting_for_archive(events):
            continue
        results.append(_archive_leftover(folder, clock))
    return results


def _archive_leftover(folder: SessionFolder, clock: Clock) -> LeftoverResult:
    try:
        with Journal.open_for_append(folder.journal) as journal:
            recovery = journal.recovery
            events = recovery.events if recovery is not None else ()
            if not _waiting_for_archive(events):  # another window finished it meanwhile
                return LeftoverResult(folder.name, None)
            summary = summary_from_journal(events, folder.audio)
            event = finish_recording(folder.audio, summary, t=events[-1].t, at=clock.now())
            journal.append(event)
        started = events[0]
        assert isinstance(started, Started)
        save_record_and_sheet(folder, session_policy(started.profile, started.profile_source))
    except (UserError, OSError, ValidationError) as error:
        return LeftoverResult(folder.name, None, str(error))
    return LeftoverResult(folder.name, event)


def _waiting_for_archive(events: tuple[Event, ...]) -> bool:
    return (
        bool(events)
        and isinstance(events[0], Started)
        and any(isinstance(event, Ended) for event in events)
        and not any(isinstance(event, AudioArchived) for event in events)
    )


def _has_audio(audio_dir: Path) -> bool:
    """Frames to archive, or an archive already made (whose segments may be gone)."""
    if (audio_dir / "recording.json").exists():
        return True
    return any(segment.frames > 0 for segment in recover_segments(audio_dir))


def _has_audio_material(audio_dir: Path) -> bool:
    """Anything the recorder left: segments, sidecars or an archive (cheap: one listing)."""
    try:
        return audio_dir.is_dir() and any(audio_dir.iterdir())
    except OSError:
        return False
