"""`kasuhara-timer keys`: show this account's keys, create a supervisor identity, list them all.

Plain text on stdout, Japanese unless --lang en. The office's `[trust]` settings come from the
caller (the CLI loads config.toml), so this module stays below the config layer.
"""

from __future__ import annotations

from pathlib import Path

import click

from kasuhara_timer.i18n import Translator
from kasuhara_timer.safetext import echo
from kasuhara_timer.trust.keys import (
    DEFAULT_SIGNER,
    DESK_KEY_FILE,
    PublicKey,
    desk_signer,
    keys_dir,
)
from kasuhara_timer.trust.settings import TrustSettings
from kasuhara_timer.trust.supervisor import create_supervisor, local_identities

WORDS: dict[str, tuple[str, str]] = {
    "desk": ("この端末（窓口）の署名鍵", "This account's desk signing key"),
    "key_id": ("鍵ID", "key id"),
    "name": ("名前", "name"),
    "public": ("公開鍵", "public key"),
    "file": ("ファイル", "file"),
    "age": ("age受信者", "age recipient"),
    "local": ("この端末にある管理者の鍵", "Supervisor identities on this PC"),
    "configured": ("事務所の設定にある管理者", "Supervisors the office configured"),
    "none_local": ("（なし）", "(none)"),
    "none_configured": (
        "管理者の鍵が設定されていません（config.toml の [trust]）。組み込みの既定鍵を使います："
        "保全・削除の署名は誰でも作れるため、誰が行ったかを証明しません。",
        "No supervisor key is configured ([trust] in config.toml). The embedded default key "
        "is used: anyone can make its signatures, so holds and purges are not attributable.",
    ),
    "default": ("組み込みの既定鍵", "Embedded default key"),
    "created": ("管理者の鍵を作りました：{name}", "Created the supervisor identity of {name}"),
    "next": (
        "次に、公開鍵ファイル {pub} を事務所の管理者鍵フォルダに置くか、下の行を config.toml の "
        "[trust] supervisors に加えてください。パスフレーズを忘れると鍵は使えません。",
        "Next, put the public file {pub} in the office's supervisor keys folder, or add the line "
        "below to [trust] supervisors in config.toml. The identity is useless without the "
        "passphrase.",
    ),
    "passphrase": ("パスフレーズ", "Passphrase"),
    "again": ("パスフレーズ（確認）", "Passphrase (again)"),
    "mismatch": ("パスフレーズが一致しません", "the passphrases differ"),
    "problem": ("読めない鍵", "unreadable key"),
}


def word(key: str, lang: str, **values: object) -> str:
    """The keys command's words in Japanese (default) or English."""
    return Translator("en" if lang == "en" else "ja", WORDS)(key, **values)


def run_keys_show(state_dir: Path, lang: str) -> None:
    """This account's desk key (created now if it is the first use)."""
    signer = desk_signer(state_dir)
    echo(word("desk", lang))
    echo(_key_lines(signer.public, lang, keys_dir(state_dir) / DESK_KEY_FILE))


def run_keys_new_supervisor(state_dir: Path, name: str, lang: str) -> None:
    """Create a supervisor identity, asking for the passphrase twice (no echo)."""
    secret = click.prompt(
        word("passphrase", lang),
        hide_input=True,
        confirmation_prompt=word("again", lang),
        err=True,
    )
    identity, path = create_supervisor(state_dir, name, str(secret))
    public = identity.public
    echo(word("created", lang, name=public.name))
    echo(_key_lines(public, lang, path))
    echo(word("next", lang, pub=path.with_suffix(".pub")))
    echo(supervisor_config_line(public))


def supervisor_config_line(public: PublicKey) -> str:
    """The inline-table line for `[trust] supervisors` in config.toml."""
    name = public.name.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'  {{ name = "{name}", signing_key = "{public.text}", '
        f'age_recipient = "{public.age_recipient}" }},'
    )


def run_keys_list(state_dir: Path, trust: TrustSettings, lang: str) -> None:
    """Every key this PC knows: the desk key, local supervisor identities, configured ones."""
    run_keys_show(state_dir, lang)
    echo("")
    echo(word("local", lang))
    local = local_identities(state_dir)
    if not local:
        echo(f"  {word('none_local', lang)}")
    for path, public in local:
        echo(_key_lines(public, lang, path))
    echo("")
    echo(word("configured", lang))
    keyring = trust.keyring()
    for public in keyring.supervisors:
        echo(_key_lines(public, lang, None))
    for problem in keyring.problems:
        echo(f"  ✗ {word('problem', lang)}: {problem}")
    if not keyring.configured:
        echo(f"  {word('none_configured', lang)}")
        echo(f"  {word('default', lang)}: {DEFAULT_SIGNER.key_id}")


def _key_lines(public: PublicKey, lang: str, path: Path | None) -> str:
    lines = [
        f"  {word('name', lang)}: {public.name}",
        f"  {word('key_id', lang)}: {public.key_id}",
        f"  {word('public', lang)}: {public.text}",
    ]
    if public.age_recipient:
        lines.append(f"  {word('age', lang)}: {public.age_recipient}")
    if path is not None:
        lines.append(f"  {word('file', lang)}: {path}")
    return "\n".join(lines)
