"""A session the app did not end is found at start, and resumed or closed with its evidence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.lifecycle.interrupted import (
    close_interrupted,
    resume_session,
)
from kasuhara_timer.lifecycle.lookback import find_interrupted
from kasuhara_timer.policy.loader import session_policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    BehaviourTagged,
    Ended,
    LimitReached,
    NoteAdded,
    Resumed,
    StepTaken,
)
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import read_record
from tests.support.sessions import HOST, begin, nanyo, some_events, wrap_up, write_segment


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def crashed_session(data_dir: Path, clock: ManualClock) -> SessionFolder:
    """A session whose process died five minutes in: the journal just stops."""
    folder, journal, session = begin(data_dir, clock)
    some_events(session, clock)
    journal.close()
    return folder


def test_an_unended_session_of_this_desk_is_found_with_where_its_evidence_stops(
    data_dir: Path, clock: ManualClock
) -> None:
    started_at = clock.now()
    folder = crashed_session(data_dir, clock)
    last_at = clock.now()
    clock.advance(3600)  # the desk restarts an hour later

    [found] = find_interrupted(data_dir, HOST)

    assert found.folder == folder
    assert found.resumable and found.reason == ""
    assert found.channel == "phone" and found.started_at == started_at
    assert found.staff.name == "山田 太郎"
    assert found.evidence is not None
    assert found.evidence.t == 300.0 and found.evidence.at == last_at
    assert found.events == len(read_journal(folder.journal).events)
    assert found.problems == ()


def test_other_desks_ended_and_open_sessions_are_not_offered(
    data_dir: Path, clock: ManualClock
) -> None:
    crashed_session(data_dir, clock)
    _other, other_journal, _ = begin(data_dir, clock, host="DESK-08")
    other_journal.close()
    ended, ended_journal, session = begin(data_dir, clock)
    wrap_up(session)
    ended_journal.close()
    _open, still_open, _ = begin(data_dir, clock)  # another window of this desk holds it

    found = find_interrupted(data_dir, HOST)

    assert len(found) == 1 and found[0].folder != ended
    still_open.close()
    assert len(find_interrupted(data_dir, HOST)) == 2


def test_resume_continues_the_timer_from_the_original_start_with_the_gap_on_the_timeline(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    clock.advance(90)  # 90 s without the app

    session = resume_session(folder, nanyo(), clock)

    resumed = session.state.events[-1]
    assert isinstance(resumed, Resumed) and resumed.gap_seconds == 90.0
    assert resumed.t == 390.0 and session.clock.elapsed() == 390.0
    assert session.state.tags == ("mental_attack",)  # the state before the crash is back
    # the limit (30 min from the original start) arrives on time, not 30 min after resuming
    clock.advance(30 * 60 - 390 - 1)
    assert not any(isinstance(e, LimitReached) for e in session.tick())
    clock.advance(1)
    assert any(isinstance(e, LimitReached) and e.t == 1800.0 for e in session.tick())
    session.take_next_step()
    assert isinstance(session.sink, Journal)  # the journal, reopened for appending
    session.sink.close()
    kinds = [type(e) for e in read_journal(folder.journal).events]
    assert kinds.index(Resumed) < kinds.index(LimitReached) and kinds[-1] is StepTaken


def test_resume_accounts_for_audio_recorded_after_the_last_event(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, journal, session = begin(data_dir, clock)
    some_events(session, clock)  # last event at t=300
    write_segment(folder, clock, started_t=250.0, seconds=70.0)  # audio until t=320
    journal.close()
    [found] = find_interrupted(data_dir, HOST)
    assert found.evidence is not None
    assert found.evidence.t == 320.0
    assert found.evidence.at == found.evidence.last_event_at + timedelta(seconds=20)
    clock.advance(100)  # wall time now is 100 s after the last event, 80 s after the audio

    session = resume_session(folder, nanyo(), clock)

    resumed = session.state.events[-1]
    assert isinstance(resumed, Resumed) and resumed.gap_seconds == 80.0 and resumed.t == 400.0
    assert isinstance(session.sink, Journal)
    session.sink.close()


def test_a_wall_clock_set_back_during_the_gap_counts_as_no_gap(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    clock.set_wall(clock.wall - timedelta(hours=2))

    session = resume_session(folder, nanyo(), clock)

    resumed = session.state.events[-1]
    assert isinstance(resumed, Resumed) and resumed.gap_seconds == 0.0 and resumed.t == 300.0
    assert isinstance(session.sink, Journal)
    session.sink.close()


def test_a_drill_resumes_on_its_accelerated_clock(data_dir: Path, clock: ManualClock) -> None:
    folder, journal, session = begin(data_dir, clock, drill=True, speed=30.0)
    clock.advance(10)  # 300 s on the drill clock
    session.add_note("練習")
    journal.close()
    clock.advance(4)

    resumed_session = resume_session(folder, nanyo(), clock)

    resumed = resumed_session.state.events[-1]
    assert isinstance(resumed, Resumed) and resumed.gap_seconds == 120.0
    assert resumed.t == 420.0
    assert resumed_session.clock.speed == 30.0
    assert isinstance(resumed_session.sink, Journal)
    resumed_session.sink.close()


def test_resume_can_wrap_the_journal_in_the_desks_own_sink(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    seen: list[object] = []

    class Files:
        def __init__(self, journal: Journal) -> None:
            self.journal = journal

        def append(self, event: object) -> object:
            seen.append(event)
            return self.journal.append(event)  # type: ignore[arg-type]

    session = resume_session(folder, nanyo(), clock, sink=Files)

    assert isinstance(session.sink, Files) and isinstance(seen[0], Resumed)
    session.sink.journal.close()


def test_a_session_open_in_another_window_cannot_be_resumed(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, journal, _ = begin(data_dir, clock)
    with pytest.raises(StoreError) as raised:
        resume_session(folder, nanyo(), clock)
    assert raised.value.reason is StoreProblem.IN_USE
    assert str(folder.journal) in str(raised.value)
    journal.close()


def test_the_session_must_resume_under_its_own_profile(data_dir: Path, clock: ManualClock) -> None:
    folder = crashed_session(data_dir, clock)
    other = session_policy("taito", "")
    with pytest.raises(UserError, match="ran under the profile 'nanyo'"):
        resume_session(folder, other, clock)
    [found] = find_interrupted(data_dir, HOST)  # nothing was written, the lock was released
    assert session_policy(found.profile, found.profile_source).id == "nanyo"


def test_close_ends_it_where_the_evidence_stops_and_writes_the_record_and_sheet(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    last_at = clock.now()
    clock.advance(7200)

    record = close_interrupted(folder, nanyo(), clock)

    ended = read_journal(folder.journal).events[-1]
    assert isinstance(ended, Ended) and ended.reason == "interrupted"
    assert ended.t == 300.0 and ended.at == last_at  # not the time of closing
    assert "中断として閉じた" in ended.detail
    assert record.session.end_reason == "interrupted" and record.session.interrupted
    assert record.session.duration_seconds == 300.0
    assert read_record(folder.record) == record
    sheet = folder.sheet.read_text(encoding="utf-8")
    assert "中断された対応" in sheet and "中断（アプリが停止）" in sheet
    assert find_interrupted(data_dir, HOST) == []
    report = verify_session(folder)
    assert report.intact, report.findings


def test_close_journals_the_limit_that_passed_before_the_evidence_stops(
    data_dir: Path, clock: ManualClock
) -> None:
    """The last event came before the limit, the recording ran past it, then the app died:
    closing journals the limit where it passed, before the end."""
    folder, journal, session = begin(data_dir, clock)
    clock.advance(30 * 60 - 10)
    session.add_note("目安時間の直前")
    write_segment(folder, clock, started_t=30 * 60 - 10, seconds=20.0)
    journal.close()

    record = close_interrupted(folder, nanyo(), clock)

    events = read_journal(folder.journal).events
    assert [event.kind for event in events[-3:]] == ["note", "limit_reached", "ended"]
    assert events[-2].t == events[-1].t == 30 * 60 + 10
    assert record.session.limit_reached


def test_close_marks_the_end_of_the_recorded_audio(data_dir: Path, clock: ManualClock) -> None:
    folder, journal, session = begin(data_dir, clock)
    write_segment(folder, clock, started_t=0.0, seconds=2.0)
    some_events(session, clock)
    write_segment(folder, clock, started_t=299.0, seconds=3.0)
    journal.close()

    close_interrupted(folder, nanyo(), clock, detail="停電")

    ended = read_journal(folder.journal).events[-1]
    assert isinstance(ended, Ended) and ended.detail == "停電" and ended.t == 302.0
    assert ended.audio is not None
    assert ended.audio.segment == "seg-0002.pcm" and ended.audio.offset == 5.0


def test_closing_again_after_a_crash_between_end_and_record_only_writes_the_record(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    close_interrupted(folder, nanyo(), clock)
    folder.record.unlink()
    lines = folder.journal.read_bytes()

    record = close_interrupted(folder, nanyo(), clock)

    assert folder.journal.read_bytes() == lines
    assert record.session.end_reason == "interrupted"


def test_a_torn_last_line_is_cut_off_and_the_session_resumes(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    complete = folder.journal.read_bytes()
    with folder.journal.open("ab") as handle:
        handle.write(b'{"v":1,"seq":9,"prev":"ab')  # the app died mid-write
    [found] = find_interrupted(data_dir, HOST)
    assert [p.kind for p in found.problems] == ["torn_tail"] and found.damaged == ()

    session = resume_session(folder, nanyo(), clock)

    assert isinstance(session.sink, Journal)
    session.sink.close()
    data = folder.journal.read_bytes()
    assert data.startswith(complete) and b'"prev":"ab' not in data
    assert read_journal(folder.journal).problems == ()


def test_a_journal_whose_start_is_damaged_is_reported_not_resumed(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    lines = folder.journal.read_bytes().split(b"\n")
    folder.journal.write_bytes(b"\n".join([b"{garbage", *lines[1:]]))

    [found] = find_interrupted(data_dir, HOST)

    assert not found.resumable and "first line" in found.reason
    assert found.damaged and found.damaged[0].line == 1
    with pytest.raises(StoreError, match="cannot be continued"):
        resume_session(folder, nanyo(), clock)
    with pytest.raises(StoreError, match="cannot be continued"):
        close_interrupted(folder, nanyo(), clock)


def test_a_damaged_middle_line_is_reported_and_the_rest_still_resumes(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = crashed_session(data_dir, clock)
    lines = folder.journal.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"mental_attack", b"mental_attacK")  # line 2 edited
    folder.journal.write_bytes(b"\n".join(lines))

    [found] = find_interrupted(data_dir, HOST)

    assert found.resumable
    assert [(p.line, p.kind) for p in found.damaged] == [(3, "chain_broken")]
    session = resume_session(folder, nanyo(), clock)
    assert isinstance(session.state.events[1], BehaviourTagged)
    assert any(isinstance(e, NoteAdded) for e in session.state.events)
    assert isinstance(session.sink, Journal)
    session.sink.close()


def test_a_session_closed_as_interrupted_leaves_the_supervisors_board(
    data_dir: Path, clock: ManualClock
) -> None:
    from kasuhara_timer.live.status import StatusWriter, build_status, current_status_path
    from kasuhara_timer.session.escalation import Escalation
    from kasuhara_timer.session.state import SessionState

    folder = crashed_session(data_dir, clock)
    state = SessionState.from_events(read_journal(folder.journal).events)
    assessment = Escalation.for_state(nanyo(), state).assess(state, state.last_t)
    status = build_status(folder.name, state, nanyo(), assessment, "none", at=clock.now())
    StatusWriter(data_dir, folder.name).write(status)  # what the dead desk left
    assert current_status_path(data_dir, folder.name) is not None

    close_interrupted(folder, nanyo(), clock)

    assert current_status_path(data_dir, folder.name) is None


def test_a_note_written_last_but_said_earlier_leaves_the_evidence_at_its_writing(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, journal, session = begin(data_dir, clock)
    clock.advance(290)
    said = session.stamp()  # `m` pressed at 290 s
    clock.advance(5)
    session.toggle_tag("mental_attack")  # journaled while the note was being typed
    clock.advance(5)
    session.add_note("上の者を出せ", said)  # written at 300 s, the journal's last line
    journal.close()
    written_at = clock.now()
    clock.advance(60)

    [found] = find_interrupted(data_dir, HOST)

    assert found.evidence is not None
    assert (found.evidence.t, found.evidence.at) == (300.0, written_at)
    resumed = resume_session(folder, nanyo(), clock)
    gap = resumed.state.events[-1]
    assert isinstance(gap, Resumed) and gap.gap_seconds == 60.0
    assert isinstance(resumed.sink, Journal)
    resumed.sink.close()
