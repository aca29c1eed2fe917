"""sheet.html: the 対応記録シート and its checklist as one printable, self-contained A4 page.

Rendered from record.json alone (Jinja2, autoescape on), so the review and exports can print the
same sheet again without the profile. Every value passes `printable` first: HTML is escaped by
Jinja, control characters become visible symbols and unpaired surrogates a replacement mark, so
whatever a note holds it prints as text and never as markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from kasuhara_timer.policy.models import AUTO_SHEET_FIELDS
from kasuhara_timer.sheets.laws import ANNEX_NOTE, ANNEX_TITLE, LawAnnex
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.timeline import duration_words

if TYPE_CHECKING:
    from jinja2 import Environment

_VISIBLE_CONTROLS: dict[int, int] = {
    **{code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)},
    0x0D: 0x0A,
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
    **{code: 0xFFFD for code in range(0xD800, 0xE000)},
}
"""C0 controls as their Unicode control pictures (␛ for ESC), C1 controls and lone surrogates as
the replacement character; tab and newline kept (the sheet preserves line breaks)."""


def printable(value: object) -> object:
    """A value made safe to put in HTML text (escaping itself is left to autoescape)."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # the template's own markup (macros), already safe
        return value
    if isinstance(value, str):
        return value.replace("\r\n", "\n").translate(_VISIBLE_CONTROLS)
    return value


@cache
def _environment() -> Environment:
    # Deferred: Jinja2's import is a tenth of a second the desk's first frame does not need.
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("kasuhara_timer.sheets", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=printable,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["duration"] = _duration
    environment.filters["css_string"] = css_string
    return environment


def css_string(value: object) -> Markup:
    """`value` as a quoted CSS string for the page margins (`@page { content: … }`).

    Inside <style> HTML escaping does not apply (``&amp;`` would print as such), so the string
    is CSS-escaped instead: quotes and backslashes, and every character that could end the style
    element or the declaration (``<``, ``>``, ``&``, ``;``, braces, line breaks) as a hex escape."""
    text = str(printable(value))
    escaped = "".join(
        f"\\{ord(char):x} " if char in _CSS_HEX or ord(char) < 0x20 else char for char in text
    )
    return Markup(f'"{escaped}"')


_CSS_HEX = frozenset('"\\<>&;{}\x7f')


def _duration(seconds: object) -> str:
    """Seconds in the sheet's words (``12分3秒``); anything else as it is."""
    if isinstance(seconds, int | float):
        return duration_words(float(seconds))
    return str(seconds)


def render_sheet(record: Record, *, confirmation: str = "", laws: LawAnnex | None = None) -> str:
    """The HTML of the record sheet followed by the checklist on its own printed page;
    `confirmation` is a supervisor's sign-off (課長確認) to print under the sheet, `laws` the
    optional 法令（参考） annex of an export, on a page of its own after the checklist."""
    template = _environment().get_template("sheet.html.j2")
    return template.render(
        record=record,
        session=record.session,
        sheet=record.sheet,
        auto_fields=AUTO_SHEET_FIELDS,
        confirmation=confirmation,
        laws=laws,
        laws_title=ANNEX_TITLE,
        laws_note=ANNEX_NOTE,
    )


def write_sheet(folder: SessionFolder, record: Record) -> Path:
    """Write sheet.html atomically (0600); returns its path."""
    write_atomic(folder.sheet, render_sheet(record).encode("utf-8"))
    return folder.sheet
