"""Issue 9, points 4 and 7: the idle screen starts a call whatever has focus, and the record sheet
is easy to fill (visible focus, Tab in the sheet's order, a key to the checklist, field 6 once,
the sheet in the profile's language whatever `--lang` says)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.i18n import CATALOG
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    ChecklistAnswer,
    Ended,
    RecordingChanged,
    SheetSaved,
    Started,
)
from kasuhara_timer.store.folders import list_session_folders
from kasuhara_timer.store.record import read_record
from tests.support.desk import journal_events, make_setup
from tests.support.fake_recorder import FakeRecorders
from tests.support.html_tree import parse_html
from tests.support.screen import paste, screen_text, until

# -- the idle screen -------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "channel"), [("1", "phone"), ("２", "counter"), ("3", "other")])
async def test_a_start_key_starts_the_call_while_the_caller_label_is_typed(
    desk: DeskApp, data_dir: Path, key: str, channel: str
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", *"田中様")
        assert desk.focused is desk.screen.query_one("#caller", Input)
        await pilot.press(key)  # directly, or as the IME commits it (「２」)
        assert isinstance(desk.screen, SessionScreen)
    started = journal_events(data_dir)[0]
    assert isinstance(started, Started)
    assert started.channel == channel
    assert started.caller == "田中様", "the label as typed so far, without the key"


async def test_a_start_key_starts_the_call_from_the_staff_fields(
    desk: DeskApp, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.click("#staff-name")
        await pilot.press(*"山田", "１")
        assert isinstance(desk.screen, SessionScreen)
    started = journal_events(data_dir)[0]
    assert isinstance(started, Started) and started.channel == "phone"
    assert started.staff.name == "山田"
    assert staff_book.load().name == "山田"


async def test_the_caller_label_takes_a_deliberate_key(desk: DeskApp) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        screen = desk.screen
        assert isinstance(screen, IdleScreen)
        caller = screen.query_one("#caller", Input)
        for _ in range(5):  # Tab goes round the staff fields, never into the label
            await pilot.press("tab")
            assert desk.focused is not caller
        await pilot.press("escape", "c", *"佐藤様", "4", "enter")
        assert caller.value == "佐藤様4", "other digits are text"
        assert desk.focused is None
        assert "c" in screen.active_bindings, "the key is in the footer"
        await pilot.press("tab")
        assert desk.focused is not caller, "left again, it is out of the Tab order"


# -- the record sheet ------------------------------------------------------------------------

SHEET_ORDER = [
    "field-datetime",  # 1
    "staff-section",  # 2
    "staff-title",
    "staff-name",
    "field-method",  # 3
    "field-counterpart",  # 4
    "field-content",  # 5
    "field-timeline",  # 6: the additions; the timeline itself is no Tab stop
    "field-next_steps",  # 7
    "field-other",  # 8
]


async def to_sheet(pilot: Pilot[None], clock: ManualClock, *keys: str) -> WrapUpScreen:
    """A phone call with `keys` pressed during it, ended and confirmed: the wrap-up."""
    await pilot.press("1", *keys)
    clock.advance(60)
    await pilot.press("e", "y")
    screen = pilot.app.screen
    assert isinstance(screen, WrapUpScreen)
    await pilot.pause()
    return screen


def focused_id(desk: DeskApp) -> str | None:
    return desk.focused.id if desk.focused is not None else None


def footer_words(desk: DeskApp) -> dict[str, str]:
    return {key: b.binding.description for key, b in desk.screen.active_bindings.items()}


async def test_tab_follows_the_sheet_numbering_then_the_checklist(
    desk: DeskApp, clock: ManualClock, nanyo: Policy
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        wrapup = await to_sheet(pilot, clock)  # the staff member is not known yet
        assert focused_id(desk) == "staff-name"
        checklist = [
            f"{kind}-{item.no}" for item in nanyo.checklist for kind in ("check", "remark")
        ]
        assert [w.id for w in wrapup.focus_chain] == SHEET_ORDER + checklist
        await pilot.press(*"山田", "tab")
        assert focused_id(desk) == "field-method"
        await pilot.press("tab")
        assert focused_id(desk) == "field-counterpart", "the first Tab after 3. lands on 4."
        visited = [focused_id(desk)]
        for _ in range(len(SHEET_ORDER) - 5):
            await pilot.press("tab")
            visited.append(focused_id(desk))
        assert visited == [*SHEET_ORDER[5:], "check-1"]


async def test_the_first_field_to_fill_has_the_focus_and_shows_it(
    desk: DeskApp, clock: ManualClock, staff_book: JsonStaffBook
) -> None:
    staff_book.save(staff_book.load().model_copy(update={"name": "山田"}))
    async with desk.run_test(size=(80, 24)) as pilot:
        wrapup = await to_sheet(pilot, clock)
        assert focused_id(desk) == "field-counterpart"

        def lit() -> list[str]:
            return [
                str(label.parent.id)
                for label in wrapup.query(".field-label").results(Static)
                if label.parent is not None and label.styles.background.a > 0
            ]

        assert lit() == ["sheet-counterpart"], "its caption is lit, and only its"
        await pilot.press("shift+tab")
        assert focused_id(desk) == "field-method", "4. comes right after 3."
        await pilot.press("tab", "tab")
        assert focused_id(desk) == "field-content"
        await pilot.pause()
        assert lit() == ["sheet-content"], "the light moves with the focus"


async def test_a_key_jumps_to_the_checklist_and_back(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        wrapup = await to_sheet(pilot, clock)
        wrapup.query_one("#field-content", TextArea).focus()
        await pilot.pause()
        assert footer_words(desk)["ctrl+l"] == "チェックリストへ"
        await pilot.press("ctrl+l")
        assert focused_id(desk) == "check-1"
        assert footer_words(desk)["ctrl+l"] == "シートへ戻る"
        await pilot.press("space", "tab", *"大声", "tab", "tab")  # item 1 ticked, its remark
        assert focused_id(desk) == "remark-2"
        await pilot.press("ctrl+l")
        assert focused_id(desk) == "field-content", "back where the key was pressed"
        assert footer_words(desk)["ctrl+l"] == "チェックリストへ"
        await pilot.press(*"手続の即日完了を要求", "ctrl+s")
        assert isinstance(desk.screen, IdleScreen)
    sheet = journal_events(data_dir)[-1]
    assert isinstance(sheet, SheetSaved)
    assert sheet.fields["content"] == "手続の即日完了を要求"
    assert sheet.checklist[0] == ChecklistAnswer(no=1, checked=True, remark="大声")


async def test_field_6_prints_the_timeline_once_with_the_additions_after_it(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        wrapup = await to_sheet(pilot, clock, "m", *"大声で威圧", "enter")
        rows = str(wrapup.query_one("#timeline-rows", Static).content)
        assert "メモ：大声で威圧" in rows and "対応開始" in rows
        additions = wrapup.query_one("#field-timeline", TextArea)
        assert additions.text == ""
        additions.focus()
        await paste(pilot, "09:40 上司に報告")
        await pilot.press("ctrl+s")
        assert isinstance(desk.screen, IdleScreen)
    [folder] = list_session_folders(data_dir)
    record = read_record(folder.record)
    field = next(f for f in record.sheet.fields if f.id == "timeline")
    assert field.value == "09:40 上司に報告" and not field.auto
    page = parse_html(folder.sheet.read_text(encoding="utf-8"))
    sheet = page.find("section", class_="record-sheet")
    text = sheet.text()
    assert sheet.find("tr", class_="supplement").text().strip() == "09:40 上司に報告"
    assert text.count("対応開始") == 1, "the timeline once"
    assert text.count("大声で威圧") == 1
    assert text.index("大声で威圧") < text.index("09:40 上司に報告"), "the additions after it"


# -- the sheet in the profile's language -----------------------------------------------------

PORTAUDIO_MISSING = (
    "the PortAudio library is missing (libportaudio.so.2: cannot open shared object file);"
    " install it with `apt-get install libportaudio2` (or scripts/system-deps)"
)
"""What the recorder says in English; the desk rewords it before the journal keeps it."""


def english_sentences() -> list[str]:
    """Every fixed English sentence of the desk's catalogue (none may reach the sheet)."""
    return [en for _ja, en in CATALOG.values() if "{" not in en and len(en) >= 12]


async def test_with_lang_en_the_sheet_stays_in_the_profiles_language(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    staff_book.save(staff_book.load().model_copy(update={"name": "山田", "section": "市民課"}))
    desk = DeskApp(make_setup(nanyo, clock, data_dir, staff_book, lang="en"))
    async with desk.run_test(size=(80, 24)) as pilot:
        await to_sheet(pilot, clock, "m", *"大声", "enter")
        shown = screen_text(desk)
        assert "Record sheet" in shown and "Save" in shown, "the app's words follow --lang"
        assert "所属" in shown and "氏名" in shown, "the sheet's do not"
        await pilot.press("ctrl+l")
        shown = screen_text(desk)
        assert "チェックリスト" in shown and "該当" in shown and "備考" in shown
        assert not {"Checklist", "Applies", "Remark"} & set(shown.split())
        await pilot.press("ctrl+s")
    [folder] = list_session_folders(data_dir)
    sheet = parse_html(folder.sheet.read_text(encoding="utf-8")).text()
    assert "メモ：大声" in sheet and "対応終了" in sheet
    assert [s for s in english_sentences() if s in sheet] == []


async def test_with_lang_en_closing_the_app_and_a_recorder_fault_print_in_japanese(
    nanyo: Policy, clock: ManualClock, data_dir: Path, staff_book: JsonStaffBook
) -> None:
    recorders = FakeRecorders(unavailable=PORTAUDIO_MISSING)
    setup = make_setup(nanyo, clock, data_dir, staff_book, lang="en", recorder_factory=recorders)
    desk = DeskApp(setup)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        recorders.last.send("unavailable", PORTAUDIO_MISSING)
        await until(pilot, lambda: "unavailable" in kinds_of(data_dir), "the fault journaled")
        clock.advance(30)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert desk.wait_for_archives(60)
    events = journal_events(data_dir)
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.detail == "対応中にアプリを閉じた"
    fault = next(e for e in events if isinstance(e, RecordingChanged))
    assert fault.detail.startswith("録音に必要な PortAudio ライブラリがありません")
    [folder] = list_session_folders(data_dir)
    sheet = parse_html(folder.sheet.read_text(encoding="utf-8")).text()
    assert "対応中にアプリを閉じた" in sheet
    assert "closed during the session" not in sheet and "library is missing" not in sheet
    assert [s for s in english_sentences() if s in sheet] == []


def kinds_of(data_dir: Path) -> list[str]:
    return [
        e.state if isinstance(e, RecordingChanged) else e.kind for e in journal_events(data_dir)
    ]
