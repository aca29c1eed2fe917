"""The supervisors' board driven with Pilot over real desks' status files and journals."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import DataTable

from kasuhara_timer.board.app import BoardApp
from kasuhara_timer.board.messages import StatusesRead
from kasuhara_timer.board.screens.board import BoardScreen
from kasuhara_timer.board.screens.live import LiveSessionScreen
from kasuhara_timer.board.setup import BoardSetup, board_setup
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.live.status import live_dir
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.answers import check_answers, read_answers
from tests.support.live import SimulatedDesk, start_desk
from tests.support.screen import flat, screen_text, until


def three_desks(data_dir: Path, nanyo: Policy, clock: ManualClock) -> list[SimulatedDesk]:
    """Over the limit on the immediate path, asking for help, and calm."""
    over = start_desk(
        data_dir, nanyo, clock, "MADO-1", ChannelId.COUNTER, Staff(name="田中", section="税務課")
    )
    clock.advance(10 * 60)
    helping = start_desk(
        data_dir, nanyo, clock, "DENWA-2", ChannelId.PHONE, Staff(name="山田", section="市民課")
    )
    clock.advance(10 * 60)
    calm = start_desk(data_dir, nanyo, clock, "DENWA-3", ChannelId.PHONE, Staff(name="佐藤"))
    clock.advance(5 * 60)
    over.session.toggle_tag(nanyo.behaviours[0].id)
    over.session.go_immediate()
    over.recording = "fault"
    helping.session.request_help("係長")
    for desk in (over, helping, calm):
        desk.publish()
    clock.advance(95)
    for desk in (over, helping, calm):
        desk.publish()
    return [over, helping, calm]


def board(data_dir: Path, clock: ManualClock, **options: object) -> BoardApp:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "clock": clock,
        "user": "鈴木",
        "host": "BOARD-1",
        "watch": False,
        "tick_seconds": None,
    }
    values.update(options)
    return BoardApp(BoardSetup(**values))  # type: ignore[arg-type]


async def test_the_board_shows_every_desk_most_urgent_first_and_answers_help(
    data_dir: Path, nanyo: Policy, clock: ManualClock
) -> None:
    _over, helping, calm = three_desks(data_dir, nanyo, clock)
    app = board(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        table = screen.query_one("#sessions", DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[1] == "DENWA-2" and first[0] == "応援 09:25 1分"
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["DENWA-2", "MADO-1", "DENWA-3"]
        over_row = [str(c) for c in table.get_row_at(1)]
        assert over_row[4] == "26/30分" and over_row[5].startswith("即時") and over_row[8] == "▲"
        shown = flat(screen_text(app))
        assert "対応中3件·応援要請1件" in shown
        assert "応援要請09:25（係長）·待ち1:35" in shown, "the selected row's detail"

        await pilot.press("a")
        (answer,) = read_answers(helping.files.location)
        assert answer.answer.request == "help-1" and answer.answer.by == "鈴木"
        assert str(table.get_row_at(0)[0]).startswith("向かいます")

        # the desk reads the answer, journals it and rewrites its status
        assert helping.read_answers() == 1
        helping.publish()
        app.refresh_now()
        await pilot.pause()
        rows = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(3)}
        assert rows["DENWA-2"] == "応答済"
        assert check_answers(helping.files.location, list(helping.session.state.events)) == []

        # a session that ended leaves; a desk that stopped writing is shown as such
        calm.end()
        clock.advance(61)
        helping.publish()
        app.refresh_now()
        await pilot.pause()
        assert table.row_count == 2
        assert "中断?" in [str(table.get_row_at(i)[0]) for i in range(2)]

    log = read_access_log(data_dir)
    assert [(e.action, e.session) for e in log.entries] == [("board", "")]


async def test_opening_a_running_session_shows_its_timeline_live_and_is_logged(
    data_dir: Path, nanyo: Policy, clock: ManualClock
) -> None:
    _over, helping, _calm = three_desks(data_dir, nanyo, clock)
    app = board(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        live = app.screen
        assert isinstance(live, LiveSessionScreen) and live.session == helping.name
        assert "応援要請（係長）" in flat(screen_text(app))
        helping.session.add_note("窓口に来庁予定")
        helping.publish()
        app.post_message(StatusesRead(app.folder.read(), True))  # as the watcher does
        await pilot.pause()
        assert "メモ：窓口に来庁予定" in flat(screen_text(app))
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)
    log = read_access_log(data_dir)
    assert [(e.action, e.session) for e in log.entries] == [("board", ""), ("live", helping.name)]


async def test_the_watcher_brings_a_new_session_without_a_key(
    data_dir: Path, nanyo: Policy, clock: ManualClock
) -> None:
    for polling in (False, True):
        await watch_for_a_new_session(data_dir, nanyo, clock, polling)
    assert live_dir(data_dir).is_dir()


async def watch_for_a_new_session(
    data_dir: Path, nanyo: Policy, clock: ManualClock, polling: bool
) -> None:
    app = board(data_dir, clock, watch=True, force_polling=polling, poll_ms=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.reads >= 1, "the first full read")
        desk = start_desk(data_dir, nanyo, clock, f"DESK-{int(polling)}")
        table = app.board.query_one("#sessions", DataTable)

        def shown() -> bool:
            desks = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
            return desk.session.state.started.desk in desks

        await until(pilot, shown, f"the new session on the board (polling={polling})")
        desk.end()
        await until(pilot, lambda: table.row_count == 0, "the ended session gone")
        await asyncio.sleep(0)


def test_the_setup_reads_polling_from_the_config_and_refuses_a_missing_folder(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[help]\nforce_polling = true\npoll_ms = 250\n", encoding="utf-8")
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(config))
    setup = board_setup(data_dir=data_dir, user="鈴木")
    assert (setup.force_polling, setup.poll_ms, setup.user) == (True, 250, "鈴木")
    assert board_setup(data_dir=data_dir, force_polling=False).force_polling is False
    with pytest.raises(UserError, match="no data folder"):
        board_setup(data_dir=tmp_path / "nowhere")
