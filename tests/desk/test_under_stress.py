"""The desk under stress (issue 9): a stray key never writes a wrong record.

Each test is what a hurried hand does: a single `e`, a burst of `n`, `n` before the limit,
`u` after each kind of entry, `esc` on the record sheet of a call that is in fact going on.
"""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Digits, Static

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.key_help import KeyHelp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.timeline import TimelineText
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    EntryWithdrawn,
    NoteAdded,
    StepBroughtForward,
    StepTaken,
)
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, kinds, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.screen import flat, screen_text

STEP1_LINE = "恐れ入りますが、そのような言葉遣いでは対応を続けることができません。"


def footer_words(app: DeskApp) -> dict[str, str]:
    return {key: b.binding.description for key, b in app.screen.active_bindings.items()}


async def tap(pilot: Pilot[None], clock: ManualClock, *keys: str, apart: float = 2.0) -> None:
    """Press keys as a person would, `apart` seconds from each other."""
    for key in keys:
        await pilot.press(key)
        clock.advance(apart)


async def test_a_single_e_asks_in_place_and_the_session_goes_on(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await pilot.press("e")
        screen = desk.screen
        assert isinstance(screen, SessionScreen), "one key never ends a call"
        assert "対応を終了しますか？" in flat(screen_text(desk))
        assert "ended" not in kinds(journal_events(data_dir))
        assert "e" not in footer_words(desk)
        assert footer_words(desk)["escape"] == "続ける"
        clock.advance(30)
        screen.pulse()
        await pilot.pause()
        assert screen.query_one(Digits).value == "0:01:30", "the clock runs while it asks"
        await pilot.press("escape")  # cancelled: nothing journaled, the question is gone
        assert "対応を終了しますか？" not in flat(screen_text(desk))
        assert "ended" not in kinds(journal_events(data_dir))
        await pilot.press("e", "enter")
        assert isinstance(desk.screen, WrapUpScreen)
        assert kinds(journal_events(data_dir))[-1] == "ended"


async def test_a_burst_of_n_records_one_decision(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    """Six quick `n` before the limit: step 1 is brought forward once, nothing is taken."""
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, repeat_seconds=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(120)
        assert footer_words(app)["n"] == "ステップ1を前倒し"
        for _ in range(6):
            await pilot.press("n")
            clock.advance(0.01)
        events = journal_events(data_dir)
        assert kinds(events) == ["started", "brought_forward"]
        forward = events[-1]
        assert isinstance(forward, StepBroughtForward) and forward.step == "warning"
        shown = flat(screen_text(app))
        assert flat(STEP1_LINE) in shown, "step 1's lines show at once"
        assert footer_words(app)["n"] == "ステップ1を実施済みに"
        assert "前倒しで表示" in shown
        # a deliberate `n` a moment later: step 1 was taken
        clock.advance(5)
        await pilot.press("n")
        taken = journal_events(data_dir)[-1]
        assert isinstance(taken, StepTaken) and taken.step == "warning"
        assert footer_words(app)["n"] == "ステップ2を実施済みに"


async def test_u_withdraws_each_kind_of_entry_and_keeps_it_struck_through(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await tap(pilot, clock, "2")  # a tag
        await pilot.press("m", *"住所", "enter")  # a note
        clock.advance(2)
        await tap(pilot, clock, "n", "n")  # brought forward, then taken
        await tap(pilot, clock, "x")  # a mis-pressed immediate path
        shown = flat(screen_text(desk))
        assert "即時対応（暴力・危険）—" in shown
        await tap(pilot, clock, "u")  # the x
        shown = flat(screen_text(desk))
        assert "即時対応（暴力・危険）—" not in shown, "back on the ladder"
        await tap(pilot, clock, "ctrl+z", "u", "u", "u")  # step, bringing forward, note, tag
        events = journal_events(data_dir)
        withdrawn = [e.entry_kind for e in events if isinstance(e, EntryWithdrawn)]
        assert withdrawn == ["immediate", "step_taken", "brought_forward", "note", "tagged"]
        state = SessionState.from_events(events)
        assert state.tags == () and state.notes == () and state.taken == ()
        assert state.immediate_at is None
        # the entries are still there, struck through, with the time they were withdrawn
        assert "○ 精神的な攻撃" in screen_text(desk)
        await pilot.press("u")  # nothing left: nothing journaled
        assert len(journal_events(data_dir)) == len(events)
        await pilot.press("e", "y")
        timeline = str(desk.screen.query_one("#timeline-rows", Static).content)
        assert "取り消し：即時対応（暴力・危険）に切替" in timeline
        await pilot.press("ctrl+s")
    record = read_record(list_session_folders(data_dir)[0].record)
    struck = [row for row in record.sheet.timeline if row.withdrawn_at is not None]
    assert [row.kind for row in struck] == [
        "tagged",
        "note",
        "brought_forward",
        "step_taken",
        "immediate",
    ]
    assert record.notes == () and record.tags == ()


async def test_the_session_timeline_strikes_a_withdrawn_entry_through(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await tap(pilot, clock, "x", "u")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        rendered = screen.query_one(TimelineText).render()
        assert isinstance(rendered, Content)
        spans = [
            rendered.plain[span.start : span.end]
            for span in rendered.spans
            if "strike" in str(span.style)
        ]
        assert any("即時対応" in s for s in spans), spans
        assert "09:01:02取消" in flat(screen_text(desk))


async def test_esc_on_the_sheet_goes_back_to_the_call_and_the_recording_resumes(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    recorders = FakeRecorders()
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, recorder_factory=recorders))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorder = recorders.last
        recorder.send("started")
        clock.advance(60)
        await pilot.press("e", "y")
        assert isinstance(app.screen, WrapUpScreen)
        assert recorder.calls[-1] == "pause", "the recording waits for the save"
        clock.advance(20)
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, SessionScreen), "the call was still going on"
        assert recorder.calls[-1] == "resume"
        assert kinds(journal_events(data_dir))[-2:] == ["ended", "reopened"]
        assert "記録シートから対応に戻った" in flat(screen_text(app))
        clock.advance(40)
        screen.pulse()
        await pilot.pause()
        await pilot.press("e", "y", "ctrl+s")
        await pilot.pause()
        app.wait_for_archives(20)
    events = journal_events(data_dir)
    state = SessionState.from_events(events)
    assert state.ended is not None and state.duration == 120
    assert kinds(events).count("ended") == 2
    assert recorder.calls.count("stop") == 1


async def test_esc_after_saving_changes_nothing(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await pilot.press("e", "y", "ctrl+s", "escape")
        assert "reopened" not in kinds(journal_events(data_dir))


async def test_f1_and_question_mark_open_the_key_help_and_tag_nothing(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(30)
        await pilot.press("f1")
        assert isinstance(desk.screen, KeyHelp), "F1 is help, as in every Windows program"
        shown = flat(screen_text(desk))
        assert "直前の段階・行為・メモ・即時対応を取り消す" in shown
        assert "F1〜F12は行為に使いません" in shown
        await pilot.press("escape")
        assert isinstance(desk.screen, SessionScreen)
        await pilot.press("question_mark")
        assert isinstance(desk.screen, KeyHelp)
        await pilot.press("question_mark")
        for key in ("f1", "f10", "f11", "f12"):
            await pilot.press(key)
            if isinstance(desk.screen, KeyHelp):
                await pilot.press("escape")
        assert kinds(journal_events(data_dir)) == ["started"], "no function key tags"


async def test_a_note_is_stamped_when_m_was_pressed_and_journaled_only_once_written(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(19 * 60 + 50)
        said_at = clock.now()
        await pilot.press("m")  # at 0:19:50 the caller says it
        await pilot.press(*"上の者を出せ")
        clock.advance(40)  # typed for 40 s; the pre-warning (10 min before 30) came meanwhile
        screen.pulse()
        await pilot.pause()
        assert "note" not in kinds(journal_events(data_dir)), "nothing claimed before Enter"
        assert "メモ" not in screen_text(desk)
        await pilot.press("enter")
        events = journal_events(data_dir)
        assert kinds(events)[-2:] == ["prewarning", "note"], "journaled when written"
        note = events[-1]
        assert isinstance(note, NoteAdded)
        assert (note.t, note.at) == (19 * 60 + 50, said_at), "the moment m was pressed"
        assert (note.written_t, note.written_at) == (20 * 60 + 30, clock.now())
        # the timeline is in the order things happened: the words before the pre-warning
        shown = flat(screen_text(desk))
        assert shown.index("0:19:50メモ：上の者を出せ") < shown.index("0:20:30予告")
        # a note begun by clicking the field (no m) is stamped at its first character
        clock.advance(5)
        screen.set_focus(None)
        typed_at = clock.now()
        screen.query_one("#note").focus()
        await pilot.press("あ")
        clock.advance(10)
        await pilot.press("enter")
        note = journal_events(data_dir)[-1]
        assert isinstance(note, NoteAdded) and note.at == typed_at
        # m then Escape without a word keeps no moment for a later note
        await pilot.press("m", "escape")
        clock.advance(30)
        later = clock.now()
        await pilot.press("m", "い", "enter")
        note = journal_events(data_dir)[-1]
        assert isinstance(note, NoteAdded) and note.at == later and note.written_at is None
