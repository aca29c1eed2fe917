"""Every quotation in a bundled profile stands at exactly the place it cites in its document.

Not "somewhere in the document": the words must start on the cited line of the shipped text and
be a whole unit there, so a truncated line, a line moved to another step, an edited apology, a
changed extension number or 30分 turned into 10分 all fail (see the mutation test below).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kasuhara_timer.policy.loader import load_policy, policy_from_text
from kasuhara_timer.policy.models import Policy, Quote
from tests.support.documents import squeeze
from tests.support.quotations import found_at, misplaced, quotations

UNCITED_ALLOWED = ("points",)
"""A step's `points` may be the app's short summary (never shown inside quotation marks); when
a point cites a line, it is checked like any quotation."""


def test_every_quotation_cites_a_line(bundled: Policy) -> None:
    uncited = [
        f"{q.field}: {q.quote[:30]}"
        for q in quotations(bundled)
        if q.quote.line is None and not q.field.split(".")[-1].startswith(UNCITED_ALLOWED)
    ]
    assert uncited == []


def test_every_quotation_is_at_its_cited_place(bundled: Policy) -> None:
    problems = [p for p in misplaced(bundled) if "cites no line" not in p]
    assert problems == []
    assert sum(1 for q in quotations(bundled) if q.quote.line) > 10


def test_a_stated_limit_quotes_its_minutes(bundled: Policy) -> None:
    for channel_id, channel in bundled.channels.items():
        limit = channel.limit
        if not limit.stated:
            continue
        said = {f"{limit.minutes}分", f"{limit.minutes}分".translate(FULL_WIDTH)}
        if limit.minutes % 60 == 0:
            hours = f"{limit.minutes // 60}時間"
            said |= {hours, hours.translate(FULL_WIDTH)}
        assert any(any(s in squeeze(q) for s in said) for q in limit.quoted), channel_id


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_contacts_are_on_their_cited_rows(bundled: Policy) -> None:
    assert [p for p in misplaced(bundled) if "contacts[" in p] == []
    assert sum(1 for c in bundled.contacts if c.line) == len(bundled.contacts)


def test_nanyo_cites_every_contact_of_section_8() -> None:
    contacts = load_policy("nanyo").policy.contacts
    assert all(c.line for c in contacts)


# ───────────── the check catches what the substring check let through ─────────────

NANYO = load_policy("nanyo").source.read_text(encoding="utf-8")
STEP1 = (
    "恐れ入りますが、そのような言葉遣いでは対応を続けることができません。"
    "冷静にお話しいただけますでしょうか。"
)
STEP2 = (
    "申し訳ございませんが、このような状況では適切な対応ができませんので、"
    "電話を切らせていただく可能性がございます。"
)


def corrupt(old: str, new: str) -> Policy:
    assert NANYO.count(old) >= 1, old
    return policy_from_text(NANYO.replace(old, new, 1), Path("nanyo-corrupted.toml"))


CORRUPTIONS = {
    "a truncated line": (
        STEP1,
        "恐れ入りますが、そのような言葉遣いでは対応を続けることができません。冷静にお話し",
    ),
    "a line moved to another step": (
        f'{{ text = "{STEP1}", line = 278 }}',
        f'{{ text = "{STEP2}", line = 278 }}',
    ),
    "a changed apology": ("ご不快な思いをおかけし", "ご迷惑をおかけし"),
    "a changed extension number": ('number = "内線411"', 'number = "内線412"'),
    "30分 turned into 10分": ("①30分以上同一内容の繰り返し", "①10分以上同一内容の繰り返し"),
    "a condition in 「」 the document never wrote": (
        'condition = "建設的な会話ができない状態で"',
        'condition = "同じ内容の繰り返しが続いて"',
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_the_check_catches_each_corruption(corruption: str) -> None:
    old, new = CORRUPTIONS[corruption]
    assert len(misplaced(corrupt(old, new))) == 1, corruption


def test_the_uncorrupted_profile_passes_the_same_check() -> None:
    assert misplaced(load_policy("nanyo").policy) == []


def test_a_stated_limit_changed_to_10_minutes_fails() -> None:
    policy = corrupt(
        "minutes = 30\nstated = true\nprewarnings = [10, 5]",
        "minutes = 10\nstated = true\nprewarnings = [5]",
    )
    assert misplaced(policy) == [
        "nanyo: channels.phone.limit.minutes: stated = true, but none of limit.quoted gives 10分 "
        "(the document's words must set the minutes)"
    ]


def test_found_at_needs_the_whole_unit_on_the_cited_line() -> None:
    text = "前の文。「恐れ入りますが、続けられません。」\n次の行\n"
    assert found_at("前文。\n市民の意見を\n  聞く。", "市民の意見を聞く。", 2)
    assert found_at(text, "恐れ入りますが、続けられません。", 1)
    assert not found_at(text, "恐れ入りますが、続けられません。", 2)
    assert not found_at(text, "恐れ入りますが", 1)  # cut at the comma
    assert not found_at(text, "りますが、続けられません。", 1)  # cut at the start
    assert found_at(text, "…続けられません。", 1)  # an omission said with 「…」
    assert found_at(text, "「恐れ入りますが…", 1)
    assert not found_at(text, "…続けられません。", 2)
    assert not found_at(text, "…", 1)


def test_quote_keeps_its_citation_and_reads_as_text() -> None:
    quote = Quote("言葉。", 12, section="§6(1)", note="原文ママ")
    assert quote == "言葉。" and quote.line == 12
    assert quote.remark == "（§6(1)・原文ママ）"
    assert re.fullmatch("言葉。", quote.text)
