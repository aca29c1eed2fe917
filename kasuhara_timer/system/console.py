"""The console the app writes to: legacy code pages.

A Japanese Windows console, or output redirected to a file there, encodes as cp932, which lacks
characters the app prints (「—」「✓」, box lines, an odd device name): Python raises
`UnicodeEncodeError` mid-report. `safe_output` makes such streams replace what they cannot
encode instead, so a report is never cut short.
"""

from __future__ import annotations

import codecs
import contextlib
import sys
from typing import TextIO

_UNICODE_CODECS = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig"})


def safe_output() -> None:
    """Make stdout and stderr replace characters their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        make_safe(stream)


def make_safe(stream: TextIO | None) -> None:
    """Reconfigure one text stream to `errors="replace"` unless it encodes all of Unicode."""
    if stream is None or not hasattr(stream, "reconfigure"):
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name in _UNICODE_CODECS or getattr(stream, "errors", "strict") != "strict":
        return
    with contextlib.suppress(Exception):  # a replaced stream without reconfigure (tests)
        stream.reconfigure(errors="replace")
