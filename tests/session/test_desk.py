"""DeskSession: the journal comes first, and state is derived from what was journaled."""

from __future__ import annotations

import pytest

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock, format_elapsed
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import (
    ChecklistAnswer,
    EntryWithdrawn,
    Event,
    Reopened,
    Route,
    Staff,
    StepTaken,
)
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


class ListSink:
    """Keeps events in a list, as the journal keeps lines."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def test_withdrawal_names_the_entry_and_leaves_it_in_the_journal(
    policy: Policy, clock: ManualClock
) -> None:
    sink = ListSink()
    session = DeskSession.start(policy, ChannelId.PHONE, SessionClock(clock), sink)
    clock.advance(5)
    session.toggle_tag("abuse")
    session.add_note("住所の確認")
    session.go_immediate()  # a mis-pressed x
    session.take_next_step()  # its first step
    # u four times: the immediate step, the immediate path, the note, the tag — latest first
    withdrawn = [session.withdraw_last() for _ in range(4)]
    assert [w.entry_kind for w in withdrawn if isinstance(w, EntryWithdrawn)] == [
        "step_taken",
        "immediate",
        "note",
        "tagged",
    ]
    assert session.withdraw_last() is None  # nothing left; prompts and starts are not entries
    state = session.state
    assert state.path is Route.LADDER and state.taken == ()
    assert state.tags == () and state.notes == ()
    # every entry is still in the journal, each withdrawal naming its journal line
    kinds = [e.kind for e in sink.events]
    assert kinds[:5] == ["started", "tagged", "note", "immediate", "step_taken"]
    lines = {w.entry_seq for w in state.withdrawals}
    assert lines == {2, 3, 4, 5}
    assert SessionState.from_events(sink.events) == state


def test_a_withdrawn_step_can_be_taken_again(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = DeskSession.start(policy, ChannelId.PHONE, SessionClock(clock), sink)
    clock.advance(30 * 60)
    session.tick()
    session.take_next_step()
    session.withdraw_last()
    assert session.assess().proposed.id == "warning"  # type: ignore[union-attr]
    again = session.take_next_step()
    assert isinstance(again, StepTaken) and again.step == "warning"


def test_reopen_after_the_end_until_the_sheet_is_saved(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = DeskSession.start(policy, ChannelId.PHONE, SessionClock(clock), sink)
    assert session.reopen() is None  # not ended
    clock.advance(60)
    session.end()
    clock.advance(20)
    assert isinstance(session.reopen(), Reopened)
    assert session.state.ended is None
    clock.advance(40)
    session.end()
    assert session.state.ended is not None and session.state.duration == 120
    session.save_sheet({}, [], Staff())
    assert session.reopen() is None  # saved: the record stands
    assert SessionState.from_events(sink.events) == session.state


def test_a_note_carries_the_moment_it_was_said_and_the_moment_it_was_written(
    policy: Policy, clock: ManualClock
) -> None:
    events: list[Event] = []

    class Sink:
        def append(self, event: Event) -> None:
            events.append(event)

    session = DeskSession.start(policy, ChannelId.PHONE, SessionClock(clock), Sink())
    clock.advance(25 * 60 - 5)
    said = session.stamp()  # `m` pressed
    clock.advance(10)  # typed across the pre-warning (5 min before the 30 min limit)
    note = session.add_note("上の者を出せ", said)
    assert [e.kind for e in events][-2:] == ["prewarning", "note"]
    assert note is not None and (note.t, note.at) == (said.t, said.at)
    assert note.model_dump(include={"written_t", "written_at"}) == {
        "written_t": 25 * 60 + 5,
        "written_at": clock.now(),
    }
    assert session.state.last_t == 25 * 60 + 5, "the latest moment, not the last line's"
    plain = session.add_note("すぐ書いた")  # no moment given: said and written now
    assert plain is not None and plain.model_dump(exclude_none=True).keys() == {
        "t",
        "at",
        "kind",
        "text",
    }
