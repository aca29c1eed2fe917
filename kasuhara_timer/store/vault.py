"""Encryption at rest to the supervisors: the age format, through `pyrage`.

When an office lists its supervisors' age recipients (``[trust] supervisors``), a session's files
are replaced at its close by ``<name>.age`` files encrypted to every listed supervisor
(`encrypt_in_place`). They are standard age files: ``age -d -i <identity> journal.jsonl.age``
opens them without this program. Only the seal and the minimal repeat-contact record stay
readable. The desk account that wrote a session cannot read it once closed (it holds no
identity); a supervisor's review unlocks its identity once (`unlock`) and every reader of the
store (`read_plain`) then decrypts in memory, so no plaintext copy is ever written back to disk.

Process-wide like the umask: the review unlocks once per run, tests `lock` after each test.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyrage
from pyrage import x25519

from kasuhara_timer.store.atomic import fsync_directory, open_private
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error

SUFFIX = ".age"
"""What an encrypted file's name ends with (age's own convention)."""

_identities: list[x25519.Identity] = []


def encrypted_path(path: Path) -> Path:
    """Where the encrypted form of `path` lives: ``journal.jsonl`` → ``journal.jsonl.age``."""
    return path.with_name(path.name + SUFFIX)


def plain_path(path: Path) -> Path:
    """The plaintext name of an encrypted file (`path` itself when it is not one)."""
    return path.with_name(path.name.removesuffix(SUFFIX))


def is_encrypted(path: Path) -> bool:
    """True when `path` is stored only in its encrypted form."""
    return not path.exists() and encrypted_path(path).exists()


def present(path: Path) -> Path | None:
    """The file that holds `path`'s contents: itself, its encrypted form, or None."""
    if path.exists():
        return path
    sealed = encrypted_path(path)
    return sealed if sealed.exists() else None


def exists(path: Path) -> bool:
    """True when `path` exists, as plaintext or encrypted."""
    return present(path) is not None


def unlock(identities: Iterable[x25519.Identity]) -> None:
    """Let this process decrypt with `identities` (a supervisor's, once its passphrase was
    given) until `lock`."""
    _identities.extend(identities)


def lock() -> None:
    """Forget every unlocked identity."""
    _identities.clear()


def unlocked() -> bool:
    """True when some identity was unlocked in this process."""
    return bool(_identities)


def parse_recipients(recipients: Iterable[str]) -> list[x25519.Recipient]:
    """age recipients (``age1…``) as pyrage's; `StoreError` for one that is not."""
    parsed = []
    for text in recipients:
        try:
            parsed.append(x25519.Recipient.from_str(text))
        except pyrage.RecipientError as error:
            raise StoreError(f"not an age recipient: {text!r}", None, StoreProblem.MALFORMED) from (
                error
            )
    return parsed


def read_plain(path: Path) -> bytes:
    """The contents of `path`, decrypted in memory when only ``path.age`` is there.

    Raises `FileNotFoundError` when neither exists, and `StoreError` naming the file when it is
    encrypted and no unlocked identity opens it.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        sealed = encrypted_path(path)
        if not sealed.exists():
            raise
    return decrypt_bytes(sealed, _read(sealed))


def decrypt_bytes(path: Path, data: bytes) -> bytes:
    """`data` (the age file at `path`) decrypted with the unlocked identities."""
    if not _identities:
        raise StoreError(
            "encrypted to the office's supervisors: only a supervisor identity opens it"
            " (kasuhara-timer review asks for its passphrase)",
            path,
            StoreProblem.ENCRYPTED,
        )
    try:
        return pyrage.decrypt(data, _identities)
    except pyrage.DecryptError as error:
        raise StoreError(
            "encrypted for other supervisors than the identity given, or damaged"
            " (kasuhara-timer keys rewrap adds supervisors to old sessions)",
            path,
            StoreProblem.ENCRYPTED,
        ) from error


def encrypt_in_place(path: Path, recipients: Sequence[x25519.Recipient]) -> Path:
    """Replace the plaintext file `path` by ``path.age`` encrypted to `recipients`; the path.

    Streamed (a recording of hours never sits in memory) into a hidden partial file, private
    from its first byte, fsynced and renamed; only then is the plaintext deleted. Run again
    after a crash it finishes the job: a complete ``.age`` with its plaintext still beside it
    just loses the plaintext.
    """
    target = encrypted_path(path)
    if not path.exists():
        if target.exists():
            return target
        raise store_error(FileNotFoundError(2, "No such file"), path, "encrypt the file")
    if not target.exists():
        partial = target.with_name(f".{target.name}.partial")
        try:
            with path.open("rb") as source:
                fd = open_private(partial, os.O_WRONLY | os.O_TRUNC)
                with os.fdopen(fd, "wb") as sink:
                    pyrage.encrypt_io(source, sink, list(recipients))
                    sink.flush()
                    os.fsync(sink.fileno())
            os.replace(partial, target)
        except (OSError, pyrage.EncryptError) as error:
            with contextlib.suppress(OSError):
                partial.unlink()
            if isinstance(error, OSError):
                raise store_error(error, path, "encrypt the file") from error
            raise StoreError(f"could not encrypt ({error})", path, StoreProblem.IO) from error
        fsync_directory(path.parent)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise store_error(error, path, "remove the plaintext") from error
    fsync_directory(path.parent)
    return target


def reencrypt(path: Path, recipients: Sequence[x25519.Recipient]) -> None:
    """Replace the age file `path` by the same plaintext encrypted to `recipients` (rewrap);
    the plaintext exists only in memory."""
    plain = decrypt_bytes(path, _read(path))
    data = pyrage.encrypt(plain, list(recipients))
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = open_private(partial, os.O_WRONLY | os.O_TRUNC)
        with os.fdopen(fd, "wb") as sink:
            sink.write(data)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise store_error(error, path, "re-encrypt the file") from error
    fsync_directory(path.parent)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise store_error(error, path, "read the encrypted file") from error
