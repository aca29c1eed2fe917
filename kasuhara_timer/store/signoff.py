"""A supervisor's sign-off (課長確認) of a session, kept beside the desk's journal, never in it.

Only the desk writes a session's journal, and the session folder is sealed at its close, so a
review annotation lives in the data folder's ``reviews/<folder>.jsonl``: one JSON line per
sign-off (or withdrawal), each naming the journal's last hash it vouches for and chained to the
line before by ``prev`` (the SHA-256 of that line's bytes, 64 zeros first), as the journal is. A
line may carry a supervisor's signature (``by``/``sig``, `trust.signing`): the caller passes the
signing function, since this layer knows no keys. Lines are appended with one write and
fsynced before `append_signoff` returns; nothing is ever rewritten.

Line format (version 1)::

    {"v":1,"prev":"<sha256>","kind":"signoff","session":"20260401-…","at":"2026-…+09:00",
     "reviewer":"田中 一郎","user":"tanaka","host":"REVIEW-PC","comment":"…",
     "journal":"<journal final hash>", ["by":{…},"sig":"…"]}
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kasuhara_timer.store.atomic import fsync_directory, make_private_dir
from kasuhara_timer.store.errors import store_error
from kasuhara_timer.store.journal import GENESIS_HASH, line_hash

REVIEWS_DIR = "reviews"
SIGNOFF = "signoff"
WITHDRAWN = "withdrawn"

Sign = Callable[[Mapping[str, Any]], dict[str, Any]]
"""Adds a signature to a record (`trust.signing.sign_record` with the supervisor's key)."""


@dataclass(frozen=True)
class SignOff:
    """One line of a session's sign-off log."""

    line: int
    kind: str
    """``signoff`` (確認済み) or ``withdrawn`` (the sign-off taken back)."""
    session: str
    at: datetime
    reviewer: str
    user: str
    host: str
    comment: str
    journal: str
    """The journal's last hash when it was signed: what the supervisor saw."""
    record: dict[str, Any] = field(repr=False, compare=False)
    """The line as read (for checking its signature)."""

    @property
    def signed(self) -> bool:
        """The line carries a supervisor's signature (checked by `verify`)."""
        return "sig" in self.record

    def words(self) -> str:
        """The sign-off as the printed sheet says it (Japanese, as the record is)."""
        who = self.reviewer or self.user
        text = f"確認済み　{who}　{self.at:%Y-%m-%d %H:%M}"
        text += "（電子署名あり）" if self.signed else "（署名なし）"
        return text + (f"　{self.comment}" if self.comment else "")


@dataclass(frozen=True)
class SignOffLog:
    """A session's sign-off lines and what is wrong with the file, if anything."""

    entries: tuple[SignOff, ...]
    problems: tuple[str, ...]

    @property
    def current(self) -> SignOff | None:
        """The sign-off in force: the last line, unless it withdrew the one before."""
        if not self.entries or self.entries[-1].kind != SIGNOFF:
            return None
        return self.entries[-1]


def signoff_path(data_dir: Path, session: str) -> Path:
    """The sign-off log of the session folder named `session`."""
    return data_dir / REVIEWS_DIR / f"{session}.jsonl"


def append_signoff(
    data_dir: Path,
    session: str,
    *,
    kind: str,
    at: datetime,
    reviewer: str,
    user: str,
    host: str,
    comment: str,
    journal: str,
    sign: Sign | None = None,
) -> SignOff:
    """Append one sign-off (or withdrawal) line, fsynced; `StoreError` naming the file if not."""
    path = signoff_path(data_dir, session)
    make_private_dir(path.parent)
    existing = read_signoffs(data_dir, session)
    if existing.problems:
        raise store_error(
            OSError(f"the sign-off log is damaged: {existing.problems[0]}"), path, "add a sign-off"
        )
    try:
        lines = path.read_bytes().splitlines() if path.exists() else []
    except OSError as error:
        raise store_error(error, path, "read the sign-off log") from error
    record: dict[str, Any] = {
        "v": 1,
        "prev": line_hash(lines[-1]) if lines else GENESIS_HASH,
        "kind": kind,
        "session": session,
        "at": at.isoformat(),
        "reviewer": reviewer,
        "user": user,
        "host": host,
        "comment": comment,
        "journal": journal,
    }
    if sign is not None:
        record = sign(record)
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    created = not path.exists()
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600
        )
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_directory(path.parent)
    except OSError as error:
        raise store_error(error, path, "write the sign-off") from error
    return read_signoffs(data_dir, session).entries[-1]


def read_signoffs(data_dir: Path, session: str) -> SignOffLog:
    """The session's sign-off log (empty when it has none), with its chain checked."""
    path = signoff_path(data_dir, session)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return SignOffLog((), ())
    except OSError as error:
        return SignOffLog((), (f"{path}: {error.strerror}",))
    entries: list[SignOff] = []
    problems: list[str] = []
    prev = GENESIS_HASH
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            record = json.loads(line)
            if record.get("prev") != prev:
                problems.append(f"{path} line {number}: the chain is broken (edited or removed)")
            entries.append(
                SignOff(
                    line=number,
                    kind=str(record["kind"]),
                    session=str(record["session"]),
                    at=datetime.fromisoformat(str(record["at"])),
                    reviewer=str(record.get("reviewer", "")),
                    user=str(record.get("user", "")),
                    host=str(record.get("host", "")),
                    comment=str(record.get("comment", "")),
                    journal=str(record.get("journal", "")),
                    record=record,
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(f"{path} line {number}: not a sign-off line")
        prev = line_hash(line)
    return SignOffLog(tuple(entries), tuple(problems))


def signed_sessions(data_dir: Path) -> dict[str, SignOff]:
    """Every session folder name with a sign-off in force, and that sign-off."""
    folder = data_dir / REVIEWS_DIR
    try:
        names = [p.name[: -len(".jsonl")] for p in folder.iterdir() if p.suffix == ".jsonl"]
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise store_error(error, folder, "list the sign-offs") from error
    found = {}
    for name in names:
        current = read_signoffs(data_dir, name).current
        if current is not None:
            found[name] = current
    return found
