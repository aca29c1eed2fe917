"""A nanyo-shaped test policy and a scripted desk session, shared by the store and sheet tests."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock, SessionClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import AudioMark, ChecklistAnswer, Event, Staff

SAMPLE_POLICY = Path(__file__).parent / "data" / "sample-policy.json"
STAFF = Staff(name="山田 太郎", section="市民課", title="主事")


class Sink(Protocol):
    def append(self, event: Event) -> object: ...


class ListSink:
    """Events kept in memory, for tests of pure functions."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def append(self, event: Event) -> None:
        self.events.append(event)


def sample_policy() -> Policy:
    """The 8-field sheet and the 17-item checklist of the Nanyo manual, with a short ladder."""
    return Policy.model_validate(json.loads(SAMPLE_POLICY.read_text(encoding="utf-8")))


def start_session(
    policy: Policy,
    sink: Sink,
    clock: ManualClock,
    channel: ChannelId = ChannelId.PHONE,
    *,
    drill: bool = False,
    speed: float = 1.0,
) -> DeskSession:
    """A session started at the desk, with a recorder whose offset follows the session clock."""
    session_clock = SessionClock(clock, speed=speed)

    def audio() -> AudioMark:
        offset = session_clock.elapsed()
        return AudioMark(segment="seg-0001.flac", segment_offset=offset, offset=offset)

    session = DeskSession.start(
        policy, channel, session_clock, sink, drill=drill, staff=STAFF, desk="DESK-07", audio=audio
    )
    session.recording_changed("started")
    return session


def run_phone_session(policy: Policy, sink: Sink, clock: ManualClock) -> DeskSession:
    """A phone call past its limit: tags, notes, pre-warnings, three steps, a recording fault."""
    session = start_session(policy, sink, clock)
    clock.advance(5 * 60)
    session.toggle_tag("abuse")
    session.add_note("大声で同じ主張を繰り返す")
    for minute in (20, 25, 30):
        clock.advance(minute * 60 - session.clock.elapsed())
        session.tick()
    session.take_next_step()
    clock.advance(120)
    session.take_next_step()
    session.toggle_tag("restraint")
    clock.advance(10)
    session.toggle_tag("restraint")
    session.recording_changed("fault", detail="マイクが外れた", gap_seconds=3.5)
    clock.advance(timedelta(minutes=1, seconds=5).total_seconds())
    session.take_next_step()
    session.end()
    session.save_sheet(
        fields={"party": "男性・60代くらい", "content": "手続の即日完了を要求", "followup": ""},
        checklist=[
            ChecklistAnswer(no=7, checked=True, remark="大声で威圧"),
            ChecklistAnswer(no=9, checked=True),
            ChecklistAnswer(no=17, checked=True, remark="通話録音あり"),
        ],
        staff=STAFF,
    )
    return session
