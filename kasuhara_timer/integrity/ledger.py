"""Each desk's ledger: a signed, hash-chained list of the sessions it started and closed.

``<data>/ledgers/<key id>.jsonl``, one file per desk key, written only by that desk (one writer per
file). A line is a `chainlog` line signed by the desk key (``prev`` included)::

    {"v":1,"prev":"…","what":"start","session":"20260401-093012_DESK-07_3fa9c1","drill":false,
     "lines":1,"head":"<sha256 of journal line 1>","at":"2026-04-01T09:30:12+09:00",
     "by":{…},"sig":"…"}

``what`` is ``start`` (the session's first line was written) or ``close`` (its writer closed the
journal: ``lines`` and ``head`` are the journal's end then; a resumed or archived session gets
more). `verify --all` reads every ledger: a session a ledger knows but the folder lacks, a journal
shorter than the ledger says (or not passing through its head), and a ledger whose chain or
signatures fail are problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kasuhara_timer.integrity.chainlog import LogProblem, append_to_log, read_log
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.trust.keys import PublicKey, Signer
from kasuhara_timer.trust.signing import check_record, sign_record

LEDGERS_DIR = "ledgers"


@dataclass(frozen=True)
class LedgerEntry:
    """One line of a ledger: a session started or closed with its journal's end then."""

    line: int
    what: str
    session: str
    drill: bool
    lines: int
    head: str
    at: datetime | None


@dataclass
class Ledger:
    """One desk's ledger as read: its key, its entries and every problem."""

    path: Path
    key: PublicKey | None
    entries: list[LedgerEntry] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)
    length: int = 0
    """Lines in the file (complete ones)."""
    head: str = ""
    """The ``sig`` of the last line, so a witness can tell a rewritten ledger of equal length."""

    @property
    def key_id(self) -> str:
        """The key id the file is named after."""
        return self.path.stem

    def sessions(self) -> dict[str, LedgerEntry]:
        """Each session's latest entry (the furthest the ledger vouches its journal went)."""
        latest: dict[str, LedgerEntry] = {}
        for entry in self.entries:
            known = latest.get(entry.session)
            if known is None or entry.lines >= known.lines:
                latest[entry.session] = entry
        return latest

    def started(self) -> datetime | None:
        """When the ledger's first entry was written."""
        return next((e.at for e in self.entries if e.at is not None), None)


def ledgers_dir(data_dir: Path) -> Path:
    """Where the desks' ledgers live in a data folder."""
    return data_dir / LEDGERS_DIR


def ledger_path(data_dir: Path, key_id: str) -> Path:
    """The ledger of the desk with this key."""
    return ledgers_dir(data_dir) / f"{key_id}.jsonl"


def append_ledger(
    data_dir: Path,
    signer: Signer,
    *,
    what: str,
    session: str,
    drill: bool,
    lines: int,
    head: str,
    at: datetime,
) -> None:
    """Append one signed line to this desk's ledger (fsynced); `StoreError` names the file."""
    record: dict[str, Any] = {
        "v": 1,
        "what": what,
        "session": session,
        "drill": drill,
        "lines": lines,
        "head": head,
        "at": at.isoformat(),
    }
    append_to_log(
        ledger_path(data_dir, signer.key_id), [record], sign=lambda d: sign_record(d, signer)
    )


def read_ledgers(data_dir: Path) -> list[Ledger]:
    """Every ledger in the data folder, each checked line by line."""
    folder = ledgers_dir(data_dir)
    try:
        paths = sorted(folder.glob("*.jsonl"))
    except OSError:
        return []
    return [read_ledger(path) for path in paths]


def read_ledger(path: Path) -> Ledger:
    """One ledger: chain, signatures (all by the key it is named after), entries."""
    try:
        read = read_log(path)
    except StoreError as error:
        return Ledger(path, None, problems=[LogProblem(0, str(error))])
    ledger = Ledger(path, None, problems=list(read.problems))
    ledger.length = max((line.line for line in read.lines), default=0)
    for line in read.lines:
        check = check_record(line.data)
        if not check.valid or check.signer is None:
            ledger.problems.append(LogProblem(line.line, f"signature: {check.reason}"))
            continue
        if check.signer.key_id != ledger.key_id:
            ledger.problems.append(
                LogProblem(line.line, f"signed by another key ({check.signer.key_id})")
            )
            continue
        ledger.key = ledger.key or check.signer
        ledger.head = str(line.data.get("sig", ""))
        data = line.data
        try:
            at = datetime.fromisoformat(str(data.get("at")))
        except ValueError:
            at = None
        ledger.entries.append(
            LedgerEntry(
                line=line.line,
                what=str(data.get("what", "")),
                session=str(data.get("session", "")),
                drill=bool(data.get("drill", False)),
                lines=int(data.get("lines", 0)),
                head=str(data.get("head", "")),
                at=at,
            )
        )
    ledger.problems.sort(key=lambda p: p.line)
    return ledger
