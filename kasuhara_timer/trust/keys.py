"""Ed25519 keys (via `cryptography`): public keys as text, signing, and each desk account's own key.

A public key is written ``ed25519:<base64 of the 32 raw bytes>``; its *key id* is the first 16 hex
digits of the SHA-256 of those bytes, short enough to read aloud and stable for ever.

The desk key is created on first use, without asking, in the account's private state folder
(``<state>/keys/desk.pem``, PKCS#8, mode 0600) with ``desk.pub`` beside it. The name it carries is
the account's login and host at creation: a desk's name comes from its key, not from `$USER`.

`DEFAULT_SIGNER` is the embedded default: its private key is in this source file, so anyone can
sign with it. It exists so the product works with no key configured; whatever it signs proves
nothing, and verify says so.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import getpass
import hashlib
import os
import socket
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kasuhara_timer.errors import UserError
from kasuhara_timer.store.atomic import PRIVATE_FILE_MODE, fsync_directory, make_private_dir
from kasuhara_timer.store.errors import StoreError

KEY_PREFIX = "ed25519:"
KEYS_DIR = "keys"
DESK_KEY_FILE = "desk.pem"
DESK_PUBLIC_FILE = "desk.pub"


class Role(StrEnum):
    """Whose key it is: what a signature by it can vouch for."""

    DESK = "desk"
    """A desk account's key: its own journals and ledger."""
    SUPERVISOR = "supervisor"
    """A supervisor's identity: holds, purges, sign-offs, acknowledgements."""
    DEFAULT = "default"
    """The embedded default key: public to everyone, so it vouches for nothing."""


@dataclass(frozen=True)
class PublicKey:
    """Someone's public Ed25519 key with the name and role it was issued for."""

    name: str
    role: Role
    raw: bytes
    """The 32 raw bytes of the Ed25519 public key."""
    age_recipient: str | None = None
    """A supervisor's age recipient (``age1…``), for files encrypted to them."""

    @property
    def key_id(self) -> str:
        """The stable short id of this key (16 hex digits of its SHA-256)."""
        return key_id_of(self.raw)

    @property
    def text(self) -> str:
        """``ed25519:<base64>``: how the key is written in files and the office config."""
        return KEY_PREFIX + base64.b64encode(self.raw).decode("ascii")

    def verify(self, data: bytes, signature: str) -> bool:
        """True when `signature` (base64) is this key's signature of `data`."""
        try:
            sig = base64.b64decode(signature, validate=True)
            Ed25519PublicKey.from_public_bytes(self.raw).verify(sig, data)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private signing key with the public key others check its signatures with."""

    public: PublicKey
    _private: Ed25519PrivateKey

    @property
    def key_id(self) -> str:
        """The key id of the public half."""
        return self.public.key_id

    @property
    def name(self) -> str:
        """The name the key was issued for (the name records carry)."""
        return self.public.name

    @property
    def role(self) -> Role:
        """Desk, supervisor or the embedded default."""
        return self.public.role

    def sign(self, data: bytes) -> str:
        """The base64 Ed25519 signature of `data`."""
        return base64.b64encode(self._private.sign(data)).decode("ascii")

    def secret_raw(self) -> bytes:
        """The 32 raw private bytes, for writing a passphrase-encrypted identity file."""
        return private_raw(self._private)

    def renamed(self, name: str, role: Role, age_recipient: str | None = None) -> Signer:
        """The same private key issued under another name or role."""
        public = PublicKey(name=name, role=role, raw=self.public.raw, age_recipient=age_recipient)
        return Signer(public, self._private)


def key_id_of(raw: bytes) -> str:
    """The key id of 32 raw public-key bytes."""
    return hashlib.sha256(raw).hexdigest()[:16]


def parse_public_key(text: str) -> bytes:
    """The raw bytes of ``ed25519:<base64>``; `ValueError` saying what is wrong."""
    if not text.startswith(KEY_PREFIX):
        raise ValueError(f"a public key starts with {KEY_PREFIX!r}")
    try:
        raw = base64.b64decode(text.removeprefix(KEY_PREFIX), validate=True)
    except binascii.Error as error:
        raise ValueError(f"not base64 after {KEY_PREFIX!r}") from error
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes, this one is {len(raw)}")
    return raw


def signer_from_private(private: Ed25519PrivateKey, name: str, role: Role) -> Signer:
    """A `Signer` for a private key already loaded."""
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return Signer(PublicKey(name=name, role=role, raw=raw), private)


def private_raw(private: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key (for a passphrase-encrypted identity file)."""
    return private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


_DEFAULT_SEED = hashlib.sha256(b"kasuhara-timer embedded default key: vouches for nothing")
DEFAULT_SIGNER = signer_from_private(
    Ed25519PrivateKey.from_private_bytes(_DEFAULT_SEED.digest()), "(default key)", Role.DEFAULT
)
"""The embedded default signing key (see the module docstring): public to everyone."""


# -- the desk's own key ----------------------------------------------------------------------


def keys_dir(state_dir: Path) -> Path:
    """Where an account keeps its keys: inside its private state folder."""
    return state_dir / KEYS_DIR


def desk_signer(state_dir: Path, name: str | None = None) -> Signer:
    """This account's desk key, created (0600) on first use without asking anything.

    `name` (default ``login@host``) is the name a new key is issued for. Two processes
    starting at once get the same key: the file is created with a hard link that
    fails if another process won. A damaged key file is a `UserError` naming it (never silently
    replaced: signatures made with it would no longer verify).
    """
    folder = keys_dir(state_dir)
    path = folder / DESK_KEY_FILE
    try:
        exists = path.exists()
        if not exists:
            make_private_dir(folder)
    except (OSError, StoreError) as error:
        raise UserError(f"cannot reach the keys folder: {error}", folder) from error
    if not exists:
        _create_desk_key(folder, name or account_name())
    return load_desk_signer(state_dir)


def load_desk_signer(state_dir: Path) -> Signer:
    """The desk key if this account has one; `UserError` when missing or damaged."""
    folder = keys_dir(state_dir)
    path = folder / DESK_KEY_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UserError("no desk key (start the desk once to create it)", path) from error
    except OSError as error:
        raise UserError(f"cannot read the desk key: {error.strerror}", path) from error
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise UserError("the desk key is damaged (not a PEM private key)", path) from error
    if not isinstance(private, Ed25519PrivateKey):
        raise UserError("the desk key is not an Ed25519 key", path)
    return signer_from_private(private, _desk_name(folder), Role.DESK)


def desk_public_text(signer: Signer) -> str:
    """The contents of ``desk.pub``: key, id and name, one line (an office may collect them)."""
    return f"kasuhara-timer-desk {signer.public.text} {signer.key_id} {signer.name}\n"


def _desk_name(folder: Path) -> str:
    try:
        fields = (folder / DESK_PUBLIC_FILE).read_text(encoding="utf-8").split(maxsplit=3)
    except (OSError, UnicodeDecodeError):
        return account_name()
    return fields[3].strip() if len(fields) == 4 else account_name()


def account_name() -> str:
    """``login@host`` of this account: the name a new desk key is issued for."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        login = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{login}@{socket.gethostname()}"


def _create_desk_key(folder: Path, name: str) -> None:
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signer_from_private(private, name, Role.DESK)
    write_new_private_file(folder / DESK_PUBLIC_FILE, desk_public_text(signer).encode("utf-8"))
    write_new_private_file(folder / DESK_KEY_FILE, pem)


def write_new_private_file(path: Path, data: bytes) -> bool:
    """Write a new 0600 file atomically unless it exists; False when another writer was first."""
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write the key file: {error.strerror}", path) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, PRIVATE_FILE_MODE)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links
            if path.exists():
                return False
            os.replace(temp, path)
    except OSError as error:
        raise UserError(f"cannot write the key file: {error.strerror}", path) from error
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    fsync_directory(path.parent)
    return True
