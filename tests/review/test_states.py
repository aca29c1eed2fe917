"""States a supervisor needs: a session running at a desk shows as 対応中 with its live time,
one nobody recovered as 中断（未処理）, a held one with its reason, and the filter finds them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Select

from kasuhara_timer.integrity.holds import place_hold
from kasuhara_timer.live.status import LiveStatus, live_dir, status_name
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.review.screens.filters import FilterScreen
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.journal import read_journal
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.corpus import folder_named
from tests.support.live import start_desk
from tests.support.review_pilot import open_session, review_app, settle
from tests.support.screen import flat, screen_text

UNFINISHED = "20260521-1000"
HELD = "20260401-0900"


def cells(listing: SessionListScreen, prefix: str) -> tuple[str, ...]:
    (number,) = [i for i, row in enumerate(listing.rows) if row.name.startswith(prefix)]
    return listing.query_one("#sessions", WrappedTable).values[number]


async def filtered(pilot: object, app: object, field: str, choice: str) -> SessionListScreen:
    await pilot.press("f")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, FilterScreen)
    dialog.query_one(f"#{field}", Select).value = choice
    dialog.query_one("#text", Input).focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    listing = app.screen  # type: ignore[attr-defined]
    assert isinstance(listing, SessionListScreen)
    return listing


async def test_running_unrecovered_and_held(data_dir: Path, tmp_path: Path) -> None:
    held = folder_named(data_dir, HELD).name
    clock = ManualClock(wall=datetime.now().astimezone())
    place_hold(data_dir, held, "情報公開請求（第12号）のため", clock=clock)
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        assert "中断（未処理）" in cells(listing, UNFINISHED)
        assert "保全" in " ".join(cells(listing, HELD))
        listing.query_one("#sessions", WrappedTable).move_cursor(
            row=[r.name[:13] for r in listing.rows].index(HELD)
        )
        await pilot.pause()
        assert "情報公開請求（第12号）のため" in listing.query_one("#row-detail", PhraseText).text
        narrowed = await filtered(pilot, app, "held", "yes")
        assert [row.name[:13] for row in narrowed.rows] == [HELD]
        await open_session(pilot, HELD)  # the session itself says it is held, and why
        summary = app.screen.query_one("#session-summary", PhraseText).text
        assert "保全中：情報公開請求（第12号）のため" in summary
    # the desk still writes its live status: the session is running, not without an end
    name = folder_named(data_dir, UNFINISHED).name
    now = datetime.now().astimezone()
    status = LiveStatus(
        session=name,
        channel=ChannelId.PHONE,
        started_at=now - timedelta(minutes=12),
        t=12 * 60,
        at=now,
        limit_seconds=1800,
        near_seconds=600,
        step="ステップ1 毅然とした警告",
    )
    live_dir(data_dir).mkdir(parents=True, exist_ok=True)
    (live_dir(data_dir) / status_name(name, 1)).write_text(status.model_dump_json())
    app = review_app(data_dir, tmp_path / "state2")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, SessionListScreen)
        row = cells(listing, UNFINISHED)
        assert "対応中" in row and row[4].startswith("0:12:"), row


async def test_a_running_session_shows_the_desks_live_state(
    data_dir: Path, tmp_path: Path, nanyo: Policy
) -> None:
    clock = ManualClock(wall=datetime.now().astimezone() - timedelta(minutes=31))
    desk = start_desk(data_dir, nanyo, clock, "MADO-2", ChannelId.COUNTER, Staff(name="高橋 一郎"))
    clock.advance(31 * 60)  # past the 30-minute limit
    desk.session.tick()
    desk.session.take_next_step()
    desk.session.request_help()
    desk.session.join(Staff(name="佐藤 課長", section="市民課"))
    desk.recording = "recording"
    desk.publish()
    step = desk.session.assess().current
    assert step is not None
    app = review_app(data_dir, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(pilot, desk.name[:13])
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        summary = screen.query_one("#session-summary", PhraseText).text
        assert "対応中" in summary and "終了なし" not in summary
        live = screen.query_one("#live-state", PhraseText).text
        assert "対応中：窓口端末 MADO-2 の現在の状況" in live and "表示のみ" in live
        assert "目安時間を超過" in live and "経過 0:31:" in live
        assert "応援要請 1件" in live and "佐藤 課長" in live and "録音：録音中" in live
        assert f"段階：{step.title}" in live
        assert flat(live) in flat(screen_text(app))  # every word on screen at 80×24
        clock.advance(60)  # a supervisor answered the call from the board
        desk.session.help_answered(
            desk.session.state.help[-1].id,
            by="鈴木",
            host="BOARD",
            answered_at=clock.now(),
            file="answers/x.json",
            sha256="0" * 64,
        )
        desk.publish()
        screen.show_live()  # what the screen's timer does every LIVE_SECONDS
        await pilot.pause()
        live = screen.query_one("#live-state", PhraseText).text
        assert "応援要請 1件・応答 鈴木" in live
        desk.end()
        screen.show_live()
        await pilot.pause()
        assert "窓口端末で終了しました" in screen.query_one("#live-state", PhraseText).text
        assert journal_kinds(data_dir, desk.name)[-1] == "ended"  # the review wrote nothing


def journal_kinds(data_dir: Path, name: str) -> list[str]:
    return [e.kind for e in read_journal(data_dir / "sessions" / name / "journal.jsonl").events]
