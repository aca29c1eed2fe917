"""The review shows a withdrawn entry marked with the time it was withdrawn, never hides it."""

from __future__ import annotations

from rich.console import Console

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.review.views import timeline_cell, timeline_table
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store.record import build_record
from tests.support.store import ListSink, start_session


def test_a_withdrawn_entry_is_marked_with_the_time_it_was_withdrawn(
    policy: Policy, clock: ManualClock
) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock)
    clock.advance(30)
    session.toggle_tag("abuse")
    clock.advance(3)
    session.withdraw_last()
    session.end()
    record = build_record(sink.events, policy, "20260401-090000_DESK-07_0a1b2c", journal_hash="")
    rows = {row.kind: row for row in record.sheet.timeline}
    assert timeline_cell(rows["tagged"]) == f"［取消］{rows['tagged'].text}（09:00:33に取り消し）"
    assert timeline_cell(rows["ended"]) == rows["ended"].text  # what stands is as it was
    console = Console(width=80, record=True, color_system="truecolor")
    console.print(timeline_table(record))
    printed = console.export_text(clear=False)
    assert rows["tagged"].text in printed and "（09:00:33に取り消し）" in printed
    assert "\x1b[2;9m" in console.export_text(styles=True)  # struck through on the sheet tab
