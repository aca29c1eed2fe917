"""What the review's worker threads tell the screens, in the past tense."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from kasuhara_timer.catalog.index import RefreshResult
from kasuhara_timer.catalog.playback import PlayerState


class IndexProgressed(Message):
    """Some of the changed folders were read."""

    def __init__(self, done: int, total: int, *, empty: bool = False) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.empty = empty
        """The index held nothing before: its counts mean nothing until the build ends."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgressed)


class IndexCommitted(Message):
    """A batch of the folders read is in the index: a list being built can show them."""

    def __init__(self, written: int) -> None:
        super().__init__()
        self.written = written

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexCommitted)


class IndexRefreshed(Message):
    """The index caught up with the folders."""

    def __init__(self, result: RefreshResult) -> None:
        super().__init__()
        self.result = result


class IndexFailed(Message):
    """The data folder could not be read."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LoudnessRead(Message):
    """The per-second loudness of the recording is known."""

    def __init__(self, levels: list[float]) -> None:
        super().__init__()
        self.levels = levels


class PlayerChanged(Message):
    """The player started, paused, moved or reached the end."""

    def __init__(self, state: PlayerState) -> None:
        super().__init__()
        self.state = state

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PlayerChanged)


class ExportFinished(Message):
    """Files were written (and some sessions perhaps skipped, with why)."""

    def __init__(self, written: list[Path], skipped: list[tuple[str, str]]) -> None:
        super().__init__()
        self.written = written
        self.skipped = skipped


class ExportFailed(Message):
    """Nothing could be written."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
