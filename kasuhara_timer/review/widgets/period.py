"""The from/to date inputs shared by the filter dialog and the report screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from textual.widget import Widget
from textual.widgets import Input, Label

from kasuhara_timer.i18n import Translator


def period_inputs(
    words: Translator, date_from: date | None, date_to: date | None, prefix: str
) -> Iterator[Widget]:
    """Label + input for the start and the end of a period (ids `{prefix}-from`, `{prefix}-to`)."""
    for key, value, end in (("filter.from", date_from, "from"), ("filter.to", date_to, "to")):
        yield Label(words(key))
        yield Input(
            str(value or ""),
            placeholder=words("filter.date_hint"),
            id=f"{prefix}-{end}",
            compact=True,
        )
