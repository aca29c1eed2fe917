"""Files others can touch on a shared folder: the board's answers and the desks' status files.

An answer changed, removed or planted after the fact must show when the session's files are
checked (`check_answers`, for verify); a damaged status file must leave the board working."""

from __future__ import annotations

import json
from pathlib import Path

from kasuhara_timer.live.board import LiveFolder
from kasuhara_timer.live.status import live_dir
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.answers import Answer, answer_file, check_answers, write_answer
from tests.support.live import SimulatedDesk, start_desk
from tests.support.supervisors import supervisor
from tests.support.tally import TALLY


def answered(tmp_path: Path, nanyo: Policy, clock: ManualClock) -> tuple[SimulatedDesk, Path]:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1")
    desk.session.request_help()
    answer = Answer(session=desk.name, request="help-1", by="鈴木", host="BOARD", at=clock.now())
    path = write_answer(desk.files.location, answer)
    assert desk.read_answers() == 1
    return desk, path


def test_an_answer_changed_after_it_was_journaled_shows(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk, path = answered(tmp_path, nanyo, clock)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["by"] = "別人"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = check_answers(desk.files.location, list(desk.session.state.events))
    TALLY.record("answer file changed", survived=len(problems) == 1, lost=0, unit="changes")
    assert problems == [
        f"{path.relative_to(desk.files.location).as_posix()}: changed since the desk journaled it"
    ]


def test_an_answer_removed_or_planted_shows(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk, path = answered(tmp_path, nanyo, clock)
    path.unlink()
    planted = answer_file(desk.files.location, "help-1", "ELSEWHERE")
    planted.write_text(path.name, encoding="utf-8")
    problems = check_answers(desk.files.location, list(desk.session.state.events))
    TALLY.record("answer file removed or planted", survived=len(problems) == 2, unit="changes")
    assert any("the file is missing" in p for p in problems)
    assert any("never journaled" in p for p in problems)


def test_damaged_status_files_leave_the_board_working(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1")
    folder = live_dir(tmp_path)
    damage = {
        "torn": b'{"v":1,"session":"s","chan',
        "binary": bytes(range(256)),
        "wrong types": json.dumps({"channel": 5, "t": "soon"}).encode(),
        "huge": b'{"desk":"' + b"x" * 2_000_000 + b'"}',
    }
    for n, data in enumerate(damage.values(), start=1):
        (folder / f"20260401-0900{n:02d}_BAD-{n}_abcdef.1.json").write_bytes(data)
    board = LiveFolder(tmp_path)
    board.refresh()
    survived = list(board.statuses) == [desk.name] and len(board.problems) == len(damage)
    TALLY.record("damaged status file", survived=survived, unit="files")
    assert survived, board.problems


def test_answers_encrypted_at_the_close_are_still_checked(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk, path = answered(tmp_path, nanyo, clock)
    boss = supervisor("田中 一郎")
    vault.encrypt_in_place(path, vault.parse_recipients([boss.recipient]))
    assert not path.exists()
    events = list(desk.session.state.events)
    vault.lock()
    try:
        (locked,) = check_answers(desk.files.location, events)
        assert "cannot be read to check it" in locked
        vault.unlock([boss.identity.age_identity])
        assert check_answers(desk.files.location, events) == []
    finally:
        vault.lock()


def test_verify_reports_an_answer_changed_after_it_was_journaled(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    from kasuhara_timer.integrity.verify import verify_session
    from kasuhara_timer.store.folders import SessionFolder

    desk, path = answered(tmp_path, nanyo, clock)
    folder = SessionFolder(desk.files.location, drill=False)
    before = [f.message for f in verify_session(folder).findings if f.file == "answers"]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["by"] = "別人"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = verify_session(folder)
    after = [f.message for f in report.findings if f.file == "answers"]
    assert before == [] and not report.intact
    assert after == [
        f"{path.relative_to(desk.files.location).as_posix()}: changed since the desk journaled it"
    ]
