"""seal.json: the SHA-256 of every file of a finished session, so `verify` can check them all.

The journal's hash chain and record.json's `final_hash` protect the journal; record.json and
sheet.html are checked by rebuilding them; the recorder's hashes cover the archived audio. What
none of those covers byte for byte (segment sidecars, the audio manifest, leftovers) the seal
does: it lists every file in the session folder with its size and SHA-256 when the session was
finished. Written last, once the record and the audio archive are final (`seal_session`), in a
canonical form, so even a changed space in seal.json itself shows. Purging audio moves the
files' entries to `purged` with when and why, so a purged session still verifies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Ended
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import read_journal

SEAL_FILE = "seal.json"
SEAL_SCHEMA: Final = "kasuhara-timer/seal"
CHECKPOINTS_FILE = "checkpoints.jsonl"
"""The desk's signed checkpoints (`checkpoints`): appended after sealing, so never sealed."""
_SELF_VOUCHING = frozenset({SEAL_FILE, CHECKPOINTS_FILE})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SealedFile(_Model):
    """One file as it was when sealed; `path` is relative to the session folder, with `/`."""

    path: str
    bytes: int = Field(ge=0)
    sha256: str


class PurgedFile(SealedFile):
    """A sealed file deleted later by the retention rule."""

    purged_at: AwareDatetime
    reason: str


class Seal(_Model):
    """The whole of seal.json."""

    schema_id: Literal["kasuhara-timer/seal"] = Field(default=SEAL_SCHEMA, alias="schema")
    version: Literal[1] = 1
    session: str
    sealed_at: AwareDatetime
    journal_final_hash: str
    files: tuple[SealedFile, ...]
    purged: tuple[PurgedFile, ...] = ()
    digest: str = ""
    """SHA-256 of the seal's own canonical bytes with `digest` empty: a changed entry shows as
    a damaged seal, not as a changed file."""

    def to_bytes(self) -> bytes:
        """The canonical bytes of seal.json (what `verify` expects to find, exactly)."""
        data = self.model_dump(mode="json", by_alias=True)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def sealed(self) -> Seal:
        """This seal with its `digest` computed."""
        unsigned = self.model_copy(update={"digest": ""})
        return self.model_copy(update={"digest": hashlib.sha256(unsigned.to_bytes()).hexdigest()})


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (audio files can be large)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise store_error(error, path, "read the file to hash it") from error


def session_files(folder: SessionFolder) -> list[str]:
    """Every regular file of a session (relative, `/`-separated, sorted), except the seal and
    the signed checkpoints, which vouch for themselves."""
    found = []
    for path in folder.path.rglob("*"):
        relative = path.relative_to(folder.path).as_posix()
        if relative in _SELF_VOUCHING or relative.startswith(f".{SEAL_FILE}."):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(relative)
    return sorted(found)


def describe_file(folder: SessionFolder, relative: str) -> SealedFile:
    """A file's size and SHA-256 now."""
    path = folder.path / relative
    digest = file_sha256(path)
    return SealedFile(path=relative, bytes=path.stat().st_size, sha256=digest)


def seal_session(folder: SessionFolder, *, clock: Clock) -> Seal:
    """Hash every file of an ended session into seal.json. Call once the record (with the
    audio section) and the audio archive are final; call again after a legitimate change.

    Raises `StoreError` when the session has not ended (its files are still changing).
    """
    journal = read_journal(folder.journal)
    if not any(isinstance(event, Ended) for event in journal.events):
        raise StoreError(
            "cannot seal a session that has not ended", folder.journal, StoreProblem.MALFORMED
        )
    previous = _read_existing(folder)
    seal = Seal(
        session=folder.name,
        sealed_at=clock.now(),
        journal_final_hash=journal.final_hash,
        files=tuple(describe_file(folder, relative) for relative in session_files(folder)),
        purged=previous.purged if previous is not None else (),
    ).sealed()
    write_atomic(folder.path / SEAL_FILE, seal.to_bytes())
    return seal


def read_seal(folder: SessionFolder) -> Seal | None:
    """The session's seal, or None when it was never sealed; `StoreError` when it is damaged."""
    path = folder.path / SEAL_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise store_error(error, path, "read the seal") from error
    try:
        seal = Seal.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise StoreError(
            f"seal damaged: {where}: {first['msg']}", path, StoreProblem.MALFORMED
        ) from error
    if seal.to_bytes() != data:
        raise StoreError(
            "seal damaged: its bytes are not as they were written", path, StoreProblem.MALFORMED
        )
    if seal.sealed().digest != seal.digest:
        raise StoreError(
            "seal damaged: its content does not match its own hash", path, StoreProblem.MALFORMED
        )
    return seal


def record_purged(
    folder: SessionFolder, removed: Iterable[str], at: datetime, reason: str
) -> Seal | None:
    """Move the sealed entries of files the retention rule deleted into `purged`.

    Only entries already in the seal move, with the hashes they were sealed with: a purge
    never re-hashes (and so never blesses) anything. No seal: nothing to update (None).
    """
    seal = read_seal(folder)
    if seal is None:
        return None
    gone = set(removed)
    moved = tuple(
        PurgedFile(**entry.model_dump(), purged_at=at, reason=reason)
        for entry in seal.files
        if entry.path in gone
    )
    updated = seal.model_copy(
        update={
            "files": tuple(entry for entry in seal.files if entry.path not in gone),
            "purged": seal.purged + moved,
        }
    ).sealed()
    write_atomic(folder.path / SEAL_FILE, updated.to_bytes())
    return updated


def _read_existing(folder: SessionFolder) -> Seal | None:
    try:
        return read_seal(folder)
    except StoreError:
        return None
