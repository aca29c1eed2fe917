"""contact.json: what a desk may still know of a closed, encrypted session.

The desk's discreet repeat-contact line (この相手への対応：過去2回（最終 2026/03/28・電話・12分）)
needs, per earlier session, when it started, how (channel and method), how long, and whether it
was the same caller.
So that is all this small plaintext file holds: the caller label only as a hash of its matching
key (`caller_key`), so a desk finds a caller it is told about but cannot list anyone's callers.
Written by `lifecycle.encrypting` just before the session's files are encrypted.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.record import Record

CONTACT_FILE = "contact.json"
CONTACT_SCHEMA: Final = "kasuhara-timer/contact"


class Contact(BaseModel):
    """contact.json: no more than the desk's repeat-contact line shows."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: Literal["kasuhara-timer/contact"] = Field(default=CONTACT_SCHEMA, alias="schema")
    version: Literal[1] = 1
    caller: str
    """`caller_hash` of the caller label; "" when the session had none."""
    drill: bool
    started_at: AwareDatetime
    channel: str
    method_label: str
    minutes: float


def caller_hash(key: str) -> str:
    """The caller label as contact.json keeps it: SHA-256 of its matching key, so a desk can
    find a caller it is told but cannot list the callers of closed sessions."""
    return hashlib.sha256(f"kasuhara-timer/caller\n{key}".encode()).hexdigest() if key else ""


def contact_of(record: Record, drill: bool, key: str) -> Contact:
    """The contact line's facts from a session's record (`key`: its caller's matching key)."""
    session = record.session
    method = next((o.label for o in record.sheet.method_options if o.selected), "")
    return Contact(
        caller=caller_hash(key),
        drill=drill,
        started_at=session.started_at,
        channel=session.channel.value,
        method_label=method,
        minutes=session.duration_seconds / 60,
    )


def read_contact(folder: SessionFolder) -> Contact | None:
    """A session's contact.json, or None when it has none or it cannot be read."""
    try:
        return Contact.model_validate_json((folder.path / CONTACT_FILE).read_bytes())
    except (OSError, ValueError):
        return None


def contact_bytes(contact: Contact) -> bytes:
    """The bytes of contact.json."""
    data = contact.model_dump(mode="json", by_alias=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
