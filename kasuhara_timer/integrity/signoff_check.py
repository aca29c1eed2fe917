"""`verify`'s look at a session's sign-offs (課長確認): chain, signature, what was signed.

Kept apart from `verify.py` (which checks the session folder itself): the sign-off log lives
beside the folder, in ``<data>/reviews/`` (`store.signoff`), and is checked with it.
"""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.store.signoff import SIGNOFF, read_signoffs, signoff_path
from kasuhara_timer.trust.signing import SignatureStatus, check_record

Found = tuple[str, str, bool]
"""(file, message, is a problem): a note when False."""


def check_signoffs(data_dir: Path, session: str, journal_hash: str | None) -> list[Found]:
    """What is wrong with, or worth saying about, the session's sign-offs ([] when none)."""
    path = signoff_path(data_dir, session)
    name = f"{path.parent.name}/{path.name}"
    log = read_signoffs(data_dir, session)
    found: list[Found] = [(name, problem, True) for problem in log.problems]
    for entry in log.entries:
        check = check_record(entry.record)
        where = f"line {entry.line}"
        if check.status is SignatureStatus.INVALID:
            found.append((name, f"{where}: {check.reason}", True))
        elif check.status is SignatureStatus.UNSIGNED:
            found.append(
                (
                    name,
                    f"{where}: signed off by {entry.reviewer or entry.user} "
                    "without a supervisor signature",
                    False,
                )
            )
        if entry.session != session:
            found.append((name, f"{where}: names another session ({entry.session})", True))
        if entry.kind == SIGNOFF and journal_hash and entry.journal != journal_hash:
            found.append((name, f"{where}: signed off an earlier state of the journal", False))
    return found
