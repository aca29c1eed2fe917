"""The recording's summary is the timeline's gaps added up, over every run of the app.

The sheet once said 「録音：36.6秒（障害1回・欠落0秒）」 after a crash and resume while its own
timeline showed 40.5 s lost, a 1 min 5 s gap without the app and a second fault: the recorder
of the last run only knew its own run, and a fault never recovered had no length at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kasuhara_timer.lifecycle.interrupted import resume_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import AudioArchived, Event
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.timeline import recording_gaps, recording_summary_words, timeline_texts
from tests.support.sessions import begin, nanyo, wrap_up


def at(session: DeskSession, clock: ManualClock, t: float) -> None:
    """Move the clock to session time `t`."""
    clock.advance(t - session.clock.elapsed())


def archived(session: DeskSession, seconds: float, faults: int) -> AudioArchived:
    """What the last run's recorder journals: its own run's faults, no gap for an open fault."""
    stamp = session.stamp()
    return AudioArchived(
        t=stamp.t, at=stamp.at, state="stopped", seconds=seconds, faults=faults, gap_seconds=0
    )


def crash_and_resume(data_dir: Path, clock: ManualClock) -> tuple[SessionFolder, Record]:
    """A call recorded with a fault that recovered after 40.5 s, a crash, 65 s without the app,
    the resume, and a second fault that never recovered before the end."""
    folder, journal, session = begin(data_dir, clock)
    at(session, clock, 0.8)
    session.recording_changed("started", gap_seconds=0.8)  # the wait for the first audio
    at(session, clock, 10)
    session.recording_changed("fault", detail="マイクが外れた")
    at(session, clock, 50.5)
    session.recording_changed("recovered", gap_seconds=40.5)
    at(session, clock, 120)
    session.add_note("「上の者を出せ」")
    journal.close()  # the process dies here
    clock.advance(65)
    session = resume_session(folder, nanyo(), clock)
    resumed_t = session.clock.elapsed()
    at(session, clock, resumed_t + 1.4)
    session.recording_changed("started", gap_seconds=1.4)
    at(session, clock, 200)
    session.recording_changed("fault", detail="マイクが外れた")
    at(session, clock, 230)
    wrap_up(session)  # ended at 230, the fault still open
    session.recording_changed("stopped")
    session.record(archived(session, 36.6, faults=1))
    assert isinstance(session.sink, Journal)
    session.sink.close()
    return folder, save_record_and_sheet(folder, nanyo())


def test_crash_and_resume_summary_adds_up_the_timeline_gaps(
    tmp_path: Path, clock: ManualClock
) -> None:
    folder, record = crash_and_resume(tmp_path / "data", clock)

    audio = record.audio
    assert audio is not None
    # 0.8 s wait + 40.5 s fault + 1.4 s wait after the resume + 30 s open fault (200 → 230)
    assert audio["faults"] == 2
    assert audio["gap_seconds"] == pytest.approx(72.7)
    assert audio["app_gap_seconds"] == pytest.approx(65.0)
    assert audio["paused_seconds"] == 0
    summary = "36.6秒（障害2回・欠落1分13秒・アプリ停止1分5秒）"
    assert audio["summary"] == summary
    texts = [row.text for row in record.sheet.timeline]
    assert "録音開始（欠落0.8秒）" in texts
    assert "録音復旧（欠落40.5秒）" in texts
    assert "アプリ再起動後に継続（空白1分5秒）" in texts
    assert "録音開始（欠落1.4秒）" in texts
    assert "録音の障害（マイクが外れた・欠落30秒）" in texts  # the open fault, to the end
    # the same words on the printed sheet and in record.json as written
    sheet = folder.sheet.read_text(encoding="utf-8")
    assert f"録音：</b>{summary}" in sheet
    assert "欠落0秒" not in sheet
    written = json.loads(folder.record.read_text(encoding="utf-8"))
    assert written["audio"]["summary"] == summary
    kinds = [gap["kind"] for gap in written["audio"]["gaps"]]
    assert kinds == ["wait", "fault", "app", "wait", "fault"]


def test_each_gap_is_on_the_row_that_shows_it(tmp_path: Path, clock: ManualClock) -> None:
    folder, record = crash_and_resume(tmp_path / "data", clock)
    events = read_journal(folder.journal).events
    gaps = recording_gaps(events)
    rows = {row.t: row.text for row in record.sheet.timeline}
    for gap in gaps.gaps:
        event = events[gap.seq - 1]
        assert event.t in rows, f"the gap of line {gap.seq} has no row"
    total = gaps.lost_seconds + gaps.app_seconds + gaps.paused_seconds
    assert total == pytest.approx(0.8 + 40.5 + 65 + 1.4 + 30)


def paused_call(clock: ManualClock, tmp_path: Path) -> list[Event]:
    _folder, journal, session = begin(tmp_path / "data", clock)
    at(session, clock, 1)
    session.recording_changed("started", gap_seconds=1.0)
    at(session, clock, 60)
    session.recording_changed("paused")
    at(session, clock, 70)
    session.recording_changed("resumed", gap_seconds=10.0)
    at(session, clock, 100)
    session.recording_changed("paused")  # paused to the end: until the contact ended
    at(session, clock, 105)
    session.end()
    session.recording_changed("stopped")
    events = list(session.state.events)
    journal.close()
    return events


def test_a_deliberate_pause_is_a_pause_not_a_loss(tmp_path: Path, clock: ManualClock) -> None:
    events = paused_call(clock, tmp_path)
    gaps = recording_gaps(events)

    assert gaps.faults == 0
    assert gaps.lost_seconds == 1.0  # the wait for the first audio only
    assert gaps.paused_seconds == 15.0  # 10 s resumed, then 5 s to the end
    assert recording_summary_words(89, gaps) == "1分29秒（欠落1秒・一時停止15秒）"
    assert "欠落" not in recording_summary_words(93.5, recording_gaps(events[:1]))


def test_a_fault_still_open_in_a_running_session_has_no_length_yet(
    tmp_path: Path, clock: ManualClock
) -> None:
    _folder, journal, session = begin(tmp_path / "data", clock)
    session.recording_changed("started", gap_seconds=0.0)
    at(session, clock, 30)
    session.recording_changed("fault", detail="マイクが外れた")
    at(session, clock, 40)
    session.add_note("まだ続いている")
    gaps = recording_gaps(session.state.events)
    journal.close()

    assert gaps.faults == 1 and gaps.lost_seconds == 0.0
    assert recording_summary_words(30, gaps) == "30秒（障害1回・欠落0秒）"


def test_a_fault_the_app_stopped_at_has_no_zero_gap_on_its_row(
    tmp_path: Path, clock: ManualClock
) -> None:
    folder, journal, session = begin(tmp_path / "data", clock)
    session.recording_changed("started", gap_seconds=0.0)
    at(session, clock, 16)
    session.recording_changed("fault", detail="無音")  # the last line before the crash
    journal.close()
    clock.advance(45)
    session = resume_session(folder, nanyo(), clock)
    events = session.state.events
    assert isinstance(session.sink, Journal)
    session.sink.close()

    gaps = recording_gaps(events)

    assert [(gap.kind, gap.seconds) for gap in gaps.gaps] == [("wait", 0.0), ("app", 45.0)]
    assert gaps.faults == 1
    assert "録音の障害（無音）" in [text for _seq, _event, text in timeline_texts(events)]


def test_the_recording_stopped_at_the_contact_s_end_is_no_pause_of_the_contact(
    tmp_path: Path, clock: ManualClock
) -> None:
    _folder, journal, session = begin(tmp_path / "data", clock)
    session.recording_changed("started", gap_seconds=0.5)
    at(session, clock, 100)
    session.end_contact()  # the caller hung up: the desk pauses the recording
    session.recording_changed("paused")
    at(session, clock, 110)
    session.withdraw_last()  # not so: the call goes on, the recording with it
    session.recording_changed("resumed", gap_seconds=10.0)
    at(session, clock, 200)
    session.end_contact()
    session.recording_changed("paused")
    at(session, clock, 500)  # five minutes of after-care
    session.end()
    session.recording_changed("stopped")
    events = session.state.events
    journal.close()

    gaps = recording_gaps(events)

    assert gaps.paused_seconds == 10.0, "the mistaken end's pause only, not the after-care"
    assert gaps.lost_seconds == 0.5
