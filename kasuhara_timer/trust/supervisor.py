"""A supervisor's identity: an Ed25519 signing key and an age X25519 identity under one passphrase.

`keys new --supervisor NAME` writes two files in the supervisor's own state folder
(``<state>/keys/supervisors/``):

* ``<key id>.age``: the secret parts, encrypted with the passphrase in age's standard scrypt
  format (`pyrage.passphrase`). Decrypted, it is an ordinary age identity file::

      # kasuhara-timer supervisor identity
      # name: 田中 一郎
      # kasuhara-timer-ed25519: <base64 of the 32-byte Ed25519 private key>
      AGE-SECRET-KEY-1…

  age ignores ``#`` lines, so ``age -d -i <key id>.age file.age`` asks for the passphrase and
  decrypts anything encrypted to the supervisor, with no kasuhara-timer installed.
* ``<key id>.pub``: the public parts as TOML (name, signing key, age recipient), the file an
  office copies into its supervisor keys folder or pastes into ``[trust] supervisors``.

`DEFAULT_SUPERVISOR` is the embedded default identity used when an office configured none: its
secrets are in this source file, so it protects and vouches for nothing (docs/guarantees.md).
"""

from __future__ import annotations

import base64
import binascii
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyrage import passphrase, x25519

from kasuhara_timer.errors import UserError
from kasuhara_timer.store.atomic import make_private_dir
from kasuhara_timer.trust.keys import (
    DEFAULT_SIGNER,
    PublicKey,
    Role,
    Signer,
    keys_dir,
    parse_public_key,
    signer_from_private,
    write_new_private_file,
)

SUPERVISORS_DIR = "supervisors"
IDENTITY_SUFFIX = ".age"
PUBLIC_SUFFIX = ".pub"
_SIGNING_PREFIX = "# kasuhara-timer-ed25519: "
_NAME_PREFIX = "# name: "


@dataclass(frozen=True)
class SupervisorIdentity:
    """An unlocked supervisor identity: signs as them and decrypts what was sent to them."""

    signer: Signer
    age_identity: x25519.Identity

    @property
    def public(self) -> PublicKey:
        """The public parts (name, signing key, age recipient)."""
        return self.signer.public

    @property
    def name(self) -> str:
        """The supervisor's name as issued."""
        return self.signer.name

    def decrypt(self, data: bytes) -> bytes:
        """Decrypt an age file encrypted to this supervisor; `pyrage.DecryptError` if not."""
        return pyrage.decrypt(data, [self.age_identity])


def supervisors_dir(state_dir: Path) -> Path:
    """Where this PC keeps its supervisors' identity files."""
    return keys_dir(state_dir) / SUPERVISORS_DIR


def create_supervisor(state_dir: Path, name: str, secret: str) -> tuple[SupervisorIdentity, Path]:
    """Create a new supervisor identity protected by `secret`; returns it and its `.age` path."""
    identity = generate_supervisor(name)
    return identity, save_supervisor(state_dir, identity, secret)


def generate_supervisor(name: str) -> SupervisorIdentity:
    """A new supervisor identity in memory (nothing written yet)."""
    name = name.strip()
    if not name or any(ch in name for ch in "\n\r"):
        raise UserError("a supervisor needs a name on one line (keys new --supervisor NAME)")
    return _identity(Ed25519PrivateKey.generate(), x25519.Identity.generate(), name)


def save_supervisor(state_dir: Path, identity: SupervisorIdentity, secret: str) -> Path:
    """Write the identity (passphrase-encrypted, 0600) and its public file; the `.age` path."""
    if not secret:
        raise UserError("a supervisor identity needs a passphrase")
    folder = supervisors_dir(state_dir)
    make_private_dir(folder)
    path = folder / f"{identity.signer.key_id}{IDENTITY_SUFFIX}"
    plain = identity_file_text(identity).encode("utf-8")
    write_new_private_file(path, passphrase.encrypt(plain, secret))
    write_new_private_file(path.with_suffix(PUBLIC_SUFFIX), public_file_text(identity.public))
    return path


def unlock_supervisor(path: Path, secret: str) -> SupervisorIdentity:
    """Open a supervisor's `.age` identity file with the passphrase; `UserError` when it fails."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read the supervisor identity: {error.strerror}", path) from error
    try:
        plain = passphrase.decrypt(data, secret).decode("utf-8")
    except (pyrage.DecryptError, UnicodeDecodeError) as error:
        raise UserError("wrong passphrase, or not a supervisor identity file", path) from error
    return parse_identity_text(plain, path)


def parse_identity_text(text: str, path: Path | None = None) -> SupervisorIdentity:
    """The identity in a decrypted identity file; `UserError` naming `path` when malformed."""
    name, signing, age_line = "", "", ""
    for line in text.splitlines():
        if line.startswith(_NAME_PREFIX):
            name = line.removeprefix(_NAME_PREFIX).strip()
        elif line.startswith(_SIGNING_PREFIX):
            signing = line.removeprefix(_SIGNING_PREFIX).strip()
        elif line.startswith("AGE-SECRET-KEY-"):
            age_line = line.strip()
    try:
        private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(signing, validate=True))
        age_identity = x25519.Identity.from_str(age_line)
    except (binascii.Error, ValueError, pyrage.IdentityError) as error:
        raise UserError("not a complete supervisor identity (signing or age key)", path) from error
    return _identity(private, age_identity, name or "(unnamed)")


def identity_file_text(identity: SupervisorIdentity) -> str:
    """The plaintext of an identity file: an age identity file with our lines as comments."""
    signing = base64.b64encode(identity.signer.secret_raw()).decode("ascii")
    return (
        "# kasuhara-timer supervisor identity\n"
        f"{_NAME_PREFIX}{identity.name}\n"
        f"# public signing key: {identity.public.text}\n"
        f"# public age recipient: {identity.public.age_recipient}\n"
        f"{_SIGNING_PREFIX}{signing}\n"
        f"{identity.age_identity}\n"
    )


def public_file_text(public: PublicKey) -> bytes:
    """A supervisor's public key file (TOML): what the office lists."""
    name = public.name.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "# kasuhara-timer supervisor public key: put this file in the office's supervisor keys\n"
        "# folder, or paste the three lines into [trust] supervisors of config.toml\n"
        f'name = "{name}"\n'
        f'signing_key = "{public.text}"\n'
        f'age_recipient = "{public.age_recipient}"\n'
        f'key_id = "{public.key_id}"\n'
    ).encode()


def read_public_file(path: Path) -> PublicKey:
    """A supervisor public key file; `UserError` naming the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"not a readable public key file ({error})", path) from error
    return supervisor_public(
        data.get("name"), data.get("signing_key"), data.get("age_recipient"), path
    )


def supervisor_public(
    name: object, signing_key: object, age_recipient: object, where: Path | None = None
) -> PublicKey:
    """A supervisor's `PublicKey` from its three parts, checked; `UserError` when wrong."""
    if not isinstance(name, str) or not name.strip():
        raise UserError("a supervisor key needs a 'name'", where)
    if not isinstance(signing_key, str):
        raise UserError(f"supervisor {name!r}: 'signing_key' (ed25519:…) is missing", where)
    try:
        raw = parse_public_key(signing_key)
    except ValueError as error:
        raise UserError(f"supervisor {name!r}: signing_key: {error}", where) from error
    recipient: str | None = None
    if age_recipient is not None:
        if not isinstance(age_recipient, str):
            raise UserError(f"supervisor {name!r}: 'age_recipient' must be text (age1…)", where)
        try:
            x25519.Recipient.from_str(age_recipient)
        except pyrage.RecipientError as error:
            raise UserError(
                f"supervisor {name!r}: age_recipient is not an age recipient", where
            ) from error
        recipient = age_recipient
    return PublicKey(name=name.strip(), role=Role.SUPERVISOR, raw=raw, age_recipient=recipient)


def local_identities(state_dir: Path) -> list[tuple[Path, PublicKey]]:
    """The supervisor identities kept on this PC (their public files), by name."""
    folder = supervisors_dir(state_dir)
    found = []
    for path in sorted(folder.glob(f"*{IDENTITY_SUFFIX}")):
        public = path.with_suffix(PUBLIC_SUFFIX)
        try:
            found.append((path, read_public_file(public)))
        except UserError:
            continue
    return sorted(found, key=lambda item: item[1].name)


def _identity(
    private: Ed25519PrivateKey, age_identity: x25519.Identity, name: str
) -> SupervisorIdentity:
    signer = signer_from_private(private, name, Role.SUPERVISOR)
    recipient = str(age_identity.to_public())
    return SupervisorIdentity(signer.renamed(name, Role.SUPERVISOR, recipient), age_identity)


_DEFAULT_AGE = "AGE-SECRET-KEY-12L39A3DGGR5NLL839MVJC6WRVTZD9FF9YX8HV8NVKU4TH03JQPDQ9Q584P"


def _default_supervisor() -> SupervisorIdentity:
    age_identity = x25519.Identity.from_str(_DEFAULT_AGE)
    recipient = str(age_identity.to_public())
    signer = DEFAULT_SIGNER.renamed(DEFAULT_SIGNER.name, Role.DEFAULT, recipient)
    return SupervisorIdentity(signer, age_identity)


DEFAULT_SUPERVISOR = _default_supervisor()
"""The embedded default identity (no supervisor configured): its secrets are public."""
