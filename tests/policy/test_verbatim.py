"""What a profile presents as the document's words is the document's words.

Lines to say aloud must match character for character; quoted lists (categories, checklist,
sheet, laws) are compared ignoring whitespace, which PDF extraction adds and removes at will.
Skipped, with the reason, when shared/policies/ is not beside the repository.
"""

from __future__ import annotations

import re

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from tests.support.documents import document_for, documents_folder, squeeze


def test_every_line_to_say_is_verbatim_in_its_document(bundled: Policy) -> None:
    documents_folder()
    checked = 0
    for channel in bundled.channels.values():
        for step in (*channel.ladder, *channel.immediate):
            text = document_for(bundled, step.lines_from)
            for line in step.lines:
                assert line in text, (bundled.id, step.id, line)
                checked += 1
    for behaviour in bundled.behaviours:
        for line in behaviour.lines:
            assert line in document_for(bundled, behaviour.source), (bundled.id, behaviour.id)
            checked += 1
    assert checked > 0


def test_nanyo_phone_steps_have_exactly_the_documents_lines() -> None:
    text = (documents_folder() / "nanyo-manual.txt").read_text(encoding="utf-8")
    ladder = load_policy("nanyo").policy.channel(ChannelId.PHONE).ladder
    for number, step in enumerate(ladder[:3], start=1):
        row = next(line for line in text.splitlines() if line.startswith(f"ステップ{number} "))
        quoted = [q for q in re.findall(r"「([^」]+)」", row) if q.endswith("。")]
        assert step.lines == tuple(quoted), number


def test_nanyo_dogeza_examples_are_the_documents() -> None:
    text = (documents_folder() / "nanyo-manual.txt").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("<p>土下座の要求</p>"))
    behaviour = load_policy("nanyo").policy.behaviour("dogeza")
    assert behaviour is not None
    assert behaviour.lines == tuple(re.findall(r"\(例\) (\S+?。)", row))


def test_behaviour_labels_examples_and_responses_are_quoted(bundled: Policy) -> None:
    documents_folder()
    for behaviour in bundled.behaviours:
        text = squeeze(document_for(bundled, behaviour.source))
        responses = [re.sub(r"^【[^】]+】", "", r) for r in behaviour.response]
        for quoted in (behaviour.label, *behaviour.examples, *responses):
            assert squeeze(quoted).strip("…") in text, (bundled.id, behaviour.id, quoted)


def test_checklist_is_the_manuals_seventeen_items(bundled: Policy) -> None:
    text = document_for(bundled, bundled.checklist_source)
    rows = re.findall(r"^(\d+)\t(.+?)\t<input", text, flags=re.MULTILINE)
    expected = []
    for no, cell in rows:
        question, _, example = cell.partition(" 例：")
        expected.append((int(no), question, example))
    assert len(expected) == 17
    assert [(c.no, c.text, c.example) for c in bundled.checklist] == expected


def test_sheet_fields_are_the_record_sheets_eight(bundled: Policy) -> None:
    text = document_for(bundled, bundled.sheet_source)
    sheet = text[text.index("カスタマーハラスメント対応記録シート\n") :]
    rows = re.findall(r"^(\d)\t([^\t]+)\t(.*)$", sheet, flags=re.MULTILINE)[:8]
    assert [(f.no, squeeze(f.label), squeeze(f.hint)) for f in bundled.sheet_fields] == [
        (int(no), squeeze(label), squeeze(hint)) for no, label, hint in rows
    ]


def test_nanyo_laws_are_section_9_2() -> None:
    text = (documents_folder() / "nanyo-manual.txt").read_text(encoding="utf-8")
    rows = re.findall(
        r"^(\S+罪|信用毀損及び業務妨害)\t([^\t]+)\t([^\t]+)\t(.+)$", text, re.MULTILINE
    )
    assert len(rows) == 13
    laws = load_policy("nanyo").policy.laws
    assert [
        (law.name, squeeze(law.article), squeeze(law.example), squeeze(law.text)) for law in laws
    ] == [
        (name, "刑法" + squeeze(article), squeeze(example), squeeze(body))
        for name, article, example, body in rows
    ]


def test_the_reminder_at_a_hand_over_is_the_documents_words(bundled: Policy) -> None:
    documents_folder()
    teamwork = bundled.teamwork
    for line in teamwork.rejoin_reminder:
        assert line in document_for(bundled, teamwork.rejoin_source), (bundled.id, line)
    if teamwork.second_responder:
        text = squeeze(document_for(bundled, teamwork.second_responder_source))
        assert "複数の職員で対応" in text, bundled.id
