"""Signed JSON records: one helper to sign, one to check, used by every signed file and log line.

A signed record is a JSON object with two more keys::

    {..., "by": {"id": "<key id>", "name": "田中 一郎", "role": "supervisor",
                 "key": "ed25519:<base64>"},
          "sig": "<base64 Ed25519 signature>"}

``sig`` signs the canonical bytes of the object without ``sig`` (``by`` included, so the name and
role are signed too): keys sorted, no spaces, UTF-8. The record names its key so a signature can
be checked without a key list; whether that key may vouch for the record (a configured
supervisor, a pinned desk, the embedded default) is the `Keyring`'s judgement, not the record's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kasuhara_timer.trust.keys import PublicKey, Role, Signer, parse_public_key

SIGNATURE_KEY = "sig"
SIGNER_KEY = "by"


def canonical(data: Mapping[str, Any]) -> bytes:
    """The bytes a signature covers: sorted keys, no spaces, UTF-8 (JSON escapes for surrogates)."""
    try:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")


def signer_fields(public: PublicKey) -> dict[str, str]:
    """The ``by`` object naming a key."""
    return {"id": public.key_id, "name": public.name, "role": public.role.value, "key": public.text}


def sign_record(record: Mapping[str, Any], signer: Signer) -> dict[str, Any]:
    """`record` with ``by`` and ``sig`` added (any old ones replaced)."""
    body = {k: v for k, v in record.items() if k not in (SIGNATURE_KEY, SIGNER_KEY)}
    body[SIGNER_KEY] = signer_fields(signer.public)
    return {**body, SIGNATURE_KEY: signer.sign(canonical(body))}


class SignatureStatus(StrEnum):
    """What a record's signature says, before asking whether its key may vouch for it."""

    VALID = "valid"
    UNSIGNED = "unsigned"
    INVALID = "invalid"
    """Signed, but the bytes changed after signing (or the signature is malformed)."""


@dataclass(frozen=True)
class SignatureCheck:
    """The signature of one record: status, the key it names, and why when not valid."""

    status: SignatureStatus
    signer: PublicKey | None = None
    reason: str = ""

    @property
    def valid(self) -> bool:
        """True when the record is exactly as its named key signed it."""
        return self.status is SignatureStatus.VALID


def check_record(record: Mapping[str, Any]) -> SignatureCheck:
    """Whether `record` is exactly as the key it names signed it."""
    signature, by = record.get(SIGNATURE_KEY), record.get(SIGNER_KEY)
    if signature is None and by is None:
        return SignatureCheck(SignatureStatus.UNSIGNED, reason="not signed")
    public = _named_key(by)
    if public is None or not isinstance(signature, str):
        return SignatureCheck(SignatureStatus.INVALID, reason="malformed signature or signer")
    body = {k: v for k, v in record.items() if k != SIGNATURE_KEY}
    if not public.verify(canonical(body), signature):
        return SignatureCheck(
            SignatureStatus.INVALID, public, "signature does not match: changed after signing"
        )
    return SignatureCheck(SignatureStatus.VALID, public)


def _named_key(by: object) -> PublicKey | None:
    if not isinstance(by, Mapping):
        return None
    name, role, key = by.get("name"), by.get("role"), by.get("key")
    if not isinstance(name, str) or role not in {r.value for r in Role} or not isinstance(key, str):
        return None
    try:
        raw = parse_public_key(key)
    except ValueError:
        return None
    public = PublicKey(name=name, role=Role(role), raw=raw)
    return public if by.get("id") == public.key_id else None


class Standing(StrEnum):
    """How far a valid signature vouches for a record."""

    SUPERVISOR = "supervisor"
    """A supervisor the office configured: vouches for holds, purges, sign-offs."""
    DESK = "desk"
    """A desk key: vouches that the desk wrote it (trusted as far as the witness pinned it)."""
    DEFAULT = "default"
    """The embedded default key: anyone can make this signature, so it vouches for nothing."""
    UNKNOWN = "unknown"
    """A key calling itself a supervisor that the office does not list: vouches for nothing."""


@dataclass(frozen=True)
class Keyring:
    """The public keys an office trusts: its configured supervisors."""

    supervisors: tuple[PublicKey, ...] = ()
    problems: tuple[str, ...] = field(default=())
    """Key files that could not be read (named, so verify can show them)."""

    @property
    def configured(self) -> bool:
        """False when no supervisor is configured: the embedded default is in use."""
        return bool(self.supervisors)

    def supervisor(self, key_id: str) -> PublicKey | None:
        """The configured supervisor with this key id."""
        return next((k for k in self.supervisors if k.key_id == key_id), None)

    def standing(self, signer: PublicKey) -> Standing:
        """What a valid signature by `signer` vouches for."""
        if signer.role is Role.DEFAULT:
            return Standing.DEFAULT
        if signer.role is Role.DESK:
            return Standing.DESK
        listed = self.supervisor(signer.key_id)
        return Standing.SUPERVISOR if listed is not None else Standing.UNKNOWN

    def name_of(self, signer: PublicKey) -> str:
        """The name to show for a signer: the office's name for a listed supervisor."""
        listed = self.supervisor(signer.key_id)
        return listed.name if listed is not None else signer.name

    def recipients(self) -> list[str]:
        """The configured supervisors' age recipients (for files encrypted to them)."""
        return [k.age_recipient for k in self.supervisors if k.age_recipient]

    @classmethod
    def of(cls, keys: Iterable[PublicKey], problems: Iterable[str] = ()) -> Keyring:
        """A keyring of these supervisors (duplicates by key id dropped)."""
        unique: dict[str, PublicKey] = {}
        for key in keys:
            unique.setdefault(key.key_id, key)
        return cls(tuple(unique.values()), tuple(problems))
