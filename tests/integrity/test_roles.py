"""Roles from keys: with supervisors configured, only their identities review, listen, export,
hold and purge; listening and exporting are separate rights; each access names the identity.
Without supervisors everything works as before and says the folder is readable by anyone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.config import load_settings
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity import roles
from kasuhara_timer.integrity.accesslog import AccessAction, log_access, read_access_log
from kasuhara_timer.lifecycle.encrypting import encrypt_session
from kasuhara_timer.review.setup import review_setup
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.trust.commands import supervisor_config_line
from kasuhara_timer.trust.supervisor import save_supervisor
from tests.support.sessions import finished_session
from tests.support.supervisors import supervisor

PASSPHRASE = "合言葉は山"


def office_config(tmp_path: Path, extra: str = "") -> None:
    """config.toml listing one supervisor (田中 一郎)."""
    line = supervisor_config_line(supervisor().identity.public)
    (tmp_path / "config.toml").write_text(f"[trust]\nsupervisors = [\n{line}\n]\n{extra}")


def identity_here(tmp_path: Path) -> Path:
    return save_supervisor(tmp_path / "state", supervisor().identity, PASSPHRASE)


def test_without_an_identity_the_review_and_every_command_refuse(
    tmp_path: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock)
    office_config(tmp_path)
    with pytest.raises(UserError) as caught:
        review_setup(ask_passphrase=lambda name: PASSPHRASE)
    assert "no supervisor identity" in str(caught.value)

    runner = CliRunner()
    out = tmp_path / "exports"
    for args in (
        ["export", folder.name, "--format", "json", "--out", str(out)],
        ["hold", folder.name, "--reason", "監査"],
        ["purge"],
        ["review"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "supervisor identity" in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert not (tmp_path / "data" / "access-log.jsonl").exists()


def test_the_identity_unlocked_once_reviews_and_every_access_names_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    office_config(tmp_path)
    identity_here(tmp_path)
    asked: list[str] = []

    def ask(name: str) -> str:
        asked.append(name)
        return PASSPHRASE

    setup = review_setup(ask_passphrase=ask)
    assert asked == ["田中 一郎"] and setup.reviewer == "田中 一郎" and setup.notice == ""
    assert vault.unlocked()
    log_access(data, AccessAction.LISTEN, folder.name, "from 0.0s", clock=clock)
    log_access(data, AccessAction.EXPORT, folder.name, "json", clock=clock)
    entries = read_access_log(data).entries
    assert [(e.action, e.identity) for e in entries] == [
        ("listen", "田中 一郎"),
        ("export", "田中 一郎"),
    ]


def test_a_wrong_passphrase_opens_nothing(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    office_config(tmp_path)
    identity_here(tmp_path)
    with pytest.raises(UserError) as caught:
        review_setup(ask_passphrase=lambda name: "違う")
    assert "wrong passphrase" in str(caught.value)
    assert not vault.unlocked() and roles.current() is None


def test_listening_and_exporting_are_separate_rights(tmp_path: Path, clock: ManualClock) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    office_config(tmp_path, '[access]\nlisten = ["佐藤 花子"]\n')
    identity_here(tmp_path)
    review_setup(ask_passphrase=lambda name: PASSPHRASE)

    with pytest.raises(roles.AccessDenied) as caught:
        log_access(data, AccessAction.LISTEN, folder.name, "from 0.0s", clock=clock)
    assert "no listen right" in str(caught.value)
    log_access(data, AccessAction.EXPORT, folder.name, "bundle", clock=clock)
    log_access(data, AccessAction.VIEW, folder.name, clock=clock)
    assert [e.action for e in read_access_log(data).entries] == ["export", "view"]


def test_without_supervisors_everything_opens_and_says_the_folder_is_readable(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    setup = review_setup(ask_passphrase=lambda name: pytest.fail("nothing to unlock"))
    assert setup.reviewer == "" and "誰でも" in setup.notice
    log_access(data, AccessAction.LISTEN, folder.name, clock=clock)
    assert read_access_log(data).entries[0].identity == ""
    assert not load_settings().trust.keyring().configured


def test_keys_rewrap_asks_the_passphrase_once_and_reencrypts_every_session(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    sessions = [finished_session(data, clock)[0] for _ in range(2)]
    for folder in sessions:
        encrypt_session(folder, [supervisor().recipient], clock=clock)
    office_config(tmp_path)
    identity_here(tmp_path)

    result = CliRunner().invoke(main, ["keys", "rewrap"], input=f"{PASSPHRASE}\n")

    assert result.exit_code == 0, result.output
    assert all(f"{folder.name}: " in result.stdout for folder in sessions)
    logged = read_access_log(data).entries
    assert [(e.action, e.identity) for e in logged] == [("rewrap", "田中 一郎")] * 2
