"""A whole phone session on the nanyo profile, from the idle screen to the saved record."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Digits, Input, Static, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.messages import RecordSaved, SessionEnded, SessionStarted
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.limit_bar import LimitBar
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import BehaviourTagged, NoteAdded, SheetSaved, Started, StepTaken
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, kinds
from tests.support.screen import flat, paste, screen_text

STEP1_LINE = (
    "恐れ入りますが、そのような言葉遣いでは対応を続けることができません。"
    "冷静にお話しいただけますでしょうか。"
)
STEP2_LINE = (
    "これ以上このようなお話が続くようでしたら、誠に申し訳ございませんが、"
    "お電話を切らせていただくこととなります。"
)
STEP3_LINE = "申し訳ございませんが、建設的なお話ができませんので、これにて失礼いたします。"


async def advance_to(pilot: Pilot[None], clock: ManualClock, seconds: float) -> SessionScreen:
    """Move the clock to `seconds` into the session, run the repaint pulse once, let it paint."""
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    clock.advance(seconds - screen.session.clock.elapsed())
    screen.pulse()
    await pilot.pause()
    return screen


def bar_phase(app: DeskApp) -> str:
    bar = app.screen.query_one(LimitBar)
    return next(name for name in ("-calm", "-near", "-over") if bar.has_class(name))


async def test_phone_session_from_idle_to_saved_record(
    desk: DeskApp, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook, nanyo: Policy
) -> None:
    messages: list[Message] = []
    async with desk.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        assert isinstance(desk.screen, IdleScreen)
        # who answers: typed on the idle screen, remembered for the next session
        await pilot.click("#staff-section")
        await pilot.press(*"市民課", "tab", "tab", *"山田", "enter")
        assert staff_book.load().name == "山田"
        assert staff_book.load().section == "市民課"

        await pilot.press("1")
        assert isinstance(desk.screen, SessionScreen)
        assert any(isinstance(m, SessionStarted) for m in messages)
        started = journal_events(data_dir)[0]
        assert isinstance(started, Started)
        assert started.channel == "phone" and started.profile == "nanyo"
        assert started.staff.name == "山田" and started.staff.section == "市民課"
        assert not started.drill

        shown = flat(screen_text(desk))
        assert "次の段階：ステップ1毅然とした警告（nで前倒しできます）" in shown
        assert flat(STEP1_LINE) not in shown
        assert bar_phase(desk) == "-calm"

        await advance_to(pilot, clock, 20 * 60 - 1)
        assert bar_phase(desk) == "-calm"
        await advance_to(pilot, clock, 20 * 60)
        assert bar_phase(desk) == "-near"
        assert "予告：目安30分まで残り0:10:00" in flat(screen_text(desk))
        await advance_to(pilot, clock, 25 * 60)
        assert kinds(journal_events(data_dir))[-2:] == ["prewarning", "prewarning"]

        await advance_to(pilot, clock, 30 * 60 - 1)
        shown = flat(screen_text(desk))
        assert flat(STEP1_LINE) not in shown, "the lines must not press before the limit"
        assert "limit_reached" not in kinds(journal_events(data_dir))
        await advance_to(pilot, clock, 30 * 60)
        shown = flat(screen_text(desk))
        assert f"「{flat(STEP1_LINE)}」" in shown
        assert bar_phase(desk) == "-over"
        assert kinds(journal_events(data_dir))[-1] == "limit_reached"

        # tags: press to tag, press again to take back
        await pilot.press("2", "3", "2")
        events = journal_events(data_dir)
        assert kinds(events)[-3:] == ["tagged", "tagged", "untagged"]
        tagged = [e for e in events if isinstance(e, BehaviourTagged)]
        assert [t.behaviour for t in tagged] == ["mental_attack", "persistent"]
        assert "● 継続的・執拗な言動" in screen_text(desk)
        assert "○ 精神的な攻撃" in screen_text(desk)

        # a note: m focuses the field, Enter journals it, keys work again after
        clock.advance(15)
        await pilot.press("m", *"同じ要求の繰り返し")
        await paste(pilot, "😠")
        await pilot.press("enter")
        note = journal_events(data_dir)[-1]
        assert isinstance(note, NoteAdded)
        assert note.text == "同じ要求の繰り返し😠"
        assert note.t == 30 * 60 + 15
        assert desk.screen.focused is None
        assert "メモ：同じ要求の繰り返し😠" in screen_text(desk)

        # the ladder, step by step
        await pilot.press("n")
        assert f"「{flat(STEP2_LINE)}」" in flat(screen_text(desk))
        await pilot.press("n")
        assert f"「{flat(STEP3_LINE)}」" in flat(screen_text(desk))
        await pilot.press("n")
        shown = flat(screen_text(desk))
        assert "ステップ4切電後の対処" in shown
        assert "・上司に報告する：相手の情報を更新・共有する" in shown
        await pilot.press("n")
        assert "すべての段階を実施しました" in flat(screen_text(desk))
        steps = [e for e in journal_events(data_dir) if isinstance(e, StepTaken)]
        assert [s.step for s in steps] == ["warning", "final_notice", "disconnect", "aftercare"]

        clock.advance(60)
        await pilot.press("e", "y")
        assert isinstance(desk.screen, WrapUpScreen)
        assert any(isinstance(m, SessionEnded) for m in messages)
        assert kinds(journal_events(data_dir))[-1] == "ended"

        wrapup = desk.screen
        assert wrapup.query_one("#field-datetime", Input).value == (
            "令和8年4月1日（水）09:00:00〜09:30:15（通話30分15秒）、事後の対応〜09:31:15（1分0秒）"
        )
        assert wrapup.query_one("#field-method", Input).value == "電話"
        assert wrapup.query_one("#staff-name", Input).value == "山田"
        timeline = str(wrapup.query_one("#timeline-rows", Static).content)
        assert "09:30:00（0:30:00）目安時間（30分）に到達" in timeline
        assert "ステップ：ステップ1 毅然とした警告" in timeline
        assert (
            "ステップ：ステップ3 切電の実施\n09:30:15（0:30:15）通話終了（ここから事後の対応）"
            in timeline
        )
        assert "メモ：同じ要求の繰り返し😠" in timeline

        counterpart = wrapup.query_one("#field-counterpart", TextArea)
        counterpart.focus()
        await pilot.press(*"男性")
        await paste(pilot, "・60代")
        wrapup.query_one("#check-9").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#check-9")
        wrapup.query_one("#remark-9", Input).focus()
        await pilot.press(*"30分以上")
        await pilot.press("ctrl+s")
        assert isinstance(desk.screen, IdleScreen)

    saved = next(m for m in messages if isinstance(m, RecordSaved))
    events = journal_events(data_dir)
    assert kinds(events)[-1] == "sheet_saved"
    sheet = events[-1]
    assert isinstance(sheet, SheetSaved)
    assert sheet.fields["counterpart"] == "男性・60代"
    assert sheet.fields["content"] == ""  # blank never blocks saving
    assert sheet.fields["datetime"] == ""  # left as filled in: the record fills it itself
    assert sheet.staff.name == "山田"
    answers = {a.no: a for a in sheet.checklist}
    assert len(answers) == len(nanyo.checklist)
    assert answers[9].checked and answers[9].remark == "30分以上"
    assert not answers[1].checked

    folder = list_session_folders(data_dir)[0]
    assert saved.location == folder.path
    assert {path.name for path in saved.files} == {"record.json", "sheet.html"}
    record = read_record(folder.record)
    printed = {field.id: field for field in record.sheet.fields}
    assert printed["datetime"].value == (
        "令和8年4月1日（水）09:00:00〜09:30:15（通話30分15秒）、事後の対応〜09:31:15（1分0秒）"
    )
    assert printed["datetime"].auto
    assert record.session.contact_seconds == 30 * 60 + 15
    assert record.session.aftercare_seconds == 60
    assert printed["staff"].value == "市民課 山田"
    assert printed["method"].value == "電話"
    assert printed["counterpart"].value == "男性・60代" and not printed["counterpart"].auto
    assert record.session.furthest_step is not None
    assert record.session.furthest_step.id == "aftercare"
    assert "男性・60代" in folder.sheet.read_text(encoding="utf-8")


async def test_saved_location_is_shown_on_the_idle_screen(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(90)
        await pilot.press("e", "y", "ctrl+s")
        folder = list_session_folders(data_dir)[0]
        shown = flat(screen_text(desk))
        assert "保存しました" in shown
        assert flat(folder.name) in shown
        assert "record.json" in shown and "sheet.html" in shown


async def test_timer_reads_past_an_hour_and_past_a_day(desk: DeskApp, clock: ManualClock) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await advance_to(pilot, clock, 61 * 60 + 5)
        assert desk.screen.query_one(Digits).value == "1:01:05"
        await advance_to(pilot, clock, 25 * 3600 + 3 * 60 + 9)
        assert desk.screen.query_one(Digits).value == "25:03:09"
        assert "目安30分を超過+24:33:09" in flat(screen_text(desk))
