"""What an earlier run left, in the desk's words: why a session left running cannot go on.

The work itself is not here: `lifecycle.lookback` finds sessions left running and finishes
records and seals, `lifecycle.interrupted` resumes and closes them (`desk/resume_flow.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kasuhara_timer.i18n import Translator
from kasuhara_timer.store.journal import JournalProblem, ProblemKind

if TYPE_CHECKING:
    from kasuhara_timer.lifecycle.interrupted import Interrupted

START_UNREADABLE = "the journal's first line (the start) cannot be read"
"""`find_interrupted`'s reason for a journal whose start is lost (matched to put it in words)."""


def problem_words(problems: Iterable[JournalProblem], tr: Translator) -> str:
    """A journal's damage in the desk's words, line by line (a torn last line is no damage)."""
    return _joined(
        (
            tr(f"recovery.problem.{problem.kind.value}", line=problem.line)
            for problem in problems
            if problem.kind is not ProblemKind.TORN_TAIL
        ),
        tr,
    )


def reason_words(found: Interrupted, tr: Translator) -> str:
    """Why `found` cannot be continued, in the desk's words ("" when it can)."""
    damage = problem_words(found.problems, tr)
    if found.resumable:
        return damage
    if found.reason == START_UNREADABLE:
        if any(problem.line == 1 for problem in found.problems):
            return damage  # "line 1 cannot be read" says it already
        return _joined((part for part in (tr("recovery.start_unreadable"), damage) if part), tr)
    return found.reason  # the store's own message (a file that cannot be opened, say)


def _joined(parts: Iterable[str], tr: Translator) -> str:
    return ("、" if tr.lang == "ja" else "; ").join(parts)
