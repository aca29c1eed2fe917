"""Problem reasons and verify notes read in Japanese (English with --lang en): every wording the
checks can produce has an entry in `integrity.reasons.REASONS`, found in their source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kasuhara_timer
from kasuhara_timer.integrity.reasons import REASONS, known, reason_words

PACKAGE = Path(kasuhara_timer.__file__).parent
CHECKS = [
    "catalog/sessions.py",
    "integrity/verify.py",
    "integrity/checkpoints.py",
    "integrity/signoff_check.py",
    "integrity/seal.py",
    "store/journal.py",
    "store/record.py",
    "store/answers.py",
    "store/signoff.py",
    "trust/signing.py",
    "integrity/audit.py",
    "integrity/chainlog.py",
    "integrity/accesslog.py",
    "integrity/ledger.py",
    "integrity/retention.py",
    "integrity/witness.py",
]
"""Where the reasons a review or `verify` shows are worded."""

CALLS = {"problem", "note", "append", "report", "StoreError", "JournalProblem", "store_error",
         "Finding", "LogProblem", "_finding", "finding",
         "SignatureCheck"}  # fmt: skip
SAMPLE = "not signed"
"""What fills each hole of a wording: itself a reason, so that a wrapper's nested one is too."""

PIECES = {
    f"{SAMPLE} ({SAMPLE})",  # a part of the audio section named with its file
    f"{SAMPLE}（{SAMPLE}）",  # a person on the sheet, with how they joined
    f"{SAMPLE} ({SAMPLE} items, {SAMPLE} expected)",  # a path inside a difference list
    f"ledgers/{SAMPLE}.jsonl",  # a file a finding is about
    f"{SAMPLE}/{SAMPLE}",  # a session folder a finding is about
}
"""Texts appended to lists that are pieces of a reason or of the sheet, not reasons."""


def wordings() -> list[tuple[str, str]]:
    """(file, wording with its holes filled) of every literal reason passed to a check's call."""
    found = []
    for name in CHECKS:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in CALLS:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                text = _template(arg)
                if text is not None and " " in text.strip() and text not in PIECES:
                    found.append((name, text))
    return found


def _template(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else SAMPLE for part in node.values
        )
    return None


def test_the_scan_finds_the_checks_wordings() -> None:
    found = {text for _, text in wordings()}
    assert "missing: the session's events are gone" in found
    assert len(found) > 60


@pytest.mark.parametrize(("file", "text"), wordings())
def test_every_reason_has_japanese(file: str, text: str) -> None:
    assert known(text), f"{file}: no entry in REASONS for {text!r}"
    assert reason_words(text, "en") == text


def test_a_reason_reads_in_japanese_nested_ones_too() -> None:
    text = "journal.jsonl line 3: sequence number 5 where 3 was expected"
    assert reason_words(text, "ja") == "journal.jsonl 3行目：通し番号が 5 です（3 のはず）"
    assert reason_words(text, "en") == text
    error = "/data/x/record.json: could not read the record: permission denied"
    assert reason_words(f"unreadable: {error}", "ja") == (
        "読めません：/data/x/record.json：record.json を読むことができません："
        "アクセスが許可されていません"
    )


def test_an_unknown_reason_is_kept_as_written() -> None:
    assert reason_words("something new: 42", "ja") == "something new: 42"
    assert not known("something new: 42")


def test_each_line_of_several_reasons_is_looked_up() -> None:
    text = "not signed\nmalformed sequence number"
    assert reason_words(text, "ja") == "署名がありません\n通し番号の形式が正しくありません"


def test_every_entry_is_english_keyed_and_has_both_languages() -> None:
    for english, (ja, en) in REASONS.items():
        assert en == english and ja
        if "{" not in english:
            assert any(ord(char) > 0x3000 for char in ja), english
