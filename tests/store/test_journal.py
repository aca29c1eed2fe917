"""The journal: durable appends, a hash chain, and every problem reported with its line."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Event, NoteAdded
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.journal import (
    GENESIS_HASH,
    Journal,
    ProblemKind,
    journal_in_use,
    line_hash,
    parse_journal,
    read_journal,
)
from tests.support.store import ListSink, run_phone_session


@pytest.fixture
def events(policy: Policy, clock: ManualClock) -> list[Event]:
    """The events of a whole phone session (15 of them)."""
    sink = ListSink()
    run_phone_session(policy, sink, clock)
    return sink.events


@pytest.fixture
def journal_path(tmp_path: Path, events: list[Event]) -> Path:
    """A journal holding `events`."""
    path = tmp_path / "journal.jsonl"
    with Journal.create(path) as journal:
        for event in events:
            journal.append(event)
    return path


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def write_lines(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def test_round_trip_keeps_every_event_in_order(journal_path: Path, events: list[Event]) -> None:
    result = read_journal(journal_path)
    assert result.intact
    assert list(result.events) == events
    assert [e.seq for e in result.entries] == list(range(1, len(events) + 1))
    assert result.entries[0].prev == GENESIS_HASH
    for before, after in zip(result.entries, result.entries[1:], strict=False):
        assert after.prev == before.hash
    assert result.final_hash == line_hash(lines_of(journal_path)[-1])


def test_each_line_is_a_versioned_envelope_around_the_event(journal_path: Path) -> None:
    first = json.loads(lines_of(journal_path)[0])
    assert list(first) == ["v", "seq", "prev", "event"]
    assert first["v"] == 1
    assert first["event"]["kind"] == "started"
    assert first["event"]["audio"] == {
        "segment": "seg-0001.flac",
        "segment_offset": 0.0,
        "offset": 0.0,
    }
    assert "山田" in lines_of(journal_path)[0].decode("utf-8")  # readable UTF-8, not \\u escapes


def test_append_returns_entry_continuing_the_chain(tmp_path: Path, events: list[Event]) -> None:
    with Journal.create(tmp_path / "j.jsonl") as journal:
        first = journal.append(events[0])
        second = journal.append(events[1])
    assert (first.seq, first.prev) == (1, GENESIS_HASH)
    assert (second.seq, second.prev) == (2, first.hash)
    assert second.event == events[1]


def test_append_fsyncs_after_writing_before_returning(
    tmp_path: Path, events: list[Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    real_write, real_fsync = os.write, os.fsync

    def write(fd: int, data: bytes | memoryview) -> int:
        calls.append(("write", fd))
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        calls.append(("fsync", fd))
        real_fsync(fd)

    journal = Journal.create(tmp_path / "j.jsonl")
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    fd = journal._fd
    for event in events[:3]:
        calls.clear()
        journal.append(event)
        assert calls[-1] == ("fsync", fd), "append returned before fsync"
        assert ("write", fd) in calls
        assert calls.index(("write", fd)) < calls.index(("fsync", fd))
    journal.close()


def test_create_fsyncs_the_folder_and_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced_dirs: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            synced_dirs.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    Journal.create(tmp_path / "j.jsonl").close()
    assert tmp_path.stat().st_ino in synced_dirs
    assert stat.S_IMODE((tmp_path / "j.jsonl").stat().st_mode) == 0o600


def test_create_refuses_to_overwrite(journal_path: Path) -> None:
    before = journal_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Journal.create(journal_path)
    assert caught.value.reason is StoreProblem.EXISTS
    assert str(journal_path) in str(caught.value)
    assert journal_path.read_bytes() == before


def test_torn_last_line_is_tolerated_and_reported(journal_path: Path, events: list[Event]) -> None:
    complete = journal_path.read_bytes()
    with journal_path.open("ab") as handle:
        handle.write(b'{"v":1,"seq":16,"prev":"ab')
    result = read_journal(journal_path)
    assert list(result.events) == events
    assert [(p.line, p.kind) for p in result.problems] == [(16, ProblemKind.TORN_TAIL)]
    assert result.damaged == ()
    assert result.good_size == len(complete)


def test_open_for_append_cuts_the_torn_line_and_continues(
    journal_path: Path, events: list[Event]
) -> None:
    with journal_path.open("ab") as handle:
        handle.write(b'{"v":1,"seq":16,"pr')
    with Journal.open_for_append(journal_path) as journal:
        assert journal.recovery is not None
        assert [p.kind for p in journal.recovery.problems] == [ProblemKind.TORN_TAIL]
        entry = journal.append(events[3])
    assert entry.seq == len(events) + 1
    result = read_journal(journal_path)
    assert result.intact
    assert list(result.events) == [*events, events[3]]


def test_open_for_append_continues_an_intact_journal(
    journal_path: Path, events: list[Event]
) -> None:
    last_hash = read_journal(journal_path).final_hash
    with Journal.open_for_append(journal_path) as journal:
        assert (journal.seq, journal.last_hash) == (len(events), last_hash)
        assert journal.recovery is not None and journal.recovery.intact
        journal.append(events[2])
    assert read_journal(journal_path).intact


def test_corrupted_middle_line_is_reported_with_its_number(journal_path: Path) -> None:
    lines = lines_of(journal_path)
    lines[4] = lines[4][:40] + b"\x00garbage" + lines[4][60:]
    write_lines(journal_path, lines)
    result = read_journal(journal_path)
    kinds = [(p.line, p.kind) for p in result.problems]
    assert (5, ProblemKind.UNREADABLE) in kinds
    assert (6, ProblemKind.CHAIN_BROKEN) in kinds  # the next line no longer matches it
    assert len(result.events) == len(lines) - 1
    assert "line 5" in str(result.problems[0])


def test_a_changed_word_breaks_the_chain_at_the_next_line(journal_path: Path) -> None:
    lines = lines_of(journal_path)
    note = next(i for i, line in enumerate(lines) if b'"kind":"note"' in line)
    lines[note] = lines[note].replace("大声".encode(), "小声".encode())
    write_lines(journal_path, lines)
    result = read_journal(journal_path)
    assert [(p.line, p.kind) for p in result.problems] == [(note + 2, ProblemKind.CHAIN_BROKEN)]


def test_a_removed_line_is_detected(journal_path: Path) -> None:
    lines = lines_of(journal_path)
    del lines[3]
    write_lines(journal_path, lines)
    kinds = {(p.line, p.kind) for p in read_journal(journal_path).problems}
    assert (4, ProblemKind.CHAIN_BROKEN) in kinds
    assert (4, ProblemKind.SEQ_MISMATCH) in kinds


def test_a_changed_last_line_changes_the_final_hash(journal_path: Path) -> None:
    before = read_journal(journal_path).final_hash
    lines = lines_of(journal_path)
    lines[-1] = lines[-1].replace(b'"checked":true', b'"checked":false', 1)
    write_lines(journal_path, lines)
    after = read_journal(journal_path)
    assert after.intact  # nothing after it to notice: record.json keeps the final hash
    assert after.final_hash != before


def test_lines_from_a_newer_version_are_reported_not_guessed(journal_path: Path) -> None:
    lines = lines_of(journal_path)
    newer = {"v": 2, "seq": len(lines) + 1, "prev": line_hash(lines[-1]), "event": {}}
    unknown = {
        "v": 1,
        "seq": len(lines) + 2,
        "prev": "",
        "event": {"kind": "mood", "t": 1, "at": "2026-04-01T09:00:00+09:00"},
    }
    new_lines = [json.dumps(newer).encode(), json.dumps(unknown).encode()]
    unknown["prev"] = line_hash(new_lines[0])
    new_lines[1] = json.dumps(unknown).encode()
    write_lines(journal_path, lines + new_lines)
    result = read_journal(journal_path)
    assert [(p.line, p.kind) for p in result.problems] == [
        (len(lines) + 1, ProblemKind.NEWER_VERSION),
        (len(lines) + 2, ProblemKind.NEWER_VERSION),
    ]
    assert "newer version" in result.problems[0].message


def test_an_invalid_event_is_reported(journal_path: Path) -> None:
    lines = lines_of(journal_path)
    envelope = json.loads(lines[-1])
    envelope["event"]["checklist"] = "yes"
    lines[-1] = json.dumps(envelope, ensure_ascii=False).encode()
    write_lines(journal_path, lines)
    problems = read_journal(journal_path).problems
    assert [(p.line, p.kind) for p in problems] == [(len(lines), ProblemKind.INVALID_EVENT)]
    assert "checklist" in problems[0].message


def test_the_quick_check_finds_every_damage_the_full_read_finds(journal_path: Path) -> None:
    """The review's index checks envelopes and the chain without validating events."""
    lines = lines_of(journal_path)
    lines[2] = lines[2][:40] + b"\x00garbage" + lines[2][60:]  # unreadable
    lines[5] = lines[5].replace(b'"kind":"', b'"kind":"X', 1)  # unknown kind, then the chain
    del lines[8]  # a removed line: chain and sequence
    lines[-2] = lines[-2].replace(b'"t":', b'"t": ', 1)  # not as written by encode_line
    lines.append(json.dumps({"v": 2, "seq": len(lines) + 1, "prev": "", "event": {}}).encode())
    write_lines(journal_path, lines)
    data = journal_path.read_bytes()

    full = parse_journal(journal_path, data)
    quick = parse_journal(journal_path, data, events=False)

    assert quick.problems == full.problems
    assert len(full.problems) >= 6
    assert (quick.final_hash, quick.lines, quick.good_size) == (
        full.final_hash,
        full.lines,
        full.good_size,
    )
    assert quick.entries == ()


def test_odd_text_round_trips(tmp_path: Path, clock: ManualClock) -> None:
    texts = [
        "<script>alert(1)</script>",
        "tab\tnl\ncr\rnul\x00esc\x1b[31m",
        "😡🙇‍♂️ emoji",
        "مرحبا שלום \u202e RTL",
        "lone \udc80 surrogate",
        "\u2028 line separator \u2029",
        "長" * 100_000,
    ]
    path = tmp_path / "j.jsonl"
    with Journal.create(path) as journal:
        for i, text in enumerate(texts):
            journal.append(NoteAdded(t=i, at=clock.now(), text=text))
    result = read_journal(path)
    assert result.intact
    assert [e.text for e in result.events if isinstance(e, NoteAdded)] == texts
    assert path.read_bytes().count(b"\n") == len(texts)


@pytest.fixture
def small_file_limit() -> Iterator[None]:
    """Files this process writes may not grow much: EFBIG, like a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    yield
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    signal.signal(signal.SIGXFSZ, previous)


def test_full_disk_damages_nothing_and_can_be_retried(
    journal_path: Path, events: list[Event], clock: ManualClock, small_file_limit: None
) -> None:
    before = journal_path.read_bytes()
    journal = Journal.open_for_append(journal_path)
    big = NoteAdded(t=2000, at=clock.now(), text="x" * 4096)
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 1000, hard))
    with pytest.raises(StoreError) as caught:
        journal.append(big)  # the first 1000 bytes fit: a partial line is written, then cut
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, hard))
    assert caught.value.reason is StoreProblem.DISK_FULL
    assert str(journal_path) in str(caught.value)
    assert journal_path.read_bytes() == before
    entry = journal.append(big)  # space again: the same event goes in, chain intact
    journal.close()
    assert entry.seq == len(events) + 1
    result = read_journal(journal_path)
    assert result.intact
    assert result.events[-1] == big


def test_one_writer_at_a_time(journal_path: Path) -> None:
    with Journal.open_for_append(journal_path):
        assert journal_in_use(journal_path)
        with pytest.raises(StoreError) as caught:
            Journal.open_for_append(journal_path)
        assert caught.value.reason is StoreProblem.IN_USE
    assert not journal_in_use(journal_path)


def test_missing_journal_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        read_journal(tmp_path / "nowhere.jsonl")
    assert caught.value.reason is StoreProblem.MISSING
    assert "nowhere.jsonl" in str(caught.value)


def test_append_after_close_is_refused(tmp_path: Path, events: list[Event]) -> None:
    journal = Journal.create(tmp_path / "j.jsonl")
    journal.close()
    with pytest.raises(StoreError):
        journal.append(events[0])
