"""The office's `[trust]` section of config.toml: which supervisors' keys it trusts.

Two ways, either or both::

    [trust]
    supervisors = [
      { name = "田中 一郎", signing_key = "ed25519:…", age_recipient = "age1…" },
    ]
    supervisor_keys_dir = "//fileserver/kasuhara/keys"   # a folder of <key id>.pub files

A `.pub` file is what `kasuhara-timer keys new --supervisor NAME` wrote beside the identity. With
neither, no supervisor is configured: the embedded default key is used and verify and review say
which guarantees do not hold (docs/guarantees.md).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kasuhara_timer.errors import UserError
from kasuhara_timer.trust.keys import PublicKey, parse_public_key
from kasuhara_timer.trust.signing import Keyring
from kasuhara_timer.trust.supervisor import PUBLIC_SUFFIX, read_public_file, supervisor_public


class SupervisorEntry(BaseModel):
    """One supervisor's public parts, as `keys new --supervisor` printed them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="The supervisor's name, as records show it.")
    signing_key: str = Field(description="Their Ed25519 public key, ed25519:<base64>.")
    age_recipient: str | None = Field(
        default=None, description="Their age recipient (age1…): files for them are encrypted to it."
    )

    @field_validator("signing_key")
    @classmethod
    def _key(cls, value: str) -> str:
        parse_public_key(value)  # ValueError → a field-level message naming the line
        return value

    def public(self) -> PublicKey:
        """The checked public key."""
        return supervisor_public(self.name, self.signing_key, self.age_recipient)


class TrustSettings(BaseModel):
    """Which supervisors an office trusts ([trust] in config.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    supervisors: tuple[SupervisorEntry, ...] = Field(
        default=(), description="Supervisors' public keys, listed inline."
    )
    supervisor_keys_dir: Path | None = Field(
        default=None, description="A folder of supervisors' .pub files (e.g. on the file server)."
    )

    def keyring(self) -> Keyring:
        """The supervisors' keys, inline and from the folder; unreadable files named in
        `problems` (a missing folder is one problem, never a crash)."""
        keys = [entry.public() for entry in self.supervisors]
        problems: list[str] = []
        folder = self.supervisor_keys_dir
        if folder is not None:
            try:
                paths = sorted(folder.glob(f"*{PUBLIC_SUFFIX}"))
            except OSError as error:
                paths = []
                problems.append(f"{folder}: {error.strerror}")
            if not folder.is_dir():
                problems.append(f"{folder}: supervisor keys folder not found")
            for path in paths:
                try:
                    keys.append(read_public_file(path))
                except UserError as error:
                    problems.append(str(error))
        return Keyring.of(keys, problems)
