"""What the IME makes of a key, folded back to the key: generic, whatever the bindings are."""

from __future__ import annotations

import pytest

from kasuhara_timer.ui.keys import ascii_key, ime_ascii, key_character


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("１", "1"), ("０", "0"), ("ｎ", "n"), ("Ｎ", "N"), ("ｘ", "x"), ("？", "?"),
        ("え", "e"), ("エ", "e"), ("ｴ", "e"), ("あ", "a"), ("ん", "n"), ("ー", "-"),
        ("、", ","), ("。", "."), ("・", "/"), ("　", " "),
    ],
)  # fmt: skip
def test_full_width_and_kana_fold_to_the_key_typed(typed: str, key: str) -> None:
    assert ime_ascii(typed) == key


@pytest.mark.parametrize("typed", ["n", "1", "?", "漢", "か", "😠", None, "ab"])
def test_other_characters_are_left_alone(typed: str | None) -> None:
    assert ime_ascii(typed) is None


def test_ascii_key_names_are_textuals() -> None:
    assert [ascii_key(c) for c in "n1? -"] == ["n", "1", "question_mark", "space", "hyphen_minus"]


def test_a_key_sent_by_name_alone_still_has_its_character() -> None:
    assert key_character("fullwidth_question_mark") == "？"
    assert key_character("hiragana_letter_e") == "え"
    assert key_character("ｎ") == "ｎ"
    assert key_character("ctrl+n") is None
    assert key_character("f2") is None
