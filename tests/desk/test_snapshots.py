"""Every desk screen at 80×24, pictured: fixed clock, no cursor blink, bundled nanyo profile.

Update after a deliberate change with `pytest tests/tui --snapshot-update`, then look at the
report: a snapshot is only as good as the eye that accepted it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from tests.desk.test_recovery import earlier_call
from tests.support.desk import HOST, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.screen import paste
from tests.support.sessions import begin, some_events, write_segment

SIZE = (80, 24)
SnapCompare = Callable[..., bool]


def at(clock: ManualClock, seconds: float) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A `run_before` moving the session clock to `seconds` and letting the pulse repaint."""

    async def run(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(seconds - screen.session.clock.elapsed())
        screen.pulse()
        await pilot.pause()

    return run


def app(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook, **options: object
) -> DeskApp:
    staff_book.save(staff_book.load().model_copy(update={"name": "山田", "section": "市民課"}))
    return DeskApp(make_setup(nanyo, clock, data_dir, staff_book, **options))


def test_idle(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    assert snap_compare(app(nanyo, clock, data_dir, staff_book), terminal_size=SIZE)


def test_idle_english_drill(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book, lang="en", drill=True, speed=30.0)
    assert snap_compare(desk, terminal_size=SIZE)


def test_idle_typing_the_caller(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """After `c`: the label field lit, 1/2/3 still in the footer (they start from here too)."""
    desk = app(nanyo, clock, data_dir, staff_book)
    assert snap_compare(desk, terminal_size=SIZE, press=["c", *"田中様"])


def test_session_calm(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 4 * 60 + 7)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_near(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 12 * 60)(pilot)
        await pilot.press("2", "4", "m")
        await paste(pilot, "同じ要求の繰り返し")
        await pilot.press("enter")
        await at(clock, 25 * 60 + 30)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_over(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 31 * 60)(pilot)
        await pilot.press("n")
        await at(clock, 33 * 60 + 20)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_immediate(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        await at(clock, 7 * 60)(pilot)
        await pilot.press("1", "x")
        await at(clock, 7 * 60 + 40)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_wrap_up(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 31 * 60)(pilot)
        await pilot.press("n", "n", "e", "y")

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_wrap_up_timeline_and_its_additions(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """Field 6: the timeline as it prints, then its additions field, focused and lit."""
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 60)(pilot)
        await pilot.press("m", *"大声で威圧", "enter")
        await at(clock, 120)(pilot)
        await pilot.press("e", "y", "tab", "tab")  # typing would draft: a timed status line

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_wrap_up_checklist(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """ctrl+l: the checklist's first item focused and lit, the footer says how to go back."""
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 60)(pilot)
        await pilot.press("e", "y", "ctrl+l")

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_wrap_up_english_checklist(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """--lang en: the app's words in English, the sheet's (チェックリスト, 該当) the profile's."""
    desk = app(nanyo, clock, data_dir, staff_book, lang="en")

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 60)(pilot)
        await pilot.press("e", "y", "ctrl+l")

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_quit_confirmation(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    desk = app(nanyo, clock, data_dir, staff_book)
    assert snap_compare(desk, press=["1", "ctrl+q"], terminal_size=SIZE)


def test_session_recording(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    recorders = FakeRecorders()  # a fixed level: the meter always lights the same cells
    desk = app(nanyo, clock, data_dir, staff_book, recorder_factory=recorders)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        clock.advance(2)
        recorders.last.send("started")
        await pilot.pause()  # the report is journaled when it arrives, before the clock moves
        await at(clock, 4 * 60 + 7)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_recording_fault(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    recorders = FakeRecorders()
    desk = app(nanyo, clock, data_dir, staff_book, recorder_factory=recorders)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        clock.advance(2)
        recorders.last.send("started")
        await pilot.pause()
        clock.advance(60)
        recorders.last.send(
            "fault", "only digital silence from default (ALSA) for 10 s (unplugged or muted?)"
        )
        await pilot.pause()
        await at(clock, 2 * 60 + 30)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_recording_notice_of_an_office_profile(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    office = nanyo.model_copy(
        update={"recording_notice": ("このお電話は、記録のため録音させていただきます。",)}
    )
    recorders = FakeRecorders(unavailable="recording is turned off in the settings")
    desk = app(office, clock, data_dir, staff_book, recorder_factory=recorders)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        recorders.last.send("unavailable", "recording is turned off in the settings")
        await pilot.pause()
        await at(clock, 15)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_recovery_offer(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    folder, journal, session = begin(data_dir, clock, host=HOST)
    write_segment(folder, clock, 0.0, 1.5)
    some_events(session, clock)  # the last event at 09:05:00
    journal.close()  # the app went away without ending it
    clock.advance(15 * 60)
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        while desk.recovery.busy:
            await desk.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_launch_for_a_channel_asks_about_the_call_left_running(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    folder, journal, session = begin(data_dir, clock, host=HOST)
    write_segment(folder, clock, 0.0, 1.5)
    some_events(session, clock)  # the last event at 09:05:00
    journal.close()  # the app went away without ending it
    clock.advance(90)  # the shortcut (--channel phone) pressed again
    desk = app(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.PHONE)

    async def run_before(pilot: Pilot[None]) -> None:
        while desk.recovery.busy:
            await desk.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_with_earlier_contacts(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    earlier_call(data_dir, clock, "佐藤 090-1234", seconds=12 * 60)
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        desk.screen.query_one("#caller", Input).value = "佐藤 090-1234"
        await pilot.press("1")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        while screen.looking_up_contacts:
            await desk.workers.wait_for_complete()
            await pilot.pause()
        await at(clock, 65)(pilot)

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_asking_whether_to_end(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """`e` asks on one line above the footer; the timer and the card stay in view."""
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 12 * 60)(pilot)
        await pilot.press("e")

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_session_step_brought_forward_and_a_withdrawn_entry(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """Before the limit: step 1 brought forward (its lines shown, the footer says `n` marks it
    done), a mis-pressed `x` withdrawn and struck through on the timeline."""
    desk = app(nanyo, clock, data_dir, staff_book)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await at(clock, 5 * 60)(pilot)
        await pilot.press("n", "x")
        await at(clock, 5 * 60 + 4)(pilot)
        await pilot.press("u")

    assert snap_compare(desk, terminal_size=SIZE, run_before=run_before)


def test_key_help(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    """F1 (help in every Windows program) lists the keys over the session, tags nothing."""
    desk = app(nanyo, clock, data_dir, staff_book)
    assert snap_compare(desk, press=["1", "f1"], terminal_size=SIZE)
