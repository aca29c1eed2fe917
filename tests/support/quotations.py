"""Find a bundled profile's quotations at exactly the place they cite in the shipped documents.

The check itself is the package's (`kasuhara_timer.policy.citations`, which `profiles check` runs
on an office's profile too); here it reads the shipped documents and words each problem.
"""

from __future__ import annotations

from kasuhara_timer.policy.citations import Quotation, check_citations, found_at, quotations
from kasuhara_timer.policy.loader import bundled_document_names, document_text
from kasuhara_timer.policy.models import Policy

__all__ = ["Quotation", "found_at", "misplaced", "quotations", "shipped"]


def shipped(file: str) -> str | None:
    """A shipped document's text, or None for a file the package does not ship."""
    return document_text(file) if file in bundled_document_names() else None


def misplaced(policy: Policy) -> list[str]:
    """Each quotation or contact not found at its cited place (or citing no line), described;
    empty when all are where they say."""
    report = check_citations(policy, shipped)
    problems = [f"{policy.id}: {p.field}: {p.message}" for p in report.problems]
    problems += [
        f"{policy.id}: {file or '(no document)'}: not shipped ({count} citations)"
        for file, count in report.missing.items()
    ]
    for item in quotations(policy):
        if item.quote.line is None and ".points[" not in item.field:
            problems.append(f"{policy.id}: {item.field}: cites no line: {item.quote[:40]}")
    return problems
