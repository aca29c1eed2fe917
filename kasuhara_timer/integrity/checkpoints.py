"""Signed checkpoints of a journal's hash chain, written by the desk as it goes.

``<session>/checkpoints.jsonl``: `chainlog` lines, each signed by the desk key, saying "line
``seq`` of this session's journal hashes to ``head``"::

    {"v":1,"prev":"…","session":"…","seq":12,"head":"<sha256 of line 12>",
     "at":"2026-04-01T09:41:03+09:00","final":false,"by":{…},"sig":"…"}

The desk writes one at most `INTERVAL` seconds after any line it appended (at once when the last
was longer ago, else on a timer), and a ``final`` one when it closes the journal. So changing,
cutting back or re-chaining a journal, even with the product's own functions, breaks a signature
only that desk's key can make. The file is excluded from the seal: it vouches for itself.

`SignedCheckpoints` is the store's `JournalWatcher`; `watch_with_desk_key` makes every journal of
the process watched by one, which also writes the desk's ledger lines (`ledger`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kasuhara_timer.integrity.chainlog import LogProblem, append_to_log, read_log
from kasuhara_timer.integrity.ledger import append_ledger
from kasuhara_timer.integrity.seal import CHECKPOINTS_FILE
from kasuhara_timer.locations import sessions_dir
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.journal import (
    JournalEntry,
    JournalWatcher,
    line_hash,
    watch_journals,
)
from kasuhara_timer.trust.keys import PublicKey, Signer
from kasuhara_timer.trust.signing import check_record, sign_record

INTERVAL = 2.0
"""Seconds at most between a journaled line and the signed checkpoint that covers it."""
_DRILLS = sessions_dir(Path(), drill=True).name


class SignedCheckpoints:
    """Signs checkpoints of one journal, and writes the desk's ledger lines for it."""

    def __init__(
        self,
        journal_path: Path,
        signer: Signer,
        clock: Clock,
        *,
        seq: int = 0,
        head: str = "",
        interval: float = INTERVAL,
        ledger: bool = True,
    ) -> None:
        self.path = journal_path.parent / CHECKPOINTS_FILE
        self.session = journal_path.parent.name
        self.drill = journal_path.parent.parent.name == _DRILLS
        self.data_dir = journal_path.parent.parent.parent
        self.signer = signer
        self.clock = clock
        self.interval = interval
        self.ledger = ledger
        self.errors: list[str] = []
        """What could not be written (shown by the desk; the events themselves are safe)."""
        self._seq, self._head = seq, head
        self._signed = seq  # a continued journal's earlier lines were vouched for already
        self._last_write = float("-inf")
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    @property
    def signed_seq(self) -> int:
        """The last line a signed checkpoint covers."""
        return self._signed

    def appended(self, entry: JournalEntry) -> None:
        """Note a new line; sign it now when the last checkpoint is old enough, else soon."""
        with self._lock:
            self._seq, self._head = entry.seq, entry.hash
            if entry.seq == 1 and self.ledger:
                self._ledger("start")
            wait = self._last_write + self.interval - self.clock.monotonic()
            if wait <= 0:
                self._write(final=False)
            elif self._timer is None:
                self._timer = threading.Timer(wait, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Sign the latest line if no checkpoint covers it yet."""
        with self._lock:
            self._timer = None
            if self._seq > self._signed:
                self._write(final=False)

    def closed(self) -> None:
        """The final checkpoint and the ledger's ``close`` line."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._seq == 0:
                return
            self._write(final=True)
            if self.ledger:
                self._ledger("close")

    def _write(self, *, final: bool) -> None:
        record: dict[str, Any] = {
            "v": 1,
            "session": self.session,
            "seq": self._seq,
            "head": self._head,
            "at": self.clock.now().isoformat(),
            "final": final,
        }
        try:
            append_to_log(self.path, [record], sign=lambda d: sign_record(d, self.signer))
        except StoreError as error:
            self.errors.append(str(error))
            return
        self._signed = self._seq
        self._last_write = self.clock.monotonic()

    def _ledger(self, what: str) -> None:
        try:
            append_ledger(
                self.data_dir,
                self.signer,
                what=what,
                session=self.session,
                drill=self.drill,
                lines=self._seq,
                head=self._head,
                at=self.clock.now(),
            )
        except StoreError as error:
            self.errors.append(str(error))


def watch_with_desk_key(signer: Signer | None, clock: Clock) -> None:
    """Sign every journal this process writes with `signer` (None: stop signing)."""
    if signer is None:
        watch_journals(None)
        return

    def factory(path: Path, seq: int, head: str) -> JournalWatcher:
        return SignedCheckpoints(path, signer, clock, seq=seq, head=head)

    watch_journals(factory)


# -- reading them back -----------------------------------------------------------------------


@dataclass
class CheckpointRead:
    """A session's checkpoints as verify sees them."""

    present: bool
    signer: PublicKey | None = None
    covered: int = 0
    """The furthest journal line a valid checkpoint vouches for."""
    final: bool = False
    """True when the furthest checkpoint is the desk's final one (the journal was closed)."""
    problems: list[str] = field(default_factory=list)
    """Checkpoints that are damaged or that the journal contradicts."""
    signed_at: str = ""


def check_checkpoints(folder: Path, line_hashes: list[str]) -> CheckpointRead:
    """Check a session's checkpoints against its journal's line hashes (line 1 first)."""
    path = folder / CHECKPOINTS_FILE
    if not path.exists():
        return CheckpointRead(present=False)
    result = CheckpointRead(present=True)
    try:
        read = read_log(path)
    except StoreError as error:
        result.problems.append(str(error))
        return result
    result.problems += [_line(p) for p in read.problems if not p.torn]
    for line in read.lines:
        data = line.data
        check = check_record(data)
        where = f"{CHECKPOINTS_FILE} line {line.line}"
        if not check.valid or check.signer is None:
            result.problems.append(f"{where}: {check.reason}")
            continue
        if result.signer is None:
            result.signer = check.signer
        elif check.signer.key_id != result.signer.key_id:
            result.problems.append(f"{where}: signed by another key ({check.signer.key_id})")
            continue
        if data.get("session") != folder.name:
            result.problems.append(f"{where}: belongs to another session ({data.get('session')})")
            continue
        seq, head = data.get("seq"), data.get("head")
        if not isinstance(seq, int) or seq < 1:
            result.problems.append(f"{where}: malformed sequence number")
            continue
        if seq > len(line_hashes):
            result.problems.append(
                f"the journal has {len(line_hashes)} line(s) but the desk signed line {seq} "
                f"({data.get('at')}): it was cut back after it was signed"
            )
            continue
        if line_hashes[seq - 1] != head:
            result.problems.append(
                f"journal line {seq} is not the one the desk signed ({data.get('at')}): the "
                "journal was changed or re-chained after it was signed"
            )
            continue
        if seq >= result.covered:
            result.covered, result.final = seq, bool(data.get("final"))
            result.signed_at = str(data.get("at", ""))
    return result


def journal_line_hashes(data: bytes) -> list[str]:
    """The chain hash of every complete line of a journal's bytes."""
    *complete, _tail = data.split(b"\n")
    return [line_hash(line) for line in complete]


def _line(problem: LogProblem) -> str:
    return f"{CHECKPOINTS_FILE} line {problem.line}: {problem.message}"
