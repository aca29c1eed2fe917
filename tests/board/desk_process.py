"""A real desk app in its own process, on the real clock, driven line by line from stdin.

    python -m tests.board.desk_process DATA_DIR HOST CHANNEL

It starts a session on CHANNEL at once and prints ``ready``; then for each line:
``press KEY`` presses it and prints ``pressed KEY``; ``wait TEXT`` prints ``seen <screen>``
once TEXT is on screen (the desk's own pulse reads the board's answer); ``quit`` leaves.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from kasuhara_timer.desk.app import DeskApp
from kasuhara_timer.desk.screens.session import SessionScreen
from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import SystemClock
from tests.support.screen import flat, screen_text

PATIENCE = 60.0


async def main(data_dir: Path, host: str, channel: str) -> None:
    """Run the desk until told to quit."""
    book = JsonStaffBook(data_dir.parent / f"state-{host}" / "staff.json")
    book.save(book.load().model_copy(update={"name": f"職員{host[-1]}", "section": "市民課"}))
    setup = DeskSetup(
        policy=load_policy("nanyo").policy,
        store=FolderSessionStore(data_dir, host),
        staff_book=book,
        clock=SystemClock(),
        desk=host,
        data_dir=data_dir,
        cursor_blink=False,
        start_channel=ChannelId(channel),
    )
    app = DeskApp(setup)
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.monotonic() + PATIENCE
        while not isinstance(app.screen, SessionScreen):  # once the look at start is back
            assert time.monotonic() < deadline, "the launched session never started"
            await pilot.pause(0.05)
        print("ready", flush=True)
        while True:
            line = (await asyncio.to_thread(sys.stdin.readline)).strip()
            if not line or line == "quit":
                break
            command, _, argument = line.partition(" ")
            if command == "press":
                await pilot.press(argument)
                print(f"pressed {argument}", flush=True)
            elif command == "wait":
                deadline = time.monotonic() + PATIENCE
                while argument not in flat(screen_text(app)) and time.monotonic() < deadline:
                    await pilot.pause(0.05)
                print(f"seen {flat(screen_text(app))}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))
