"""Whether a profile's quotations stand at exactly the place they cite in their documents.

A quotation is found when its words start on the cited line (and may run on over the next lines,
which PDF extraction broke), with only whitespace and the extraction's <u> marks between its
characters, and when it is a whole unit: it starts after a line start, a space, an opening
bracket, a bullet or a sentence end, and ends with a sentence end or before one (or before a
closing bracket, a space, a line end). So a truncated, moved or edited line is not found.
An omission is said, never silent: a quotation that leaves out the start or the end of its
sentence begins or ends with 「…」 (ELLIPSIS), and only that side may then be cut.

The same check serves the bundled profiles' tests and `kasuhara-timer profiles check` on an
office's own profile. Pure: the documents' texts are passed in (`read` gives the text of a
document file, or None when it is not at hand); finding them is the loader's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kasuhara_timer.policy.models import Loc, Policy, Quote
from kasuhara_timer.tomlfile import toml_path

GAP = r"(?:\s|</?u>)*"
"""What may stand between two characters of a quotation: extraction's whitespace and marks."""

OPENERS = set("「『（(【［・。」』：:>\t ※") | {chr(c) for c in range(0x2460, 0x2474)}
"""Characters after which a quotation may start (besides the start of a line)."""

ENDS = set("。」』！？!?")
"""A quotation ending with one of these may be followed by anything."""

CLOSERS = set("。」』）)】］：:<\t ・") | {chr(c) for c in range(0x2460, 0x2474)}
"""Characters before which a quotation not ending a sentence may stop (not 、: a cut phrase)."""

CONTACT_ROWS = 6
"""A contact's who and number are looked for on its cited line and the few after it (a web
page puts 人事課研修担当, 電話: and ファクス: on lines of their own)."""

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def squeeze(text: str) -> str:
    """Text without whitespace or the documents' <u> markup, for comparing passages whose line
    breaks and spacing come from PDF extraction, not from the author."""
    return re.sub(r"\s+|</?u>", "", text)


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


ELLIPSIS = "…"
"""At the start or end of a quotation: words of the document's sentence are left out there."""


def found_at(document: str, text: str, line: int) -> bool:
    """True when `text` stands, whole, starting on `line` of `document`."""
    offsets = starts(document)
    if not 0 < line <= len(offsets):
        return False
    return _found_on(document, text, offsets, line)


def lines_with(document: str, text: str) -> list[int]:
    """Every line on which `text` starts as a whole unit (to write or repair a citation)."""
    offsets = starts(document)
    return [n for n in range(1, len(offsets) + 1) if _found_on(document, text, offsets, n)]


def _found_on(document: str, text: str, offsets: list[int], line: int) -> bool:
    core = text.strip().removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    if not core.strip():
        return False
    begin = offsets[line - 1]
    end = offsets[line] if line < len(offsets) else len(document)
    for match in pattern(core).finditer(document, begin):
        if match.start() >= end:
            return False
        if _whole(document, match, begin, text.strip(), core):
            return True
    return False


def _whole(document: str, match: re.Match[str], line_start: int, text: str, core: str) -> bool:
    before = document[match.start() - 1] if match.start() > line_start else "\n"
    after = document[match.end()] if match.end() < len(document) else "\n"
    starts_ok = (
        text.startswith(ELLIPSIS) or before == "\n" or before in OPENERS or core[0] in "「『（(【"
    )
    ends_ok = text.endswith(ELLIPSIS) or core[-1] in ENDS or after in "\n\r" or after in CLOSERS
    return starts_ok and ends_ok


@dataclass(frozen=True)
class Quotation:
    """One quotation of a profile: where it stands in the profile, and the document it cites
    (a file named in `profile.documents`, or "" when its `doc` names none)."""

    loc: Loc
    quote: Quote
    file: str

    @property
    def field(self) -> str:
        """The field as written in TOML (`channels.phone.ladder[0].lines[1]`)."""
        return toml_path(self.loc)


def quotations(policy: Policy) -> Iterator[Quotation]:
    """Every quotation in `policy`, with the document file it must be found in."""
    files = policy.profile.documents
    own = policy.profile.source

    def file_of(quote: Quote, source: str = "") -> str:
        if quote.doc:
            return files.get(quote.doc, "")
        for name, file in files.items():
            if source.startswith(name):
                return file
        return own

    def each(loc: Loc, quotes: tuple[Quote, ...], source: str = "") -> Iterator[Quotation]:
        for index, quote in enumerate(quotes):
            yield Quotation((*loc, index), quote, file_of(quote, source))

    for channel_id, channel in policy.channels.items():
        base: Loc = ("channels", channel_id.value)
        yield from each((*base, "criteria"), channel.criteria)
        yield from each((*base, "before_limit"), channel.before_limit)
        yield from each((*base, "limit", "quoted"), channel.limit.quoted)
        for path in ("ladder", "immediate"):
            for number, step in enumerate(getattr(channel, path)):
                at: Loc = (*base, path, number)
                yield from each((*at, "lines"), step.lines, step.lines_from)
                yield from each((*at, "points"), step.points, step.source)
    for number, behaviour in enumerate(policy.behaviours):
        for name in ("examples", "response", "lines"):
            yield from each(
                ("behaviours", number, name), getattr(behaviour, name), behaviour.source
            )
    teamwork = policy.teamwork
    yield from each(
        ("teamwork", "rejoin_reminder"), teamwork.rejoin_reminder, teamwork.rejoin_source
    )
    for number, part in enumerate(policy.guidance):
        yield from each(("guidance", number, "items"), part.items)
    yield from each(("recording_notice",), policy.recording_notice)
    yield from each(("cautions",), policy.cautions)
    yield from each(("sheet_notes",), policy.sheet_notes, policy.sheet_source)


@dataclass(frozen=True)
class Problem:
    """A citation that does not hold, at the field to blame."""

    loc: Loc
    message: str

    @property
    def field(self) -> str:
        """The field as written in TOML."""
        return toml_path(self.loc)


@dataclass
class CitationReport:
    """What the check found: problems, how many citations held, what could not be checked."""

    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    uncited: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    """Document files not at hand, with how many citations of theirs went unchecked."""


def check_citations(policy: Policy, read: Callable[[str], str | None]) -> CitationReport:
    """Every cited quotation at its place, every cited contact on its rows, and a stated limit
    quoting its minutes; `read(file)` gives a document's text, or None when it is not at hand."""
    report = CitationReport()
    texts: dict[str, str | None] = {}

    def text_of(file: str) -> str | None:
        if file not in texts:
            texts[file] = read(file)
        return texts[file]

    for item in quotations(policy):
        quote = item.quote
        if quote.doc and quote.doc not in policy.profile.documents:
            report.problems.append(
                Problem(
                    item.loc,
                    f"doc {quote.doc!r} is not a name in profile.documents "
                    f"({', '.join(policy.profile.documents) or 'none'})",
                )
            )
            continue
        if quote.line is None:
            report.uncited += 1
            continue
        document = text_of(item.file)
        if document is None:
            report.missing[item.file] = report.missing.get(item.file, 0) + 1
            continue
        report.checked += 1
        if not found_at(document, quote, quote.line):
            hits = lines_with(document, quote)
            where = f" (found whole on line {', '.join(map(str, hits[:3]))})" if hits else ""
            report.problems.append(
                Problem(
                    item.loc,
                    f"not found whole at {item.file} line {quote.line}{where}: "
                    f"「{_short(quote.text)}」",
                )
            )
    _check_contacts(policy, text_of, report)
    _check_stated_limits(policy, report)
    return report


def _check_contacts(
    policy: Policy, text_of: Callable[[str], str | None], report: CitationReport
) -> None:
    own = policy.profile.source
    for index, contact in enumerate(policy.contacts):
        if contact.line is None:
            continue
        document = text_of(own)
        if document is None:
            report.missing[own] = report.missing.get(own, 0) + 1
            continue
        report.checked += 1
        lines = document.splitlines()
        rows = squeeze("".join(lines[contact.line - 1 : contact.line - 1 + CONTACT_ROWS]))
        if contact.line > len(lines):
            rows = ""
        for name in ("who", "number"):
            value = getattr(contact, name)
            if value and squeeze(value) not in rows:
                report.problems.append(
                    Problem(
                        ("contacts", index, name),
                        f"{value!r} is not on {own} line {contact.line} "
                        f"(or the {CONTACT_ROWS - 1} lines after it)",
                    )
                )


def _check_stated_limits(policy: Policy, report: CitationReport) -> None:
    for channel_id, channel in policy.channels.items():
        limit = channel.limit
        condition = squeeze(limit.condition)
        if condition and not any(condition in squeeze(q) for q in limit.quoted):
            report.problems.append(
                Problem(
                    ("channels", channel_id.value, "limit", "condition"),
                    "the condition is shown in 「」 as the document's words, but none of "
                    "limit.quoted holds it",
                )
            )
        if not limit.stated or not limit.quoted:
            continue
        said = {f"{limit.minutes}分", f"{limit.minutes}分".translate(FULL_WIDTH)}
        if limit.minutes % 60 == 0:
            hours = f"{limit.minutes // 60}時間"
            said |= {hours, hours.translate(FULL_WIDTH)}
        if not any(any(s in squeeze(q) for s in said) for q in limit.quoted):
            report.problems.append(
                Problem(
                    ("channels", channel_id.value, "limit", "minutes"),
                    f"stated = true, but none of limit.quoted gives {limit.minutes}分 "
                    "(the document's words must set the minutes)",
                )
            )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
