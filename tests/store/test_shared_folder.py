"""One data folder shared by two desk accounts and a supervisor, closed to everyone else.

The office makes the data folder (group `kt-office`, setgid 2770) and sets `sharing = "group"`;
two desk accounts each record a whole session in it (the first creates `sessions/`), the
supervisor's account lists, plays and exports both, and an account outside the group cannot
even list the folder. Each account runs the real store in its own process, umask 0022. Without
the setting every account keeps its files to itself, as before. With the supervisor's key in
the config, sessions are encrypted at their close: neither desk can read its own or the other's,
the supervisor (identity unlocked with its passphrase) reads and plays both, and `age -d` with
the supervisor's key opens every file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.trust.commands import supervisor_config_line
from kasuhara_timer.trust.supervisor import save_supervisor
from tests.support.accounts import Account, Office, needs_root, office_accounts
from tests.support.supervisors import age_decrypt, needs_age, supervisor

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


@needs_age
def test_encrypted_to_the_supervisor_no_desk_reads_a_closed_session_and_age_opens_them(
    office: Office,
) -> None:
    boss = supervisor("係長 鈴木")
    data = shared_data_folder(office, "encrypted", "group")
    entry = supervisor_config_line(boss.identity.public)
    for account in (office.desk_a, office.desk_b, office.supervisor):
        config = account.home / "config.toml"
        config.write_text(config.read_text() + f"\n[trust]\nsupervisors = [\n{entry}\n]\n")
    home = office.supervisor.home
    identity = save_supervisor(home / "state", boss.identity, "合言葉")
    for path in [home / "state", *(home / "state").rglob("*")]:
        os.chown(path, office.supervisor.uid, office.supervisor.gid)

    first = desk_session(office.desk_a, "DESK-A")
    second = desk_session(office.desk_b, "DESK-B")
    for account in (office.desk_a, office.desk_b):
        for name in (first, second):
            said = account.python("-m", "tests.store.shared_child", "read", name).stdout
            assert said.startswith("unreadable") and "supervisor identity" in said, said
    env = {"KT_IDENTITY": str(identity), "KT_PASSPHRASE": "合言葉"}
    read = office.supervisor.python("-m", "tests.store.shared_child", "review", env=env)
    assert sorted(read.stdout.split()) == sorted([first, second])

    key = boss.identity_file(office.base)
    for name in (first, second):
        folder = data / "sessions" / name
        plain = {p.name for p in folder.rglob("*") if p.is_file() and p.suffix != ".age"}
        assert plain == {"seal.json", "contact.json"}
        assert b'"kind":"started"' in age_decrypt(key, folder / "journal.jsonl.age")
        assert age_decrypt(key, folder / "audio" / "recording.flac.age").startswith(b"fLaC")
    modes = {stat.S_IMODE(p.stat().st_mode) for p in data.rglob("*")}
    assert modes == {0o2770, 0o660}
