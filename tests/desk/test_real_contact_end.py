"""The recording stops when the call is cut, for real: the desk records the virtual microphone
(PortAudio → ALSA → a private PulseAudio), ステップ3 切電 is taken, the after-care goes on for a
while, the sheet is saved, and the archived recording ends where the call ended. With the
office's `[audio] record_after_contact = true` it goes on through the after-care.

Run under `scripts/with-virtual-mic` (skipped otherwise)."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import pytest
import soundfile

from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.launch import make_recorder
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import SystemClock
from kasuhara_timer.session.events import AudioArchived, ContactEnded, RecordingChanged
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.journal import read_journal
from kasuhara_timer.store.record import read_record
from tests.desk.test_real_recording import recorded, recording_state, room
from tests.support.audio import needs_virtual_mic
from tests.support.desk import make_setup
from tests.support.screen import flat, screen_text, until

pytestmark = [pytest.mark.audio, needs_virtual_mic]
__all__ = ["room"]  # the fixture: quiet noise in the room all along

AFTERCARE_SECONDS = 2.0


@pytest.mark.parametrize("keep", [False, True], ids=["stops", "kept_on"])
async def test_the_recording_ends_with_the_call(
    keep: bool, room: None, nanyo: Policy, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    setup = make_setup(
        nanyo,
        SystemClock(),  # type: ignore[arg-type]
        data_dir,
        staff_book,
        recorder_factory=partial(make_recorder, AudioSettings(silence_seconds=None)),
        pulse_seconds=0.1,
        record_after_contact=keep,
    )
    desk = DeskApp(setup)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = desk.screen
        assert isinstance(screen, SessionScreen) and screen.live is not None
        live = screen.live
        await until(pilot, lambda: recording_state(screen) == "started", "recording started")
        await until(pilot, lambda: recorded(live) >= 1.0, "a second of the call")
        await pilot.press("n", "n", "n", "n")  # ステップ1 brought forward, 1, 2, 3 taken
        assert screen.session.state.contact_ended is not None
        if keep:
            assert recording_state(screen) == "started"
        else:
            await until(pilot, lambda: recording_state(screen) == "paused", "stopped at 切電")
            await until(pilot, lambda: "■録音終了（対応終了）" in flat(screen_text(desk)), "said")
        ended_at = time.monotonic()
        await until(
            pilot, lambda: time.monotonic() >= ended_at + AFTERCARE_SECONDS, "some after-care"
        )
        await pilot.press("e", "y", "ctrl+s")
        assert isinstance(desk.screen, IdleScreen)
        while desk.archiving:
            await desk.workers.wait_for_complete()
            await pilot.pause()

    folder = list_session_folders(data_dir)[0]
    events = list(read_journal(folder.journal).events)
    contact = next(e for e in events if isinstance(e, ContactEnded))
    assert contact.step == "disconnect" and contact.audio is not None
    archived = events[-1]
    assert isinstance(archived, AudioArchived) and archived.state == "stopped"
    heard, _rate = soundfile.read(folder.audio / "recording.flac", dtype="float64")
    assert len(heard) / 16000 == pytest.approx(archived.seconds, abs=0.01)
    states = [e.state for e in events if isinstance(e, RecordingChanged)]
    assert states == ["started", "paused", "stopped"]  # paused at 切電, or at `e` when kept on
    paused = next(e for e in events if isinstance(e, RecordingChanged) and e.state == "paused")
    if keep:
        assert paused.t >= contact.t + AFTERCARE_SECONDS
        assert archived.seconds >= contact.audio.offset + AFTERCARE_SECONDS
    else:
        assert paused.t < contact.t + 1.0, "the recording stopped with the call"
        # what the archive holds ends at the call's end, give or take the sound system's blocks
        assert archived.seconds < contact.audio.offset + 0.5
    record = read_record(folder.record)
    assert record.session.contact_seconds == contact.t
    assert record.session.aftercare_seconds >= AFTERCARE_SECONDS
