"""The desk at start: sessions a crash left running are offered (continue, close, later), what
an earlier run left undone is finished (archive, record, seal), every ended session is sealed.

Sessions are left running by the real `DeskSession` on a real `Journal` (abandoned without an
end, or in a process killed with SIGKILL); the desk runs on the real store in tmp_path with a
hand-moved clock, and `verify_session` judges the result.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.interrupted import RecoveryScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.integrity.seal import read_seal, seal_session
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.lifecycle.lookback import find_interrupted
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import (
    Ended,
    Event,
    LimitReached,
    PrewarningShown,
    Resumed,
    SheetSaved,
    Started,
)
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import (
    SessionFolder,
    create_session_folder,
    list_session_folders,
)
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import read_record
from tests.support.desk import HOST, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.screen import flat, screen_text, until
from tests.support.sessions import begin, some_events, write_segment
from tests.support.sessions import nanyo as nanyo_policy

ROOT = Path(__file__).resolve().parents[2]


def abandoned(
    data_dir: Path, clock: ManualClock, *, drill: bool = False, speed: float = 1.0
) -> SessionFolder:
    """A call of five minutes (a tag, two notes; the last event at t=300 s, 09:05) whose app
    went away without ending it: the journal is closed as a killed process leaves it."""
    folder, journal, session = begin(data_dir, clock, host=HOST, drill=drill, speed=speed)
    some_events(session, clock)
    journal.close()
    return folder


def corrupt_line(folder: SessionFolder, index: int) -> None:
    """Replace journal line `index` (0-based) with garbage."""
    lines = folder.journal.read_bytes().split(b"\n")
    lines[index] = b"#### not a journal line ####"
    folder.journal.write_bytes(b"\n".join(lines))


async def started(app: DeskApp, pilot: Pilot[None]) -> None:
    """Let the recovery's workers (look for running sessions, tidy up, close) finish and their
    answers be shown (no time limit: a test that never finishes is caught by CI's timeout)."""
    while app.recovery.busy:
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


def journal_of(folder: SessionFolder) -> list[Event]:
    result = read_journal(folder.journal)
    assert result.intact, result.problems
    return list(result.events)


def desk_app(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    **options: object,
) -> DeskApp:
    return DeskApp(make_setup(nanyo, clock, data_dir, staff_book, **options))


# -- offered, continued ----------------------------------------------------------------------


async def test_a_session_left_running_is_offered_and_continues_from_its_original_start(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    clock.advance(21 * 60)  # the app is back 21 minutes after the last event: t = 26 min
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        shown = screen_text(app)
        assert "終了していない対応があります（1/1）" in shown
        assert "2026/04/01 09:00:00・電話" in shown
        assert "市民課 主事 山田 太郎" in shown
        assert "09:05:00（経過 0:05:00）" in shown  # where the evidence stops
        assert "最後の出来事 09:05:00・録音なし" in shown
        assert "r 続ける" in shown and "c 中断として閉じる" in shown and "l 後で決める" in shown

        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.clock.elapsed() == 26 * 60
        shown = flat(screen_text(app))
        assert flat("目安 30分まで 残り 0:04:00") in shown
        assert flat("アプリ再起動後に継続（空白21分0秒）") in shown

        clock.advance(30)  # prompts due during the gap are journaled once, the latest only
        screen.pulse()
        clock.advance(4 * 60)
        screen.pulse()
        screen.pulse()
        await pilot.press("e", "y", "ctrl+s")
        assert isinstance(app.screen, IdleScreen)

    events = journal_of(folder)
    resumed = [e for e in events if isinstance(e, Resumed)]
    assert [(e.t, e.gap_seconds) for e in resumed] == [(26 * 60, 21 * 60)]
    after = events[events.index(resumed[0]) :]
    assert [e.minutes_before for e in after if isinstance(e, PrewarningShown)] == [5]
    assert [e.t for e in after if isinstance(e, LimitReached)] == [30 * 60 + 30]
    record = read_record(folder.record)
    assert (record.session.resumptions, record.session.gap_seconds) == (1, 21 * 60)
    assert not record.session.interrupted
    report = verify_session(folder)
    assert report.intact, report.problems
    assert report.sealed_at is not None


async def test_a_session_killed_with_sigkill_is_resumed_and_recorded_again(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.desk.killed_desk", str(data_dir), HOST],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = child.stdout.readline().split()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    folder = SessionFolder(Path(ready[1]), drill=False)
    clock.set_wall(datetime.now().astimezone() + timedelta(minutes=2))

    recorders = FakeRecorders()
    app = desk_app(nanyo, clock, data_dir, staff_book, recorder_factory=recorders)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        assert "録音 1秒" in screen_text(app)  # the audio the killed run synced
        await pilot.press("r")
        assert isinstance(app.screen, SessionScreen)
        recorder = recorders.last
        assert recorder.audio_dir == folder.audio and recorder.calls == ["start"]
        recorder.send("started")  # a new segment, after the killed run's one
        await pilot.pause()
        segments = sorted(p.name for p in folder.audio.glob("seg-*.pcm"))
        assert segments == ["seg-0001.pcm", "seg-0002.pcm"]
        clock.advance(5)
        await pilot.press("e", "y", "ctrl+s")
        while app.archiving:
            await app.workers.wait_for_complete()
            await pilot.pause()

    events = journal_of(folder)
    kinds = [e.kind for e in events]
    assert kinds[:4] == ["started", "tagged", "note", "resumed"]
    assert {"ended", "sheet_saved", "audio_archived"} <= set(kinds[4:])
    gap = next(e for e in events if isinstance(e, Resumed)).gap_seconds
    assert 115 < gap < 125  # two minutes, plus the moment between the last event and the kill
    record = read_record(folder.record)
    assert record.audio is not None
    assert record.audio["seconds"] == pytest.approx(2.0)  # the killed run's second and ours
    report = verify_session(folder)
    assert report.intact, report.problems


async def test_a_drill_continued_stays_a_drill(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder, journal, session = begin(data_dir, clock, host=HOST, drill=True, speed=30.0)
    clock.advance(10)  # five minutes on the drill's clock
    session.add_note("練習")
    journal.close()
    app = desk_app(nanyo, clock, data_dir, staff_book)  # started without --drill
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert "研修（練習の記録）" in screen_text(app)
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.state.drill and screen.session.clock.speed == 30.0
        assert "研修 ×30" in screen_text(app)
        await pilot.press("e", "y", "ctrl+s")
    assert folder.drill
    assert read_record(folder.record).session.drill
    assert verify_session(folder).intact


# -- closed, left, damaged -----------------------------------------------------------------


async def test_closing_as_interrupted_writes_a_sealed_record_that_verifies(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    clock.advance(3600)
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("c")
        await started(app, pilot)
        assert isinstance(app.screen, IdleScreen)
    ended = journal_of(folder)[-1]
    assert isinstance(ended, Ended)
    assert (ended.reason, ended.t, ended.at) == (
        "interrupted",
        300,
        clock.now() - timedelta(hours=1),
    )
    record = json.loads(folder.record.read_text(encoding="utf-8"))
    assert record["session"]["interrupted"] is True
    assert record["session"]["end_reason"] == "interrupted"
    assert folder.sheet.exists()
    assert read_seal(folder) is not None
    report = verify_session(folder)
    assert report.intact, report.problems

    again = desk_app(nanyo, clock, data_dir, staff_book)
    async with again.run_test(size=(80, 24)) as pilot:
        await started(again, pilot)
        assert isinstance(again.screen, IdleScreen), "nothing is offered twice"


async def test_closing_a_recorded_session_archives_its_audio_and_seals_it_again(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder, journal, session = begin(data_dir, clock, host=HOST)
    write_segment(folder, clock, 0.0, 1.5)
    some_events(session, clock)
    journal.close()
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("c")
        await started(app, pilot)
    kinds = [e.kind for e in journal_of(folder)]
    assert kinds[-2:] == ["ended", "audio_archived"]
    assert (folder.audio / "recording.flac").exists()
    seal = read_seal(folder)
    assert seal is not None and "audio/recording.flac" in {f.path for f in seal.files}
    report = verify_session(folder)
    assert report.intact, report.problems


async def test_deciding_later_leaves_it_running_and_it_is_offered_again(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    before = folder.journal.read_bytes()
    for start in range(2):
        app = desk_app(nanyo, clock, data_dir, staff_book)
        async with app.run_test(size=(80, 24)) as pilot:
            await started(app, pilot)
            assert isinstance(app.screen, RecoveryScreen)
            await pilot.press("l")
            assert isinstance(app.screen, IdleScreen)
            if start == 0:
                await pilot.press("1")  # the desk works as usual
                assert isinstance(app.screen, SessionScreen)
                await pilot.press("e", "y", "ctrl+s")
    assert folder.journal.read_bytes() == before
    assert not folder.record.exists()
    assert [found.folder for found in find_interrupted(data_dir, HOST)] == [folder]


async def test_a_damaged_journal_can_only_be_closed_and_says_why(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    corrupt_line(folder, 2)
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        shown = flat(screen_text(app))
        assert flat("記録の一部が読めないため、続けることはできません") in shown
        assert flat("3行目が読めません、4行目より前が書き換えられています") in shown
        assert flat(f"kasuhara-timer verify {folder.name}") in shown
        assert "r続ける" not in shown
        await pilot.press("r")  # not offered: nothing happens
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("c")
        await started(app, pilot)
        assert isinstance(app.screen, IdleScreen)
    assert read_record(folder.record).session.interrupted
    report = verify_session(folder)
    assert {f.file for f in report.problems} == {"journal.jsonl"}, "the damage is still reported"


async def test_a_journal_whose_start_is_lost_can_only_be_left(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    corrupt_line(folder, 0)
    app = desk_app(nanyo, clock, data_dir, staff_book, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        shown = flat(screen_text(app))
        assert flat("The start of the record cannot be read") in shown
        assert flat("line 1 cannot be read") in shown
        assert flat(folder.name) in shown
        await pilot.press("c")
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, IdleScreen)
    assert not folder.record.exists()


async def test_a_launch_for_a_channel_asks_first_in_a_modal_then_the_new_call_goes_first(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    first = abandoned(data_dir, clock)
    clock.advance(60)
    second = abandoned(data_dir, clock)
    app = desk_app(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.PHONE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await started(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecoveryScreen), "asked before any session starts"
        assert screen.found.folder == second, "the latest session of the channel is asked about"
        shown = flat(screen_text(app))
        assert flat("電話の対応を始める前に：終了していない対応があります") in shown
        assert flat("r 続ける") in shown and flat("n 新しい対応を始める") in shown
        assert "c 中断" not in shown and "l 後で" not in shown
        assert not app.screen.query("Toast"), "a question, never a passing toast"
        assert len(list_session_folders(data_dir)) == 2, "no new session yet"
        await pilot.press("escape")  # either way a call is on: Escape answers nothing
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("n")
        await started(app, pilot)
        assert isinstance(app.screen, SessionScreen), "the new call"
        assert len(list_session_folders(data_dir)) == 3
        await pilot.press("e", "y", "ctrl+s")
        assert isinstance(app.screen, RecoveryScreen)
        assert "（1/2）" in screen_text(app)
        await pilot.press("l")
        assert isinstance(app.screen, RecoveryScreen)
        assert "（2/2）" in screen_text(app)
        await pilot.press("c")
        await started(app, pilot)
        assert isinstance(app.screen, IdleScreen)
    assert not first.record.exists()
    assert read_record(second.record).session.interrupted


async def test_a_launch_for_a_channel_continues_the_call_left_running_instead_of_a_new_one(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = abandoned(data_dir, clock)
    clock.advance(90)  # the shortcut pressed again 90 s after the last event: the same call
    app = desk_app(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the call continued")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.clock.elapsed() == 390.0, "not a new 0:00 session"
        assert flat("アプリ再起動後に継続（空白1分30秒）") in flat(screen_text(app))
    assert list_session_folders(data_dir) == [folder], "no second session for the same call"
    assert isinstance(journal_of(folder)[-1], Resumed)


async def test_a_launch_with_nothing_left_running_starts_the_call_at_once(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    ended, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    journal.close()
    app = desk_app(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.COUNTER)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.state.channel is ChannelId.COUNTER
    assert ended in list_session_folders(data_dir)


# -- what an earlier run left undone -----------------------------------------------------------


async def test_at_start_missing_records_and_stale_seals_are_finished(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    # ended, but the app died before record.json was written
    unrecorded, journal, session = begin(data_dir, clock, host=HOST)
    some_events(session, clock)
    session.end()
    journal.close()
    # sealed at the save; then the journal moved on and the app died before sealing again
    clock.advance(60)
    stale, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    save_record_and_sheet(stale, nanyo)
    seal_session(stale, clock=clock)
    journal.append(SheetSaved(t=0.0, at=clock.now(), fields={"content": "後から保存"}))
    journal.close()
    save_record_and_sheet(stale, nanyo)
    # a seal someone damaged is left for verify to report, never sealed over
    clock.advance(60)
    damaged, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    journal.close()
    save_record_and_sheet(damaged, nanyo)
    seal_session(damaged, clock=clock)
    seal_file = damaged.path / "seal.json"
    seal_file.write_bytes(seal_file.read_bytes().replace(b'"version": 1', b'"version": 2'))
    damaged_seal = seal_file.read_bytes()

    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, IdleScreen)
    for folder in (unrecorded, stale):
        report = verify_session(folder)
        assert report.intact, (folder.name, report.problems)
        assert report.sealed_at == clock.now(), "sealed on the desk's clock"
    assert unrecorded.sheet.exists()
    assert seal_file.read_bytes() == damaged_seal
    assert not verify_session(damaged).intact


async def test_an_ended_session_whose_start_is_lost_is_named_and_the_others_are_finished(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    # two ended sessions the app died before recording: the first has lost its first line
    broken, journal, session = begin(data_dir, clock, host=HOST)
    some_events(session, clock)
    session.end()
    journal.close()
    corrupt_line(broken, 0)
    clock.advance(60)
    fine, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    journal.close()

    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(120, 24), notifications=True) as pilot:
        await started(app, pilot)
        said = [n.message for n in app._notifications]
    assert any(broken.name in line and "first line" in line for line in said), said
    assert verify_session(fine).intact, "the next folder is finished all the same"
    assert read_seal(fine) is not None
    assert not broken.record.exists()


# -- sealing after the wrap-up and the archive ------------------------------------------------


async def test_the_wrap_up_seals_a_session_without_recording(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(90)
        await pilot.press("2", "e", "y", "ctrl+s")
    [folder] = list_session_folders(data_dir)
    seal = read_seal(folder)
    assert seal is not None
    assert seal.journal_final_hash == read_journal(folder.journal).final_hash
    assert seal.sealed_at == clock.now(), "sealed on the desk's clock, not the wall clock"
    report = verify_session(folder)
    assert report.intact, report.problems


@pytest.mark.parametrize("archive_first", [True, False], ids=["archive-first", "save-first"])
async def test_the_last_of_save_and_archive_seals(
    archive_first: bool,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    recorders = FakeRecorders()
    app = desk_app(nanyo, clock, data_dir, staff_book, recorder_factory=recorders)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        await pilot.pause()
        clock.advance(30)
        if not archive_first:
            recorder.release_stop.clear()  # a slow sound system: the save comes first
        await pilot.press("e", "y")
        if archive_first:
            while app.archiving:
                await app.workers.wait_for_complete()
                await pilot.pause()
        await pilot.press("ctrl+s")
        [folder] = list_session_folders(data_dir)
        if not archive_first:
            assert read_seal(folder) is None, "no seal while the archive is still to come"
            recorder.release_stop.set()
        while app.archiving:
            await app.workers.wait_for_complete()
            await pilot.pause()
    events = journal_of(folder)
    assert {"sheet_saved", "audio_archived"} <= {e.kind for e in events}
    seal = read_seal(folder)
    assert seal is not None and "audio/recording.flac" in {f.path for f in seal.files}
    report = verify_session(folder)
    assert report.intact, report.problems


# -- repeat contacts ---------------------------------------------------------------------------


def earlier_call(
    data_dir: Path, clock: ManualClock, caller: str, *, seconds: float, drill: bool = False
) -> None:
    """A call some days ago with `caller`, ended and recorded as the desk leaves it."""
    folder = create_session_folder(data_dir, clock.now(), HOST, drill)
    with Journal.create(folder.journal) as journal:
        session = DeskSession.start(
            nanyo_policy(), ChannelId.PHONE, SessionClock(clock), journal, caller=caller
        )
        clock.advance(seconds)
        session.end()
    save_record_and_sheet(folder, nanyo_policy())
    clock.advance(24 * 3600)


async def call(app: DeskApp, pilot: Pilot[None], caller: str) -> str:
    """Start a phone call with `caller` typed in the idle screen's field; the line under the
    clock once the lookup is done."""
    app.screen.query_one("#caller", Input).value = caller
    await pilot.press("1")
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    while screen.looking_up_contacts:
        await app.workers.wait_for_complete()
        await pilot.pause()
    contacts = screen.query_one("#contacts")
    return str(contacts.render()) if contacts.display else ""


async def test_earlier_contacts_with_the_caller_are_shown_discreetly(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    earlier_call(data_dir, clock, "佐藤 090-1234", seconds=12 * 60)
    earlier_call(data_dir, clock, "田中", seconds=60)
    earlier_call(data_dir, clock, "佐藤 090-1234", seconds=3 * 60 + 10)
    earlier_call(data_dir, clock, "佐藤 090-1234", seconds=60, drill=True)  # practice
    earlier_call(data_dir, clock, "佐藤 090-1234", seconds=20)
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(80, 24)) as pilot:
        line = await call(app, pilot, "佐藤０９０１２３４")  # typed another way
        assert line == "この相手への対応：過去3回（最終 2026/04/05・電話・1分未満）"
        assert line in screen_text(app)
        await pilot.press("e", "y", "ctrl+s")
        assert await call(app, pilot, "") == "", "no label, no lookup"
        await pilot.press("e", "y", "ctrl+s")
        assert await call(app, pilot, "鈴木") == "", "no earlier contact, nothing said"


async def test_earlier_contacts_in_english(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    earlier_call(data_dir, clock, "Sato", seconds=3 * 60 + 10)
    app = desk_app(nanyo, clock, data_dir, staff_book, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        line = await call(app, pilot, "sato")
    assert line == "This caller: 1 earlier contact(s) (last 2026/04/01, Phone, 3 min)"


# -- the session clock starts with the session -------------------------------------------------


class SlowShare(FolderSessionStore):
    """A data folder on a share that takes two seconds to create a session folder."""

    def __init__(self, data_dir: Path, host: str, clock: ManualClock) -> None:
        super().__init__(data_dir, host)
        self.clock = clock

    def open(self, started: datetime, drill: bool):  # type: ignore[no-untyped-def]
        files = super().open(started, drill)
        self.clock.advance(2)
        return files


async def test_a_slow_share_does_not_count_as_session_time(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    store = SlowShare(data_dir, HOST, clock)
    app = desk_app(nanyo, clock, data_dir, staff_book, store=store, drill=True, speed=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("e", "y", "ctrl+s")
    [folder] = list_session_folders(data_dir, drill=True)
    first = journal_of(folder)[0]
    assert isinstance(first, Started) and first.t == 0.0


async def test_the_start_lists_the_data_folder_once_and_reads_each_journal_once(
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kasuhara_timer.lifecycle.lookback as lookback
    import kasuhara_timer.store.folders as folders

    left_running = abandoned(data_dir, clock)
    clock.advance(60)
    unrecorded, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    journal.close()
    clock.advance(60)
    finished, journal, session = begin(data_dir, clock, host=HOST)
    session.end()
    journal.close()
    save_record_and_sheet(finished, nanyo)
    seal_session(finished, clock=clock)

    listings: list[str] = []
    reads: list[Path] = []
    real_list = folders.list_session_folders

    def counted_list(data: Path, drill: bool | None = None) -> list[SessionFolder]:
        listings.append(str(data))
        return real_list(data, drill)

    def counted_read(path: Path) -> object:
        reads.append(path)
        return read_journal(path)

    monkeypatch.setattr(lookback, "list_session_folders", counted_list)
    monkeypatch.setattr(lookback, "read_journal", counted_read)
    app = desk_app(nanyo, clock, data_dir, staff_book)
    async with app.run_test(size=(120, 24)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, RecoveryScreen), "the session left running is offered"
    assert listings == [str(data_dir)]
    assert sorted(reads) == sorted(f.journal for f in (left_running, unrecorded, finished))
    assert verify_session(unrecorded).intact, "the unrecorded session was finished all the same"
