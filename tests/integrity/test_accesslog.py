"""The access log: who did what to which session and when, append-only, chained, readable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kasuhara_timer.integrity.accesslog import (
    AccessAction,
    access_history,
    access_log_path,
    log_access,
    log_accesses,
    read_access_log,
)
from kasuhara_timer.locations import state_dir
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.trust.keys import desk_signer
from kasuhara_timer.trust.supervisor import generate_supervisor

KACHO = generate_supervisor("kacho").signer
SOMU = generate_supervisor("somu").signer


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_each_access_is_logged_with_who_when_what_and_which_session(
    data_dir: Path, clock: ManualClock
) -> None:
    log_access(data_dir, "listen", "S1", "from 00:05:12", clock=clock, signer=KACHO)
    clock.advance(60)
    log_access(data_dir, AccessAction.EXPORT, "S1", "xlsx → /tmp/out", clock=clock, signer=KACHO)
    log_access(data_dir, AccessAction.VIEW, "S2", clock=clock, signer=SOMU)

    read = read_access_log(data_dir)

    assert read.problems == ()
    assert [(e.user, e.action, e.session) for e in read.entries] == [
        ("kacho", "listen", "S1"),
        ("kacho", "export", "S1"),
        ("somu", "view", "S2"),
    ]
    assert read.entries[1].at == clock.now() and read.entries[1].detail == "xlsx → /tmp/out"
    assert read.entries[0].host  # the PC it happened on
    assert [e.action for e in access_history(data_dir, "S1")] == ["listen", "export"]


def test_the_name_comes_from_this_accounts_key_not_from_user(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = desk_signer(state_dir())
    monkeypatch.setenv("USER", "kacho")
    monkeypatch.setenv("LOGNAME", "kacho")

    entry = log_access(data_dir, "export", "S1")

    [read] = read_access_log(data_dir).entries
    assert entry.user == read.user == own.name != "kacho"
    assert read.signer is not None and read.signer.key_id == own.key_id


def test_an_unknown_action_is_refused_before_anything_is_written(data_dir: Path) -> None:
    with pytest.raises(ValueError):
        log_access(data_dir, "peek", "S1")
    assert not access_log_path(data_dir).exists()


def test_the_log_and_a_new_data_folder_are_private(data_dir: Path) -> None:
    log_access(data_dir, "listen", "S1")

    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(access_log_path(data_dir).stat().st_mode) == 0o600


def test_in_a_folder_shared_with_a_group_the_group_may_append(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)

    log_access(shared, "listen", "S1")

    assert stat.S_IMODE(access_log_path(shared).stat().st_mode) == 0o660


def test_an_edited_or_removed_line_breaks_the_chain_and_is_reported(
    data_dir: Path, clock: ManualClock
) -> None:
    log_accesses(data_dir, [("listen", f"S{n}", "") for n in range(5)], clock=clock, signer=KACHO)
    path = access_log_path(data_dir)
    lines = path.read_bytes().split(b"\n")

    path.write_bytes(b"\n".join([*lines[:2], *lines[3:]]))  # line 3 removed
    assert [p.line for p in read_access_log(data_dir).problems] == [3]

    lines[1] = lines[1].replace(b'"kacho"', b'"other"')
    path.write_bytes(b"\n".join(lines))
    read = read_access_log(data_dir)
    assert [(p.line, p.message) for p in read.problems] == [
        (2, "signature does not match: changed after signing: not attributable"),
        (3, read.problems[1].message),
    ]
    assert "chain broken" in read.problems[1].message
    assert len(read.entries) == 5  # still shown, with the problem next to it


def test_a_line_torn_by_a_crash_is_ended_by_the_next_writer_and_reported(
    data_dir: Path, clock: ManualClock
) -> None:
    log_access(data_dir, "listen", "S1", clock=clock)
    with access_log_path(data_dir).open("ab") as log:
        log.write(b'{"v":1,"prev":"12')  # a writer died mid-line
    assert read_access_log(data_dir).problems[0].torn

    log_access(data_dir, "export", "S1", clock=clock)

    read = read_access_log(data_dir)
    assert [e.action for e in read.entries] == ["listen", "export"]
    [problem] = read.problems
    assert problem.line == 2 and "not a readable log line" in problem.message


def test_the_positional_call_the_review_makes_is_accepted(data_dir: Path) -> None:
    """log_access(data_dir, action, session, detail), as the review's player and exports call."""
    entry = log_access(data_dir, "listen", "20260401-093012_DESK-07_3fa9c1", "00:12:03")
    assert (entry.action, entry.session, entry.detail) == (
        "listen",
        "20260401-093012_DESK-07_3fa9c1",
        "00:12:03",
    )


def test_unchained_lines_from_an_older_writer_still_read_and_are_flagged(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    access_log_path(data_dir).write_text(
        '{"at":"2026-04-02T10:00:00+09:00","user":"u","action":"listen","session":"S1",'
        '"detail":""}\n',
        encoding="utf-8",
    )
    log_access(data_dir, "export", "S1")

    read = read_access_log(data_dir)

    assert [e.action for e in read.entries] == ["listen", "export"]
    assert [(p.line, p.message.split(" (")[0]) for p in read.problems] == [
        (1, "not chained"),
        (1, "not signed: not attributable"),
    ]
