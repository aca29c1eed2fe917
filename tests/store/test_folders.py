"""Session folders: unique names across desks, private permissions, and finding crashed sessions."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import (
    FOLDER_NAME,
    SessionFolder,
    create_session_folder,
    find_unfinished,
    list_session_folders,
    resolve_session,
    sanitize_host,
)
from kasuhara_timer.store.journal import Journal
from tests.support.store import run_phone_session, start_session

JST = timezone(timedelta(hours=9))
STARTED = datetime(2026, 4, 1, 9, 30, 12, tzinfo=JST)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_name_has_date_time_host_and_short_id(tmp_path: Path) -> None:
    folder = create_session_folder(tmp_path, STARTED, "DESK-07.city.local", drill=False)
    match = FOLDER_NAME.match(folder.name)
    assert match is not None
    assert folder.name.startswith("20260401-093012_DESK-07-city-local_")
    assert folder.host == "DESK-07-city-local"
    assert folder.path.parent == tmp_path / "sessions"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("desk_1", "desk-1"),
        ("窓口端末", "desk"),
        ("", "desk"),
        ("--a  b--", "a-b"),
        ("x" * 80, "x" * 32),
        ("../../etc", "etc"),
    ],
)
def test_host_is_sanitised(host: str, expected: str) -> None:
    assert sanitize_host(host) == expected


def test_names_are_unique_for_the_same_second_and_host(tmp_path: Path) -> None:
    folders = [create_session_folder(tmp_path, STARTED, "desk") for _ in range(200)]
    assert len({f.name for f in folders}) == 200
    assert all(f.path.is_dir() for f in folders)


def test_folders_and_files_are_private(tmp_path: Path, policy: Policy, clock: ManualClock) -> None:
    data = tmp_path / "data"
    folder = create_session_folder(data, STARTED, "desk")
    journal = Journal.create(folder.journal)
    start_session(policy, journal, clock)
    journal.close()
    for path in (data, data / "sessions", folder.path, folder.audio):
        assert mode(path) == 0o700, path
    assert mode(folder.journal) == 0o600


def test_an_existing_shared_folder_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    create_session_folder(tmp_path, STARTED, "desk")
    assert mode(tmp_path) == 0o755


def test_drills_are_kept_apart(tmp_path: Path) -> None:
    real = create_session_folder(tmp_path, STARTED, "desk")
    drill = create_session_folder(tmp_path, STARTED, "desk", drill=True)
    assert drill.path.parent == tmp_path / "drills"
    assert drill.drill and not real.drill
    assert list_session_folders(tmp_path, drill=False) == [real]
    assert list_session_folders(tmp_path, drill=True) == [drill]
    assert set(list_session_folders(tmp_path)) == {real, drill}


def test_listing_is_chronological_and_keeps_odd_folders(tmp_path: Path) -> None:
    later = create_session_folder(tmp_path, STARTED + timedelta(hours=1), "a")
    earlier = create_session_folder(tmp_path, STARTED, "z")
    odd = tmp_path / "sessions" / "copied by hand"
    odd.mkdir()
    (tmp_path / "sessions" / ".index-tmp").mkdir()
    (tmp_path / "sessions" / "stray.txt").write_text("x")
    names = [f.name for f in list_session_folders(tmp_path)]
    assert names == [earlier.name, later.name, "copied by hand"]


def test_listing_an_empty_data_folder(tmp_path: Path) -> None:
    assert list_session_folders(tmp_path / "none") == []


def test_unfinished_sessions_are_found_for_recovery(
    tmp_path: Path, policy: Policy, clock: ManualClock
) -> None:
    crashed = create_session_folder(tmp_path, STARTED, "desk-a")
    with Journal.create(crashed.journal) as journal:
        start_session(policy, journal, clock)
    done = create_session_folder(tmp_path, STARTED, "desk-a")
    with Journal.create(done.journal) as journal:
        run_phone_session(policy, journal, clock)
    other_desk = create_session_folder(tmp_path, STARTED, "desk-b", drill=True)
    with Journal.create(other_desk.journal) as journal:
        start_session(policy, journal, clock, drill=True)
    create_session_folder(tmp_path, STARTED, "desk-a")  # no journal yet: nothing to resume
    assert {f.name for f in find_unfinished(tmp_path)} == {crashed.name, other_desk.name}
    assert find_unfinished(tmp_path, host="desk-a") == [crashed]


def test_resolve_by_name_prefix_or_path(tmp_path: Path) -> None:
    folder = create_session_folder(tmp_path, STARTED, "desk")
    drill = create_session_folder(tmp_path, STARTED + timedelta(days=1), "desk", drill=True)
    assert resolve_session(tmp_path, folder.name) == folder
    assert resolve_session(tmp_path, "20260402") == drill
    assert resolve_session(tmp_path, folder.path) == folder
    assert resolve_session(tmp_path, str(drill.path)) == SessionFolder(drill.path, True)


def test_resolve_reports_missing_and_ambiguous(tmp_path: Path) -> None:
    create_session_folder(tmp_path, STARTED, "desk")
    create_session_folder(tmp_path, STARTED, "desk")
    with pytest.raises(StoreError) as missing:
        resolve_session(tmp_path, "20991231")
    assert missing.value.reason is StoreProblem.MISSING
    assert "20991231" in str(missing.value) and str(tmp_path) in str(missing.value)
    with pytest.raises(StoreError, match="matches 2 sessions"):
        resolve_session(tmp_path, "20260401")


def test_data_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError) as caught:
        create_session_folder(blocker, STARTED, "desk")
    assert "data" in str(caught.value)


def test_unwritable_data_folder_is_a_clear_message(tmp_path: Path) -> None:
    """Permissions are real here: as root the attempt runs without root's capabilities."""
    data = tmp_path / "readonly"
    data.mkdir()
    data.chmod(0o555)
    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from kasuhara_timer.store.errors import StoreError\n"
        "from kasuhara_timer.store.folders import create_session_folder\n"
        "try:\n"
        "    create_session_folder(Path(sys.argv[1]), datetime.datetime.now(), 'desk')\n"
        "except StoreError as error:\n"
        "    print(error.reason.value, error, sep='|')\n"
    )
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        prefix = [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--"]
    try:
        out = subprocess.run(
            [*prefix, sys.executable, "-c", code, str(data)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        data.chmod(0o755)
    reason, message = out.strip().split("|")
    assert reason == StoreProblem.NO_PERMISSION.value
    assert str(data / "sessions") in message and "permission denied" in message
    assert list(data.iterdir()) == []
