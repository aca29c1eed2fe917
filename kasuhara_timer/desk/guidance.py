"""The rest of the policy at hand: criteria, the limit's condition, borrowing, a tag's response,
the contacts and the document's guidance, as plain text for the desk's panels.

Pure functions from the policy to strings, so what appears is tested without a terminal. The
policy's words stay verbatim (quotations in 「」 with their section after them); the app's own
words come from the catalogue and are never inside the quotation marks. No criminal-code
article is shown here: the desk records and guides, it never accuses (laws are for review).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import (
    Channel,
    ChannelId,
    Contact,
    GuidanceSection,
    Limit,
    Policy,
    Quote,
    Step,
)


def cited(text: str) -> str:
    """A profile's words with their section (and the app's remark) after them, never inside."""
    return f"{text}{text.remark}" if isinstance(text, Quote) else text


def quoted(text: str) -> str:
    """The words in 「」 (once), then their section outside the marks."""
    words = text.strip()
    if not (words.startswith("「") and words.endswith("」")):
        words = f"「{words}」"
    return f"{words}{text.remark}" if isinstance(text, Quote) else words


def criteria_lines(channel: Channel) -> tuple[str, ...]:
    """The channel's criteria for moving to the organisational response, as the policy says."""
    return tuple(cited(c) for c in channel.criteria)


def condition_line(limit: Limit, tr: Translator) -> str:
    """Before the limit: under which condition the minutes count, so the clock is no verdict."""
    if limit.condition:
        return tr("session.card.condition", condition=limit.condition, minutes=limit.minutes)
    return tr("session.card.condition_none", minutes=limit.minutes)


def at_limit_line(limit: Limit, tr: Translator) -> str:
    """At the limit: the same condition, phrased as a question for the staff member."""
    if limit.condition:
        return tr("session.card.at_limit", condition=limit.condition, minutes=limit.minutes)
    return tr("session.card.at_limit_none", minutes=limit.minutes)


def borrowed_lines(policy: Policy, step: Step, tr: Translator) -> str:
    """「南陽市マニュアルの文例」 when a step's lines come from another document; else ""."""
    origin = policy.borrowed_from(step.lines_from) if step.lines else ""
    return tr("session.card.borrowed_lines", doc=origin) if origin else ""


def borrowed_step(policy: Policy, step: Step, tr: Translator) -> str:
    """Whose step this is when it is taken from another document (its title may not say)."""
    origin = policy.borrowed_from(step.source)
    if not origin or origin in step.title:
        return ""
    return tr("session.card.borrowed_step", doc=origin)


@dataclass(frozen=True)
class ResponseView:
    """What the policy says to do about a behaviour just tagged."""

    heading: str
    items: tuple[str, ...]
    lines: tuple[str, ...]


def response_view(policy: Policy, behaviour_id: str, tr: Translator) -> ResponseView | None:
    """The document's response to a behaviour (§7(3) for Nanyo) with its example lines in 「」;
    None when the document gives none, so tagging it shows nothing extra."""
    behaviour = policy.behaviour(behaviour_id)
    if behaviour is None or not (behaviour.response or behaviour.lines):
        return None
    return ResponseView(
        heading=tr("session.card.response", label=behaviour.tag),
        items=tuple(cited(r) for r in behaviour.response),
        lines=tuple(quoted(line) for line in behaviour.lines),
    )


def contact_row(contact: Contact) -> str:
    """One contact as the document lists it: what for, who, extension or number."""
    return " ".join(part for part in (contact.label, contact.who, contact.number) if part)


def contact_rows(policy: Policy, tr: Translator) -> tuple[str, ...]:
    """Every contact of the policy: 110 and the police first, then the others in its order."""
    police = [c for c in policy.contacts if c.role == "police"]
    others = [c for c in policy.contacts if c.role != "police"]
    rows = [tr("guidance.contacts.emergency"), *(contact_row(c) for c in police)]
    rows += [contact_row(c) for c in others]
    if not policy.contacts:
        rows.append(tr("guidance.contacts.none"))
    return tuple(rows)


def aftercare_contacts(policy: Policy) -> tuple[str, ...]:
    """Who to consult after the contact, as the document lists them (the police are not that):
    the `consult` role, else every other contact but the police."""
    contacts = [c for c in policy.contacts if c.role == "consult"] or [
        c for c in policy.consult_contacts() if c.role != "police"
    ]
    return tuple(contact_row(c) for c in contacts)


def consult_line(policy: Policy, tr: Translator) -> str:
    """The wrap-up's line: who to consult with the sheet (the police are not that)."""
    contacts = [c for c in policy.contacts if c.role == "consult"] or [
        c for c in policy.consult_contacts() if c.role != "police"
    ]
    if not contacts:
        return tr("wrapup.consult_none")
    return tr("wrapup.consult", contacts="／".join(contact_row(c) for c in contacts))


_NUMBER = re.compile(r"^(（[0-9０-９]+）|\([0-9]+\)|[①-⑳]|[0-9０-９]+)\s*")
"""A heading's own number (（１）, ①, 4), which the section may already end with."""


def guidance_heading(part: GuidanceSection) -> str:
    """`§6(1)① 気持ちを理解して傾聴する`: the section, then the title without the number the
    section already ends with (never 「４（１） （１）時間的拘束…」)."""
    if not part.section:
        return part.title
    number = _NUMBER.match(part.title)
    title = part.title
    if number and part.section.endswith(number.group(1)):
        title = title[number.end() :]
    return f"{part.section} {title}"


def guidance_sections(
    policy: Policy, channel_id: ChannelId, tr: Translator
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The guidance screen's parts, in the order a staff member needs them mid-session."""
    channel = policy.channel(channel_id)
    label = channel.label
    parts: list[tuple[str, tuple[str, ...]]] = []
    if channel.criteria:
        parts.append((tr("guidance.criteria", channel=label), criteria_lines(channel)))
    limit_words = (*(cited(q) for q in channel.limit.quoted), channel.limit.note)
    parts.append((tr("guidance.limit", channel=label), tuple(dict.fromkeys(limit_words))))
    if channel.before_limit:
        parts.append(
            (
                tr("guidance.before_limit", channel=label),
                tuple(cited(b) for b in channel.before_limit),
            )
        )
    for part in policy.guidance:
        parts.append((guidance_heading(part), tuple(cited(item) for item in part.items)))
    if policy.cautions:
        parts.append((tr("guidance.cautions"), tuple(cited(c) for c in policy.cautions)))
    return tuple(parts)
