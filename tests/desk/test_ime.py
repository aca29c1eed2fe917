"""The desk with the Japanese IME on: keys arrive as 「１」「ｎ」「え」 and still act, the desk says
the IME is on, the Ctrl and function-key alternatives act without the IME, and text typed into
the note field stays Japanese."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import NoteAdded, Started
from kasuhara_timer.ui.keys import IME_FREE_KEYS
from tests.support.desk import journal_events, kinds


def notifications(desk: DeskApp) -> list[str]:
    return [notification.message for notification in desk._notifications]


async def test_full_width_and_kana_keys_work_at_the_desk(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        assert isinstance(desk.screen, IdleScreen)
        await pilot.press("１")
        assert isinstance(desk.screen, SessionScreen)
        started = journal_events(data_dir)[0]
        assert isinstance(started, Started) and started.channel == "phone"
        assert any(message.startswith("日本語入力がオンです") for message in notifications(desk))

        await pilot.press("ｎ")  # before the limit: step 1 brought forward
        assert kinds(journal_events(data_dir))[-1] == "brought_forward"

        clock.advance(60)
        await pilot.press("え", "ｙ")  # asked in place, confirmed
        assert isinstance(desk.screen, WrapUpScreen)
        assert kinds(journal_events(data_dir))[-1] == "ended"


async def test_the_hint_shows_once_while_the_ime_stays_on(
    desk: DeskApp, clock: ManualClock
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("１", "ｎ", "ｎ")
        hints = [m for m in notifications(desk) if m.startswith("日本語入力がオンです")]
        assert len(hints) == 1


async def test_ime_free_alternatives_act_without_the_ime(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        assert isinstance(desk.screen, SessionScreen)
        started = journal_events(data_dir)[0]
        assert isinstance(started, Started) and started.channel == "counter"
        await pilot.press("ctrl+n")  # before the limit: step 1 brought forward
        assert kinds(journal_events(data_dir))[-1] == "brought_forward"
        clock.advance(60)
        await pilot.press("ctrl+e", "enter")  # asked in place, confirmed
        assert isinstance(desk.screen, WrapUpScreen)


async def test_japanese_typed_into_the_note_stays_japanese(
    desk: DeskApp, clock: ManualClock, data_dir: Path
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "え", "ｎ", "１", "enter")
        assert isinstance(desk.screen, SessionScreen)
        note = journal_events(data_dir)[-1]
        assert isinstance(note, NoteAdded) and note.text == "えｎ１"
        assert not desk.screen.query_one("#note", Input).value


async def test_every_alternative_names_a_desk_binding_and_takes_no_key_in_use(
    desk: DeskApp, clock: ManualClock
) -> None:
    async with desk.run_test(size=(80, 24)) as pilot:
        seen: dict[str, set[str]] = {}
        await pilot.press("1")
        for screen in (IdleScreen(), desk.screen, desk):
            users: dict[str, set[str]] = {}
            for key, binding in screen._bindings:
                users.setdefault(key, set()).add((binding.id or "").removesuffix(".alt"))
                if binding.id:
                    seen.setdefault(binding.id, set()).add(key)
            here = {binding.id for _key, binding in screen._bindings}
            for binding_id, key in IME_FREE_KEYS.items():
                if binding_id in here:
                    meant = {other for other, alt in IME_FREE_KEYS.items() if alt == key}
                    assert users[key] <= meant, (binding_id, key, users[key])
        assert set(IME_FREE_KEYS) <= set(seen)
        for binding_id, key in IME_FREE_KEYS.items():
            assert seen[f"{binding_id}.alt"] == {key}
