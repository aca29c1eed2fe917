"""The real desk app with supervisors configured: a session ends, is saved, and is encrypted at
its close; the desk can then no longer read it, but still counts the caller's earlier contact."""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.catalog.sessions import load_session
from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.idle import IdleScreen
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.lifecycle.encrypting import is_encrypted_session
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.folders import list_session_folders
from tests.support.desk import HOST, make_setup
from tests.support.supervisors import supervisor


async def test_a_saved_session_is_encrypted_at_its_close_and_gone_from_the_desk(
    nanyo: Policy, clock: ManualClock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    boss = supervisor()
    setup = make_setup(
        nanyo,
        clock,
        data,
        JsonStaffBook(tmp_path / "state" / "staff.json"),
        store=FolderSessionStore(data, HOST, [boss.recipient], clock),
        encrypt_to=(boss.recipient,),
    )
    desk = DeskApp(setup)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        clock.advance(90)
        await pilot.press("m", *"住所南陽市", "enter")
        await pilot.press("e", "y", "ctrl+s")
        await pilot.pause()
        assert isinstance(desk.screen, IdleScreen)
        await desk.workers.wait_for_complete()

    [folder] = list_session_folders(data)
    assert is_encrypted_session(folder)
    names = {p.name for p in folder.path.rglob("*") if p.is_file()}
    assert names == {
        "journal.jsonl.age",
        "record.json.age",
        "sheet.html.age",
        "seal.json",
        "contact.json",
    }
    assert all("南陽市" not in p.read_text(errors="replace") for p in folder.path.glob("*.json"))
    assert load_session(folder).record is None
    vault.unlock([boss.identity.age_identity])
    record = load_session(folder).record
    assert record is not None and record.notes[0].text == "住所南陽市"
