"""Two desk processes and a board on one data folder, nothing else between them: `h` at a desk
appears on the board, the supervisor's answer appears at that desk, an ended session leaves."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable

from kasuhara_timer.board.app import BoardApp
from kasuhara_timer.board.setup import BoardSetup
from tests.support.screen import until

REPO = Path(__file__).resolve().parents[2]


class DeskProcess:
    """A desk app in a child process, spoken to through its stdin and stdout."""

    def __init__(self, data_dir: Path, host: str, channel: str) -> None:
        self.host = host
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.board.desk_process", str(data_dir), host, channel],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def expect(self, start: str) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith(start), (self.host, line)
        return line

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.say("quit")
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def desks_on(table: DataTable[object]) -> dict[str, str]:
    """Desk → its state cell."""
    return {
        str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(table.row_count)
    }


async def test_help_at_a_desk_reaches_the_board_and_the_answer_reaches_the_desk(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    phone = DeskProcess(data_dir, "DESK-A", "phone")
    counter = DeskProcess(data_dir, "DESK-B", "counter")
    try:
        phone.expect("ready")
        counter.expect("ready")
        app = BoardApp(BoardSetup(data_dir=data_dir, user="鈴木", host="BOARD-1", tick_seconds=0.5))
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.board.query_one("#sessions", DataTable)
            await until(pilot, lambda: len(desks_on(table)) == 2, "both desks on the board")

            phone.say("press h")
            phone.expect("pressed h")
            pressed = time.monotonic()
            await until(
                pilot, lambda: desks_on(table)["DESK-A"].startswith("応援"), "DESK-A's help request"
            )
            latency = time.monotonic() - pressed
            assert desks_on(table)["DESK-B"] == "対応中"
            print(f"help on the board after {latency:.2f} s")

            row = list(desks_on(table)).index("DESK-A")
            table.move_cursor(row=row)
            await pilot.press("a")
            phone.say("wait 鈴木向かいます")
            seen = phone.expect("seen")
            assert "鈴木向かいます" in seen
            await until(
                pilot, lambda: desks_on(table)["DESK-A"] == "応答済", "the answer journaled"
            )

            counter.say("press e")  # the end is a decision: e asks, y confirms
            counter.expect("pressed e")
            counter.say("press y")
            counter.expect("pressed y")
            await until(pilot, lambda: list(desks_on(table)) == ["DESK-A"], "DESK-B gone")
    finally:
        phone.close()
        counter.close()
