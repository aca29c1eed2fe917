"""The supervisor's witness: what this PC has already seen, kept where no desk can write.

``<state>/witness.json`` in the supervisor's own state folder (never the shared data folder):

* ``desks``: each desk key seen (pinned at first sight, with its name and when), and ``hosts``:
  which key each desk account (``login@host``, the name in its key) signs with. An account whose
  sessions are later signed by another key is reported: a reinstalled desk, or someone signing
  in its name.
* ``ledgers``: each ledger's length and the hash of its last line when last seen.
* ``sessions``: each session's journal length and last line hash when last seen, and how far
  its desk's signature reached.

verify (and the review) compare the data folder with it, then raise it to what they saw; it never
goes down, so a change keeps being reported. Any later change or deletion, even by the desk
account itself with its own key, then shows as "changed after it was witnessed", with when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kasuhara_timer.store.atomic import make_private_dir, write_atomic

WITNESS_FILE = "witness.json"


@dataclass
class Witness:
    """What this PC saw, as loaded from (and saved to) its state folder."""

    path: Path
    desks: dict[str, dict[str, Any]] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)
    ledgers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    problem: str = ""
    """Why the file could not be read (then it starts again empty, and says so)."""

    @classmethod
    def load(cls, state_dir: Path) -> Witness:
        """This PC's witness (empty when it never saw anything)."""
        path = state_dir / WITNESS_FILE
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            return cls(path, problem=f"{path}: unreadable ({error}); starting a new witness")
        if not isinstance(data, dict):
            return cls(path, problem=f"{path}: not a witness file; starting a new one")
        return cls(
            path,
            desks=dict(data.get("desks", {})),
            hosts=dict(data.get("hosts", {})),
            ledgers=dict(data.get("ledgers", {})),
            sessions=dict(data.get("sessions", {})),
        )

    def save(self) -> None:
        """Write it back atomically (0600)."""
        data = {
            "v": 1,
            "desks": self.desks,
            "hosts": self.hosts,
            "ledgers": self.ledgers,
            "sessions": self.sessions,
        }
        make_private_dir(self.path.parent)
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"))

    def pin(self, key_id: str, name: str, key: str, now: datetime) -> dict[str, Any]:
        """The pinned desk key with this id, pinned now if first seen."""
        return self.desks.setdefault(
            key_id, {"name": name, "key": key, "first_seen": now.isoformat()}
        )

    def saw_ledger(self, key_id: str, length: int, head: str, now: datetime) -> None:
        """Raise a ledger's witnessed length (never lowered)."""
        known = self.ledgers.get(key_id)
        if known is None or length > int(known.get("length", 0)):
            self.ledgers[key_id] = {"length": length, "head": head, "seen_at": now.isoformat()}

    def saw_session(
        self, name: str, lines: int, head: str, signed: int, key_id: str, now: datetime
    ) -> None:
        """Raise a session's witnessed journal length (never lowered)."""
        known = self.sessions.get(name)
        if known is None or lines > int(known.get("lines", 0)):
            self.sessions[name] = {
                "lines": lines,
                "head": head,
                "signed": signed,
                "key": key_id,
                "seen_at": now.isoformat(),
            }
