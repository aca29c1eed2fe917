"""The review index: a local cache of the folders, refreshed incrementally, rebuildable, honest
about every folder it cannot read."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kasuhara_timer.catalog import index as index_module
from kasuhara_timer.catalog.index import INDEX_VERSION, SessionIndex, default_index_path
from kasuhara_timer.catalog.query import SessionFilter, SortKey
from kasuhara_timer.catalog.sessions import SessionStatus
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.events import NoteAdded
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal, read_journal
from tests.support.corpus import at, folder_named
from tests.support.factory import Script, make_session

REAL = 7


def names(index: SessionIndex, where: SessionFilter | None = None, **order: object) -> list[str]:
    return [row.name[:13] for row in index.query(where, **order)]  # type: ignore[arg-type]


def test_lists_real_sessions_newest_first_and_drills_apart(index: SessionIndex) -> None:
    assert names(index) == [
        "20260521-1000",
        "20260520-1600",
        "20260507-0930",
        "20260415-1100",
        "20260410-1400",
        "20260402-1000",
        "20260401-0900",
    ]
    assert names(index, SessionFilter(drill=True)) == ["20260403-1000"]
    assert index.count(SessionFilter(drill=None)) == REAL + 1


def test_rows_carry_what_the_list_shows(index: SessionIndex) -> None:
    (row,) = index.query(SessionFilter(date_from=date(2026, 4, 1), date_to=date(2026, 4, 1)))
    assert (row.clock, row.channel, row.method_label) == ("2026-04-01 09:00", "phone", "電話")
    assert (row.staff_name, row.staff_section) == ("山田 太郎", "市民課")
    assert row.duration == 45 * 60
    assert row.limit_reached and not row.immediate
    assert row.furthest == "ステップ3 切電の実施" and row.furthest_path == "ladder"
    assert row.tag_ids == ("mental_attack", "persistent")
    assert row.caller == "佐藤 090-1234"
    assert row.status is SessionStatus.COMPLETE and row.problems == ""
    assert not row.audio
    (audio,) = index.query(SessionFilter(date_from=date(2026, 5, 7), date_to=date(2026, 5, 7)))
    assert audio.audio and audio.immediate and audio.furthest_path == "immediate"


def test_unfinished_and_interrupted_sessions_are_listed_as_such(index: SessionIndex) -> None:
    statuses = {row.name[:13]: row.status for row in index.query()}
    assert statuses["20260520-1600"] is SessionStatus.INTERRUPTED
    assert statuses["20260521-1000"] is SessionStatus.UNFINISHED
    unfinished = index.query(SessionFilter(status=SessionStatus.UNFINISHED))
    assert [row.duration for row in unfinished] == [120.0]


def test_filters(index: SessionIndex) -> None:
    april = SessionFilter(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    assert len(names(index, april)) == 4
    assert names(index, SessionFilter(channel="counter")) == ["20260520-1600", "20260402-1000"]
    assert len(names(index, SessionFilter(staff="鈴木"))) == 2
    assert len(names(index, SessionFilter(section="市民"))) == 4
    assert names(index, SessionFilter(tag="mental_attack")) == ["20260415-1100", "20260401-0900"]
    assert names(index, SessionFilter(limit_reached=True)) == [
        "20260520-1600",
        "20260415-1100",
        "20260401-0900",
    ]
    assert names(index, SessionFilter(limit_reached=False, channel="counter")) == ["20260402-1000"]


def test_free_text_searches_notes_sheet_fields_and_remarks(index: SessionIndex) -> None:
    assert names(index, SessionFilter(text="即日完了")) == ["20260401-0900"]  # sheet field
    assert names(index, SessionFilter(text="同じ主張")) == ["20260401-0900"]  # note
    assert names(index, SessionFilter(text="ｓｕｍ（Ａ１）")) == ["20260401-0900"]  # 全角, case
    assert len(names(index, SessionFilter(text="大声で威圧"))) == 5  # remark, 5 sheets saved
    assert names(index, SessionFilter(text="存在しない語句")) == []


def test_sorts(index: SessionIndex) -> None:
    longest = names(index, sort=SortKey.DURATION, descending=True)
    assert longest[:3] == ["20260415-1100", "20260401-0900", "20260520-1600"]
    assert names(index, sort=SortKey.STARTED, descending=False)[0] == "20260401-0900"
    assert names(index, sort=SortKey.FURTHEST, descending=True)[0] == "20260507-0930"
    assert [r.name[:13] for r in index.query(limit=2, offset=1)] == [
        "20260520-1600",
        "20260507-0930",
    ]


def test_refresh_reads_only_what_changed(
    index: SessionIndex, data_dir: Path, nanyo: Policy
) -> None:
    again = index.refresh()
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, REAL + 1)
    make_session(data_dir, nanyo, Script(start=at(6, 1, 9), minutes=4))
    shutil.rmtree(folder_named(data_dir, "20260410-1400"))
    _add_note(folder_named(data_dir, "20260402-1000"), nanyo, "あとで追記したメモ")
    result = index.refresh()
    assert (result.added, result.updated, result.removed) == (1, 1, 1)
    assert names(index, SessionFilter(text="追記した"))[0] == "20260402-1000"
    assert "20260410-1400" not in names(index)


def test_rebuilt_index_equals_the_refreshed_one(
    index: SessionIndex, data_dir: Path, nanyo: Policy, tmp_path: Path
) -> None:
    make_session(data_dir, nanyo, Script(start=at(6, 2, 9), minutes=8, tags=("sexual",)))
    shutil.rmtree(folder_named(data_dir, "20260415-1100"))
    _add_note(folder_named(data_dir, "20260401-0900"), nanyo, "追記")
    (folder_named(data_dir, "20260402-1000") / "record.json").write_text("{", encoding="utf-8")
    index.refresh()
    fresh = SessionIndex(data_dir, tmp_path / "fresh.sqlite3")
    fresh.rebuild()
    assert fresh.dump() == index.dump()
    index.rebuild()
    assert fresh.dump() == index.dump()


def test_a_build_writes_the_newest_folders_first_in_batches(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "FIRST_BATCH", 3)
    monkeypatch.setattr(index_module, "BATCH", 4)
    index = SessionIndex(data_dir, tmp_path / "index.sqlite3")
    seen: list[tuple[int, list[str]]] = []
    result = index.rebuild(committed=lambda written: seen.append((written, names(index))))
    assert [written for written, _ in seen] == [3, 7, REAL + 1]
    assert seen[0][1] == ["20260521-1000", "20260520-1600", "20260507-0930"]
    assert result.added == REAL + 1 and result.updated == 0
    whole = SessionIndex(data_dir, tmp_path / "whole.sqlite3")
    monkeypatch.setattr(index_module, "FIRST_BATCH", 1000)
    whole.rebuild()
    assert whole.dump() == index.dump()


def test_broken_folders_are_listed_with_their_reason(
    index: SessionIndex, data_dir: Path, nanyo: Policy
) -> None:
    sessions = data_dir / "sessions"
    (sessions / "20260601-090000_DESK-09_0000aa").mkdir()
    (folder_named(data_dir, "20260401-0900") / "record.json").write_text("{", encoding="utf-8")
    newer = folder_named(data_dir, "20260402-1000") / "record.json"
    data = json.loads(newer.read_text(encoding="utf-8"))
    newer.write_text(json.dumps({**data, "version": 2}), encoding="utf-8")
    journal = folder_named(data_dir, "20260410-1400") / "journal.jsonl"
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"kind":"', b'"kind":"X')
    journal.write_bytes(b"\n".join(lines))
    torn = folder_named(data_dir, "20260415-1100") / "journal.jsonl"
    torn.write_bytes(torn.read_bytes() + b'{"v":1,"se')
    index.refresh()

    problems = {row.name[:13]: row for row in index.problems()}
    assert set(problems) == {"20260601-0900", "20260401-0900", "20260402-1000", "20260410-1400"}
    empty = problems["20260601-0900"]
    assert empty.status is SessionStatus.UNREADABLE
    assert "journal.jsonl is missing" in empty.problems
    assert "record.json: not valid JSON" in problems["20260401-0900"].problems
    assert "newer version" in problems["20260402-1000"].problems
    assert "journal.jsonl line 3" in problems["20260410-1400"].problems
    # a folder with a problem is still listed with everything its journal tells
    assert problems["20260401-0900"].duration == 45 * 60
    assert "20260601-0900" in names(index)  # unreadable, but never dropped
    assert index.get("sessions/" + folder_named(data_dir, "20260415-1100").name) is not None


def test_a_damaged_or_older_index_is_simply_rebuilt(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    index = SessionIndex(data_dir, path)
    assert index.refresh().added == REAL + 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
    reopened = SessionIndex(data_dir, path)
    assert reopened.count() == 0
    assert reopened.refresh().added == REAL + 1
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='version'").fetchone() == (
            INDEX_VERSION,
        )


def test_the_index_lives_in_the_local_state_folder_not_the_data_folder(
    data_dir: Path, tmp_path: Path
) -> None:
    path = default_index_path(data_dir)
    assert path.is_relative_to(tmp_path / "state")
    SessionIndex(data_dir).refresh()
    assert path.exists()
    assert not list(data_dir.rglob("*.sqlite3"))


def test_distinct_choices_for_the_filter_dialog(index: SessionIndex) -> None:
    assert index.choices("staff_section") == ["市民課", "福祉課", "税務課"]
    assert ("restraint", "拘束的な行為（不退去、居座り、監禁）") in index.tag_choices()


def _add_note(path: Path, policy: Policy, text: str) -> None:
    """A later change to a saved session, through the store: a note appended, record rebuilt."""
    folder = SessionFolder(path, drill=False)
    last = read_journal(folder.journal).events[-1]
    with Journal.open_for_append(folder.journal) as journal:
        journal.append(NoteAdded(t=last.t, at=last.at, text=text))
    save_record_and_sheet(folder, policy)


def test_sessions_of_every_channel_are_indexed(index: SessionIndex) -> None:
    channels = {row.channel for row in index.query()}
    assert channels == {c.value for c in ChannelId}


def test_a_page_and_its_count_come_together(index: SessionIndex) -> None:
    where = SessionFilter(channel="phone")
    rows, total = index.page(where, SortKey.DURATION, descending=False, limit=2, offset=1)
    assert rows == index.query(where, SortKey.DURATION, descending=False, limit=2, offset=1)
    assert total == index.count(where) == len(index.query(where))
    assert len(rows) == 2
