"""The desk notices within a poll (½ s) that its journal was deleted or replaced mid-session.

Real desk app (Pilot), real store: the journal file is removed or swapped under the open
session; the banner must appear and stay, the journal must be written again from memory with the
same bytes (the swapped-in file kept beside it), later events must land in it, and the quit
dialog must not claim that everything is saved.
"""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.confirm import ConfirmQuit
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.desk.widgets.journal_alarm import POLL_SECONDS, JournalAlarm
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store.folders import list_session_folders
from tests.support.desk import journal_events, kinds, make_setup
from tests.support.screen import flat, screen_text, until
from tests.support.tally import Tally


async def _trial(desk: DeskApp, clock: ManualClock, data_dir: Path, replace: bool) -> list[str]:
    """What went wrong (nothing, when the desk coped)."""
    wrong: list[str] = []
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(60)
        await pilot.press("n")
        [folder] = list_session_folders(data_dir)
        before = folder.journal.read_bytes()
        if replace:
            other = folder.path / "forged.jsonl"
            other.write_bytes(b'{"v":1,"seq":1}\n')
            other.replace(folder.journal)
        else:
            folder.journal.unlink()
        screen = desk.screen
        assert isinstance(screen, SessionScreen)
        alarm = screen.query_one(JournalAlarm)
        await until(pilot, lambda: alarm.lost, "the banner")
        if "記録ファイルが" not in flat(screen_text(desk)):
            wrong.append("no banner on screen")
        if folder.journal.read_bytes() != before:
            wrong.append("the journal was not written back as it was")
        if replace and not (folder.path / "journal.jsonl.replaced-1").exists():
            wrong.append("the replacement was not kept")
        clock.advance(30)
        await pilot.press("n")  # a later event lands in the restored journal
        if kinds(journal_events(data_dir))[-1] != "step_taken":
            wrong.append(f"later event not on disk: {kinds(journal_events(data_dir))}")
        await pilot.press("ctrl+q")
        if not isinstance(desk.screen, ConfirmQuit):
            wrong.append("no quit dialog")
        elif "すべて保存済み" in flat(screen_text(desk)) or "管理者に連絡" not in flat(
            screen_text(desk)
        ):
            wrong.append("the quit dialog claims what is not known to be on disk")
        if not alarm.has_class("-alarm"):
            wrong.append("the banner went away")
    return wrong


def desk_on(tmp_path: Path, nanyo: Policy, clock: ManualClock) -> tuple[DeskApp, Path]:
    data_dir = tmp_path / "data"
    staff = JsonStaffBook(tmp_path / "state" / "staff.json")
    return DeskApp(make_setup(nanyo, clock, data_dir, staff)), data_dir


async def test_a_journal_deleted_mid_session_is_noticed_and_written_again(
    tmp_path: Path, nanyo: Policy, clock: ManualClock, tally: Tally
) -> None:
    desk, data_dir = desk_on(tmp_path, nanyo, clock)
    wrong = await _trial(desk, clock, data_dir, replace=False)
    tally.record("attack: journal deleted mid-session", survived=not wrong, label="caught",
                 unit="missed", lost=len(wrong))  # fmt: skip
    assert wrong == []
    assert POLL_SECONDS <= 1.0  # "within a second"


async def test_a_journal_replaced_mid_session_is_noticed_and_written_again(
    tmp_path: Path, nanyo: Policy, clock: ManualClock, tally: Tally
) -> None:
    desk, data_dir = desk_on(tmp_path, nanyo, clock)
    wrong = await _trial(desk, clock, data_dir, replace=True)
    tally.record("attack: journal replaced mid-session", survived=not wrong, label="caught",
                 unit="missed", lost=len(wrong))  # fmt: skip
    assert wrong == []
