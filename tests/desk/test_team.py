"""Responding together at the desk: a silent call for help, its answer, joining, hand-over,
and everyone on the saved sheet; the session on the board while it runs, gone once it ended."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from textual.widgets import Checkbox, Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.responder import ResponderDialog
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.elapsed import ElapsedTimer
from kasuhara_timer.live.status import current_status_path
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    HandedOver,
    HelpAnswered,
    HelpRequested,
    ResponderJoined,
    Staff,
)
from kasuhara_timer.store.answers import Answer, check_answers, write_answer
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, kinds, make_setup
from tests.support.screen import flat, screen_text


async def fill(pilot: object, dialog: ResponderDialog, **values: str) -> None:
    for part, value in values.items():
        dialog.query_one(f"#responder-{part}", Input).value = value


async def test_help_answer_joining_and_hand_over_reach_the_sheet(
    desk: DeskApp, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    staff_book.save(Staff(name="山田", section="市民課", title="主事"))
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        folder = list_session_folders(data_dir)[0]

        def live() -> dict[str, object]:
            path = current_status_path(data_dir, folder.name)
            assert path is not None, "on the board"
            return dict(json.loads(path.read_text(encoding="utf-8")))

        assert live()["desk"] == "desk-07", "on the board from the start"

        clock.advance(5 * 60)
        await pilot.press("h")
        assert kinds(journal_events(data_dir))[-1] == "help_requested"
        shown = flat(screen_text(desk))
        assert "応援要請09:05" in shown
        assert live()["help"][0]["id"] == "help-1"  # type: ignore[index]
        clock.advance(60)
        await pilot.press("h")
        assert "応援要請09:06（2回）" in flat(screen_text(desk))

        # a supervisor answers on the board: the desk reads the file and journals it
        answer = Answer(
            session=folder.name,
            request="help-2",
            by="鈴木",
            host="BOARD-1",
            at=clock.now() + timedelta(seconds=20),
        )
        write_answer(folder.path, answer)
        clock.advance(2)
        screen.pulse()
        answered = journal_events(data_dir)[-1]
        assert isinstance(answered, HelpAnswered) and answered.request == "help-2"
        assert "鈴木向かいます09:06" in flat(screen_text(desk))
        assert live()["answered"] == ["help-2"]

        # a colleague joins
        clock.advance(60)
        await pilot.press("j")
        joining = desk.screen
        assert isinstance(joining, ResponderDialog)
        assert "相手にクレーム内容をもう一度説明させない" in flat(screen_text(desk))
        await fill(pilot, joining, section="市民課", title="係長", name="佐藤", role="同席")
        await pilot.press("enter")
        assert isinstance(desk.screen, SessionScreen)
        joined = journal_events(data_dir)[-1]
        assert isinstance(joined, ResponderJoined) and joined.responder.name == "佐藤"
        assert "対応者山田・佐藤（同席）" in flat(screen_text(desk))
        assert "相手にクレーム内容をもう一度説明させない。" in flat(screen_text(desk))

        # the section manager takes over; the card reminds, the timer goes on
        clock.advance(4 * 60)
        screen.pulse()
        assert "もう一度説明させない" not in flat(screen_text(desk)), "only for a few minutes"
        await pilot.press("o")
        dialog = desk.screen
        assert isinstance(dialog, ResponderDialog)
        await fill(pilot, dialog, section="市民課", title="課長", name="鈴木")
        dialog.query_one("#responder-manager", Checkbox).value = True
        await pilot.click("#responder-ok")
        handed = journal_events(data_dir)[-1]
        assert isinstance(handed, HandedOver) and handed.manager and handed.to.name == "鈴木"
        shown = flat(screen_text(desk))
        assert "経緯等は、それまで対応していた職員が説明し、その上で相手から話を聞く。" in shown
        assert screen.query_one(ElapsedTimer).value == "0:11:02", "the timer went on"

        await pilot.press("e", "y")
        assert current_status_path(data_dir, folder.name) is None, "it leaves the board"
        wrapup = desk.screen
        assert isinstance(wrapup, WrapUpScreen)
        others = wrapup.query_one("#staff-others").render()
        assert "市民課 係長 佐藤（09:07〜・同席・同席）" in str(others)
        await pilot.press("ctrl+s")
        assert isinstance(desk.screen, IdleScreen)

    record = read_record(folder.record)
    staff_field = {f.id: f.value for f in record.sheet.fields}["staff"]
    assert staff_field == (
        "市民課 主事 山田（09:00〜・最初の対応者）、"
        "市民課 係長 佐藤（09:07〜・同席）、"
        "市民課 課長 鈴木（09:11〜・所管課長が対応を代わる）"
    )
    assert [(r.staff.name, r.joining, r.lead) for r in record.session.responders] == [
        ("山田", "first", False),
        ("佐藤", "joined", False),
        ("鈴木", "manager", True),
    ]
    assert len(record.session.help_requests) == 2
    timeline = [row.text for row in record.sheet.timeline]
    assert "応援要請" in timeline
    assert "応援要請に応答：向かいます（鈴木）" in timeline
    assert "対応者が加わる：市民課 係長 佐藤（同席）" in timeline
    assert "所管課長が対応を代わる：市民課 課長 鈴木" in timeline
    assert check_answers(folder.path, journal_events(data_dir)) == []


async def test_a_colleague_typed_once_is_offered_again(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "j")
        dialog = desk.screen
        assert isinstance(dialog, ResponderDialog)
        await pilot.press("enter")
        assert "氏名を入力してください" in flat(screen_text(desk)), "a name is needed"
        await fill(pilot, dialog, name="高橋", title="主査")
        await pilot.press("enter")
        await pilot.press("j")
        dialog = desk.screen
        assert isinstance(dialog, ResponderDialog)
        assert "主査高橋" in flat(screen_text(desk))
        await pilot.press("escape")
        assert isinstance(desk.screen, SessionScreen)
    assert kinds(journal_events(data_dir)).count("responder_joined") == 1


async def test_sakaide_asks_for_a_second_responder_at_the_counter(
    clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    sakaide = load_policy("sakaide").policy
    app = DeskApp(make_setup(sakaide, clock, data_dir, staff_book, help_call="係長"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert "複数の職員で対応（坂出市基本方針4(2)）" in flat(screen_text(app))
        await pilot.press("h")
        request = journal_events(data_dir)[-1]
        assert isinstance(request, HelpRequested) and request.call == "係長"
        assert "応援要請（係長）" in flat(screen_text(app)), "the timeline names who is called"


async def test_a_live_folder_that_refuses_writes_never_stops_the_desk(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "live").write_text("not a folder", encoding="utf-8")  # the share said no
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        clock.advance(60)
        await pilot.press("h")
        assert kinds(journal_events(data_dir))[-1] == "help_requested", "journaled all the same"
        shown = flat(screen_text(desk))
        assert "応援要請09:01" in shown
        assert "保存できませんでした" not in shown, "the board's file is not the record"
