"""Line breaking for Japanese on a terminal: at phrase boundaries, never before 。 or 」.

Textual wraps at spaces and otherwise cuts anywhere, so a line to read aloud could break in the
middle of a word or start with 。. BudouX (Google's phrase segmenter, a small bundled model that
loads in about 10 ms) gives the phrase boundaries; the rules below keep closing punctuation off
the start of a line and opening brackets off its end (禁則処理), at a phrase boundary (a
character moves down to the next line with its neighbour) as when a phrase must be folded.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:
    from budoux.parser import Parser
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement

NO_LINE_START = frozenset(
    "、。，．,.・：；？！?!ー―…‥〜～」』）］｝〕〉》】〙〗’”ゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]}％%"
)
"""Characters a line must not start with."""

NO_LINE_END = frozenset("「『（［｛〔〈《【〘〖‘“([{")
"""Characters a line must not end with."""

HANGING_MARKS = ("・", "「", "※", "- ", "• ")
"""A paragraph starting with one of these continues indented under its text."""

_TOKENS = re.compile(r"\s*\S+\s*|\s+")


@cache
def _parser() -> Parser:
    import budoux  # deferred (about 10 ms): only screens with Japanese text to wrap need it

    return budoux.load_default_japanese_parser()


def phrases(text: str) -> list[str]:
    """`text` cut where a line may break: BudouX phrases, further cut at spaces."""
    return [token for piece in _parser().parse(text) for token in _TOKENS.findall(piece)]


@lru_cache(maxsize=512)
def wrap(text: str, width: int) -> tuple[str, ...]:
    """`text` as lines of at most `width` cells; newlines in `text` start new paragraphs."""
    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return tuple(lines)


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    if not paragraph:
        return [""]
    indent = ""
    if paragraph.startswith(HANGING_MARKS):
        indent = " " * min(cell_len(paragraph[:1]), width // 4)
    lines: list[str] = []
    current = ""
    for token in phrases(paragraph):
        room = width - (cell_len(indent) if lines else 0)
        if cell_len(current + token) <= room:
            current += token
            continue
        if current.strip():
            line, current = _break_before(current, token)
            lines.append(line)
        else:
            current = token.lstrip()
        room = width - cell_len(indent)
        while cell_len(current) > room:
            head, current = _fold(current, room)
            lines.append(head)
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return [line if number == 0 else indent + line for number, line in enumerate(lines)]


def _break_before(current: str, token: str) -> tuple[str, str]:
    """End the line `current` before `token`, keeping 禁則 at the phrase boundary: characters
    move down with `token` until the next line does not start with a character such as ：or 」
    and this one does not end with 「 or （ (BudouX may put either at a phrase's edge); on a
    line too short to give a character, the marks stay at its end, past the edge."""
    head, rest = current.rstrip(), token.lstrip()
    while len(head) > 1 and (rest[:1] in NO_LINE_START or head[-1:] in NO_LINE_END):
        head, rest = head[:-1], head[-1] + rest
    if rest[:1] in NO_LINE_START:  # too short to give a character: the marks hang at the end
        head, rest = current.rstrip(), token.lstrip()
        marks = len(rest) - len(rest.lstrip("".join(NO_LINE_START)))
        head, rest = head + rest[:marks], rest[marks:].lstrip()
    return head.rstrip(), rest


def _fold(text: str, width: int) -> tuple[str, str]:
    """Cut `text` to fit `width`, keeping 禁則 where the line is long enough to give a character."""
    size, cut = 0, 0
    for cut, char in enumerate(text):  # noqa: B007 - `cut` is used after the loop
        size += cell_len(char)
        if size > width:
            break
    else:
        return text, ""
    cut = max(cut, 1)
    head, rest = text[:cut], text[cut:]
    while len(head) > 1 and (rest[:1] in NO_LINE_START or head[-1:] in NO_LINE_END):
        head, rest = head[:-1], head[-1] + rest
    return head, rest


class Wrapped:
    """A Rich renderable of plain text wrapped by `wrap` to whatever width it is given.

    Rich wraps at spaces and folds anywhere else; inside a table cell or a panel this wraps
    Japanese at phrase boundaries with 禁則 instead, at the width the layout decides.
    """

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        yield Text("\n".join(wrap(self.text, options.max_width)), style=self.style, no_wrap=True)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        longest = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return Measurement(min(longest, 4), min(longest, options.max_width))
