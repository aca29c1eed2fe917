"""An audio clip from the session screen (Pilot): the timeline's selected event, `c`, bounds
typed, the clip read back with soundfile against the original's samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input

from kasuhara_timer.review.screens.clip import ClipScreen
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.corpus import folder_named
from tests.support.review_pilot import open_session, review_app, settle

AUDIO = "20260507-0930"


async def open_clip(pilot: Pilot[Any], kind: str = "step_taken") -> ClipScreen:
    """Open the recorded session, put the timeline's cursor on the first `kind` row, press c."""
    await open_session(pilot, AUDIO)
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen) and screen.loaded.record is not None
    timeline = screen.loaded.record.sheet.timeline
    number = next(i for i, row in enumerate(timeline) if row.kind == kind)
    screen.query_one("#timeline", DataTable).move_cursor(row=number)
    await pilot.press("c")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ClipScreen)
    return dialog


async def test_clips_the_selected_event_with_the_bounds_typed(
    data_dir: Path, tmp_path: Path
) -> None:
    app = review_app(data_dir, tmp_path / "state")
    out = tmp_path / "clips"
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_clip(pilot)
        offset = dialog.row.audio_offset
        assert offset is not None
        assert "30" in dialog.query_one("#clip-before", Input).value
        dialog.query_one("#clip-before", Input).value = "-3"
        await pilot.pause()
        assert "0以上" in dialog.query_one("#clip-span", PhraseText).text
        assert dialog.query_one("#go", Button).disabled
        dialog.query_one("#clip-before", Input).value = "2.5"
        dialog.query_one("#clip-after", Input).value = "4"
        await pilot.pause()
        start, end = round(offset - 2.5, 3), round(offset + 4, 3)
        span = dialog.query_one("#clip-span", PhraseText).text
        assert f"{start:.1f}秒〜{end:.1f}秒（6.5秒）" in span
        dialog.query_one("#clip-dir", Input).value = str(out)
        await pilot.click("#go")
        await settle(pilot)
        status = dialog.query_one("#clip-status", PhraseText).text
    (clip,) = out.glob("*.flac")
    (manifest_path,) = out.glob("*.json")
    assert str(clip) in status and str(manifest_path) in status
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert (manifest["start"]["seconds"], manifest["end"]["seconds"]) == (start, end)
    got, rate = soundfile.read(clip, dtype="int16")
    flac = folder_named(data_dir, AUDIO) / "audio" / "recording.flac"
    original, _ = soundfile.read(flac, dtype="int16")
    first = manifest["start"]["frame"]
    assert first == round(start * rate)
    assert np.array_equal(got, original[first : manifest["end"]["frame"]])


def test_clip_dialog_at_80x24(snap_compare: Any, data_dir: Path, tmp_path: Path) -> None:
    async def clip(pilot: Pilot[Any]) -> None:
        await open_clip(pilot)

    app = review_app(data_dir, tmp_path / "state", export_dir=Path("exports"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=clip)


def test_waiting_for_an_output_device_at_80x24(
    snap_compare: Any, data_dir: Path, tmp_path: Path
) -> None:
    """No device: ±10 s moved the position, space asked to play, the panel waits and says so."""

    async def waiting(pilot: Pilot[Any]) -> None:
        await open_session(pilot, AUDIO)
        await pilot.press("right", "right", "space")
        await settle(pilot)

    app = review_app(data_dir, tmp_path / "state")
    assert snap_compare(app, terminal_size=(80, 24), run_before=waiting)
