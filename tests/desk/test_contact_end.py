"""The contact ends when it ends, at the desk: after ステップ3 切電 (or `l`: the caller hung up,
the visitor left) the clock stops, no pre-warning or red comes however long the after-care
takes, the card shows the after-care in the profile's words, the recording stops (unless the
office keeps it on) and the sheet gives both durations. Pilot, on the hand-moved clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.elapsed import ElapsedTimer
from kasuhara_timer.desk.widgets.limit_bar import LimitBar
from kasuhara_timer.desk.widgets.recording_indicator import RecordingIndicator
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import ContactEnded, StepTaken
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, kinds, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.screen import flat, screen_text

SIZE = (80, 24)


def session_screen(desk: DeskApp) -> SessionScreen:
    screen = desk.screen
    assert isinstance(screen, SessionScreen)
    return screen


async def pulse_at(pilot: Pilot[None], desk: DeskApp, clock: ManualClock, seconds: float) -> None:
    """Move the hand-set clock to `seconds` of session time and let the screen repaint."""
    screen = session_screen(desk)
    clock.advance(seconds - screen.session.clock.elapsed())
    screen.pulse()
    await pilot.pause()


def shown_timer(desk: DeskApp) -> str:
    return session_screen(desk).query_one(ElapsedTimer).value


async def cut_the_call(pilot: Pilot[None], desk: DeskApp, clock: ManualClock) -> None:
    """The limit, then ステップ1, 2 and 3 (切電) a minute apart: 0:33:00."""
    await pulse_at(pilot, desk, clock, 30 * 60)
    for minute in (31, 32, 33):
        await pulse_at(pilot, desk, clock, minute * 60)
        await pilot.press("n")


async def test_after_kirden_the_clock_stops_and_nothing_turns_red(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await cut_the_call(pilot, desk, clock)
        events = journal_events(data_dir)
        assert kinds(events)[-2:] == ["step_taken", "contact_ended"]
        step, ended = events[-2:]
        assert isinstance(step, StepTaken) and step.step == "disconnect"
        assert isinstance(ended, ContactEnded) and ended.t == 33 * 60
        assert shown_timer(desk) == "0:33:00"
        before = len(events)

        for minute in (40, 55, 70, 90):  # a long after-care: an hour past the limit
            await pulse_at(pilot, desk, clock, minute * 60)
            assert shown_timer(desk) == "0:33:00", "the contact's time stands still"
            bar = session_screen(desk).query_one(LimitBar)
            assert bar.has_class("-off") and not bar.has_class("-over")
        assert len(journal_events(data_dir)) == before, "no pre-warning, no limit, nothing"
        shown = flat(screen_text(desk))
        assert "通話終了0:33:00（目安30分）・事後の対応0:57:00" in shown
        assert "超過" not in shown
        assert "通話終了—事後の対応" in shown
        assert "上司に報告する：相手の情報を更新・共有する" in shown  # ステップ4, the profile's
        assert "総合的な相談窓口総務課長・課長補佐内線411" in shown
        assert "※総務課へ相談する際にこのシートを活用してください。" in shown

        await pilot.press("e", "y")
        wrapup = desk.screen
        assert isinstance(wrapup, WrapUpScreen)
        assert wrapup.query_one("#field-datetime", Input).value == (
            "令和8年4月1日（水）09:00:00〜09:33:00（通話33分0秒）、事後の対応〜10:30:00（57分0秒）"
        )
        await pilot.press("ctrl+s")
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.session.contact_seconds == 33 * 60
    assert record.session.aftercare_seconds == 57 * 60
    assert record.session.duration_seconds == 90 * 60
    assert record.session.limit_reached_t == 30 * 60  # it came before 切電, and only it


async def test_u_right_after_kirden_takes_the_call_back(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await cut_the_call(pilot, desk, clock)
        await pilot.press("u")  # one slip of `n`: one `u`
        assert kinds(journal_events(data_dir))[-2:] == ["withdrawn", "withdrawn"]
        assert session_screen(desk).session.state.contact_ended is None
        await pulse_at(pilot, desk, clock, 40 * 60)
        assert shown_timer(desk) == "0:40:00", "the call goes on"
        assert session_screen(desk).query_one(LimitBar).has_class("-over")


async def test_l_the_visitor_left_at_the_counter(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pulse_at(pilot, desk, clock, 12 * 60)
        await pilot.press("l")
        assert kinds(journal_events(data_dir))[-1] == "contact_ended"
        await pulse_at(pilot, desk, clock, 45 * 60)
        assert shown_timer(desk) == "0:12:00"
        assert not {"prewarning", "limit_reached"} & set(kinds(journal_events(data_dir)))
        assert "退去0:12:00（目安30分）・事後の対応0:33:00" in flat(screen_text(desk))
        await pilot.press("l")  # once is enough
        assert kinds(journal_events(data_dir)).count("contact_ended") == 1


@pytest.mark.parametrize("keep", [False, True])
async def test_the_recording_stops_with_the_contact_unless_the_office_keeps_it(
    keep: bool, nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    recorders = FakeRecorders()
    setup = make_setup(
        nanyo, clock, data_dir, staff_book, recorder_factory=recorders, record_after_contact=keep
    )
    desk = DeskApp(setup)
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        await pilot.pause()
        await pilot.pause()
        await cut_the_call(pilot, desk, clock)
        if keep:
            assert "pause" not in recorder.calls
            return
        assert recorder.calls[-1] == "pause"
        recorder.send("paused")
        await pilot.pause()
        await pilot.pause()
        indicator = session_screen(desk).query_one(RecordingIndicator)
        assert str(indicator.render()).strip() == "■ 録音終了（対応終了）"
        await pilot.press("u")  # taken back: the call goes on, and so does the recording
        assert recorder.calls[-1] == "resume"


async def test_a_contact_over_before_the_first_audio_stops_the_recording_when_it_comes(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    """The recorder had not started yet when `l` came (or a call resumed after a crash in its
    after-care): its pause was too early to count, so the first audio stops it again; `r`
    after that is the staff member's choice and is kept."""
    recorders = FakeRecorders()
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, recorder_factory=recorders))
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("1", "l")
        recorder = recorders.last
        assert recorder.calls[-1] == "pause"
        pauses = recorder.calls.count("pause")
        recorder.send("started")
        await pilot.pause()
        await pilot.pause()
        assert recorder.calls.count("pause") == pauses + 1
        recorder.send("paused")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("r")  # record the after-care after all
        assert recorder.calls[-1] == "resume"
        recorder.send("resumed", gap_seconds=1.0)
        await pilot.pause()
        await pilot.pause()
        assert recorder.calls[-1] == "resume", "the staff member's choice stands"


SnapCompare = Callable[..., bool]


def test_snapshot_after_care_after_kirden(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """ステップ3 切電 at 0:33:00, twelve minutes of after-care: the clock still says 0:33:00,
    the bar is muted, the card is ステップ4 with the consultation contact and the sheet's notes,
    the recording has stopped with the call."""
    recorders = FakeRecorders()
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, recorder_factory=recorders))

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        recorders.last.send("started")
        await pilot.pause()
        await cut_the_call(pilot, desk, clock)
        recorders.last.send("paused")
        await pilot.pause()
        await pulse_at(pilot, desk, clock, 45 * 60)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_snapshot_after_the_police_step_on_the_immediate_path(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """At the counter, x then 警察に通報する at 0:07:00; at 0:31:00 no pre-warning came and
    nothing is red: the bar says the limit no longer counts, the clock goes on."""
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        await pulse_at(pilot, desk, clock, 7 * 60)
        await pilot.press("x", "n")
        for minute in (20, 25, 30, 31):
            await pulse_at(pilot, desk, clock, minute * 60)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)
