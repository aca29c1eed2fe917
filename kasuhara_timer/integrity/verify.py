"""`verify`: is a session's evidence exactly as it was written? Says what does not match.

Checks, each independent so one damaged file never hides another:

* journal.jsonl: every line readable, the hash chain unbroken, sequence numbers in order;
* record.json: readable, its `journal.final_hash` equal to the journal's last line (which the
  chain alone does not cover), and byte for byte what the journal rebuilds (with the profile the
  session ran under; the audio section from the journal's `AudioArchived`);
* sheet.html: byte for byte what the record renders;
* audio: each file the record's audio section names, against its SHA-256 and size; the
  recorder's manifest against that section; raw segments against the manifest's PCM hash;
* seal.json (when sealed): every file of the folder against its sealed SHA-256, no file missing,
  none added;
* checkpoints.jsonl: each checkpoint's desk signature, and the journal line it names against the
  hash it signed; lines after the last one are not vouched for by any key.

The ledgers and the supervisor's witness are checked across sessions (`evidence.audit`).

A finding is a *problem* (something changed, is missing or is damaged: exit status 1) or a
*note* (something could not be checked, or is expected: an unfinished session, purged audio).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kasuhara_timer.audio.archive import decoded_sound
from kasuhara_timer.audio.segments import list_segments
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.checkpoints import check_checkpoints, journal_line_hashes
from kasuhara_timer.integrity.retention import purged_files
from kasuhara_timer.integrity.seal import (
    CHECKPOINTS_FILE,
    SEAL_FILE,
    Seal,
    file_sha256,
    read_seal,
    session_files,
)
from kasuhara_timer.integrity.signoff_check import check_signoffs
from kasuhara_timer.policy.loader import session_policy
from kasuhara_timer.session.events import AudioArchived, Ended, Started
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.store import vault
from kasuhara_timer.store.answers import ANSWERS_DIR, check_answers
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import AUDIO_DIR, RECORD_FILE, SHEET_FILE, SessionFolder
from kasuhara_timer.store.journal import (
    JOURNAL_FILE,
    JournalProblem,
    JournalReadResult,
    ProblemKind,
    read_journal,
)
from kasuhara_timer.store.record import Record, build_record, read_record
from kasuhara_timer.trust.keys import PublicKey
from kasuhara_timer.trust.signing import Keyring

MANIFEST_FILE = f"{AUDIO_DIR}/recording.json"
MAX_DIFFERENCES = 5

_PROFILE_PARTS = re.compile(
    r"^(session\.profile\.|session\.limit\.|sheet\.method_options|"
    r"sheet\.(checklist_source|sheet_source)$|"
    r"sheet\.fields\[\d+\]\.(label|hint|no)$|sheet\.checklist\[\d+\]\.(text|example|no)$|"
    r"session\.furthest_step\.(index|of)$)"
)
"""Parts of record.json taken from the profile rather than the journal."""
_PROBLEM_KINDS = frozenset(kind.value for kind in ProblemKind)


class Severity(StrEnum):
    """Whether a finding makes the session fail verification."""

    PROBLEM = "problem"
    NOTE = "note"


@dataclass(frozen=True)
class Finding:
    """One thing verify found, about one file of the session (relative path, `/`-separated)."""

    file: str
    message: str
    severity: Severity = Severity.PROBLEM
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class VerifyReport:
    """What verify found for one session."""

    folder: SessionFolder
    findings: tuple[Finding, ...]
    events: int
    """Readable events in the journal."""
    checked: tuple[str, ...]
    """Files compared byte for byte (by hash, rebuild or rendering)."""
    sealed_at: datetime | None
    signer: PublicKey | None = None
    """The desk key whose checkpoints vouch for the journal (None: not signed)."""
    signed_lines: int = 0
    """How many journal lines a valid signed checkpoint covers."""
    line_hashes: tuple[str, ...] = ()
    """The hash of every complete journal line, for the ledger and witness checks."""
    journal_read: bool = True
    """False when the journal could not be read (missing, damaged file, encrypted and no
    identity): the ledger and witness then cannot compare its lines."""

    @property
    def problems(self) -> tuple[Finding, ...]:
        """Findings that mean the evidence is not as written."""
        return tuple(f for f in self.findings if f.severity is Severity.PROBLEM)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Findings that are only information."""
        return tuple(f for f in self.findings if f.severity is Severity.NOTE)

    @property
    def intact(self) -> bool:
        """True when nothing checked differs from what was written."""
        return not self.problems


@dataclass
class _Check:
    folder: SessionFolder
    data_dir: Path
    findings: list[Finding] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    purged: dict[str, str] = field(default_factory=dict)
    """Files the retention rule deleted, with when and why."""
    keyring: Keyring | None = None

    def problem(self, file: str, message: str, line: int | None = None) -> None:
        self.findings.append(Finding(file, message, Severity.PROBLEM, line))

    def note(self, file: str, message: str) -> None:
        self.findings.append(Finding(file, message, Severity.NOTE))


@dataclass(frozen=True)
class _Signed:
    signer: PublicKey | None
    lines: int
    hashes: tuple[str, ...]
    read: bool = True


def verify_session(
    folder: SessionFolder, *, data_dir: Path | None = None, keyring: Keyring | None = None
) -> VerifyReport:
    """Check every file of a session against what was written; never raises for bad content.

    `data_dir` (default: the folder's grandparent) is where the purge log is looked up; only
    purge entries a supervisor of `keyring` signed explain a missing file.
    """
    check = _Check(folder, data_dir or folder.path.parent.parent, keyring=keyring)
    journal = _check_journal(check)
    seal = _read_seal(check)
    check.purged = _purged(check, seal)
    if seal is not None:
        _check_sealed_files(check, seal, journal)
    record = _check_record(check, journal, seal) if journal is not None else None
    _check_audio(check, record, seal)
    for file, message, problem in check_signoffs(
        check.data_dir, folder.name, journal.final_hash if journal is not None else None
    ):
        (check.problem if problem else check.note)(file, message)
    if journal is not None:  # the board's answers to calls for help, against the journal
        for message in check_answers(folder.path, journal.events):
            check.problem(ANSWERS_DIR, message)
    signed = _check_signatures(check, journal)
    return VerifyReport(
        folder=folder,
        findings=tuple(check.findings),
        events=len(journal.entries) if journal is not None else 0,
        checked=tuple(sorted(check.checked)),
        sealed_at=seal.sealed_at if seal is not None else None,
        signer=signed.signer,
        signed_lines=signed.lines,
        line_hashes=signed.hashes,
        journal_read=signed.read,
    )


# -- signatures ------------------------------------------------------------------------------


def _check_signatures(check: _Check, journal: JournalReadResult | None) -> _Signed:
    """The desk's signed checkpoints against the journal's lines."""
    folder = check.folder
    if journal is None:  # missing, unreadable or encrypted without an identity: said above
        return _Signed(None, 0, (), read=False)
    try:
        hashes = journal_line_hashes(vault.read_plain(folder.journal))
    except (OSError, StoreError):
        return _Signed(None, 0, (), read=False)
    found = check_checkpoints(folder.path, hashes)
    for problem in found.problems:
        check.problem(CHECKPOINTS_FILE, problem)
    if not found.present:
        if hashes:
            check.note(
                CHECKPOINTS_FILE,
                "not signed: no desk signed this journal, so its hashes prove only that nothing "
                "changed by accident (anyone who can write the folder could rewrite them)",
            )
        return _Signed(None, 0, tuple(hashes))
    unvouched = len(hashes) - found.covered
    if found.signer is not None and unvouched > 0:
        if found.final:
            check.problem(
                JOURNAL_FILE,
                f"{unvouched} line(s) after the desk's final signed checkpoint "
                f"({found.signed_at}): added by someone else",
            )
        else:
            check.note(
                JOURNAL_FILE,
                f"the last {unvouched} line(s) are not yet covered by a signed checkpoint "
                "(in progress, or the desk stopped within seconds of writing them)",
            )
    elif found.signer is not None and found.covered > 0:
        check.checked.add(CHECKPOINTS_FILE)
    return _Signed(found.signer, found.covered, tuple(hashes))


# -- journal ---------------------------------------------------------------------------------


def _check_journal(check: _Check) -> JournalReadResult | None:
    folder = check.folder
    if vault.is_encrypted(folder.journal) and not vault.unlocked():
        check.note(
            JOURNAL_FILE,
            "encrypted to the office's supervisors: its files are checked against the seal only;"
            " with a supervisor identity their contents are checked too",
        )
        return None
    if not vault.exists(folder.journal):
        check.problem(JOURNAL_FILE, "missing: the session's events are gone")
        return None
    try:
        journal = read_journal(folder.journal)
    except StoreError as error:
        check.problem(JOURNAL_FILE, str(error))
        return None
    finished = vault.exists(folder.record)
    for problem in journal.problems:
        if problem.kind is ProblemKind.TORN_TAIL and not finished:
            check.note(JOURNAL_FILE, f"line {problem.line}: {problem.message}")
        else:
            check.problem(JOURNAL_FILE, problem.message, problem.line)
    if journal.lines == 0 and not journal.damaged:
        check.note(
            JOURNAL_FILE,
            "empty: the app stopped before the session's start was saved (nothing was shown)",
        )
    elif not journal.events or not isinstance(journal.events[0], Started):
        check.problem(JOURNAL_FILE, "the first event (the start) cannot be read")
    elif not any(isinstance(event, Ended) for event in journal.events):
        check.note(
            JOURNAL_FILE,
            "the session has not ended (in progress, or interrupted: resume or close it at its "
            "desk); its last line is not yet covered by any hash",
        )
    return journal


# -- record and sheet ------------------------------------------------------------------------


def _check_record(check: _Check, journal: JournalReadResult, seal: Seal | None) -> Record | None:
    folder = check.folder
    if not vault.exists(folder.record):
        if any(isinstance(event, Ended) for event in journal.events):
            check.note(
                RECORD_FILE,
                "not written yet: the session ended but its sheet was not saved (wrap-up open, "
                "or the app stopped before saving)",
            )
        if vault.exists(folder.sheet):
            check.note(SHEET_FILE, "not checked: there is no record.json to check it against")
        return None
    try:
        stored_bytes = vault.read_plain(folder.record)
        record = read_record(folder.record)
    except (StoreError, OSError) as error:
        check.problem(RECORD_FILE, f"unreadable: {error}")
        return None
    built_from = _journal_state(check, record, journal)
    if built_from is None:
        return record
    events, problems, final_hash = built_from
    started = journal.events[0] if journal.events else None
    if not isinstance(started, Started):
        return record
    try:
        policy = session_policy(started.profile, started.profile_source)
    except UserError as error:
        check.note(
            RECORD_FILE, f"not compared with a rebuild: the profile is unavailable ({error})"
        )
        _check_sheet(check, record, seal, rebuilt=False)
        return record
    # the audio section comes from the journal's AudioArchived; older records were given one
    journaled_audio = any(isinstance(event, AudioArchived) for event in events)
    try:
        rebuilt = build_record(
            events,
            policy,
            folder.name,
            journal_hash=final_hash,
            journal_problems=problems,
            audio=None if journaled_audio else record.audio,
            written_by=record.written_by,
        )
    except Exception as error:  # hostile content must be reported, never crash verify
        check.problem(RECORD_FILE, f"cannot be rebuilt from the journal: {error}")
        return record
    if rebuilt.to_json_bytes() == stored_bytes:
        check.checked.add(RECORD_FILE)
    else:
        _report_record_difference(check, stored_bytes, rebuilt, seal, started.profile)
    _check_sheet(check, rebuilt, seal, rebuilt=True)
    return record


def _journal_state(
    check: _Check, record: Record, journal: JournalReadResult
) -> tuple[list[Any], list[JournalProblem], str] | None:
    """The events, problems and hash the record should have been built from, or None."""
    recorded = record.journal.final_hash
    if recorded == journal.final_hash:
        check.checked.add(JOURNAL_FILE)
        return list(journal.events), list(journal.problems), journal.final_hash
    for index, entry in enumerate(journal.entries):
        if entry.hash == recorded:
            later = len(journal.entries) - index - 1
            check.problem(
                RECORD_FILE,
                f"out of date: {later} event(s) were journaled after it was written; it matches "
                f"the journal up to line {entry.seq} (write the record again from the journal)",
            )
            old = [
                JournalProblem(p.line, ProblemKind(p.kind), p.message)
                for p in record.journal.problems
                if p.kind in _PROBLEM_KINDS
            ]
            return [e.event for e in journal.entries[: index + 1]], old, recorded
    check.problem(
        JOURNAL_FILE,
        "its last line does not match the hash record.json holds (journal.final_hash): the "
        "journal was changed after the record was written",
    )
    return None


def _report_record_difference(
    check: _Check, stored: bytes, rebuilt: Record, seal: Seal | None, profile: str
) -> None:
    try:
        stored_data = json.loads(stored.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        stored_data = None
    paths = list(_differences(stored_data, rebuilt.model_dump(mode="json", by_alias=True)))
    shown = ", ".join(paths[:MAX_DIFFERENCES]) + (" …" if len(paths) > MAX_DIFFERENCES else "")
    where = f" at {shown}" if paths else " (same content, different bytes)"
    from_profile = bool(paths) and all(_PROFILE_PARTS.match(path) for path in paths)
    message = f"does not match a rebuild from the journal{where}"
    if from_profile:
        message += (
            f"; all in parts taken from the profile {profile!r}, which may have changed since"
        )
    if _unchanged_since_sealed(check, seal, RECORD_FILE):
        check.note(
            RECORD_FILE,
            message + "; unchanged since sealed, so this version or the "
            "profile builds it differently",
        )
    else:
        check.problem(RECORD_FILE, message)


def _check_sheet(check: _Check, record: Record, seal: Seal | None, *, rebuilt: bool) -> None:
    folder = check.folder
    try:
        stored = vault.read_plain(folder.sheet)
    except FileNotFoundError:
        check.problem(SHEET_FILE, "missing though record.json was written")
        return
    except (OSError, StoreError) as error:
        check.problem(SHEET_FILE, f"unreadable: {error}")
        return
    if render_sheet(record).encode("utf-8") == stored:
        check.checked.add(SHEET_FILE)
        return
    against = "the journal" if rebuilt else "record.json"
    message = f"does not match the sheet rendered again from {against}"
    if _unchanged_since_sealed(check, seal, SHEET_FILE):
        check.note(
            SHEET_FILE, message + "; unchanged since sealed, so this version renders it differently"
        )
    else:
        check.problem(SHEET_FILE, message)


# -- audio -----------------------------------------------------------------------------------


def _check_audio(check: _Check, record: Record | None, seal: Seal | None) -> None:
    folder = check.folder
    section = record.audio if record is not None else None
    purged = check.purged
    if section:
        for name, sha256, size in _hash_references(section):
            relative = f"{AUDIO_DIR}/{name}"
            path = folder.audio / name
            if not vault.exists(path):
                if relative in purged:
                    check.note(relative, purged[relative])
                else:
                    check.problem(relative, "missing: record.json holds its SHA-256")
                continue
            try:
                actual, actual_size = _plain_sha256(path)
            except StoreError as error:
                check.problem(relative, str(error))
                continue
            if actual != sha256:
                check.problem(
                    relative, "SHA-256 differs from record.json's: changed after it was archived"
                )
            elif size is not None and actual_size != size:
                check.problem(relative, "size differs from record.json's")
            else:
                check.checked.add(relative)
        _check_manifest(check, section)
        _check_sound(check, section)
    if seal is None:
        try:
            raw = list_segments(folder.audio)
        except (UserError, OSError) as error:
            check.problem(AUDIO_DIR, str(error))
            return
        if raw and not (section and isinstance(section.get("pcm_sha256"), str)):
            check.note(
                AUDIO_DIR,
                f"{len(raw)} raw segment(s) not covered by any hash yet (not archived, not sealed)",
            )


def _plain_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file's contents, decrypted in memory when it is encrypted."""
    if vault.is_encrypted(path):
        data = vault.read_plain(path)
        return hashlib.sha256(data).hexdigest(), len(data)
    return file_sha256(path), path.stat().st_size


TOLERANCE = 0.05
"""How far (s) a decoded duration may be from the journaled one (encoder frame rounding)."""


def _check_sound(check: _Check, section: Mapping[str, Any]) -> None:
    """Decode the FLAC: its samples must hash to the journaled `pcm_sha256` and last as long as
    journaled; the Opus copy must last as long as the FLAC. So a swapped recording shows even
    when every file hash around it was recomputed."""
    pcm_sha256 = section.get("pcm_sha256")
    files = section.get("files")
    if not isinstance(pcm_sha256, str) or not isinstance(files, list):
        return
    rate, channels = _capture_format(check)
    if rate is None or channels is None:
        if (check.folder.path / MANIFEST_FILE).is_file():
            check.problem(
                MANIFEST_FILE,
                "does not say the recording's format (samplerate, channels): changed or damaged",
            )
        else:
            check.note(AUDIO_DIR, "the sound was not decoded: the recording's format is unknown")
        return
    by_role = {f.get("role"): f for f in files if isinstance(f, Mapping)}
    flac_seconds: float | None = None
    for role in ("original", "listening"):
        entry = by_role.get(role)
        if entry is None:
            continue
        relative = f"{AUDIO_DIR}/{entry.get('name')}"
        path = check.folder.path / relative
        if not vault.exists(path):
            continue  # missing or purged: reported by the hash check
        try:
            data = vault.read_plain(path) if vault.is_encrypted(path) else None
            digest, seconds = decoded_sound(path, rate, channels, data)
        except (UserError, StoreError) as error:
            check.problem(relative, f"cannot be decoded: {error}")
            continue
        journaled = entry.get("duration_seconds")
        if role == "original":
            flac_seconds = seconds
            if digest != pcm_sha256:
                check.problem(
                    relative,
                    "its sound is not the recording the recorder journaled (the decoded "
                    "samples' SHA-256 differs from pcm_sha256)",
                )
            elif isinstance(journaled, int | float) and abs(seconds - journaled) > TOLERANCE:
                check.problem(
                    relative, f"decodes to {seconds:.2f} s, the journal says {journaled:.2f} s"
                )
        elif flac_seconds is not None and abs(seconds - flac_seconds) > 0.1:
            check.problem(
                relative,
                f"decodes to {seconds:.2f} s but the original (FLAC) to {flac_seconds:.2f} s: "
                "not a copy of the same recording",
            )


def _capture_format(check: _Check) -> tuple[int | None, int | None]:
    try:
        manifest = json.loads(vault.read_plain(check.folder.path / MANIFEST_FILE).decode("utf-8"))
    except (OSError, StoreError, UnicodeDecodeError, json.JSONDecodeError):
        return None, None
    if not isinstance(manifest, dict):
        return None, None
    rate, channels = manifest.get("samplerate"), manifest.get("channels")
    valid = isinstance(rate, int) and isinstance(channels, int) and rate > 0 and channels > 0
    return (rate, channels) if valid else (None, None)


def _check_manifest(check: _Check, section: Mapping[str, Any]) -> None:
    """The recorder's manifest must agree with the record; raw segments left must match it."""
    pcm_sha256 = section.get("pcm_sha256")
    if not isinstance(pcm_sha256, str):
        return
    path = check.folder.path / MANIFEST_FILE
    if vault.exists(path):
        try:
            manifest = json.loads(vault.read_plain(path).decode("utf-8"))
        except (OSError, StoreError, UnicodeDecodeError, json.JSONDecodeError) as error:
            check.problem(MANIFEST_FILE, f"unreadable: {error}")
            return
        disagree = _manifest_disagreements(manifest, section)
        if disagree:
            check.problem(
                MANIFEST_FILE, f"differs from record.json's audio section: {', '.join(disagree)}"
            )
            return
    segments_listed = section.get("segments")
    names = [
        str(entry["name"])
        for entry in (segments_listed if isinstance(segments_listed, list) else [])
        if isinstance(entry, Mapping) and "name" in entry
    ]
    try:
        segments = {s.name: s for s in list_segments(check.folder.audio)}
    except (UserError, OSError) as error:
        check.problem(AUDIO_DIR, str(error))
        return
    if names and all(name in segments for name in names):
        digest = hashlib.sha256()
        for name in names:
            segment = segments[name]
            with segment.path.open("rb") as handle:
                digest.update(handle.read(segment.frames * segment.format.frame_bytes))
        if digest.hexdigest() != pcm_sha256:
            check.problem(AUDIO_DIR, "the raw segments differ from the archived recording")
        else:
            check.checked.update(f"{AUDIO_DIR}/{name}" for name in names)


def _manifest_disagreements(manifest: Any, section: Mapping[str, Any]) -> list[str]:
    """Where the archive's manifest and the record's audio section say different things."""
    if not isinstance(manifest, dict):
        return ["not a JSON object"]
    found = []
    if manifest.get("pcm_sha256") != section.get("pcm_sha256"):
        found.append("pcm_sha256")
    if manifest.get("segments") != section.get("segments"):
        found.append("segments")
    listed = {name: (sha, size) for name, sha, size in _hash_references(section)}
    for key in ("flac", "opus"):
        entry = manifest.get(key)
        if isinstance(entry, dict):
            name = entry.get("name")
            if listed.get(str(name)) != (entry.get("sha256"), entry.get("bytes")):
                found.append(f"{key} ({name})")
    return found


def _hash_references(section: Any) -> Iterator[tuple[str, str, int | None]]:
    """Every {name, sha256[, bytes]} object anywhere in the recorder's section."""
    if isinstance(section, Mapping):
        name, sha256, size = section.get("name"), section.get("sha256"), section.get("bytes")
        if isinstance(name, str) and isinstance(sha256, str):
            yield name, sha256, size if isinstance(size, int) else None
        for value in section.values():
            yield from _hash_references(value)
    elif isinstance(section, list | tuple):
        for item in section:
            yield from _hash_references(item)


def _purged(check: _Check, seal: Seal | None) -> dict[str, str]:
    """Files deleted by the retention rule, with a note saying when and why."""
    found: dict[str, str] = {}
    try:
        found.update(purged_files(check.data_dir, check.folder.name, check.keyring))
    except StoreError as error:
        check.note("", f"purge log not readable: {error}")
    if seal is not None:  # the seal (unsigned) says when, but only a signed entry explains it
        for entry in seal.purged:
            if entry.path in found:
                found[entry.path] += f"; sealed as purged {entry.purged_at:%Y-%m-%d %H:%M}"
    return found


# -- seal ------------------------------------------------------------------------------------


def _read_seal(check: _Check) -> Seal | None:
    folder = check.folder
    try:
        seal = read_seal(folder)
    except StoreError as error:
        check.problem(SEAL_FILE, str(error).removeprefix(f"{folder.path / SEAL_FILE}: "))
        return None
    if seal is None and folder.record.exists():
        check.note(
            SEAL_FILE,
            "not sealed: only the journal, record.json, sheet.html and the audio hashes "
            "record.json holds were checked",
        )
    return seal


def _check_sealed_files(check: _Check, seal: Seal, journal: JournalReadResult | None) -> None:
    folder = check.folder
    check.checked.add(SEAL_FILE)
    if seal.session != folder.name:
        check.problem(SEAL_FILE, f"belongs to another session ({seal.session})")
    if journal is not None and seal.journal_final_hash != journal.final_hash:
        check.problem(JOURNAL_FILE, "its last line is not the one sealed: changed after sealing")
    sealed = {entry.path: entry for entry in seal.files}
    try:
        present = set(session_files(folder))
    except OSError as error:
        check.problem("", f"cannot list the session's files: {error}")
        return
    for relative, entry in sealed.items():
        if relative not in present:
            if relative in check.purged:
                check.note(relative, check.purged[relative])
            else:
                check.problem(relative, "missing: it was there when the session was sealed")
            continue
        path = folder.path / relative
        try:
            same = path.stat().st_size == entry.bytes and file_sha256(path) == entry.sha256
        except (StoreError, OSError) as error:
            check.problem(relative, f"unreadable: {error}")
            continue
        if same:
            check.checked.add(relative)
        else:
            check.problem(relative, "changed after the session was sealed (SHA-256 differs)")
    for relative in sorted(present - sealed.keys()):
        if relative in check.purged:
            check.problem(relative, "present again after it was purged")
        else:
            check.problem(relative, "added after the session was sealed")


def _unchanged_since_sealed(check: _Check, seal: Seal | None, relative: str) -> bool:
    if seal is None:
        return False
    entry = next((e for e in seal.files if e.path == relative), None)
    path = check.folder.path / relative
    try:
        return entry is not None and file_sha256(path) == entry.sha256
    except StoreError:
        return False


def _differences(a: Any, b: Any, path: str = "") -> Iterator[str]:
    """JSON paths where two decoded JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            child = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                yield child
            else:
                yield from _differences(a[key], b[key], child)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path} ({len(a)} items, {len(b)} expected)"
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from _differences(x, y, f"{path}[{index}]")
    elif a != b or type(a) is not type(b):
        yield path or "(whole file)"
