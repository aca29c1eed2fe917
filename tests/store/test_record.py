"""record.json: built from the journal alone, schema-versioned, read back strictly."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import JsonValue

from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import (
    ChecklistAnswer,
    Ended,
    Event,
    RecordingChanged,
    Resumed,
    Staff,
    event_to_dict,
)
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder, create_session_folder
from kasuhara_timer.store.journal import Journal, read_journal
from kasuhara_timer.store.record import (
    Record,
    build_record,
    find_unrecorded,
    read_record,
    record_from_journal,
    record_json_schema,
)
from tests.support.store import STAFF, ListSink, run_phone_session, start_session

FOLDER = "20260401-090000_DESK-07_0a1b2c"


def build(events: list[Event], policy: Policy) -> Record:
    return build_record(events, policy, FOLDER, journal_hash="ab" * 32)


@pytest.fixture
def phone(policy: Policy, clock: ManualClock) -> list[Event]:
    sink = ListSink()
    run_phone_session(policy, sink, clock)
    return sink.events


def test_session_summary(phone: list[Event], policy: Policy) -> None:
    session = build(phone, policy).session
    assert session.folder == FOLDER
    assert session.channel is ChannelId.PHONE
    assert (session.profile.id, session.profile.municipality) == ("sample", "見本市")
    assert session.staff == STAFF
    assert session.desk == "DESK-07"
    assert session.started_at == datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    assert session.ended_at == session.started_at + timedelta(seconds=1995)
    assert session.duration_seconds == 1995
    assert (session.limit.minutes, session.limit.stated) == (30, True)
    assert session.limit_reached and session.limit_reached_t == 1800
    assert session.prewarnings_shown == (10, 5)
    assert session.steps_taken == 3
    assert session.furthest_step is not None
    assert (session.furthest_step.id, session.furthest_step.index) == ("disconnect", 3)
    assert session.furthest_step.of == 4
    assert (session.end_reason, session.interrupted, session.drill) == ("staff", False, False)


def test_tags_notes_and_events(phone: list[Event], policy: Policy) -> None:
    record = build(phone, policy)
    assert [(t.behaviour, t.label) for t in record.tags] == [("abuse", "暴言")]  # restraint undone
    assert [n.text for n in record.notes] == ["大声で同じ主張を繰り返す"]
    assert record.events == tuple(phone)
    data = json.loads(record.to_json_bytes())
    assert data["events"] == [event_to_dict(e) for e in phone]
    note = next(e for e in data["events"] if e["kind"] == "note")
    assert (note["t"], note["at"]) == (300.0, "2026-04-01T09:05:00+09:00")
    assert note["audio"]["offset"] == 300.0


def test_sheet_fields_come_from_the_last_save(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = run_phone_session(policy, sink, clock)
    session.save_sheet(
        fields={"party": "女性", "datetime": "4月1日 午前"},
        checklist=[ChecklistAnswer(no=3, checked=True, remark="再考")],
        staff=Staff(name="佐藤"),
    )
    sheet = build(sink.events, policy).sheet
    values = {f.id: (f.value, f.auto) for f in sheet.fields}
    assert [f.no for f in sheet.fields] == list(range(1, 9))
    assert values["datetime"] == ("4月1日 午前", False)  # typed text wins over the app's
    assert values["staff"] == ("市民課 主事 佐藤", True)  # blank parts fall back to the start
    assert values["party"] == ("女性", False)
    assert values["content"] == ("", False)  # the later save replaced the earlier one
    assert values["method"] == ("電話", True)
    assert [(c.no, c.checked, c.remark) for c in sheet.checklist if c.checked] == [
        (3, True, "再考")
    ]
    assert len(sheet.checklist) == 17


def test_unsaved_sheet_keeps_blanks(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock, ChannelId.COUNTER)
    clock.advance(65)
    session.end()
    sheet = build(sink.events, policy).sheet
    assert sheet.saved_at is None
    values = {f.id: f.value for f in sheet.fields}
    assert values["datetime"] == "令和8年4月1日（水）09:00:00〜09:01:05（1分5秒）"
    assert values["method"] == "来庁"
    assert values["party"] == values["content"] == values["other"] == ""
    assert not any(c.checked or c.remark for c in sheet.checklist)


def test_timeline_rows(phone: list[Event], policy: Policy) -> None:
    rows = build(phone, policy).sheet.timeline
    assert len(rows) == len(phone) - 1  # everything but the sheet save
    texts = [r.text for r in rows]
    assert texts[0] == "対応開始（電話・目安30分）"
    assert "予告：目安時間まで残り10分" in texts
    assert "目安時間（30分）に到達" in texts
    assert "ステップ：毅然とした警告" in texts
    assert "メモ：大声で同じ主張を繰り返す" in texts
    assert "録音の障害（マイクが外れた・欠落3.5秒）" in texts
    assert texts[-1] == "対応終了"
    limit = next(r for r in rows if r.kind == "limit_reached")
    assert (limit.clock, limit.elapsed, limit.audio_offset) == ("09:30:00", "0:30:00", 1800.0)


def test_other_channel_marks_its_method(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock, ChannelId.OTHER)
    session.end()
    session.save_sheet(fields={}, checklist=[], staff=STAFF, method="sns")
    sheet = build(sink.events, policy).sheet
    assert [o.label for o in sheet.method_options] == ["来庁", "電話", "メール", "SNS", "外で対応"]
    assert [o.id for o in sheet.method_options if o.selected] == ["sns"]
    assert {f.id: f.value for f in sheet.fields}["method"] == "SNS"


def test_interrupted_and_resumed_session(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock, drill=True, speed=60)
    clock.advance(60)  # an hour on the drill clock
    sink.append(Resumed(t=3600, at=clock.now(), gap_seconds=42))
    sink.append(RecordingChanged(t=3600, at=clock.now(), state="unavailable"))
    clock.advance(1)
    sink.append(Ended(t=3660, at=clock.now(), reason="interrupted", detail="閉じた"))
    record = build(sink.events, policy)
    assert session.state.started.drill
    assert (record.session.drill, record.session.speed) == (True, 60)
    assert (record.session.interrupted, record.session.end_reason) == (True, "interrupted")
    assert (record.session.resumptions, record.session.gap_seconds) == (1, 42)
    texts = [r.text for r in record.sheet.timeline]
    assert "アプリ再起動後に継続（空白42秒）" in texts
    assert texts[-1] == "中断（アプリが停止）：閉じた"


def test_never_ended_counts_as_interrupted(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    start_session(policy, sink, clock)
    session = build(sink.events, policy).session
    assert (session.ended_at, session.end_reason, session.interrupted) == (None, None, True)


def test_immediate_path_is_the_furthest(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock, ChannelId.COUNTER)
    clock.advance(30)
    session.take_next_step()
    session.go_immediate()
    session.take_next_step()
    record = build(sink.events, policy)
    assert record.session.immediate
    step = record.session.furthest_step
    assert step is not None and (step.path.value, step.id, step.index) == ("immediate", "stop", 1)


def test_audio_section_is_kept_as_given(phone: list[Event], policy: Policy) -> None:
    audio: dict[str, JsonValue] = {
        "files": [{"name": "seg-0001.flac", "sha256": "00" * 32, "duration_seconds": 12.5}]
    }
    record = build_record(phone, policy, FOLDER, journal_hash="0" * 64, audio=audio)
    assert json.loads(record.to_json_bytes())["audio"] == audio


def saved_folder(tmp_path: Path, policy: Policy, clock: ManualClock) -> SessionFolder:
    folder = create_session_folder(tmp_path, clock.now(), "DESK-07")
    with Journal.create(folder.journal) as journal:
        run_phone_session(policy, journal, clock)
    return folder


def test_write_and_read_back(tmp_path: Path, policy: Policy, clock: ManualClock) -> None:
    folder = saved_folder(tmp_path, policy, clock)
    written = save_record_and_sheet(folder, policy)
    assert stat.S_IMODE(folder.record.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.sheet.stat().st_mode) == 0o600
    data = json.loads(folder.record.read_text(encoding="utf-8"))
    assert (data["schema"], data["version"]) == ("kasuhara-timer/record", 1)
    assert data["journal"]["final_hash"] == read_journal(folder.journal).final_hash
    assert data["journal"]["entries"] == 15
    assert read_record(folder.record) == written
    assert written == record_from_journal(folder, policy)  # rebuildable, same result


def test_newer_record_is_reported(tmp_path: Path, phone: list[Event], policy: Policy) -> None:
    path = tmp_path / "record.json"
    data = json.loads(build(phone, policy).to_json_bytes())
    data["version"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError) as caught:
        read_record(path)
    assert caught.value.reason is StoreProblem.NEWER_VERSION
    assert "record.json" in str(caught.value) and "newer version" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"schema": "other"}', "not a kasuhara-timer/record file"),
        (b'{"schema": "kasuhara-timer/record", "version": 1}', "written_by"),
    ],
)
def test_malformed_record_is_reported(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=expected) as caught:
        read_record(path)
    assert caught.value.reason is StoreProblem.MALFORMED


def test_journal_problems_are_carried_into_the_record(
    tmp_path: Path, policy: Policy, clock: ManualClock
) -> None:
    folder = saved_folder(tmp_path, policy, clock)
    with folder.journal.open("ab") as handle:
        handle.write(b'{"v":1,"se')
    record = record_from_journal(folder, policy)
    assert [(p.line, p.kind) for p in record.journal.problems] == [(16, "torn_tail")]


def test_journal_without_start_is_a_clear_error(tmp_path: Path, policy: Policy) -> None:
    folder = create_session_folder(tmp_path, datetime.now().astimezone(), "desk")
    Journal.create(folder.journal).close()
    with pytest.raises(StoreError, match="does not begin with a 'started' event"):
        record_from_journal(folder, policy)


def test_find_unrecorded(tmp_path: Path, policy: Policy, clock: ManualClock) -> None:
    saved = saved_folder(tmp_path, policy, clock)
    save_record_and_sheet(saved, policy)
    never_saved = saved_folder(tmp_path, policy, clock)
    stale = saved_folder(tmp_path, policy, clock)
    save_record_and_sheet(stale, policy)
    with Journal.open_for_append(stale.journal) as journal:
        journal.append(read_journal(stale.journal).events[-1])  # a later wrap-up save
    running = create_session_folder(tmp_path, clock.now(), "DESK-07")
    with Journal.create(running.journal) as journal:
        start_session(policy, journal, clock)
    assert {f.name for f in find_unrecorded(tmp_path)} == {never_saved.name, stale.name}
    assert find_unrecorded(tmp_path, host="other") == []


def test_json_schema_names_the_top_level_sections() -> None:
    schema = record_json_schema()
    assert set(schema["required"]) >= {"written_by", "session", "sheet", "events", "journal"}
    assert "schema" in schema["properties"]
