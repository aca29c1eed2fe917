"""The criminal-code references reach the supervisor's review for the tagged behaviours only,
labelled as a reference; the desk never shows them (tests/policy: no criminal code on the desk)."""

from __future__ import annotations

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.review.laws import law_lines, record_law_lines
from kasuhara_timer.review.words import REVIEW_CATALOG
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store.record import build_record
from tests.support.store import ListSink, start_session


def test_laws_of_the_tagged_behaviours_only(clock: ManualClock) -> None:
    nanyo = load_policy("nanyo").policy
    sink = ListSink()
    session = start_session(nanyo, sink, clock)
    session.toggle_tag("physical_attack")
    session.toggle_tag("discrimination")  # the manual links no law to it
    session.end()
    record = build_record(sink.events, nanyo, "f", journal_hash="0" * 64)
    lines = law_lines(record, nanyo)
    assert lines[0] == "■ 身体的な攻撃（暴行、傷害）"
    assert "  暴行罪（刑法第208条）（例：胸倉をつかむ、手で小突く。）" in lines
    assert not any("差別的な言動" in line for line in lines)
    assert record_law_lines(record) == (lines, "")  # the bundled profile, found again


def test_the_tab_says_it_is_a_reference_that_decides_nothing() -> None:
    note = REVIEW_CATALOG["laws.note"][0]
    assert "参考" in note and "認定するものではありません" in note
