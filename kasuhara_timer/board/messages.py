"""Messages from the board's watcher thread to the app."""

from __future__ import annotations

from textual.message import Message

from kasuhara_timer.live.status import StatusRead


class StatusesRead(Message):
    """Status files were read after a change (or all of them, `full`)."""

    def __init__(self, reads: list[StatusRead], full: bool) -> None:
        super().__init__()
        self.reads = reads
        self.full = full
