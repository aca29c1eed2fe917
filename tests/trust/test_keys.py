"""Keys with standard tools: the desk key, supervisor identities age opens, signed records."""

from __future__ import annotations

import os
import pty
import re
import stat
import subprocess
from pathlib import Path

import pyrage
import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.config import load_settings
from kasuhara_timer.errors import UserError
from kasuhara_timer.trust.keys import DEFAULT_SIGNER, Role, desk_signer, keys_dir
from kasuhara_timer.trust.settings import TrustSettings
from kasuhara_timer.trust.signing import (
    Keyring,
    SignatureStatus,
    Standing,
    check_record,
    sign_record,
)
from kasuhara_timer.trust.supervisor import (
    DEFAULT_SUPERVISOR,
    create_supervisor,
    generate_supervisor,
    public_file_text,
    read_public_file,
    unlock_supervisor,
)


def test_desk_key_is_created_once_private_and_stable(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = desk_signer(state)
    again = desk_signer(state)
    key_file = keys_dir(state) / "desk.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.key_id == again.key_id and first.public.raw == again.public.raw
    assert first.role is Role.DESK and "@" in first.name
    assert first.public.text in (keys_dir(state) / "desk.pub").read_text(encoding="utf-8")


def test_a_damaged_desk_key_is_named_not_replaced(tmp_path: Path) -> None:
    state = tmp_path / "state"
    desk_signer(state)
    (keys_dir(state) / "desk.pem").write_bytes(b"garbage")
    with pytest.raises(UserError, match=r"desk\.pem"):
        desk_signer(state)
    assert (keys_dir(state) / "desk.pem").read_bytes() == b"garbage"


def test_a_signed_record_shows_any_change_and_names_its_signer(tmp_path: Path) -> None:
    signer = desk_signer(tmp_path / "state")
    record = sign_record({"session": "a", "head": "00", "n": 3, "note": "窓口"}, signer)
    check = check_record(record)
    assert check.status is SignatureStatus.VALID and check.signer == signer.public
    assert check_record({**record, "n": 4}).status is SignatureStatus.INVALID
    forged_name = {**record, "by": {**record["by"], "name": "kacho"}}
    assert check_record(forged_name).status is SignatureStatus.INVALID
    assert check_record({"session": "a"}).status is SignatureStatus.UNSIGNED
    # re-signing with another key is valid, but names that other key
    other = sign_record({**record, "n": 4}, DEFAULT_SIGNER)
    assert check_record(other).signer == DEFAULT_SIGNER.public


def test_standing_comes_from_the_office_list_not_the_record(tmp_path: Path) -> None:
    listed, rogue = generate_supervisor("田中 一郎"), generate_supervisor("田中 一郎")
    keyring = Keyring.of([listed.public])
    assert keyring.standing(listed.public) is Standing.SUPERVISOR
    assert keyring.standing(rogue.public) is Standing.UNKNOWN
    assert keyring.standing(DEFAULT_SIGNER.public) is Standing.DEFAULT
    assert not Keyring().configured


def test_supervisor_identity_unlocks_only_with_its_passphrase(tmp_path: Path) -> None:
    identity, path = create_supervisor(tmp_path / "state", "田中 一郎", "correct horse")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    opened = unlock_supervisor(path, "correct horse")
    assert opened.public == identity.public and opened.name == "田中 一郎"
    with pytest.raises(UserError, match=re.escape(path.name)):
        unlock_supervisor(path, "wrong")
    assert read_public_file(path.with_suffix(".pub")) == identity.public


def _age_decrypt_with_passphrase(identity: Path, encrypted: Path, secret: str) -> bytes:
    """Run the real `age -d -i` and type the passphrase at its terminal prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvp("age", ["age", "-d", "-i", str(identity), str(encrypted)])
    output, answered = b"", False
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"passphrase" in output.lower():
            os.write(fd, secret.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    return output


def test_age_decrypts_with_the_passphrase_protected_identity(tmp_path: Path) -> None:
    identity, path = create_supervisor(tmp_path / "state", "田中 一郎", "s3cret pass")
    assert identity.public.age_recipient is not None
    message = tmp_path / "sheet.age"
    message.write_bytes(
        pyrage.encrypt(
            "記録シート".encode(), [pyrage.x25519.Recipient.from_str(identity.public.age_recipient)]
        )
    )
    assert "記録シート".encode() in _age_decrypt_with_passphrase(path, message, "s3cret pass")


def test_what_age_encrypts_to_the_recipient_the_identity_decrypts(tmp_path: Path) -> None:
    identity = generate_supervisor("Sato")
    assert identity.public.age_recipient is not None
    encrypted = subprocess.run(
        ["age", "-r", identity.public.age_recipient],
        input=b"audio bytes",
        capture_output=True,
        check=True,
    ).stdout
    assert identity.decrypt(encrypted) == b"audio bytes"


def test_the_embedded_default_is_a_working_but_public_identity() -> None:
    assert DEFAULT_SUPERVISOR.public.role is Role.DEFAULT
    assert DEFAULT_SUPERVISOR.public.age_recipient is not None
    recipient = pyrage.x25519.Recipient.from_str(DEFAULT_SUPERVISOR.public.age_recipient)
    assert DEFAULT_SUPERVISOR.decrypt(pyrage.encrypt(b"x", [recipient])) == b"x"
    assert DEFAULT_SUPERVISOR.signer.key_id == DEFAULT_SIGNER.key_id


def test_office_config_lists_supervisors_inline_and_from_a_folder(tmp_path: Path) -> None:
    inline, filed = generate_supervisor("田中"), generate_supervisor("佐藤")
    folder = tmp_path / "office-keys"
    folder.mkdir()
    (folder / f"{filed.signer.key_id}.pub").write_bytes(public_file_text(filed.public))
    config = tmp_path / "config.toml"
    config.write_text(
        "[trust]\n"
        f'supervisors = [{{ name = "田中", signing_key = "{inline.public.text}", '
        f'age_recipient = "{inline.public.age_recipient}" }}]\n'
        f'supervisor_keys_dir = "{folder}"\n',
        encoding="utf-8",
    )
    keyring = load_settings(config).trust.keyring()
    assert {k.name for k in keyring.supervisors} == {"田中", "佐藤"}
    assert keyring.standing(filed.public) is Standing.SUPERVISOR
    assert sorted(keyring.recipients()) == sorted(
        [str(inline.public.age_recipient), str(filed.public.age_recipient)]
    )


def test_a_bad_key_in_the_config_names_the_file_and_field(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[trust]\nsupervisors = [{ name = "x", signing_key = "ed25519:AAAA" }]\n', encoding="utf-8"
    )
    with pytest.raises(UserError, match=r"(?s)config\.toml.*signing_key"):
        load_settings(config)


def test_a_missing_keys_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    keyring = TrustSettings(supervisor_keys_dir=tmp_path / "nowhere").keyring()
    assert not keyring.configured and "nowhere" in keyring.problems[0]


def test_keys_cli_creates_a_supervisor_and_lists_it(tmp_path: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main, ["--lang", "en", "keys", "new", "--supervisor", "田中 一郎"], input="pw\npw\n"
    )
    assert created.exit_code == 0, created.output
    assert 'signing_key = "ed25519:' in created.output
    listed = runner.invoke(main, ["--lang", "en", "keys", "list"])
    assert listed.exit_code == 0, listed.output
    assert "田中 一郎" in listed.output
    assert "No supervisor key is configured" in listed.output
    shown = runner.invoke(main, ["keys"])
    assert "鍵ID" in shown.output


def test_keys_cli_refuses_differing_passphrases() -> None:
    result = CliRunner().invoke(
        main, ["keys", "new", "--supervisor", "x"], input="one\ntwo\none\none\n"
    )
    assert result.exit_code == 0
    assert "一致しません" in result.output or "match" in result.output.lower()
