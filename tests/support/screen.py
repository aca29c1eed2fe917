"""Read what the desk app shows, as text, the way a person at the terminal sees it."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.app import App
from textual.events import Paste
from textual.pilot import Pilot


def screen_text(app: App[Any]) -> str:
    """The current screen as plain text (the same render an SVG screenshot is made from)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


EDGES = str.maketrans("", "", "█▁▂▃▄▅▆▇▔▏▕")
"""The card's edge and scrollbar characters, which sit between wrapped lines."""


def flat(text: str) -> str:
    """`text` without line breaks, spaces or edges, so a wrapped sentence can be found whole."""
    return "".join(text.translate(EDGES).split())


PATIENCE = 60.0
"""Seconds `until` lets the app run before calling a condition lost: only keeps a broken test
from hanging, generous on a loaded machine (never an assertion about speed)."""


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds (instead of sleeping a guessed time)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause(0.02)


def toasts(app: App[Any]) -> str:
    """The notifications on screen, flattened (`flat`)."""
    return flat(" ".join(str(toast.render()) for toast in app.screen.query("Toast")))


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Text arriving at the focused field the way a terminal delivers an IME commit or a paste."""
    pilot.app.post_message(Paste(text))
    await pilot.pause()
