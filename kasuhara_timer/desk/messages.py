"""The desk app's workflow as past-tense messages.

Widgets post what the staff member did (`ChannelPicked`, `BehaviourPicked`); screens answer by
calling the domain and post what came of it (`SessionStarted` → `SessionEnded` →
`RecordSaved`), which tests watch through `run_test(message_hook=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import Instant
from kasuhara_timer.session.events import Staff
from kasuhara_timer.session.state import SessionState

if TYPE_CHECKING:  # both pull in audio, sqlite and the index; only the types are needed
    from kasuhara_timer.audio.recorder import RecordingSummary
    from kasuhara_timer.catalog.callers import PreviousContact
    from kasuhara_timer.lifecycle.interrupted import Interrupted
    from kasuhara_timer.lifecycle.recording import LiveRecording
    from kasuhara_timer.lifecycle.unfinished import UnfinishedSheet


class ChannelPicked(Message):
    """A channel was chosen on the idle screen by a click (keys call the action directly)."""

    def __init__(self, channel: ChannelId) -> None:
        super().__init__()
        self.channel = channel


class BehaviourPicked(Message):
    """A behaviour row was clicked: tag it, or take the tag back."""

    def __init__(self, behaviour_id: str) -> None:
        super().__init__()
        self.behaviour_id = behaviour_id


class StartRequested(Message):
    """The staff member asked for a session on the idle screen; the app starts it (or says on
    the idle screen why it could not)."""

    def __init__(
        self, channel: ChannelId, staff: Staff, caller: str, began: Instant | None = None
    ) -> None:
        super().__init__()
        self.channel = channel
        self.staff = staff
        self.caller = caller
        self.began = began
        """The moment of the key: the session counts from it, not from when it is handled."""


class SessionStarted(Message):
    """A session's `Started` event is on disk and the session screen is up."""

    def __init__(self, state: SessionState) -> None:
        super().__init__()
        self.state = state


class SessionEnded(Message):
    """The staff member ended the session; its `Ended` event is on disk. The app stops its
    `recording` (None when the session is not recorded) and archives it in the background."""

    def __init__(self, state: SessionState, recording: LiveRecording | None = None) -> None:
        super().__init__()
        self.state = state
        self.recording = recording


class RecordSaved(Message):
    """The sheet was journaled and `record.json` / `sheet.html` were written. The app stops
    the session's `recording` (paused since the end, so `esc` on the sheet could go back to
    the call) and archives it in the background."""

    def __init__(
        self,
        state: SessionState,
        location: Path,
        files: Sequence[Path],
        recording: LiveRecording | None = None,
    ) -> None:
        super().__init__()
        self.recording = recording
        self.state = state
        self.location = location
        self.files = tuple(files)


class EarlierContactsFound(Message):
    """The lookup of earlier contacts with the session's caller finished (from a worker)."""

    def __init__(self, contacts: Sequence[PreviousContact]) -> None:
        super().__init__()
        self.contacts = tuple(contacts)


class InterruptedFound(Message):
    """The look at the data folder at start found this desk's sessions a crash left running."""

    def __init__(self, sessions: Sequence[Interrupted], error: str = "") -> None:
        super().__init__()
        self.sessions = tuple(sessions)
        self.error = error
        """Why the data folder could not be looked at ("" when it could)."""


class FinishSheetRequested(Message):
    """The staff member asked on the idle screen to finish an unsaved record sheet."""

    def __init__(self, sheet: UnfinishedSheet) -> None:
        super().__init__()
        self.sheet = sheet


class SheetLeftUnsaved(Message):
    """A record sheet finished at a later start was left unsaved again (`esc`): its draft is
    kept and it is offered again."""

    def __init__(self, location: Path) -> None:
        super().__init__()
        self.location = location


class InterruptedClosed(Message):
    """A session a crash left running was closed as interrupted (or `error` says why not)."""

    def __init__(self, found: Interrupted, error: str = "") -> None:
        super().__init__()
        self.found = found
        self.error = error


class LeftoversFinished(Message):
    """What an earlier run left undone (archives, records, seals) was finished; `problems`
    says, in the desk's words, what could not be. `unfinished`: this desk's ended sessions
    whose record sheet was never saved, as the look found them (None: it could not look)."""

    def __init__(
        self, problems: Sequence[str], unfinished: Sequence[UnfinishedSheet] | None = None
    ) -> None:
        super().__init__()
        self.problems = tuple(problems)
        self.unfinished = tuple(unfinished) if unfinished is not None else None


class RecorderReported(Message):
    """The recorder reported a change; its report waits in `live` to be journaled."""

    def __init__(self, live: LiveRecording) -> None:
        super().__init__()
        self.live = live


class RecordingStopped(Message):
    """The recorder of an ended session has stopped; `summary` says what is on disk (None when
    stopping failed: the audio stays as it is for the next start to archive)."""

    def __init__(self, live: LiveRecording, summary: RecordingSummary | None) -> None:
        super().__init__()
        self.live = live
        self.summary = summary
