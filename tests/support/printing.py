"""Sessions made to be printed: a phone call with exactly so many timeline rows, or one of long
Japanese text with no space in it (the record sheet's and the XLSX's print tests)."""

from __future__ import annotations

from datetime import datetime

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import ChecklistAnswer
from kasuhara_timer.store.record import Record, build_record
from tests.support.store import STAFF, ListSink, start_session

FOLDER = "20260401-090000_DESK-07_0a1b2c"
START = datetime.fromisoformat("2026-04-01T09:00:00+09:00")

LONG_CONTENT = "".join(
    f"相手は窓口で{i}回目の同じ説明を求め、担当者の説明（制度の概要）を遮って大声を上げた"
    + "、" * (i % 2)
    + "（申出人の主張）" * (i % 3)
    for i in range(40)
)
"""About 1,600 characters with no space: 、 and （） wherever a line may happen to end."""


def printable_record(
    policy: Policy, rows: int, *, long_text: bool = False, drill: bool = False
) -> Record:
    """A phone session whose timeline has exactly `rows` rows (0: the timeline left empty)."""
    record = _session(policy, rows - 3, long_text=long_text, drill=drill)
    if rows == 0:
        empty = record.sheet.model_copy(update={"timeline": ()})
        return record.model_copy(update={"sheet": empty})
    entries = rows - 3
    for _ in range(5):  # the clock's prompts (pre-warnings, the limit) come as rows too
        if len(record.sheet.timeline) == rows:
            return record
        entries += rows - len(record.sheet.timeline)
        record = _session(policy, entries, long_text=long_text, drill=drill)
    raise AssertionError(f"no session of {rows} timeline rows")


def _session(policy: Policy, entries: int, *, long_text: bool, drill: bool) -> Record:
    """A phone call with `entries` notes and tags between its start and end (and whatever
    prompts the clock brings: pre-warnings, the limit)."""
    clock = ManualClock(wall=START)
    sink = ListSink()
    session = start_session(policy, sink, clock, drill=drill)  # 対応開始, 録音開始
    for i in range(max(entries, 0)):
        clock.advance(37)
        if i % 11 == 5:  # a different behaviour each time: every one tagged stays tagged
            behaviours = policy.behaviours
            session.toggle_tag(behaviours[(i // 11) % len(behaviours)].id)
        else:
            note = LONG_CONTENT[i * 7 : i * 7 + 20 + i % 60] if long_text else f"同じ主張{i}回目"
            session.add_note(note)
    session.end()
    session.save_sheet(
        fields={
            "party": "男性・60代くらい",
            "content": LONG_CONTENT if long_text else "手続の即日完了を要求",
            "followup": LONG_CONTENT[:300] if long_text else "",
        },
        checklist=[
            ChecklistAnswer(no=7, checked=True, remark=LONG_CONTENT[:200] if long_text else "大声"),
            ChecklistAnswer(no=17, checked=True, remark="通話録音あり"),
        ],
        staff=STAFF,
    )
    return build_record(sink.events, policy, FOLDER, journal_hash="0" * 64)
