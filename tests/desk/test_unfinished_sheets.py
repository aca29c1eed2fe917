"""A record sheet never saved is offered at the next start and finished from its draft.

Pilot on the real desk app and the real store, twice on one data folder: the first run leaves
the sheet (ctrl+q → y on it, or a session closed as interrupted), the second offers
「記録シート未完成：1件」 on the idle screen, opens the sheet with its draft on `f`, and saves a
record that says it was finished later and when. Plus the idle screen pictured at 80×24.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.integrity.seal import read_seal
from kasuhara_timer.lifecycle.encrypting import is_encrypted_session
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.lifecycle.lookback import look_back
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    ChecklistAnswer,
    SheetDrafted,
    SheetResumed,
    SheetSaved,
)
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, list_session_folders
from kasuhara_timer.store.record import read_record
from tests.desk.test_recovery import abandoned, started
from tests.desk.test_snapshots import SIZE, SnapCompare
from tests.support.desk import HOST, journal_events, kinds, make_setup
from tests.support.screen import flat, paste, screen_text
from tests.support.sessions import begin, some_events
from tests.support.supervisors import supervisor


def left_on_the_sheet(data_dir: Path, clock: ManualClock) -> SessionFolder:
    """A five-minute call ended, its sheet half typed (a draft), the app gone before saving."""
    folder, journal, session = begin(data_dir, clock, host=HOST)
    some_events(session, clock)
    clock.advance(15)
    session.end()
    clock.advance(40)
    session.draft_sheet(
        {"counterpart": "男性・南陽市三間通436-1", "content": ""},
        [ChecklistAnswer(no=7, checked=True, remark="大声")],
        session.state.started.staff,
    )
    journal.close()
    save_record_and_sheet(folder, session.policy)
    return folder


async def test_a_sheet_left_by_quitting_is_offered_and_finished_later_from_its_draft(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    first = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with first.run_test(size=(80, 24)) as pilot:
        await started(first, pilot)
        await pilot.press("1")
        clock.advance(120)
        await pilot.press("e", "y")
        sheet = first.screen
        assert isinstance(sheet, WrapUpScreen)
        sheet.query_one("#field-counterpart", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "女性・電話 0238-40-0000")
        await pilot.press("ctrl+q", "y")  # quitting on the sheet keeps the draft
        await pilot.pause()
    [folder] = list_session_folders(data_dir)
    assert kinds(journal_events(data_dir))[-1] == "sheet_drafted"
    assert read_record(folder.record).sheet.completion == "記録シート未完成（下書きあり）"

    clock.advance(3 * 3600)  # back three hours later
    second = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with second.run_test(size=(80, 24)) as pilot:
        await started(second, pilot)
        assert isinstance(second.screen, IdleScreen)
        assert "記録シート未完成：1件" in flat(screen_text(second))
        await pilot.press("f")
        later = second.screen
        assert isinstance(later, WrapUpScreen) and later.later
        assert later.query_one("#field-counterpart", TextArea).text == "女性・電話 0238-40-0000"
        later.query_one("#field-content", TextArea).focus()
        await pilot.pause()
        await paste(pilot, "住民票の写しの交付について")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(second.screen, IdleScreen)
        assert "記録シート未完成" not in flat(screen_text(second))

    events = journal_events(data_dir)
    assert kinds(events)[-2:] == ["sheet_resumed", "sheet_saved"]
    resumed, saved = events[-2], events[-1]
    assert isinstance(resumed, SheetResumed) and isinstance(saved, SheetSaved)
    assert resumed.gap_seconds >= 3 * 3600
    assert saved.fields["counterpart"] == "女性・電話 0238-40-0000"
    assert saved.fields["content"] == "住民票の写しの交付について"
    record = read_record(folder.record)
    assert record.sheet.finished_later and record.sheet.saved_at == saved.at
    assert record.session.ended_at is not None and saved.at > record.session.ended_at
    assert (
        record.sheet.completion
        == "記録シートは対応終了後に作成：令和8年4月1日 12:02（終了の3時間0分0秒後）"
    )
    assert "記録シートは対応終了後に作成" in folder.sheet.read_text(encoding="utf-8")
    assert look_back(data_dir, HOST).unfinished == ()


async def test_esc_leaves_a_later_sheet_for_later_with_what_was_typed(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    left_on_the_sheet(data_dir, clock)
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, draft_seconds=600))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("f")
        sheet = app.screen
        assert isinstance(sheet, WrapUpScreen)
        assert sheet.query_one("#remark-7", Input).value == "大声"
        sheet.query_one("#remark-7", Input).focus()
        await pilot.press("end", *"で威圧")
        await pilot.press("escape")
        await started(app, pilot)
        assert isinstance(app.screen, IdleScreen)
        assert "記録シート未完成：1件" in flat(screen_text(app))
    [unfinished] = look_back(data_dir, HOST).unfinished
    assert unfinished.drafted
    last = journal_events(data_dir)[-1]
    assert isinstance(last, SheetDrafted)
    assert [(a.no, a.remark) for a in last.checklist] == [(7, "大声で威圧")]


async def test_a_call_closed_as_interrupted_has_its_sheet_offered_too(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    abandoned(data_dir, clock)
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("c")  # close as interrupted
        await started(app, pilot)
        assert "記録シート未完成：1件" in flat(screen_text(app))


async def test_an_unfinished_sheet_is_not_encrypted_until_it_is_saved(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    folder = left_on_the_sheet(data_dir, clock)
    boss = supervisor()
    setup = make_setup(
        nanyo,
        clock,
        data_dir,
        staff_book,
        store=FolderSessionStore(data_dir, HOST, [boss.recipient], clock),
        encrypt_to=(boss.recipient,),
    )
    app = DeskApp(setup)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)  # the tidy-up seals it, but leaves it readable
        assert read_seal(folder) is not None and not is_encrypted_session(folder)
        await pilot.press("f", "ctrl+s")
        await started(app, pilot)
        await app.workers.wait_for_complete()
    assert is_encrypted_session(folder)


async def idle_settled(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, DeskApp)
    await started(app, pilot)


def test_idle_with_an_unfinished_sheet(
    snap_compare: SnapCompare,
    nanyo: Policy,
    clock: ManualClock,
    data_dir: Path,
    staff_book: JsonStaffBook,
) -> None:
    left_on_the_sheet(data_dir, clock)
    staff_book.save(staff_book.load().model_copy(update={"name": "山田", "section": "市民課"}))
    app = DeskApp(make_setup(nanyo, clock, data_dir, staff_book))
    assert snap_compare(app, terminal_size=SIZE, run_before=idle_settled)
