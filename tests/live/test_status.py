"""The live status files: one new name per version, the older removed, nothing left at the end;
the board's reading of them: phases like the desk's, a silent desk shown as interrupted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kasuhara_timer.live.board import LiveFolder, RowState, board_row, board_rows, phase_of
from kasuhara_timer.live.status import (
    STALE_SECONDS,
    StatusWriter,
    live_dir,
    status_versions,
)
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.escalation import Phase
from tests.support.live import start_desk


def test_each_write_is_a_new_version_and_the_older_goes(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1")
    desk.publish()
    desk.publish()
    (versions,) = status_versions(tmp_path).values()
    assert [v for v, _p in versions] == [3]
    # a resumed session's new writer continues after what an earlier run left
    leftover = StatusWriter(tmp_path, desk.name)
    desk.writer = leftover
    desk.publish()
    assert [v for v, _p in status_versions(tmp_path)[desk.name]] == [4]
    desk.end()
    assert list(live_dir(tmp_path).iterdir()) == []


def test_phases_follow_the_desk_and_a_silent_desk_is_interrupted(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1", ChannelId.PHONE)
    folder = LiveFolder(tmp_path)
    folder.refresh()
    (status,) = folder.statuses.values()
    start = clock.now()
    assert phase_of(status, 19 * 60) is Phase.CALM
    assert phase_of(status, 20 * 60 + 1) is Phase.NEAR, "the first notice is 10 minutes before"
    assert phase_of(status, 30 * 60) is Phase.OVER
    assert board_row(status, start + timedelta(seconds=30)).elapsed == 30
    assert board_row(status, start + timedelta(seconds=STALE_SECONDS - 1)).state is (
        RowState.RUNNING
    )
    row = board_row(status, start + timedelta(seconds=STALE_SECONDS + 1))
    assert row.state is RowState.INTERRUPTED
    assert row.elapsed == 0, "a silent desk's clock is not guessed forward"
    # a desk whose clock is ahead of the board's never shows a negative time
    assert board_row(status, start - timedelta(minutes=5)).elapsed == 0
    desk.end()


def test_after_kirden_the_board_shows_no_overtime_either(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1", ChannelId.PHONE)
    clock.advance(31 * 60)
    desk.session.tick()
    for _ in range(3):  # ステップ1, 2, 3 切電
        desk.session.take_next_step()
    desk.publish()
    folder = LiveFolder(tmp_path)
    folder.refresh()
    (status,) = folder.statuses.values()
    assert status.limit_off == "contact_ended"
    assert board_row(status, clock.now() + timedelta(seconds=20)).phase is Phase.CALM
    desk.end()


def test_help_comes_first_the_oldest_request_first(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    long_running = start_desk(tmp_path, nanyo, clock, "DESK-1")
    clock.advance(60)
    first = start_desk(tmp_path, nanyo, clock, "DESK-2")
    second = start_desk(tmp_path, nanyo, clock, "DESK-3")
    second.session.request_help()
    second.publish()
    clock.advance(30)
    first.session.request_help()
    first.publish()
    long_running.publish()
    folder = LiveFolder(tmp_path)
    folder.refresh()
    rows = board_rows(folder.statuses.values(), clock.now())
    assert [r.status.desk for r in rows] == ["DESK-3", "DESK-2", "DESK-1"]
    assert [r.waiting for r in rows] == [30, 0, None]


def test_an_unreadable_status_is_a_problem_not_a_crash(
    tmp_path: Path, nanyo: Policy, clock: ManualClock
) -> None:
    desk = start_desk(tmp_path, nanyo, clock, "DESK-1")
    bad = live_dir(tmp_path) / "20260401-090000_DESK-9_abcdef.1.json"
    bad.write_bytes(b'{"session": "x", "channel": "fax"')
    folder = LiveFolder(tmp_path)
    folder.refresh()
    assert list(folder.statuses) == [desk.name]
    (problem,) = folder.problems.values()
    assert str(bad) in problem
