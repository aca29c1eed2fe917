"""States a supervisor needs: a session running at a desk shows as 対応中 with its live time,
one nobody recovered as 中断（未処理）, a held one with its reason, and the filter finds them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Select

from kasuhara_timer.integrity.holds import place_hold
from kasuhara_timer.live.status import LiveStatus, live_dir, status_name
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.review.screens.filters import FilterScreen
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.corpus import folder_named
from tests.support.review_pilot import review_app, settle

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
