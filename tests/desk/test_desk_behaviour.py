"""How the desk behaves around a session: quitting, starting at once, English, failures, sound."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.confirm import ConfirmQuit
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.folder_store import FolderSession, FolderSessionStore
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import Clock, Instant, ManualClock
from kasuhara_timer.session.events import Event, SheetSaved, Staff, Started
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import HOST, journal_events, kinds, make_setup
from tests.support.screen import flat, paste, screen_text, until


async def launched_session(app: DeskApp, pilot: Pilot[None]) -> None:
    """A desk launched with --channel starts its session once its look at start is back."""
    await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the launched session")


async def test_quitting_during_a_session_asks_first(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(100)
        await pilot.press("ctrl+q")
        assert isinstance(desk.screen, ConfirmQuit)
        assert "対応中です。アプリを閉じますか？" in screen_text(desk)
        await pilot.press("n")
        assert isinstance(desk.screen, SessionScreen)
        assert desk.is_running
        assert kinds(journal_events(data_dir)) == ["started"]

        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not desk.is_running
    events = journal_events(data_dir)
    assert kinds(events) == ["started", "ended"]
    assert events[-1].t == 100
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.session.end_reason == "staff"


async def test_quitting_with_an_unsaved_sheet_asks_and_keeps_the_record(
    desk: DeskApp, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e", "y", "ctrl+q")
        assert isinstance(desk.screen, ConfirmQuit)
        assert "記録シートは未保存です" in flat(screen_text(desk))
        await pilot.press("escape")
        assert isinstance(desk.screen, WrapUpScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not desk.is_running
    assert list_session_folders(data_dir)[0].record.exists()


async def test_quitting_when_idle_does_not_ask(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not desk.is_running


async def test_channel_option_starts_at_once_and_asks_the_name_at_wrap_up(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.PHONE))
    async with app.run_test(size=(80, 24)) as pilot:
        await launched_session(app, pilot)
        assert isinstance(app.screen, SessionScreen)
        assert kinds(journal_events(data_dir)) == ["started"]
        clock.advance(300)
        await pilot.press("e", "y")
        wrapup = app.screen
        assert isinstance(wrapup, WrapUpScreen)
        assert "対応者が未入力です" in flat(screen_text(app))
        assert wrapup.focused is wrapup.query_one("#staff-name", Input)
        await pilot.press(*"佐藤")
        wrapup.query_one("#staff-section", Input).focus()
        await pilot.press(*"税務課", "ctrl+s")
        assert isinstance(app.screen, IdleScreen)
        # remembered for the next session, and shown on the idle screen
        assert app.screen.query_one("#staff-name", Input).value == "佐藤"
    assert staff_book.load().name == "佐藤"
    assert staff_book.load().section == "税務課"
    sheet = journal_events(data_dir)[-1]
    assert isinstance(sheet, SheetSaved)
    assert (sheet.staff.section, sheet.staff.name) == ("税務課", "佐藤")
    record = read_record(list_session_folders(data_dir)[0].record)
    assert {f.id: f.value for f in record.sheet.fields}["staff"] == "税務課 佐藤"


async def test_channel_option_session_starts_at_the_launch(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    launched = Instant(clock.monotonic(), clock.now())
    clock.advance(1.5)  # the imports and the first frame, after the shortcut's click
    setup = make_setup(
        nanyo, clock, data_dir, staff_book, start_channel=ChannelId.PHONE, launched=launched
    )
    app = DeskApp(setup)
    async with app.run_test(size=(80, 24)) as pilot:
        await launched_session(app, pilot)
        assert isinstance(app.screen, SessionScreen)
        clock.advance(10)
        await pilot.press("e", "y")
    started, ended = journal_events(data_dir)[:2]
    assert isinstance(started, Started)
    assert (started.t, started.at) == (0.0, launched.wall)
    assert ended.t == pytest.approx(11.5)


class SlowShare(FolderSessionStore):
    """A session folder that takes seconds to open (a slow network share)."""

    def __init__(self, data_dir: Path, clock: ManualClock) -> None:
        super().__init__(data_dir, HOST)
        self._clock = clock

    def open(self, started: datetime, drill: bool) -> FolderSession:
        self._clock.advance(3)
        return super().open(started, drill)


async def test_a_session_started_by_key_counts_from_the_key(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    setup = make_setup(nanyo, clock, data_dir, staff_book, store=SlowShare(data_dir, clock))
    app = DeskApp(setup)
    async with app.run_test(size=(80, 24)) as pilot:
        pressed_at = clock.now()
        await pilot.press("1")
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("e", "y")
    started, ended = journal_events(data_dir)[:2]
    assert (started.t, started.at) == (0.0, pressed_at)
    assert ended.t == pytest.approx(3)


async def test_remembered_staff_is_used_for_the_next_session(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    staff_book.save(Staff(name="鈴木"))
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, start_channel=ChannelId.COUNTER))
    async with app.run_test(size=(80, 24)) as pilot:
        await launched_session(app, pilot)
    started = journal_events(data_dir)[0]
    assert isinstance(started, Started)
    assert started.staff.name == "鈴木"


async def test_english_interface_keeps_the_policy_lines_in_japanese(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        shown = screen_text(app)
        assert "Press a key to start a session" in shown
        assert "Phone" in shown and "Counter" in shown
        assert "not set by the document; default 30 min" in shown
        await pilot.press("1")
        clock.advance(30 * 60)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.pulse()
        await pilot.pause()
        shown = screen_text(app)
        assert "Mark step 1 done" in shown and "Danger" in shown and "End" in shown
        assert "30 min limit passed" in shown
        assert "「恐れ入りますが、" in shown
        assert "Limit (30 min) reached" in shown
        await pilot.press("e", "y")
        assert "Record sheet" in screen_text(app)


class BrokenDisk:
    """A session folder whose disk fills up after the first event."""

    location = Path("/nowhere")

    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        if self.events:
            raise UserError(
                "could not append to the journal: the disk is full", Path("journal.jsonl")
            )
        self.events.append(event)

    def write_record(self, state: SessionState, policy: Policy) -> Sequence[Path]:
        raise UserError("could not write the file: the disk is full", Path("record.json"))

    def seal(self, clock: Clock) -> None:
        raise UserError("could not write the file: the disk is full", Path("seal.json"))

    def close(self) -> None:
        pass


class BrokenStore:
    def __init__(self) -> None:
        self.files = BrokenDisk()

    def open(self, started: datetime, drill: bool) -> BrokenDisk:
        return self.files


async def test_a_failing_journal_is_shown_and_nothing_unsaved_appears(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    store = BrokenStore()
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, store=store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        before = screen.session.state
        await pilot.press("2", "n")
        assert screen.session.state is before
        shown = flat(screen_text(app))
        assert (
            "保存できませんでした：journal.jsonl:couldnotappendtothejournal:thediskisfull" in shown
        )
        assert "● " not in screen_text(app)
        await pilot.press("m", *"abc", "enter")
        assert screen.query_one("#note", Input).value == "abc", "an unsaved note stays in the field"
        assert "メモ：abc" not in screen_text(app)
    assert [e.kind for e in store.files.events] == ["started"]


class FillingDisk(BrokenDisk):
    """A session folder whose disk is full while `full` is set (then space is freed)."""

    def __init__(self) -> None:
        super().__init__()
        self.full = False

    def append(self, event: Event) -> None:
        if self.full:
            raise UserError(
                "could not append to the journal: the disk is full", Path("journal.jsonl")
            )
        self.events.append(event)


async def test_an_error_line_stays_until_the_journal_takes_an_event_again(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    store = BrokenStore()
    store.files = disk = FillingDisk()
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, store=store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        disk.full = True
        await pilot.press("2")
        error = "保存できませんでした：journal.jsonl:couldnotappendtothejournal:thediskisfull"
        assert error in flat(screen_text(app))
        for _ in range(8):  # two seconds of the clock's 0.25 s pulse: nothing to write
            clock.advance(0.25)
            screen.pulse()
            await pilot.pause()
        assert error in flat(screen_text(app)), "a clock tick does not clear it"
        clock.advance(20 * 60)  # a pre-warning comes due and cannot be written either
        screen.pulse()
        await pilot.pause()
        assert error in flat(screen_text(app))
        disk.full = False  # space freed: the next event on disk shows it
        screen.pulse()
        await pilot.pause()
        assert error not in flat(screen_text(app)), "gone once an event is on disk again"
        assert [e.kind for e in disk.events] == ["started", "prewarning"]


async def test_a_refused_draft_is_said_until_a_draft_is_journaled_again(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    store = BrokenStore()
    store.files = disk = FillingDisk()
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, store=store, draft_seconds=600))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await pilot.press("e", "y")
        sheet = app.screen
        assert isinstance(sheet, WrapUpScreen)
        disk.full = True
        sheet.query_one("#field-content", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "住所変更")
        sheet.query_one("#remark-1", Input).focus()  # leaving the field drafts it: refused
        await pilot.pause()
        error = "couldnotappendtothejournal:thediskisfull"
        assert error in flat(screen_text(app))
        disk.full = False
        sheet.query_one("#field-content", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "の手続き")
        sheet.query_one("#remark-1", Input).focus()
        await pilot.pause()
        assert kinds(disk.events)[-1] == "sheet_drafted"
        assert error not in flat(screen_text(app)), "the draft is on disk again"


async def test_start_failure_is_shown_on_the_idle_screen(
    nanyo: Policy, clock: ManualClock, tmp_path: Path, staff_book: JsonStaffBook
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    app = DeskApp(make_setup(nanyo, clock, blocker, staff_book))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, IdleScreen)
        assert "保存できませんでした" in screen_text(app)


@pytest.mark.parametrize("bell", [False, True])
async def test_bell_only_when_the_settings_ask_for_it(
    bell: bool, nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, bell=bell))
    rings: list[None] = []
    app.bell = lambda: rings.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "n", "x")  # no step of the immediate path: the call goes on
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        for minute in (20, 25, 30, 31):
            clock.advance(minute * 60 - screen.session.clock.elapsed())
            screen.pulse()
            await pilot.pause()
    assert len(rings) == (3 if bell else 0)  # the two pre-warnings and the limit


@pytest.mark.parametrize("bell", [False, True])
async def test_textual_own_bells_stay_silent_unless_the_bell_is_on(
    bell: bool,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual rings on its own (an error, a refused click); a caller on the line could hear it."""
    rings: list[None] = []
    monkeypatch.setattr(App, "bell", lambda self: rings.append(None))
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, bell=bell))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        app.bell()  # what Textual calls on a fatal error, a CSS error, a refused key
    assert len(rings) == (1 if bell else 0)


async def test_the_repaint_pulse_follows_the_clock(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, pulse_seconds=0.01))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(30 * 60)
        reached = "limit_reached"
        await until(pilot, lambda: reached in kinds(journal_events(data_dir)), "the pulse's tick")
        assert kinds(journal_events(data_dir))[-1] == reached
        shown = "「恐れ入りますが、"
        await until(pilot, lambda: shown in screen_text(app), "the pulse's repaint")


async def test_drill_is_marked_and_kept_apart(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, drill=True, speed=60.0))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "研修モード（60倍速）" in screen_text(app)
        await pilot.press("1")
        assert "研修 ×60" in screen_text(app)
        clock.advance(30)  # half a minute of real time is half an hour of drill
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.pulse()
        await pilot.pause()
        assert "「恐れ入りますが、" in screen_text(app)
    assert list_session_folders(data_dir, drill=False) == []
    started = journal_events(data_dir, drill=True)[0]
    assert isinstance(started, Started)
    assert started.drill and started.speed == 60


async def test_mouse_starts_a_session_and_tags(desk: DeskApp, data_dir: Path) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.click("#start-counter")
        assert isinstance(desk.screen, SessionScreen)
        rows = list(desk.screen.query(".behaviour"))
        await pilot.click(rows[3])
        assert "● 拘束的な行為" in screen_text(desk)
    events = journal_events(data_dir)
    assert kinds(events) == ["started", "tagged"]
    assert events[0].channel == "counter"  # type: ignore[union-attr]
    assert events[1].behaviour == "restraint"  # type: ignore[union-attr]


async def test_an_office_keymap_moves_a_key(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    """`[keymap]` in config.toml: the office puts "next step" on F8 and starting a call on F2."""
    keymap = {"desk.next": "f8", "desk.start_phone": "f2"}
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, keymap=keymap))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, IdleScreen)  # the old key no longer starts a call
        await pilot.press("f2")
        assert isinstance(app.screen, SessionScreen)
        clock.advance(60)
        await pilot.press("n")
        await pilot.press("f8")  # brought forward
        await pilot.press("f8")  # taken
    taken = [e for e in journal_events(data_dir) if e.kind == "step_taken"]
    assert len(taken) == 1


async def test_behaviours_past_the_twelfth_key_are_tagged_from_the_list(
    clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    from kasuhara_timer.desk.screens.tag_picker import TagPicker
    from kasuhara_timer.policy.loader import load_policy
    from kasuhara_timer.session.events import BehaviourTagged

    taito = load_policy("taito").policy
    assert len(taito.behaviours) == 15
    app = DeskApp(make_setup(taito, clock, data_dir, staff_book))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "t")
        assert isinstance(app.screen, TagPicker)
        shown = flat(screen_text(app))
        assert all(b.tag in shown for b in taito.behaviours[12:]), "the last three are listed"
        await pilot.press("end", "enter")
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("t", "escape")
        assert isinstance(app.screen, SessionScreen), "Esc closes the list, tagging nothing"
        bindings = {b.id: b for _key, b in app.screen._bindings if b.id}
        assert bindings["desk.tag_picker"].tooltip
    tagged = [e for e in journal_events(data_dir) if isinstance(e, BehaviourTagged)]
    assert [e.behaviour for e in tagged] == [taito.behaviours[14].id]
