"""Text from the data folder made safe for a terminal: the one function every output goes through.

Anyone who can write a shared data folder chooses folder names, journal text, staff files and
profiles. Printed as they are, an ESC or BEL in them would drive the reader's terminal (set its
title, write its clipboard with OSC 52, hide text); bidirectional overrides would reorder what is
shown. `terminal_safe` turns every such character into something visible and inert:

* C0 controls and DEL become their Unicode control pictures (ESC → ␛, BEL → ␇, DEL → ␡);
* C1 controls (U+0080–U+009F, which some terminals also obey) become ``<U+009B>``;
* bidirectional embeddings, overrides and isolates become ``<U+202E>`` and the like.

Newlines and tabs are kept only when the caller asks (multi-line notes, a printed report).
Used by the CLI (verify, purge, hold, export, keys), the review app and the desk app.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_KEEPING_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def terminal_safe(text: str, *, newlines: bool = False) -> str:
    """`text` with every control character and escape sequence made visible and inert.

    `newlines` keeps line feeds and tabs (CR is still shown, since it can overwrite a line).
    """
    pattern = _UNSAFE_KEEPING_LINES if newlines else _UNSAFE
    return pattern.sub(_visible, text)


def echo(text: object = "", *, err: bool = False) -> None:
    """`click.echo` of `terminal_safe` text (lines kept): how the commands print."""
    import click

    click.echo(terminal_safe(str(text), newlines=True), err=err)
