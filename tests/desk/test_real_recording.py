"""A real desk session recording the virtual microphone, from the first key to the saved record.

Run under `scripts/with-virtual-mic` (skipped otherwise): the desk app runs on the system clock
with the real `Recorder` (PortAudio → ALSA → a private PulseAudio), a known signal is played into
the room while a behaviour is tagged, the microphone is unplugged and plugged back in, the
session is ended and saved, and the archive is checked against what was played.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import soundfile

from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.launch import make_recorder
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.recording_indicator import RecordingIndicator
from kasuhara_timer.lifecycle.recording import LiveRecording
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import SystemClock
from kasuhara_timer.session.events import AudioArchived, BehaviourTagged, RecordingChanged
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.journal import read_journal
from kasuhara_timer.store.record import read_record
from tests.support.audio import (
    RATE,
    best_match,
    needs_virtual_mic,
    play,
    plug_mic,
    reference_signal,
    room_noise,
    unplug_mic,
)
from tests.support.desk import make_setup
from tests.support.screen import flat, screen_text, until

pytestmark = [pytest.mark.audio, needs_virtual_mic]


@pytest.fixture
def room(tmp_path: Path) -> Iterator[None]:
    """Quiet noise in the room all along, as a real room has: never digital silence."""
    with room_noise(tmp_path):
        yield
    plug_mic()  # whatever happened, the next test finds the microphone plugged in


def recorded(live: LiveRecording) -> float:
    """Seconds in the recording so far, by the recorder's own frame count (0 between segments)."""
    mark = live.recorder.mark() if live.recorder is not None else None
    return mark.offset if mark is not None else 0.0


def recording_state(screen: SessionScreen) -> str | None:
    change = screen.session.state.recording
    return change.state if change is not None else None


def recording_state_of(desk: DeskApp, data_dir: Path) -> str | None:
    """The last recording state journaled (the session screen is gone after the end)."""
    folder = list_session_folders(data_dir)[0]
    changes = [e for e in read_journal(folder.journal).events if isinstance(e, RecordingChanged)]
    return changes[-1].state if changes else None


async def test_a_real_session_is_recorded_through_an_unplug_and_archived_with_its_hashes(
    room: None, nanyo: Policy, data_dir: Path, staff_book: JsonStaffBook, tmp_path: Path
) -> None:
    signal = reference_signal()
    signal_path = tmp_path / "signal.wav"
    soundfile.write(signal_path, signal, RATE, subtype="PCM_16")
    settings = AudioSettings(silence_seconds=1.0, retry_interval=0.5)
    setup = make_setup(
        nanyo,
        SystemClock(),  # type: ignore[arg-type]
        data_dir,
        staff_book,
        recorder_factory=partial(make_recorder, settings),
        pulse_seconds=0.1,
    )
    desk = DeskApp(setup)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = desk.screen
        assert isinstance(screen, SessionScreen) and screen.live is not None
        live = screen.live
        await until(pilot, lambda: recording_state(screen) == "started", "recording started")
        assert "● 録音中" in screen_text(desk)

        player = play(signal_path)
        await until(pilot, lambda: (live.level() or -100) > -30, "the meter hears the signal")
        meter = screen.query_one(RecordingIndicator)
        await until(pilot, lambda: str(meter.render()).startswith("● 録音中 ━"), "meter shown")
        await pilot.press("2")  # tagged while the signal plays
        await until(pilot, lambda: player.poll() is not None, "the signal played")
        assert player.returncode == 0
        played_until = recorded(live)
        await until(pilot, lambda: recorded(live) >= played_until + 0.5, "the signal's tail")

        unplug_mic()
        await until(pilot, lambda: recording_state(screen) == "fault", "the unplug noticed")
        await until(pilot, lambda: "▲録音障害" in flat(screen_text(desk)), "the fault shown")
        assert "録音の障害：" in flat(screen_text(desk))
        assert screen.query_one("#recording-banner").display
        fault_t = live.clock.elapsed()
        await until(pilot, lambda: live.clock.elapsed() >= fault_t + 1.0, "a second unplugged")
        plug_mic()
        await until(pilot, lambda: recording_state(screen) == "recovered", "recovered")
        # the timeline scrolls to its newest row after a refresh
        await until(pilot, lambda: "録音復旧（欠落" in flat(screen_text(desk)), "recovery shown")
        assert not screen.query_one("#recording-banner").display
        back_at = recorded(live)
        await until(pilot, lambda: recorded(live) >= back_at + 1.0, "a second after recovery")

        await pilot.press("e", "y")  # the recording pauses: `esc` could still go back
        await until(pilot, lambda: recording_state_of(desk, data_dir) == "paused", "paused")
        await pilot.press("ctrl+s")  # saved: now it stops and is archived
        assert isinstance(desk.screen, IdleScreen)
        while desk.archiving:
            await desk.workers.wait_for_complete()
            await pilot.pause()

    folder = list_session_folders(data_dir)[0]
    events = list(read_journal(folder.journal).events)
    kinds = [e.kind for e in events]
    assert kinds[-3:] == ["sheet_saved", "recording", "audio_archived"]
    changes = [e for e in events if isinstance(e, RecordingChanged)]
    assert [c.state for c in changes] == ["started", "fault", "recovered", "paused", "stopped"]
    started, fault, recovered, _paused, _stopped = changes
    assert recovered.gap_seconds is not None and recovered.gap_seconds >= 1.0

    # every event once recording began knows where it is in the audio
    assert all(e.audio is not None for e in events if e.t > started.t and e.t < fault.t)
    tag = next(e for e in events if isinstance(e, BehaviourTagged))
    assert tag.audio is not None

    archived = events[-1]
    assert isinstance(archived, AudioArchived)
    record = read_record(folder.record)
    assert record.audio is not None
    journaled = archived.model_dump(mode="json", exclude={"t", "at", "audio", "kind"})
    figures = {"faults", "gap_seconds", "app_gap_seconds", "paused_seconds", "gaps", "summary"}
    assert {k: v for k, v in record.audio.items() if k not in figures} == {
        k: v for k, v in journaled.items() if k not in figures
    }
    assert (archived.state, archived.faults) == ("stopped", 1)
    # the record's figures are the timeline's gaps added up: the first audio's wait, the fault
    assert started.gap_seconds is not None
    assert record.audio["faults"] == 1
    lost = record.audio["gap_seconds"]
    assert lost == pytest.approx(started.gap_seconds + recovered.gap_seconds, abs=0.002)
    assert record.audio["paused_seconds"] == 0, "the pause after the end is not in the contact"
    files = {file.role: file for file in archived.files}
    assert set(files) == {"original", "listening"}
    for file in files.values():
        data = (folder.audio / file.name).read_bytes()
        assert file.sha256 == hashlib.sha256(data).hexdigest()
        assert file.bytes == len(data)

    heard, rate = soundfile.read(folder.audio / "recording.flac", dtype="float64")
    assert rate == RATE
    assert len(heard) / RATE == pytest.approx(archived.seconds, abs=0.01)
    # Under PulseAudio an unplugged microphone's stream moves to a silent source, which delivers
    # a burst of exact zeros: the recorder writes them, then the watchdog calls it a fault. So
    # the recording holds the sound, stretch by stretch, plus that bounded silence.
    first_seconds = archived.segments[0]["seconds"]
    assert isinstance(first_seconds, float)
    first_end = round(first_seconds * RATE)
    zeros = (first_end - (np.nonzero(heard[:first_end])[0][-1] + 1)) / RATE
    assert zeros < 3.0
    # the recorder's own marks, journaled with each event, lie in the recording, in order
    offsets = [e.audio.offset for e in events if e.audio is not None]
    assert offsets == sorted(offsets)
    assert offsets[-1] <= archived.seconds
    second = archived.segments[1]
    assert second["offset"] == pytest.approx(first_seconds)
    lag, similarity = best_match(heard, signal)
    assert similarity > 0.8
    signal_at = lag / RATE
    # the tag was pressed while the signal played: its offset falls inside it (give or take
    # the sound system's buffering, which delays what the recorder has received)
    assert signal_at - 1.0 < tag.audio.offset < signal_at + len(signal) / RATE + 1.0
    sheet = folder.sheet.read_text(encoding="utf-8")
    assert "録音の障害（" in sheet and "録音復旧（欠落" in sheet
    assert f"録音：</b>{record.audio['summary']}" in sheet and "障害1回" in sheet
    assert files["original"].sha256 in sheet
