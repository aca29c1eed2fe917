"""One data folder shared by two desk accounts and a supervisor, closed to everyone else.

The office makes the data folder (group `kt-office`, setgid 2770) and sets `sharing = "group"`;
two desk accounts each record a whole session in it (the first creates `sessions/`), the
supervisor's account lists, plays and exports both, and an account outside the group cannot
even list the folder. Each account runs the real store in its own process, umask 0022. Without
the setting every account keeps its files to itself, as before.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.accounts import Account, Office, needs_root, office_accounts

pytestmark = needs_root


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    yield from office_accounts()


def shared_data_folder(office: Office, name: str, sharing: str) -> Path:
    """The folder an office administrator made, and every account's config naming it."""
    data = office.base / name
    data.mkdir()
    os.chown(data, 0, office.gid)
    data.chmod(0o2770)
    for account in (office.desk_a, office.desk_b, office.supervisor, office.outsider):
        config = account.home / "config.toml"
        config.write_text(f'data_dir = "{data}"\nsharing = "{sharing}"\n')
        os.chown(config, account.uid, account.gid)
    return data


def desk_session(account: Account, host: str) -> str:
    return account.python("-m", "tests.store.shared_child", "desk", host).stdout.strip()


def test_two_desks_and_a_supervisor_share_one_folder_closed_to_others(office: Office) -> None:
    data = shared_data_folder(office, "shared", "group")

    first = desk_session(office.desk_a, "DESK-A")
    second = desk_session(office.desk_b, "DESK-B")
    read = office.supervisor.python("-m", "tests.store.shared_child", "review").stdout.split()

    assert sorted(read) == sorted([first, second])
    loose = {}
    for path in [data, *data.rglob("*")]:
        info = path.lstat()
        wanted = 0o2770 if path.is_dir() else 0o660
        if stat.S_IMODE(info.st_mode) != wanted or info.st_gid != office.gid:
            loose[str(path.relative_to(data))] = (oct(stat.S_IMODE(info.st_mode)), info.st_gid)
    assert loose == {}
    owners = {p.name: p.stat().st_uid for p in (data / "sessions").iterdir()}
    assert owners == {first: office.desk_a.uid, second: office.desk_b.uid}
    assert (data / "access-log.jsonl").exists()

    home = office.supervisor.home
    mine = [home / "exports", *(home / "exports").iterdir(), home / "state"]
    mine += [p for p in (home / "state").rglob("*") if "index" in p.name or p.is_dir()]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in mine} == {"0o700", "0o600"}
    assert len(list((home / "exports").iterdir())) == 2

    outsider = office.outsider.python(
        "-c", f"import os; os.listdir({str(data / 'sessions')!r})", check=False
    )
    assert outsider.returncode != 0 and "PermissionError" in outsider.stderr


def test_without_the_office_setting_each_account_keeps_its_files_to_itself(
    office: Office,
) -> None:
    data = shared_data_folder(office, "private", "private")
    first = desk_session(office.desk_a, "DESK-A")
    folder = data / "sessions" / first
    assert stat.S_IMODE((data / "sessions").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_file()} == {0o600}
    second = office.desk_b.python("-m", "tests.store.shared_child", "desk", "B", check=False)
    assert second.returncode != 0 and "sessions" in second.stderr
