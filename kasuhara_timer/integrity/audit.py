"""Checks across sessions: the desks' ledgers and the supervisor's witness against the folders.

`verify --all` calls `audit` after verifying each session. It reports, as problems:

* a ledger whose chain or signatures fail;
* a session a ledger knows but the data folder lacks (unless a purge entry explains it), and a
  journal shorter than the ledger says or not passing through the head it signed;
* a signed session its own desk's ledger does not list, and an unsigned session from a desk
  whose ledger began before it (its desk signs every session, so its signatures were removed);
* anything that contradicts the witness: a desk key that changed, a ledger shorter or
  different, a session gone or its journal changed since this PC saw it (with when);

and raises the witness to what it saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from kasuhara_timer.integrity.accesslog import ACCESS_LOG, read_access_log
from kasuhara_timer.integrity.checkpoints import journal_line_hashes
from kasuhara_timer.integrity.ledger import Ledger, LedgerEntry, ledgers_dir, read_ledgers
from kasuhara_timer.integrity.retention import PURGE_LOG, read_purge_log, vouched_purges
from kasuhara_timer.integrity.verify import Finding, Severity, VerifyReport
from kasuhara_timer.integrity.witness import Witness
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import FOLDER_NAME, SessionFolder
from kasuhara_timer.trust.signing import Keyring


@dataclass
class AuditResult:
    """The reports with what the audit added, and findings about no one session."""

    reports: list[VerifyReport]
    findings: list[Finding] = field(default_factory=list)
    """About ledgers, the witness and sessions whose folder is gone."""
    ledgers: int = 0
    keyring: Keyring | None = None

    @property
    def problems(self) -> list[Finding]:
        """Findings that fail verification."""
        return [f for f in self.findings if f.severity is Severity.PROBLEM]


def audit(
    data_dir: Path,
    reports: Sequence[VerifyReport],
    witness: Witness | None,
    now: datetime,
    *,
    complete: bool = True,
    keyring: Keyring | None = None,
) -> AuditResult:
    """Check the ledgers and the witness against the verified sessions; update the witness.

    `complete` says `reports` cover every session of the folder (verify --all): only then is a
    session the ledgers or the witness know but the reports lack reported as gone.
    """
    extra: dict[str, list[Finding]] = {r.folder.name: [] for r in reports}
    result = AuditResult(list(reports))
    by_name = {r.folder.name: r for r in reports}
    ledgers = read_ledgers(data_dir)
    result.ledgers = len(ledgers)
    purged = _purged_sessions(data_dir, keyring)
    _check_logs(data_dir, keyring, result)
    if witness is not None and witness.problem:
        result.findings.append(Finding("", witness.problem, Severity.NOTE))
    gone = purged if complete else _Everything()
    for ledger in ledgers:
        _check_ledger(ledger, data_dir, by_name, extra, gone, result)
    _check_unlisted(ledgers, reports, extra)
    if witness is not None:
        _check_witness(witness, data_dir, ledgers, reports, extra, gone, result, now)
    result.reports = [
        replace(r, findings=r.findings + tuple(extra[r.folder.name])) for r in reports
    ]
    return result


def _check_ledger(
    ledger: Ledger,
    data_dir: Path,
    by_name: dict[str, VerifyReport],
    extra: dict[str, list[Finding]],
    purged: set[str],
    result: AuditResult,
) -> None:
    where = ledger.path.relative_to(data_dir).as_posix()
    for problem in ledger.problems:
        result.findings.append(Finding(where, problem.message, Severity.PROBLEM, problem.line))
    desk = ledger.key.name if ledger.key is not None else ledger.key_id
    for name, entry in ledger.sessions().items():
        report = by_name.get(name)
        if report is None:
            if name in purged:
                continue
            result.findings.append(
                Finding(
                    f"{'drills' if entry.drill else 'sessions'}/{name}",
                    f"missing: the ledger of desk {desk} lists it ({entry.what} "
                    f"{_when(entry)}, {entry.lines} line(s)), and no purge explains it",
                )
            )
            continue
        _against_ledger(report, entry, desk, ledger.key_id, extra[name])


def _against_ledger(
    report: VerifyReport, entry: LedgerEntry, desk: str, key_id: str, findings: list[Finding]
) -> None:
    if not report.journal_read:
        return  # verify said why its journal cannot be read
    hashes = report.line_hashes
    said = (
        f"the ledger of desk {desk} says {entry.lines} line(s) ending in its head ({_when(entry)})"
    )
    if len(hashes) < entry.lines:
        findings.append(
            Finding("journal.jsonl", f"shorter than its desk wrote: {len(hashes)} line(s); {said}")
        )
    elif entry.lines and hashes[entry.lines - 1] != entry.head:
        findings.append(
            Finding("journal.jsonl", f"line {entry.lines} is not the one {said}: changed")
        )
    if report.signer is None:
        findings.append(
            Finding(
                "checkpoints.jsonl",
                f"unsigned, though the ledger of desk {desk} lists the session: its desk's "
                "signatures were removed",
            )
        )
    elif report.signer.key_id != key_id:
        findings.append(
            Finding(
                "checkpoints.jsonl",
                f"signed by key {report.signer.key_id} ({report.signer.name}), but the ledger "
                f"of desk {desk} ({key_id}) lists the session",
            )
        )


def _check_unlisted(
    ledgers: list[Ledger], reports: Sequence[VerifyReport], extra: dict[str, list[Finding]]
) -> None:
    by_key = {ledger.key_id: ledger for ledger in ledgers}
    listed = {name for ledger in ledgers for name in ledger.sessions()}
    host_start: dict[str, datetime] = {}
    for ledger in ledgers:
        for entry in ledger.entries:
            host = _host(entry.session)
            if host and entry.at is not None:
                at = entry.at.replace(tzinfo=None)  # the desk's wall time, as in folder names
                known = host_start.get(host)
                host_start[host] = at if known is None else min(known, at)
    for report in reports:
        name = report.folder.name
        if name in listed or not report.line_hashes:
            continue
        if report.signer is not None:
            if report.signer.key_id in by_key:
                extra[name].append(
                    Finding(
                        "",
                        f"not in the ledger of its desk {report.signer.name} "
                        f"({report.signer.key_id}): its line was removed, or it was never "
                        "written by that desk",
                    )
                )
            continue
        started = _started(report.folder)
        first = host_start.get(report.folder.host)
        if started is not None and first is not None and started > first:
            extra[name].append(
                Finding(
                    "checkpoints.jsonl",
                    f"unsigned, though desk {report.folder.host} signs every session since "
                    f"{first:%Y-%m-%d %H:%M}: its signatures were removed, or another wrote it",
                )
            )


def _check_witness(
    witness: Witness,
    data_dir: Path,
    ledgers: list[Ledger],
    reports: Sequence[VerifyReport],
    extra: dict[str, list[Finding]],
    purged: set[str],
    result: AuditResult,
    now: datetime,
) -> None:
    present = {r.folder.name for r in reports}
    for name, gone in sorted(witness.sessions.items()):
        if name not in present and name not in purged:
            result.findings.append(
                Finding(
                    name,
                    f"gone since this PC witnessed it ({_seen(gone)}: {gone.get('lines')} "
                    "line(s)), and no purge explains it",
                )
            )
    for report in reports:
        name = report.folder.name
        if not report.journal_read:
            continue
        seen_session = witness.sessions.get(name)
        hashes = report.line_hashes
        if seen_session is not None:
            seen = seen_session
            lines = int(seen.get("lines", 0))
            if len(hashes) < lines or (lines and hashes[lines - 1] != seen.get("head")):
                extra[name].append(
                    Finding(
                        "journal.jsonl",
                        f"changed after it was witnessed ({_seen(seen)}: {lines} line(s) then, "
                        f"{len(hashes)} now, and line {lines} differs or is gone)",
                    )
                )
                continue
        signer = report.signer
        if signer is not None:
            witness.pin(signer.key_id, signer.name, signer.text, now)
            known = witness.hosts.get(signer.name)
            if known is not None and known != signer.key_id:
                first = witness.desks.get(known, {})
                extra[name].append(
                    Finding(
                        "checkpoints.jsonl",
                        f"signed by a new key for desk account {signer.name} ({signer.key_id}); "
                        f"this PC pinned {known} for it on "
                        f"{str(first.get('first_seen', ''))[:16].replace('T', ' ')}: a "
                        "reinstalled desk, or someone signing in its name",
                    )
                )
            else:
                witness.hosts.setdefault(signer.name, signer.key_id)
        if hashes:
            witness.saw_session(
                name,
                len(hashes),
                hashes[-1],
                report.signed_lines,
                signer.key_id if signer is not None else "",
                now,
            )
    for ledger in ledgers:
        ledger_hashes = _ledger_hashes(ledger)
        seen_ledger = witness.ledgers.get(ledger.key_id)
        where = f"{ledgers_dir(Path()).name}/{ledger.path.name}"
        if seen_ledger is not None:
            seen = seen_ledger
            length = int(seen.get("length", 0))
            if len(ledger_hashes) < length or (
                length and ledger_hashes[length - 1] != seen.get("head")
            ):
                result.findings.append(
                    Finding(
                        where,
                        f"changed after it was witnessed ({_seen(seen)}: {length} line(s) then, "
                        f"{len(ledger_hashes)} now)",
                    )
                )
                continue
        if ledger.key is not None:
            witness.pin(ledger.key_id, ledger.key.name, ledger.key.text, now)
        if ledger_hashes:
            witness.saw_ledger(ledger.key_id, len(ledger_hashes), ledger_hashes[-1], now)
    for log in (ACCESS_LOG, PURGE_LOG):
        _witness_file(witness, data_dir, log, result, now)
    for key_id, witnessed in witness.ledgers.items():
        if key_id.startswith(_LOG_KEY):
            continue
        if not any(ledger.key_id == key_id for ledger in ledgers):
            result.findings.append(
                Finding(
                    f"ledgers/{key_id}.jsonl",
                    f"gone since this PC witnessed it ({_seen(witnessed)}: "
                    f"{witnessed.get('length')} "
                    "line(s))",
                )
            )


class _Everything(set[str]):
    """Contains every name: when only some sessions were verified, none counts as gone."""

    def __contains__(self, item: object) -> bool:
        return True


_LOG_KEY = "file:"


def _witness_file(
    witness: Witness, data_dir: Path, name: str, result: AuditResult, now: datetime
) -> None:
    """An append-only log of the data folder: cut back or rewritten since witnessed?"""
    try:
        hashes = journal_line_hashes((data_dir / name).read_bytes())
    except FileNotFoundError:
        hashes = []
    except OSError:
        return
    seen = witness.ledgers.get(_LOG_KEY + name)
    if seen is not None:
        length = int(seen.get("length", 0))
        if len(hashes) < length or (length and hashes[length - 1] != seen.get("head")):
            result.findings.append(
                Finding(
                    name,
                    f"cut back or rewritten after it was witnessed ({_seen(seen)}: {length} "
                    f"line(s) then, {len(hashes)} now, line {length} differs or is gone)",
                )
            )
            return
    if hashes:
        witness.saw_ledger(_LOG_KEY + name, len(hashes), hashes[-1], now)


def _ledger_hashes(ledger: Ledger) -> list[str]:
    try:
        return journal_line_hashes(ledger.path.read_bytes())
    except OSError:
        return []


def _purged_sessions(data_dir: Path, keyring: Keyring | None) -> set[str]:
    try:
        entries, _ = vouched_purges(data_dir, keyring)
    except StoreError:
        return set()
    return {entry.session for entry in entries if entry.stage == "session"}


def _check_logs(data_dir: Path, keyring: Keyring | None, result: AuditResult) -> None:
    """The access log and the purge log: every line chained and signed; each purge allowed."""
    try:
        access = read_access_log(data_dir)
        _, purge_problems = read_purge_log(data_dir)
        _good, refused = vouched_purges(data_dir, keyring)
    except StoreError as error:
        result.findings.append(Finding("", str(error)))
        return
    for problem in access.problems:
        severity = Severity.NOTE if problem.torn else Severity.PROBLEM
        result.findings.append(Finding(ACCESS_LOG, problem.message, severity, problem.line))
    for problem in purge_problems:
        severity = Severity.NOTE if problem.torn else Severity.PROBLEM
        result.findings.append(Finding(PURGE_LOG, problem.message, severity, problem.line))
    reported = {p.line for p in purge_problems}
    for reason in refused:
        line = reason.split(":", 1)[0]
        if not any(line == f"{PURGE_LOG} line {n}" for n in reported):
            result.findings.append(Finding("", reason))


def _host(session: str) -> str:
    match = FOLDER_NAME.match(session)
    return match.group(3) if match else ""


def _started(folder: SessionFolder) -> datetime | None:
    match = FOLDER_NAME.match(folder.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _when(entry: LedgerEntry) -> str:
    return f"{entry.at:%Y-%m-%d %H:%M}" if entry.at is not None else "at an unknown time"


def _seen(seen: dict[str, object]) -> str:
    return f"witnessed {str(seen.get('seen_at', ''))[:16].replace('T', ' ')}"
