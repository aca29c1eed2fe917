"""DeskSession: the journal comes first, and state is derived from what was journaled."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock, format_elapsed
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import ChecklistAnswer, Event, Staff
from kasuhara_timer.session.state import NotStartedError, SessionState


class FailingSink:
    """A journal whose disk is full after the first event."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        if self.events:
            raise OSError(28, "No space left on device")
        self.events.append(event)


def test_nothing_shown_that_was_not_journaled(policy: Policy, clock: ManualClock) -> None:
    sink = FailingSink()
    session = DeskSession.start(policy, ChannelId.COUNTER, SessionClock(clock), sink)
    before = session.state
    with pytest.raises(OSError):
        session.add_note("hello")
    assert session.state is before
    assert session.state.notes == ()


def test_state_folds_tags_notes_and_sheet(policy: Policy, clock: ManualClock) -> None:
    events: list[Event] = []

    class Sink:
        def append(self, event: Event) -> None:
            events.append(event)

    session = DeskSession.start(policy, ChannelId.PHONE, SessionClock(clock), Sink())
    clock.advance(10)
    session.toggle_tag("abuse")
    session.toggle_tag("restraint")
    session.toggle_tag("abuse")  # taken back
    assert session.toggle_tag("no_such_behaviour") is None
    assert session.add_note("   ") is None
    session.add_note("同じ要求の繰り返し 😠 <b>")
    session.end()
    session.save_sheet(
        {"content": "x"}, [ChecklistAnswer(no=1, checked=True, remark="r")], Staff(name="山田")
    )
    rebuilt = SessionState.from_events(events)
    assert rebuilt == session.state
    assert rebuilt.tags == ("restraint",)
    assert [n.text for n in rebuilt.notes] == ["同じ要求の繰り返し 😠 <b>"]
    assert rebuilt.ended is not None and rebuilt.duration == 10
    assert rebuilt.sheet is not None and rebuilt.sheet.staff.name == "山田"
    assert session.toggle_tag("abuse") is None  # no tagging after the end


def test_state_needs_started(policy: Policy, clock: ManualClock) -> None:
    with pytest.raises(NotStartedError):
        SessionState.from_events([])


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00:00"),
        (59.9, "0:00:59"),
        (3600, "1:00:00"),
        (25 * 3600 + 61, "25:01:01"),
        (-3, "0:00:00"),
    ],
)
def test_format_elapsed(seconds: float, shown: str) -> None:
    assert format_elapsed(seconds) == shown
