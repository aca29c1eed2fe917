"""Issue 9, points 4 and 7: the idle screen starts a call whatever has focus, and the record sheet
is easy to fill (visible focus, Tab in the sheet's order, a key to the checklist, field 6 once,
the sheet in the profile's language whatever `--lang` says)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.session.events import Started
from tests.support.desk import journal_events

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
