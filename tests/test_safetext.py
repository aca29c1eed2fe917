"""One function makes data-folder text inert on a terminal (escape sequences, controls, bidi)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kasuhara_timer.safetext import terminal_safe

UNSAFE = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | set("\u202a\u202b\u202d\u202e")


def test_escapes_become_visible_and_ordinary_text_stays() -> None:
    assert terminal_safe("\x1b]0;X\x07") == "␛]0;X␇"
    assert terminal_safe("a\x9bb\u202ec") == "a<U+009B>b<U+202E>c"
    assert terminal_safe("山田 太郎「上の者を出せ」😀") == "山田 太郎「上の者を出せ」😀"
    assert terminal_safe("1\n2\t3\r") == "1␊2␉3␍"
    assert terminal_safe("1\n2\t3\r", newlines=True) == "1\n2\t3␍"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    assert not UNSAFE & set(terminal_safe(text))
    assert not (UNSAFE - {"\n", "\t"}) & set(terminal_safe(text, newlines=True))
