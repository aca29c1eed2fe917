"""Driving the review app in tests: a deterministic app, waiting for its workers, finding rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.playback import AudioOutput
from kasuhara_timer.i18n import Lang
from kasuhara_timer.review.app import ReviewApp
from kasuhara_timer.review.screens.sessions import SessionListScreen
from kasuhara_timer.review.setup import ReviewSetup
from kasuhara_timer.review.widgets.wrapped_table import WrappedTable


def review_app(
    data_dir: Path,
    state: Path,
    *,
    output: AudioOutput | None = None,
    lang: Lang = "ja",
    **options: Any,
) -> ReviewApp:
    """The review on `data_dir`: its own index in `state`, no pulse, no cursor blink."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "index": SessionIndex(data_dir, state / "index.sqlite3"),
        "lang": lang,
        "output": output,
        "export_dir": state / "exports",
        "pulse_seconds": None,
        "cursor_blink": False,
    }
    values.update(options)
    setup = ReviewSetup(**values)
    return ReviewApp(setup)


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, then workers (index refresh, loudness, output), then repaints finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_session(pilot: Pilot[Any], prefix: str) -> None:
    """From the list, open the session whose folder name begins with `prefix`."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SessionListScreen)
    (number,) = [i for i, row in enumerate(screen.rows) if row.name.startswith(prefix)]
    table = screen.query_one("#sessions", DataTable)
    table.focus()
    table.move_cursor(row=number)
    await pilot.press("enter")
    await settle(pilot)


def table_rows(table: DataTable[Any]) -> list[list[str]]:
    """The cells of a DataTable as text, row by row (a wrapped table's text before wrapping)."""
    if isinstance(table, WrappedTable):
        return [list(row) for row in table.values]
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
