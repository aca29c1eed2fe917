"""The one end-of-session path: archive the recording → journal `AudioArchived` → record → seal.

The record's `audio` section is derived from the journal like everything else, so the end of a
recording is an event, `AudioArchived`, built from `archive.audio_section`. The same functions
serve both ends:

* a live end: the desk's `LiveRecording.archive`, in a worker right after the session ended
  (`archive_recording`, then the session's shared files write the record and seal);
* the desk's start, for what an earlier run left undone (`lifecycle.lookback`): a recording
  never archived (`archive_leftover`), then `record_and_seal`.

Everything here may take minutes for a long recording (ffmpeg), so it never runs on the UI
thread. `archive` is idempotent, so finishing again after a crash never loses or redoes work.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from kasuhara_timer.audio.archive import ArchiveResult, archive, audio_section
from kasuhara_timer.audio.recorder import RecordingSummary
from kasuhara_timer.audio.segments import recover_segments
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.seal import seal_session
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock, SessionClock
from kasuhara_timer.session.events import (
    AudioArchived,
    Ended,
    Event,
    RecordingChanged,
    Started,
)
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal


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
    grow, so they are left untouched until the next start (`archive_leftover`)."""


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


def archive_recording(
    audio_dir: Path, summary: RecordingSummary, clock: SessionClock
) -> AudioArchived:
    """A live session's recording archived, as the event to journal at the session's now."""
    return finish_recording(audio_dir, summary, t=clock.elapsed(), at=clock.now())


def archive_leftover(folder: SessionFolder, clock: Clock) -> str | None:
    """Archive the recording an earlier run left in an ended session and journal it: the
    journal's new final hash, or None when there was nothing left to do (another window
    finished it meanwhile). The journal is opened for append (locked, read again under the
    lock): the only writer while this runs.

    Raises `UserError` / `OSError` / `ValidationError` naming what failed.
    """
    with Journal.open_for_append(folder.journal) as journal:
        recovery = journal.recovery
        events = recovery.events if recovery is not None else ()
        if not waiting_for_archive(events):
            return None
        summary = summary_from_journal(events, folder.audio)
        latest = max(event.t for event in events)
        event = finish_recording(folder.audio, summary, t=latest, at=clock.now())
        return journal.append(event).hash


def record_and_seal(folder: SessionFolder, policy: Policy, clock: Clock) -> tuple[Path, Path]:
    """Write record.json and sheet.html from the journal, then seal the session's files."""
    save_record_and_sheet(folder, policy)
    seal_session(folder, clock=clock)
    return (folder.record, folder.sheet)


def waiting_for_archive(events: tuple[Event, ...]) -> bool:
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


def has_audio_material(audio_dir: Path) -> bool:
    """Anything the recorder left: segments, sidecars or an archive (cheap: one listing)."""
    try:
        return audio_dir.is_dir() and any(audio_dir.iterdir())
    except OSError:
        return False
