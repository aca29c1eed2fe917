"""The session journal: an append-only, hash-chained JSON Lines file, the source of truth.

One line per event::

    {"v":1,"seq":3,"prev":"<sha256 hex of line 2's bytes>","event":{"kind":"note",...}}

* ``v`` is the journal format version (envelope and event payloads together). A reader meeting a
  higher ``v`` reports the line as written by a newer version instead of guessing.
* ``seq`` equals the line number, starting at 1, so a missing or inserted line shows.
* ``prev`` is the SHA-256 of the previous line's bytes (without its newline), or 64 zeros on the
  first line: changing, removing or inserting any line breaks the chain after it. The hash of the
  last line (`final_hash`) goes into record.json so the last line is covered too.
* ``event`` is `event_to_dict(event)` unchanged, audio offsets included.

`Journal.append` returns only after the line is written and fsynced: the UI may show an event once
`append` returned. A crash mid-append can leave a torn last line (no newline); it was never
acknowledged, so readers tolerate and report it and `Journal.open_for_append` cuts it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Protocol, get_args

from pydantic import ValidationError

from kasuhara_timer.session.events import Event, event_from_dict, event_to_dict
from kasuhara_timer.store.atomic import fsync_directory, open_private
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error
from kasuhara_timer.store.vault import read_plain
from kasuhara_timer.system import locks
from kasuhara_timer.system.files import binary

JOURNAL_FILE = "journal.jsonl"
JOURNAL_VERSION = 1
GENESIS_HASH = "0" * 64
"""The `prev` of the first line."""

_KNOWN_KINDS = frozenset(
    str(model.model_fields["kind"].default) for model in get_args(get_args(Event)[0])
)


class ProblemKind(StrEnum):
    """What is wrong with a journal line."""

    TORN_TAIL = "torn_tail"
    """The last line has no newline: a crash mid-append. Never acknowledged, so nothing lost."""
    UNREADABLE = "unreadable"
    """Not a JSON object with v, seq, prev and event (a corrupted or hand-edited line)."""
    INVALID_EVENT = "invalid_event"
    """The envelope is fine but the event does not match its kind."""
    NEWER_VERSION = "newer_version"
    """Written by a newer kasuhara-timer (higher `v` or an event kind this version lacks)."""
    CHAIN_BROKEN = "chain_broken"
    """`prev` does not match the line before: something before this line was changed."""
    SEQ_MISMATCH = "seq_mismatch"
    """`seq` is not the line number: a line was removed or inserted."""


@dataclass(frozen=True)
class JournalProblem:
    """One thing wrong with a journal, with the line it concerns (1-based)."""

    line: int
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class JournalEntry:
    """One journaled event with its place in the chain."""

    seq: int
    prev: str
    hash: str
    """SHA-256 of this entry's line; the next line's `prev`."""
    event: Event


@dataclass(frozen=True)
class JournalReadResult:
    """Everything readable in a journal, and every problem found, in line order."""

    path: Path
    entries: tuple[JournalEntry, ...]
    problems: tuple[JournalProblem, ...]
    lines: int
    """Complete (newline-terminated) lines in the file."""
    final_hash: str
    """SHA-256 of the last complete line (the genesis hash for an empty journal)."""
    good_size: int
    """Bytes up to the end of the last complete line; the rest is a torn tail."""

    @property
    def events(self) -> tuple[Event, ...]:
        """The readable events in order."""
        return tuple(entry.event for entry in self.entries)

    @property
    def intact(self) -> bool:
        """True when no line has any problem (a torn tail counts: it is reported)."""
        return not self.problems

    @property
    def damaged(self) -> tuple[JournalProblem, ...]:
        """Problems other than a torn tail: evidence that something is missing or was changed."""
        return tuple(p for p in self.problems if p.kind is not ProblemKind.TORN_TAIL)


def line_hash(line: bytes) -> str:
    """The chain hash of one journal line (its bytes without the newline)."""
    return hashlib.sha256(line).hexdigest()


def encode_line(seq: int, prev: str, event: Event) -> bytes:
    """The bytes of one journal line, without the newline.

    UTF-8 keeps Japanese readable with any text tool; a string Python holds but UTF-8 cannot
    (a lone surrogate pasted from a terminal) falls back to JSON escapes rather than failing.
    """
    envelope = {"v": JOURNAL_VERSION, "seq": seq, "prev": prev, "event": event_to_dict(event)}
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(envelope, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def read_journal(path: Path) -> JournalReadResult:
    """Read a journal, checking every line and the hash chain; never skips a problem silently.

    A journal encrypted at its session's close (``journal.jsonl.age``) is decrypted in memory
    with the unlocked supervisor identity (`vault`). Raises `StoreError` only when the file
    cannot be read at all (or is encrypted and no identity opens it).
    """
    try:
        data = read_plain(path)
    except OSError as error:
        raise store_error(error, path, "read the journal") from error
    return parse_journal(path, data)


def parse_journal(path: Path, data: bytes, *, events: bool = True) -> JournalReadResult:
    """`read_journal` on bytes already read (for verify and tests).

    `events=False` checks every line's envelope and the hash chain but builds no events (the
    result has no entries, and an event whose fields are invalid goes unnoticed): the review's
    index uses it to see whether a record.json is current without validating every event.
    """
    *complete, tail = data.split(b"\n")
    problems: list[JournalProblem] = []
    entries: list[JournalEntry] = []
    expected_prev = GENESIS_HASH
    for number, line in enumerate(complete, start=1):
        entry = _parse_line(number, line, expected_prev, problems, events)
        if entry is not None:
            entries.append(entry)
        expected_prev = line_hash(line)
    good_size = len(data) - len(tail)
    if tail:
        problems.append(
            JournalProblem(
                len(complete) + 1,
                ProblemKind.TORN_TAIL,
                f"incomplete last line ({len(tail)} bytes without a newline): the app stopped "
                "while writing it; it was never shown as saved",
            )
        )
    return JournalReadResult(
        path=path,
        entries=tuple(entries),
        problems=tuple(problems),
        lines=len(complete),
        final_hash=expected_prev,
        good_size=good_size,
    )


def _parse_line(
    number: int, line: bytes, expected_prev: str, problems: list[JournalProblem], events: bool
) -> JournalEntry | None:
    def report(kind: ProblemKind, message: str) -> None:
        problems.append(JournalProblem(number, kind, message))

    if not events:
        quick = _ENVELOPE.match(line)
        if quick is not None:  # as `encode_line` writes it: no need to decode the whole line
            fields = int(quick[1]), int(quick[2]), quick[3].decode("ascii")
            if _envelope_fits(*fields, number, expected_prev, report):
                _known_kind(quick[4].decode("ascii"), report)
            return None
    try:
        envelope = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        report(ProblemKind.UNREADABLE, f"not a readable journal line ({error})")
        return None
    if not isinstance(envelope, dict):
        report(ProblemKind.UNREADABLE, "not a JSON object")
        return None
    version, seq, prev, payload = (envelope.get(k) for k in ("v", "seq", "prev", "event"))
    if not isinstance(version, int) or not isinstance(seq, int) or not isinstance(prev, str):
        report(ProblemKind.UNREADABLE, "missing or malformed 'v', 'seq' or 'prev'")
        return None
    if not _envelope_fits(version, seq, prev, number, expected_prev, report):
        return None
    if not isinstance(payload, dict):
        report(ProblemKind.UNREADABLE, "missing or malformed 'event'")
        return None
    kind = payload.get("kind")
    if not _known_kind(kind, report) or not events:
        return None
    try:
        event = event_from_dict(payload)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        report(ProblemKind.INVALID_EVENT, f"invalid {kind!r} event: {where}: {first['msg']}")
        return None
    return JournalEntry(seq=seq, prev=prev, hash=line_hash(line), event=event)


_ENVELOPE = re.compile(
    rb'\{"v":(\d+),"seq":(\d+),"prev":"([0-9a-f]{64})","event":\{.*?"kind":"([a-z_]+)"'
)
"""The start of a line as `encode_line` writes it, up to the event's kind (which follows `t`,
`at` and `audio`, none of which can hold the text `"kind":"` unescaped)."""


def _envelope_fits(
    version: int,
    seq: int,
    prev: str,
    number: int,
    expected_prev: str,
    report: Callable[[ProblemKind, str], None],
) -> bool:
    """Report what is wrong with a line's envelope; False when its event cannot be read."""
    if prev != expected_prev:
        report(
            ProblemKind.CHAIN_BROKEN,
            "hash chain broken: 'prev' does not match the line before, so an earlier line "
            "was changed, removed or inserted after this one was written",
        )
    if seq != number:
        report(ProblemKind.SEQ_MISMATCH, f"sequence number {seq} where {number} was expected")
    if version > JOURNAL_VERSION:
        report(
            ProblemKind.NEWER_VERSION,
            f"written by a newer version of kasuhara-timer (journal format {version}, "
            f"this version reads {JOURNAL_VERSION})",
        )
        return False
    return True


def _known_kind(kind: object, report: Callable[[ProblemKind, str], None]) -> bool:
    if kind in _KNOWN_KINDS:
        return True
    report(
        ProblemKind.NEWER_VERSION,
        f"unknown event kind {kind!r}: written by a newer version of kasuhara-timer?",
    )
    return False


class JournalWatcher(Protocol):
    """Told of every line a `Journal` appended and of its closing: signed checkpoints.

    Its methods never raise (a failure to sign must not lose or hide an event already on disk);
    they keep their own problems for the desk to show.
    """

    def appended(self, entry: JournalEntry) -> None:
        """A line was written and fsynced."""

    def closed(self) -> None:
        """The journal is being closed by its writer: the last chance to vouch for its end."""


WatcherFactory = Callable[[Path, int, str], JournalWatcher]
"""Makes the watcher of a journal opened at (path, last seq, last hash)."""

_watchers: list[WatcherFactory] = []


def watch_journals(factory: WatcherFactory | None) -> None:
    """Have every journal this process creates or continues watched by `factory`'s watcher.

    The desk sets this once at start (its signed checkpoints and ledger); None stops it. One
    process writes as one desk account, so the choice is the process's, not each caller's.
    """
    _watchers.clear()
    if factory is not None:
        _watchers.append(factory)


class JournalHealth(StrEnum):
    """Whether the file at a journal's path is still the one being written (`Journal.health`)."""

    OK = "ok"
    DELETED = "deleted"
    """The file was removed (or renamed away): appends would go into a file no one can read."""
    REPLACED = "replaced"
    """Another file, or other bytes, now sit at the journal's path."""
    UNWRITABLE = "unwritable"
    """The file can no longer be opened for writing (permissions, an immutable flag)."""


@dataclass
class Journal:
    """An open journal that appends events durably. One writer per journal (locked)."""

    path: Path
    _fd: int
    seq: int
    """The sequence number of the last line written (0 for a new journal)."""
    last_hash: str
    """The hash of the last line written: the next line's `prev`."""
    recovery: JournalReadResult | None = None
    """What `open_for_append` found (problems, a torn tail it cut off); None for a new journal."""
    _size: int = 0
    _needs_repair: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    watcher: JournalWatcher | None = None
    """Told of each append and of the close (see `watch_journals`)."""
    _written: bytearray = field(default_factory=bytearray)
    """Every complete line of the journal, kept so a deleted file can be written again."""

    @classmethod
    def create(cls, path: Path) -> Journal:
        """A new, empty journal (0600; 0660 shared); fails if one exists. Folder fsynced."""
        try:
            fd = open_private(path, _open_flags() | os.O_EXCL)
        except OSError as error:
            raise store_error(error, path, "create the journal") from error
        journal = cls(path, fd, seq=0, last_hash=GENESIS_HASH)
        try:
            journal._lock_file()
            os.fsync(fd)
            fsync_directory(path.parent)
        except BaseException:
            journal.close()
            raise
        journal._watch()
        return journal

    @classmethod
    def open_for_append(cls, path: Path) -> Journal:
        """Continue an existing journal (after a crash): a torn last line is cut off and reported
        in `recovery`, and the sequence and chain continue from the last complete line."""
        try:
            fd = os.open(path, _open_flags())
        except OSError as error:
            raise store_error(error, path, "open the journal") from error
        journal = cls(path, fd, seq=0, last_hash=GENESIS_HASH)
        try:
            journal._lock_file()
            result = read_journal(path)
            journal.seq = result.lines
            journal.last_hash = result.final_hash
            journal.recovery = result
            journal._size = result.good_size
            journal._written = bytearray(path.read_bytes()[: result.good_size])
            if os.fstat(fd).st_size != result.good_size:
                try:
                    journal._repair()
                except OSError as error:
                    raise store_error(error, path, "cut off the incomplete last line") from error
        except BaseException:
            journal.close()
            raise
        journal._watch()
        return journal

    def append(self, event: Event) -> JournalEntry:
        """Write one event and fsync it; when this returns the event survives a crash.

        On failure (disk full, permission lost) nothing already written is touched, the partial
        line is removed where possible, and `StoreError` says which file and why; the same event
        may be appended again later.
        """
        with self._lock:
            seq = self.seq + 1
            line = encode_line(seq, self.last_hash, event)
            data = line + b"\n"
            try:
                if self._needs_repair:
                    self._repair()
                _write_all(self._fd, data)
                os.fsync(self._fd)
            except OSError as error:
                self._needs_repair = True
                with contextlib.suppress(OSError):
                    self._repair()
                raise store_error(error, self.path, "append to the journal") from error
            entry = JournalEntry(seq=seq, prev=self.last_hash, hash=line_hash(line), event=event)
            self.seq = seq
            self.last_hash = entry.hash
            self._size += len(data)
            self._written += data
            watcher = self.watcher
        if watcher is not None:
            watcher.appended(entry)
        return entry

    def close(self) -> None:
        """Release the file (and its lock); waits for an append in progress on another thread."""
        watcher, self.watcher = self.watcher, None
        if watcher is not None and self._fd >= 0:
            watcher.closed()
        with self._lock:
            if self._fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def health(self) -> JournalHealth:
        """Is the file at `path` still this journal, whole and writable? Cheap (two stats and
        an open), for the desk to ask every half second while a session is open."""
        with self._lock:
            return self._health()

    def restore(self) -> bool:
        """Write the journal again from memory after it was deleted or replaced; True when the
        file at `path` is this journal again. A replacement is kept beside it, renamed
        ``journal.jsonl.replaced-<n>``, as evidence. An unwritable file cannot be restored."""
        with self._lock:
            health = self._health()
            if health is JournalHealth.OK:
                return True
            if health is JournalHealth.UNWRITABLE or self._fd < 0:
                return False
            try:
                if health is JournalHealth.REPLACED and self.path.exists():
                    self.path.rename(_aside(self.path))
                fd = open_private(self.path, _open_flags() | os.O_EXCL)
            except OSError:
                return False
            try:
                _write_all(fd, bytes(self._written))
                os.fsync(fd)
                fsync_directory(self.path.parent)
            except (OSError, StoreError):
                os.close(fd)
                return False
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = fd
            self._size = len(self._written)
            with contextlib.suppress(StoreError):
                self._lock_file()
            return True

    def _health(self) -> JournalHealth:
        if self._fd < 0:
            return JournalHealth.OK
        try:
            mine = os.fstat(self._fd)
            there = os.stat(self.path)
        except FileNotFoundError:
            return JournalHealth.DELETED
        except OSError:
            return JournalHealth.UNWRITABLE
        if (there.st_ino, there.st_dev) != (mine.st_ino, mine.st_dev):
            return JournalHealth.REPLACED
        if mine.st_nlink == 0:
            return JournalHealth.DELETED
        if there.st_size != self._size:
            return JournalHealth.REPLACED  # cut back or written by another program
        try:
            os.close(os.open(self.path, _open_flags()))
        except OSError:
            return JournalHealth.UNWRITABLE
        return JournalHealth.OK

    def _watch(self) -> None:
        if _watchers:
            self.watcher = _watchers[0](self.path, self.seq, self.last_hash)

    def _repair(self) -> None:
        """Cut the file back to the end of the last line known to be complete."""
        os.ftruncate(self._fd, self._size)
        os.fsync(self._fd)
        self._needs_repair = False

    def _lock_file(self) -> None:
        """One writer per journal, readers never blocked (`system.locks`), on Windows too."""
        try:
            locks.try_lock(self._fd)
        except locks.LockBusy as error:
            in_use = "the session is open in another kasuhara-timer window"
            raise StoreError(in_use, self.path, StoreProblem.IN_USE) from error
        except OSError as error:
            if error.errno not in locks.UNSUPPORTED_ERRNOS:  # network folders may lack locks
                raise store_error(error, self.path, "lock the journal") from error


def journal_in_use(path: Path) -> bool:
    """True when another window (or process) holds the journal open for appending."""
    return locks.held_elsewhere(path)


def _aside(path: Path) -> Path:
    number = 1
    while (candidate := path.with_name(f"{path.name}.replaced-{number}")).exists():
        number += 1
    return candidate


def _open_flags() -> int:
    return os.O_WRONLY | os.O_APPEND | binary()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
