"""A whole counter (来庁) session: escalation before the limit, the immediate path, the record."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioButton, Static, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.widgets.limit_bar import LimitBar
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import ImmediateInvoked, SheetSaved, StepTaken
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, kinds
from tests.support.screen import flat, paste, screen_text


async def pulse_at(pilot: object, app: DeskApp, clock: ManualClock, seconds: float) -> None:
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    clock.advance(seconds - screen.session.clock.elapsed())
    screen.pulse()


async def test_counter_session_escalated_early_then_immediate_path(
    desk: DeskApp, clock: ManualClock, data_dir: Path, nanyo: Policy
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert isinstance(desk.screen, SessionScreen)
        assert journal_events(data_dir)[0].channel == "counter"  # type: ignore[union-attr]
        assert " 対面（来庁） " in screen_text(desk)
        shown = flat(screen_text(desk))
        assert "次の段階：①現場職員の判断（nで前倒しできます）" in shown

        # the documents say not to wait for the clock when talk goes nowhere
        clock.advance(8 * 60)
        await pilot.press("n")  # brought forward: step 1's card shows, nothing is taken yet
        assert kinds(journal_events(data_dir))[-1] == "brought_forward"
        assert "nステップ1を実施済みに" in flat(screen_text(desk))
        await pilot.press("n")  # done: step 2 shows
        shown = flat(screen_text(desk))
        assert "②所管課長の判断" in shown
        assert "関係者：所管課長（不在の場合は補佐または係長）" in shown
        assert "・組織としての回答であること" in shown
        await pilot.press("n")
        shown = flat(screen_text(desk))
        assert "③警告・退去の命令" in shown
        assert "繰り返し：2、3度繰り返す" in shown

        # violence: the immediate path, whatever the time, with the police number
        clock.advance(60)
        await pilot.press("x")
        shown = flat(screen_text(desk))
        assert "即時対応（暴力・危険）—警察に通報する" in shown
        assert "緊急通報：110（警察）" in shown
        assert "方針の連絡先：暴力行為関係南陽警察署0238-50-0110（代表）" in shown
        assert "▶1.警察に通報する（暴行・身の危険）" in shown
        assert "・2.①対応の中止を伝える" in shown
        immediate = journal_events(data_dir)[-1]
        assert isinstance(immediate, ImmediateInvoked) and immediate.t == 9 * 60
        await pilot.press("x")  # pressing again changes nothing
        assert kinds(journal_events(data_dir)).count("immediate") == 1

        for _step in nanyo.channel(ChannelId.COUNTER).immediate:
            await pilot.press("n")
        assert "すべての段階を実施しました" in flat(screen_text(desk))
        await pilot.press("n")  # nothing left to take
        steps = [e for e in journal_events(data_dir) if isinstance(e, StepTaken)]
        assert [(s.path.value, s.step) for s in steps] == [
            ("ladder", "staff_judgement"),
            ("ladder", "manager_judgement"),
            ("immediate", "police"),
            ("immediate", "stop_response"),
            ("immediate", "explain_to_police"),
            ("immediate", "aftercare"),
        ]
        # after the police step the limit no longer counts: no pre-warning, no red overtime
        for minute in (20, 25, 30, 31):
            await pulse_at(pilot, desk, clock, minute * 60)
        await pilot.pause()
        assert not {"prewarning", "limit_reached"} & set(kinds(journal_events(data_dir)))
        assert "警察へ通報済み：目安30分はもう数えません" in flat(screen_text(desk))
        assert not desk.screen.query_one(LimitBar).has_class("-over")

        await pilot.press("e", "y")
        wrapup = desk.screen
        assert isinstance(wrapup, WrapUpScreen)
        assert wrapup.query_one("#field-method", Input).value == "来庁"
        timeline = str(wrapup.query_one("#timeline-rows", Static).content)
        assert "09:09:00（0:09:00）即時対応（暴力・危険）に切替" in timeline
        assert "即時対応：警察に通報する（暴行・身の危険）" in timeline
        additions = wrapup.query_one("#field-timeline", TextArea)
        assert additions.text == "", "field 6 takes additions; the timeline is the journal's"
        additions.focus()
        await paste(pilot, "09:40 警察官到着")
        content = wrapup.query_one("#field-content", TextArea)
        content.focus()
        await paste(pilot, "窓口で大声。カウンターを叩く。" * 200)  # very long text is kept whole
        await pilot.press("ctrl+s")
        assert isinstance(desk.screen, IdleScreen)

    sheet = journal_events(data_dir)[-1]
    assert isinstance(sheet, SheetSaved)
    assert sheet.fields["content"] == "窓口で大声。カウンターを叩く。" * 200
    assert sheet.fields["timeline"] == "09:40 警察官到着", "the additions alone, as typed"
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.session.immediate
    assert record.session.channel == "counter"
    printed = {field.id: field for field in record.sheet.fields}
    assert printed["method"].value == "来庁" and printed["method"].auto
    assert printed["timeline"].value == "09:40 警察官到着"


async def test_other_channel_asks_which_method(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        assert "（定めなし・既定）" in flat(screen_text(desk)), "the limit is not the document's"
        clock.advance(120)
        await pilot.press("e", "y")
        wrapup = desk.screen
        assert isinstance(wrapup, WrapUpScreen)
        button = wrapup.query_one("#method-sns", RadioButton)
        button.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#method-sns")
        await pilot.press("ctrl+s")
    sheet = journal_events(data_dir)[-1]
    assert isinstance(sheet, SheetSaved)
    assert sheet.method == "sns"
    record = read_record(list_session_folders(data_dir)[0].record)
    assert record.session.method == "sns"
    assert {f.id: f.value for f in record.sheet.fields}["method"] == "SNS"
    assert [o.label for o in record.sheet.method_options if o.selected] == ["SNS"]
