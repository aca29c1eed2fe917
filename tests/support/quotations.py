"""Find a profile's quotations at exactly the place they cite in the shipped documents.

A quotation is found when its words start on the cited line (and may run on over the next lines,
which PDF extraction broke), with only whitespace and the extraction's <u> marks between its
characters, and when it is a whole unit: it starts after a line start, a space, an opening
bracket, a bullet or a sentence end, and ends with a sentence end or before one (or before a
closing bracket, a space, a line end). So a truncated, moved or edited line is not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kasuhara_timer.policy.loader import document_text
from kasuhara_timer.policy.models import Policy, Quote

GAP = r"(?:\s|</?u>)*"
"""What may stand between two characters of a quotation: extraction's whitespace and marks."""

OPENERS = set("「『（(【［・。」』：:>\t ※") | {chr(c) for c in range(0x2460, 0x2474)}
"""Characters after which a quotation may start (besides the start of a line)."""

ENDS = set("。」』！？!?")
"""A quotation ending with one of these may be followed by anything."""

CLOSERS = set("。」』）)】］：:<\t ・") | {chr(c) for c in range(0x2460, 0x2474)}
"""Characters before which a quotation not ending a sentence may stop (not 、: a cut phrase)."""


def pattern(text: str) -> re.Pattern[str]:
    """The quotation's words with extraction's whitespace allowed between any two of them."""
    chars = [re.escape(c) for c in re.sub(r"\s+", "", text)]
    return re.compile(GAP.join(chars))


def starts(document: str) -> list[int]:
    """The offset where each line (1-based index - 1) starts."""
    offsets = [0]
    for match in re.finditer("\n", document):
        offsets.append(match.end())
    return offsets


def found_at(document: str, text: str, line: int) -> bool:
    """True when `text` stands, whole, starting on `line` of `document`."""
    offsets = starts(document)
    if not 0 < line <= len(offsets):
        return False
    begin = offsets[line - 1]
    end = offsets[line] if line < len(offsets) else len(document)
    for match in pattern(text).finditer(document, begin):
        if match.start() >= end:
            return False
        if _whole(document, match, begin, text):
            return True
    return False


def lines_with(document: str, text: str) -> list[int]:
    """Every line on which `text` starts as a whole unit (to write or repair a citation)."""
    offsets = starts(document)
    hits = []
    for number, begin in enumerate(offsets, start=1):
        end = offsets[number] if number < len(offsets) else len(document)
        for match in pattern(text).finditer(document, begin):
            if match.start() >= end:
                break
            if _whole(document, match, begin, text):
                hits.append(number)
                break
    return hits


def _whole(document: str, match: re.Match[str], line_start: int, text: str) -> bool:
    before = document[match.start() - 1] if match.start() > line_start else "\n"
    after = document[match.end()] if match.end() < len(document) else "\n"
    starts_ok = before == "\n" or before in OPENERS or text[0] in "「『（(【"
    ends_ok = text[-1] in ENDS or after in "\n\r" or after in CLOSERS
    return starts_ok and ends_ok


@dataclass(frozen=True)
class Quotation:
    """One quotation of a profile, with the field it stands in and the document it cites."""

    field: str
    quote: Quote
    file: str


def quotations(policy: Policy) -> Iterator[Quotation]:
    """Every quotation in `policy` with the document file it must be found in."""
    files = policy.profile.documents
    own = policy.profile.source

    def file_of(quote: Quote, source: str = "") -> str:
        if quote.doc:
            return files[quote.doc]
        for name, file in files.items():
            if source.startswith(name):
                return file
        return own

    for channel_id, channel in policy.channels.items():
        base = f"channels.{channel_id.value}"
        for index, quote in enumerate(channel.criteria):
            yield Quotation(f"{base}.criteria[{index}]", quote, file_of(quote))
        for index, quote in enumerate(channel.before_limit):
            yield Quotation(f"{base}.before_limit[{index}]", quote, file_of(quote))
        for index, quote in enumerate(channel.limit.quoted):
            yield Quotation(f"{base}.limit.quoted[{index}]", quote, file_of(quote))
        for path in ("ladder", "immediate"):
            for number, step in enumerate(getattr(channel, path)):
                at = f"{base}.{path}[{number}]"
                for index, quote in enumerate(step.lines):
                    yield Quotation(f"{at}.lines[{index}]", quote, file_of(quote, step.lines_from))
                for index, quote in enumerate(step.points):
                    yield Quotation(f"{at}.points[{index}]", quote, file_of(quote, step.source))
    for number, behaviour in enumerate(policy.behaviours):
        at = f"behaviours[{number}]"
        for name in ("examples", "response", "lines"):
            for index, quote in enumerate(getattr(behaviour, name)):
                yield Quotation(f"{at}.{name}[{index}]", quote, file_of(quote, behaviour.source))
    teamwork = policy.teamwork
    for index, quote in enumerate(teamwork.rejoin_reminder):
        source = teamwork.rejoin_source
        yield Quotation(f"teamwork.rejoin_reminder[{index}]", quote, file_of(quote, source))
    for number, part in enumerate(policy.guidance):
        for index, quote in enumerate(part.items):
            yield Quotation(f"guidance[{number}].items[{index}]", quote, file_of(quote))
    for name in ("cautions", "sheet_notes"):
        source = policy.sheet_source if name == "sheet_notes" else ""
        for index, quote in enumerate(getattr(policy, name)):
            yield Quotation(f"{name}[{index}]", quote, file_of(quote, source))


def misplaced(policy: Policy) -> list[str]:
    """Each quotation not found at its cited place (or citing none), described; empty when all
    are where they say."""
    problems = []
    for item in quotations(policy):
        if item.quote.line is None and ".points[" in item.field:
            continue  # a point without a line is the app's summary, never shown as a quotation
        if item.quote.line is None:
            problems.append(f"{policy.id}: {item.field}: cites no line: {item.quote[:40]}")
        elif not found_at(document_text(item.file), item.quote, item.quote.line):
            problems.append(
                f"{policy.id}: {item.field}: not at {item.file} line {item.quote.line}: "
                f"{item.quote[:40]}"
            )
    return problems
