"""The desk app and its recorder: indicator, banner, pause, level, offsets, archive, leftovers.

A `FakeRecorder` reports what each test says (from its own thread, as the real one does) and
writes real segments, so the archive after the end is the real one: ffmpeg, FLAC, Opus, hashes.
What the journal holds is asserted, since the record and the review are derived from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from textual.pilot import Pilot

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.launch import desk_setup
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.views import level_cells, recording_view
from kasuhara_timer.desk.widgets.elapsed import ElapsedTimer
from kasuhara_timer.desk.widgets.recording_indicator import RecordingIndicator
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    AudioArchived,
    Ended,
    Event,
    RecordingChanged,
    Started,
)
from kasuhara_timer.store.folders import create_session_folder, list_session_folders
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import read_record
from tests.support.audio import FakeBackend, ReportLog, tone
from tests.support.desk import HOST, journal_events, kinds, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.screen import flat, screen_text, toasts, until

PORTAUDIO_MISSING = (
    "the PortAudio library is missing (libportaudio.so.2: cannot open shared object file);"
    " install it with `apt-get install libportaudio2` (or scripts/system-deps)"
)
PORTAUDIO_MISSING_JA = (
    "録音に必要な PortAudio ライブラリがありません。`apt-get install libportaudio2`"
    " (or scripts/system-deps) で入れてください（libportaudio.so.2: cannot open shared object"
    " file）"
)


def recording_desk(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    recorders: FakeRecorders,
    **options: object,
) -> DeskApp:
    return DeskApp(
        make_setup(nanyo, clock, data_dir, staff_book, recorder_factory=recorders, **options)
    )


@pytest.fixture
def recorders() -> FakeRecorders:
    return FakeRecorders()


@pytest.fixture
def desk(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    recorders: FakeRecorders,
) -> DeskApp:
    return recording_desk(nanyo, clock, data_dir, staff_book, recorders)


def indicator(app: DeskApp) -> str:
    return str(app.screen.query_one(RecordingIndicator).render()).strip()


def banner(app: DeskApp) -> str:
    widget = app.screen.query_one("#recording-banner")
    return str(widget.render()) if widget.display else ""


def footer_keys(app: DeskApp) -> dict[str, str]:
    return {key: b.binding.description for key, b in app.screen.active_bindings.items()}


def recording_events(events: list[Event]) -> list[tuple[str, str, float | None]]:
    return [(e.state, e.detail, e.gap_seconds) for e in events if isinstance(e, RecordingChanged)]


async def settle(pilot: Pilot[None]) -> None:
    """Let reports posted from the recorder's thread be handled."""
    await pilot.pause()
    await pilot.pause()


async def archives_done(app: DeskApp, pilot: Pilot[None]) -> None:
    """Wait for every recorder to stop and every archive to be journaled (no time limit: a
    test that never finishes is caught by the CI's own timeout, not by a guess here)."""
    while app.archiving:
        await app.workers.wait_for_complete()
        await settle(pilot)


async def test_reports_are_journaled_and_every_event_knows_its_place_in_the_audio(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        assert recorder.calls == ["start"]
        assert indicator(desk) == "○ 録音準備中"
        started = journal_events(data_dir)[0]
        assert isinstance(started, Started) and started.audio is None  # no audio yet

        clock.advance(2)
        recorder.send("started")
        await settle(pilot)
        assert indicator(desk).startswith("● 録音中")
        assert "録音開始" in screen_text(desk)

        clock.advance(10)
        await pilot.press("2")
        tagged = journal_events(data_dir)[-1]
        assert tagged.kind == "tagged"
        assert tagged.audio is not None
        assert tagged.audio.segment == "seg-0001.pcm"
        assert tagged.audio.offset == pytest.approx(10)

        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        screen.pulse()  # the repaint pulse polls the level: -27 dBFS lights 4 of 8 cells
        await pilot.pause()
        assert indicator(desk) == "● 録音中 ━━━━━━━━"
        assert level_cells(-27.0, 8) == 4
    assert recording_events(journal_events(data_dir)) == [("started", "", None)]


async def test_a_fault_shows_a_banner_while_the_timer_goes_on_and_the_gap_reaches_the_timeline(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        clock.advance(60)
        recorder.send("fault", "no audio from pulse for 2.1 s")
        await settle(pilot)
        assert indicator(desk) == "▲ 録音障害"
        shown = flat(screen_text(desk))
        said = "録音の障害：マイク「pulse」から2.1秒間、音声が届いていません"
        assert flat(f"{said} — 再接続を試みています") in shown
        assert "タイマーは動いています" in shown

        clock.advance(30)
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        screen.pulse()
        await pilot.pause()
        assert screen.query_one(ElapsedTimer).value == "0:01:30"
        await pilot.press("n")  # the staff member works on during the fault
        assert journal_events(data_dir)[-1].audio is None, "nothing is being recorded"

        recorder.send("recovered", gap_seconds=31.5)
        await settle(pilot)
        assert indicator(desk).startswith("● 録音中")
        assert banner(desk) == ""
        assert "録音復旧（欠落31.5秒）" in flat(screen_text(desk))
    assert recording_events(journal_events(data_dir)) == [
        ("started", "", None),
        ("fault", "マイク「pulse」から2.1秒間、音声が届いていません", None),
        ("recovered", "", 31.5),
    ]


async def test_r_pauses_and_resumes_the_recording_with_the_gap_on_the_timeline(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        await settle(pilot)
        assert footer_keys(desk)["r"] == "録音一時停止"
        assert "r 録音一時停止" in screen_text(desk)

        await pilot.press("r")
        assert recorder.calls[-1] == "pause"
        recorder.send("paused")
        await settle(pilot)
        assert indicator(desk) == "‖ 録音一時停止"
        assert footer_keys(desk)["r"] == "録音再開"
        assert banner(desk) == "", "a pause is the staff member's choice, not a fault"

        clock.advance(45)
        await pilot.press("r")
        assert recorder.calls[-1] == "resume"
        recorder.send("resumed", gap_seconds=45.0)
        await settle(pilot)
        assert indicator(desk).startswith("● 録音中")
        assert "録音再開（一時停止45秒）" in flat(screen_text(desk))
        assert "録音再開（欠落" not in flat(screen_text(desk)), "a pause is not a loss"

        await pilot.press("m", "r")  # typing a note: r is a letter, not the key
        assert recorder.calls[-1] == "resume"
    assert recording_events(journal_events(data_dir)) == [
        ("started", "", None),
        ("paused", "", None),
        ("resumed", "", 45.0),
    ]


async def test_the_end_archives_in_the_background_and_the_record_holds_the_hashes(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        clock.advance(95)
        await pilot.press("e", "y")
        assert isinstance(desk.screen, WrapUpScreen)
        # paused, not stopped: `esc` on the sheet may still return to a call going on
        assert recorder.calls[-1] == "pause"
        assert kinds(journal_events(data_dir))[-1] == "ended"
        ended = next(e for e in journal_events(data_dir) if isinstance(e, Ended))
        assert ended.audio is not None and ended.audio.offset == pytest.approx(95)

        await pilot.press("ctrl+s")
        assert isinstance(desk.screen, IdleScreen), "the next call does not wait for the audio"
        await archives_done(desk, pilot)
        events = journal_events(data_dir)
        assert kinds(events)[-3:] == ["sheet_saved", "recording", "audio_archived"]
        assert recording_events(events)[-1][0] == "stopped"
        await until(pilot, lambda: "録音を保存しました" in toasts(desk), "the archive's toast")
        assert "（1秒）" in toasts(desk)
    events = journal_events(data_dir)
    folder = list_session_folders(data_dir)[0]
    record = read_record(folder.record)
    assert record.sheet.saved_at is not None
    audio = record.audio
    assert audio is not None
    assert audio["state"] == "stopped"
    assert audio["seconds"] == pytest.approx(1.0)  # what the fake wrote
    files = audio["files"]
    assert isinstance(files, list) and len(files) == 2
    for entry in files:
        assert isinstance(entry, dict)
        on_disk = (folder.audio / str(entry["name"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(on_disk).hexdigest()
    assert {entry["role"] for entry in files if isinstance(entry, dict)} == {
        "original",
        "listening",
    }
    sheet = folder.sheet.read_text(encoding="utf-8")
    assert "録音：</b>1秒" in sheet
    assert all(str(entry["sha256"]) in sheet for entry in files if isinstance(entry, dict))
    assert not list(folder.audio.glob("*.pcm")), "raw segments go once the FLAC is verified"


async def test_saving_the_sheet_before_the_archive_is_done_loses_neither(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        recorder = recorders.last
        recorder.send("started")
        recorder.release_stop.clear()  # the sound system takes its time to stop
        clock.advance(30)
        await pilot.press("e", "y", "ctrl+s")
        assert isinstance(desk.screen, IdleScreen)
        assert kinds(journal_events(data_dir))[-2:] == ["ended", "sheet_saved"]

        await pilot.press("1")  # the next caller, at once
        assert isinstance(desk.screen, SessionScreen)
        recorder.release_stop.set()
        await archives_done(desk, pilot)
    first, _second = list_session_folders(data_dir)
    events = list(read_journal(first.journal).events)
    assert [e.kind for e in events][-4:] == ["ended", "sheet_saved", "recording", "audio_archived"]
    record = read_record(first.record)
    assert record.sheet.saved_at is not None and record.audio is not None
    assert record.journal.final_hash == read_journal(first.journal).final_hash


async def test_no_portaudio_the_app_runs_says_why_and_so_does_the_record(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    recorders = FakeRecorders(unavailable=PORTAUDIO_MISSING)
    desk = recording_desk(nanyo, clock, data_dir, staff_book, recorders)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorders.last.send("unavailable", PORTAUDIO_MISSING)
        await settle(pilot)
        assert indicator(desk) == "× 録音なし"
        assert flat("録音していません：録音に必要な PortAudio ライブラリがありません") in flat(
            screen_text(desk)
        )
        assert "r" not in footer_keys(desk), "nothing to pause"
        clock.advance(40)
        await pilot.press("n", "e", "y")
        await archives_done(desk, pilot)
        await pilot.press("ctrl+s")
    events = journal_events(data_dir)
    archived = next(e for e in events if isinstance(e, AudioArchived))
    assert (archived.state, archived.detail, archived.files) == (
        "unavailable",
        PORTAUDIO_MISSING_JA,
        (),
    )
    assert all(e.audio is None for e in events)
    folder = list_session_folders(data_dir)[0]
    record = read_record(folder.record)
    assert record.audio is not None and record.audio["state"] == "unavailable"
    sheet = folder.sheet.read_text(encoding="utf-8")
    assert "録音：</b>なし（<bdi>録音に必要な PortAudio ライブラリがありません。" in sheet
    assert "録音できません（録音に必要な PortAudio ライブラリがありません。" in sheet  # timeline


async def test_closing_the_app_mid_session_archives_before_the_process_ends(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorders.last.send("started")
        clock.advance(20)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not desk.is_running
    assert desk.wait_for_archives(60)
    events = journal_events(data_dir)
    assert kinds(events)[-3:] == ["ended", "recording", "audio_archived"]
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.audio is not None and len(record.audio["files"]) == 2  # type: ignore[arg-type]


async def test_closing_from_the_wrap_up_while_the_recorder_stops_archives_once(
    desk: DeskApp, clock: ManualClock, data_dir: Path, recorders: FakeRecorders
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorders.last.send("started")
        clock.advance(20)
        await pilot.press("e", "y", "ctrl+q", "y")
        await pilot.pause()
        assert not desk.is_running
    assert desk.wait_for_archives(60)
    events = journal_events(data_dir)
    assert kinds(events).count("audio_archived") == 1
    assert kinds(events)[-1] == "audio_archived"
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.audio is not None and record.audio["state"] == "stopped"


async def test_an_archive_that_fails_says_so_keeps_the_audio_and_is_done_at_the_next_start(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    recorders: FakeRecorders,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kasuhara_timer.lifecycle.ending as finish
    from kasuhara_timer.errors import UserError

    def broken(audio_dir: Path) -> object:
        raise UserError("ffmpeg could not encode the recording: no space left", audio_dir)

    with monkeypatch.context() as patched:
        patched.setattr(finish, "archive", broken)
        desk = recording_desk(nanyo, clock, data_dir, staff_book, recorders)
        async with desk.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.press("1")
            recorders.last.send("started")
            clock.advance(30)
            await pilot.press("e", "y", "ctrl+s")
            await archives_done(desk, pilot)
            await desk.workers.wait_for_complete()
            await settle(pilot)
            failed = "録音を保存できませんでした"
            await until(pilot, lambda: failed in toasts(desk), "the failure's toast")
            assert "nospaceleft" in toasts(desk)
            assert "次回の起動時にやり直します" in toasts(desk)
    folder = list_session_folders(data_dir)[0]
    assert "audio_archived" not in kinds(journal_events(data_dir))
    assert list(folder.audio.glob("*.pcm")), "the raw audio is kept"

    later = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with later.run_test(size=(80, 24)):
        await later.workers.wait_for_complete()
    assert kinds(journal_events(data_dir))[-1] == "audio_archived"
    record = read_record(folder.record)
    assert record.audio is not None and record.sheet.saved_at is not None


def test_the_indicator_follows_the_journal(nanyo: Policy) -> None:
    from kasuhara_timer.i18n import Translator
    from kasuhara_timer.session.state import SessionState

    tr = Translator("ja")
    clock = ManualClock()
    start = Started(t=0, at=clock.now(), channel="phone", profile="nanyo", limit_minutes=30)
    state = SessionState.begin(start)
    assert recording_view(state, False, tr).mode == "none"
    assert recording_view(state, True, tr).label == "○ 録音準備中"
    fault = RecordingChanged(t=5, at=clock.now(), state="fault", detail="")
    view = recording_view(state.apply(fault), True, tr)
    assert view.banner.startswith("録音の障害：理由は不明")
    assert [level_cells(db, 8) for db in (-100, -60, -30, 0, 3, float("nan"))] == [
        0,
        0,
        4,
        8,
        8,
        0,
    ]


# -- the recording notice (録音告知) -------------------------------------------------------------


async def test_the_bundled_profiles_offer_no_notice_line_of_their_own(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert "録音告知" not in screen_text(desk)


async def test_an_office_notice_line_is_offered_at_the_start_of_a_phone_session_only(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    recorders: FakeRecorders,
) -> None:
    line = "このお電話は、応対品質の向上のため録音させていただいております。"
    office = nanyo.model_copy(update={"recording_notice": (line,)})
    desk = recording_desk(office, clock, data_dir, staff_book, recorders)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        shown = flat(screen_text(desk))
        assert flat(f"録音告知（方針の文言）：「{line}」") in shown
        await pilot.press("e", "y", "ctrl+s", "2")
        assert "録音告知" not in screen_text(desk), "not at the counter"


# -- recordings an earlier run left ----------------------------------------------------------


def left_session(
    data_dir: Path, clock: ManualClock, host: str, *, ended: bool = True, seconds: float = 2.0
) -> Path:
    """A session folder as a killed app leaves it: journal, segments, no `AudioArchived`."""
    folder = create_session_folder(data_dir, clock.now(), host)
    start = Started(t=0, at=clock.now(), channel="phone", profile="nanyo", limit_minutes=30)
    with Journal.create(folder.journal) as journal:
        journal.append(start)
        journal.append(RecordingChanged(t=1, at=clock.now(), state="started"))
        journal.append(RecordingChanged(t=9, at=clock.now(), state="fault", detail="x"))
        journal.append(RecordingChanged(t=12, at=clock.now(), state="recovered", gap_seconds=3))
        if ended:
            journal.append(Ended(t=20, at=clock.now()))
    fmt = SegmentFormat(samplerate=16000, channels=1, started_t=1, started_at=clock.now())
    writer = SegmentWriter(folder.audio, 1, fmt)
    writer.write(b"\x10\x00" * int(16000 * seconds) + b"\x01")  # and a torn last frame
    writer.sync()
    return folder.path


async def test_recordings_an_earlier_run_left_are_archived_at_start(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    left = left_session(data_dir, clock, HOST)
    clock.advance(1)
    running = left_session(data_dir, clock, HOST, ended=False)
    clock.advance(1)
    elsewhere = left_session(data_dir, clock, "desk-99")
    setup = make_setup(nanyo, clock, data_dir, staff_book)
    desk = DeskApp(setup)
    async with desk.run_test(size=(80, 24)):
        await desk.workers.wait_for_complete()
    events = read_journal(left / "journal.jsonl").events
    archived = events[-1]
    assert isinstance(archived, AudioArchived)
    assert archived.seconds == pytest.approx(2.0)
    assert (archived.faults, archived.gap_seconds) == (1, 3.0)
    assert archived.t == 20  # where the session's clock stopped
    record = json.loads((left / "record.json").read_text(encoding="utf-8"))
    assert [f["role"] for f in record["audio"]["files"]] == ["original", "listening"]
    for untouched in (running, elsewhere):
        assert "audio_archived" not in (untouched / "journal.jsonl").read_text(encoding="utf-8")


def test_the_cli_desk_records_with_the_configured_microphone(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[audio]\ndevice = "USB"\nsilence_seconds = 20\n', encoding="utf-8"
    )
    setup = desk_setup()
    assert setup.recorder_factory is not None and setup.data_dir is not None
    settings = setup.recorder_factory.args[0]  # type: ignore[attr-defined]
    assert (settings.device, settings.silence_seconds) == ("USB", 20)


# -- the recorder's reasons, as the real recorder words them ----------------------------------
#
# Each scenario makes the real `Recorder` (on the fake backend, or on `SoundDeviceBackend` with
# the device list replaced) say why it stopped or failed, so the strings translated are exactly
# the strings it sends, and a change of its wording breaks these tests.

Scenario = Callable[["FakeBackend", ManualClock, "ReportLog", pytest.MonkeyPatch], None]


def _stall(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    backend.wait_for_stream(1).feed(tone(0.5))
    log.wait_for("started")
    manual.advance(3.0)


def _never_heard(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    backend.wait_for_stream(1)
    manual.advance(6.0)


def _silence(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    for _block in range(4):
        stream.feed(np.zeros(4000, dtype=np.int16))


def _overflow(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    stream.feed(tone(0.25), overflow=True)


def _ended(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    stream.end()


def _slow(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    stream = backend.wait_for_stream(1)
    stream.feed(tone(0.5))
    log.wait_for("started")
    for _second in range(8):
        manual.advance(1.0)
        stream.feed(tone(0.5))


def _disk_full(
    backend: FakeBackend, manual: ManualClock, log: ReportLog, patch: pytest.MonkeyPatch
) -> None:
    import errno

    from kasuhara_timer.audio import segments

    def disk_full(self: object, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    patch.setattr(segments.SegmentWriter, "write", disk_full)
    backend.wait_for_stream(1).feed(tone(0.5))


def _bug(
    backend: FakeBackend, manual: ManualClock, log: ReportLog, patch: pytest.MonkeyPatch
) -> None:
    from kasuhara_timer.audio import segments

    def broken(self: object, data: bytes) -> None:
        raise RuntimeError("a bug")

    patch.setattr(segments.SegmentWriter, "write", broken)
    backend.wait_for_stream(1).feed(tone(0.5))


def _nothing(backend: FakeBackend, manual: ManualClock, log: ReportLog, _: object) -> None:
    pass


def _devices_seen(patch: pytest.MonkeyPatch, *labels: tuple[str, str]) -> None:
    """PortAudio's device list, replaced: the real backend's lookup and wording stay."""
    from kasuhara_timer.audio import backend
    from kasuhara_timer.audio.devices import InputDevice

    seen = [InputDevice(i, name, api, 1, 48000.0, False) for i, (name, api) in enumerate(labels)]
    patch.setattr(backend, "list_input_devices", lambda: seen)
    patch.setattr(backend, "load_sounddevice", lambda: None)


def _real_backend(devices: tuple[tuple[str, str], ...]) -> Callable[[pytest.MonkeyPatch], object]:
    def make(patch: pytest.MonkeyPatch) -> object:
        from kasuhara_timer.audio.backend import SoundDeviceBackend

        _devices_seen(patch, *devices)
        return SoundDeviceBackend()

    return make


@pytest.mark.parametrize(
    ("scenario", "settings", "state", "shown"),
    [
        (
            _nothing,
            {"enabled": False},
            "unavailable",
            "設定で録音がオフになっています（config.toml の [audio] enabled）",
        ),
        (
            _nothing,
            {"backend": _real_backend(())},
            "unavailable",
            "マイク（入力装置）が見つかりません。"
            "接続して `kasuhara-timer devices` で確認してください",
        ),
        (
            _nothing,
            {"device": "USB", "hostapi": "MME", "backend": _real_backend((("Built-in", "ALSA"),))},
            "fault",
            "マイクを開けません。入力装置「USB」（MME）が接続されていません"
            "（見つかった入力：Built-in (ALSA)）",
        ),
        (
            _nothing,
            {"backend": _real_backend((("USB", "MME"),))},
            "fault",
            "マイクを開けません。既定の入力装置が接続されていません（見つかった入力：USB (MME)）",
        ),
        (_stall, {}, "fault", "マイク「Fake Mic (Test API)」から3.0秒間、音声が届いていません"),
        (
            _never_heard,
            {},
            "fault",
            "マイク「Fake Mic (Test API)」を開いてから5秒たっても音声が届きません",
        ),
        (
            _silence,
            {"silence_seconds": 1.0},
            "fault",
            "マイク「Fake Mic (Test API)」から1秒間まったくの無音です"
            "（外れたか、ミュートの可能性）",
        ),
        (_overflow, {}, "fault", "音声の取りこぼし（サウンドシステムが音声を捨てました）"),
        (
            _ended,
            {},
            "fault",
            "マイク「Fake Mic (Test API)」からの録音がサウンドシステムによって止められました",
        ),
        (
            _slow,
            {"retry_interval": 60.0},
            "fault",
            # the counts depend on where the watchdog looks between two blocks
            re.compile(
                r"マイク「Fake Mic \(Test API\)」からの音声が足りません（\d+フレーム中\d+）"
            ),
        ),
        (_disk_full, {}, "fault", "録音を書き込めません（[Errno 28] No space left on device）"),
        (_bug, {}, "fault", "録音の処理で予期しないエラーが起きました（RuntimeError: a bug）"),
    ],
)
def test_the_recorders_reasons_are_journaled_in_japanese_with_their_facts(
    scenario: Scenario,
    settings: dict[str, Any],
    state: str,
    shown: str | re.Pattern[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kasuhara_timer.audio.recorder import Recorder
    from kasuhara_timer.audio.settings import AudioSettings
    from kasuhara_timer.desk.recorder_words import recorder_words
    from kasuhara_timer.i18n import Translator
    from kasuhara_timer.session.clock import SessionClock

    fake = FakeBackend()
    make_backend = settings.pop("backend", None)
    backend = make_backend(monkeypatch) if make_backend else fake
    manual, log = ManualClock(), ReportLog()
    recorder = Recorder(
        tmp_path / "audio",
        AudioSettings(**settings),
        SessionClock(manual),
        log,
        backend=backend,
        monotonic=manual.monotonic,
    )
    recorder.start()
    try:
        scenario(fake, manual, log, monkeypatch)
        said = log.wait_for(state).detail
    finally:
        recorder.stop(timeout=10)

    words = recorder_words(said, Translator("ja"))
    assert re.fullmatch(shown, words) if isinstance(shown, re.Pattern) else words == shown
    assert recorder_words(said, Translator("en")) == said


def test_a_recorder_that_did_not_finish_in_time_says_so_in_japanese() -> None:
    from kasuhara_timer.audio.recorder import DID_NOT_FINISH
    from kasuhara_timer.desk.recorder_words import recorder_words
    from kasuhara_timer.i18n import Translator

    assert recorder_words(DID_NOT_FINISH, Translator("ja")) == (
        "録音の終了処理が時間内に終わりませんでした（録音ファイルはそのまま残します）"
    )


def test_a_reason_not_known_yet_is_kept_as_the_recorder_said_it() -> None:
    from kasuhara_timer.desk.recorder_words import recorder_words
    from kasuhara_timer.i18n import Translator

    said = "something the recorder learns to say later"
    assert recorder_words(said, Translator("ja")) == said


async def test_an_app_that_ends_without_its_quit_path_still_stops_its_recorder(
    desk: DeskApp, recorders: FakeRecorders
) -> None:
    # e.g. an exception inside Textual: the recorder must not go on capturing in the background
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorders.last.send("started")
        await settle(pilot)
    assert recorders.last.calls[-1] == "stop"
