"""Nothing typed on the record sheet is lost: it is journaled as a draft while it is typed.

Pilot on the real desk app and the real store: the draft reaches the journal on disk a moment
after typing and at once when a field is left, the status line claims it only once it is there,
and a sheet opened again shows its draft.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.lifecycle.lookback import find_interrupted
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import SheetDrafted, SheetSaved
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.journal import journal_in_use
from kasuhara_timer.store.record import read_record
from tests.support.desk import HOST, journal_events, kinds, make_setup
from tests.support.screen import paste


def drafts(data_dir: Path) -> list[SheetDrafted]:
    return [e for e in journal_events(data_dir) if isinstance(e, SheetDrafted)]


async def drafted(pilot: Pilot[None], data_dir: Path, count: int) -> list[SheetDrafted]:
    """The drafts on disk once there are `count` (the timer fires on its own)."""
    for _ in range(100):
        found = drafts(data_dir)
        if len(found) >= count:
            return found
        await pilot.pause(0.1)
    raise AssertionError(f"{count} drafts expected, found {len(drafts(data_dir))}")


async def to_sheet(pilot: Pilot[None], clock: ManualClock) -> WrapUpScreen:
    await pilot.press("1")
    clock.advance(90)
    await pilot.press("e", "y")
    screen = pilot.app.screen
    assert isinstance(screen, WrapUpScreen)
    return screen


def status(screen: WrapUpScreen) -> str:
    widget = screen.query_one("#draft-status", Static)
    return str(widget.render()) if widget.display else ""


async def test_typing_is_journaled_as_a_draft_within_moments(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=1.0))
    async with desk.run_test(size=(80, 24)) as pilot:
        sheet = await to_sheet(pilot, clock)
        assert status(sheet) == ""  # nothing typed, nothing claimed
        sheet.query_one("#field-counterpart", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "男性・南陽市宮内")
        assert drafts(data_dir) == [] and "入力中" in status(sheet)
        [draft] = await drafted(pilot, data_dir, 1)
        assert draft.fields == {"counterpart": "男性・南陽市宮内"}  # compact: only what was typed
        assert draft.checklist == () and draft.staff is None
        assert "下書き保存済み" in status(sheet)

        sheet.query_one("#check-3", Checkbox).value = True
        latest = (await drafted(pilot, data_dir, 2))[-1]
        assert [(a.no, a.checked) for a in latest.checklist] == [(3, True)]
        assert latest.fields == {"counterpart": "男性・南陽市宮内"}


async def test_leaving_a_field_journals_the_draft_at_once(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with desk.run_test(size=(80, 24)) as pilot:
        sheet = await to_sheet(pilot, clock)
        sheet.query_one("#field-content", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "住所変更の手続きについて")
        await pilot.pause()
        assert drafts(data_dir) == []  # the timer is ten minutes away
        sheet.query_one("#remark-1", Input).focus()  # leaving the field
        await pilot.pause()
        [draft] = drafts(data_dir)
        assert draft.fields == {"content": "住所変更の手続きについて"}
        await pilot.press("tab")  # leaving a field that did not change writes nothing new
        await pilot.pause()
        assert len(drafts(data_dir)) == 1


async def test_back_to_the_session_and_ended_again_the_sheet_shows_its_draft(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with desk.run_test(size=(80, 24)) as pilot:
        sheet = await to_sheet(pilot, clock)
        sheet.query_one("#field-counterpart", TextArea).focus()
        await paste(pilot, "山田様（電話 0238-00-0000）")
        sheet.query_one("#remark-2", Input).focus()
        await pilot.press(*"あり")
        await pilot.press("escape")  # the call was in fact still going on
        await pilot.pause()
        assert kinds(journal_events(data_dir))[-2:] == ["sheet_drafted", "reopened"]
        clock.advance(30)
        await pilot.press("e", "y")
        again = desk.screen
        assert isinstance(again, WrapUpScreen) and again is not sheet
        assert again.query_one("#field-counterpart", TextArea).text == "山田様（電話 0238-00-0000）"
        assert again.query_one("#remark-2", Input).value == "あり"
        await pilot.press("ctrl+s")
    saved = journal_events(data_dir)[-1]
    assert isinstance(saved, SheetSaved)
    assert saved.fields["counterpart"] == "山田様（電話 0238-00-0000）"


async def test_asked_to_end_on_the_sheet_the_typing_is_kept_and_the_journal_closed(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with desk.run_test(size=(80, 24)) as pilot:
        sheet = await to_sheet(pilot, clock)
        sheet.query_one("#field-counterpart", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "南陽市三間通436-1")
        desk.terminated("SIGTERM")
        await pilot.pause()
    [draft] = drafts(data_dir)
    assert draft.fields == {"counterpart": "南陽市三間通436-1"}
    [folder] = list_session_folders(data_dir)
    assert not journal_in_use(folder.journal)
    assert read_record(folder.record).sheet.saved_at is None  # written, without a sheet


async def test_asked_to_end_mid_call_the_note_is_kept_and_the_session_left_running(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(40)
        await pilot.press("m", *"同じ要求")
        desk.terminated("SIGHUP")
        await pilot.pause()
    events = journal_events(data_dir)
    assert kinds(events)[-1] == "note" and "ended" not in kinds(events)
    [folder] = list_session_folders(data_dir)
    assert not journal_in_use(folder.journal)
    assert [found.folder for found in find_interrupted(data_dir, HOST)] == [folder]
