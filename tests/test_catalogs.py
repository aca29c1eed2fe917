"""Every word catalogue speaks both languages with the same placeholders, so no screen, sheet
or command line shows a raw `{name}` or crashes on a missing value in one language."""

from __future__ import annotations

import string

import pytest

from kasuhara_timer.board.words import BOARD_CATALOG
from kasuhara_timer.i18n import CATALOG
from kasuhara_timer.integrity.commands import WORDS as INTEGRITY_WORDS
from kasuhara_timer.integrity.reasons import REASONS
from kasuhara_timer.profile_commands import WORDS as PROFILE_WORDS
from kasuhara_timer.review.words import REVIEW_CATALOG

CATALOGS = {
    "desk and sheet (i18n)": CATALOG,
    "review": REVIEW_CATALOG,
    "board": BOARD_CATALOG,
    "integrity commands": INTEGRITY_WORDS,
    "profile commands": PROFILE_WORDS,
    "problem reasons and verify findings": REASONS,
}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_catalog_has_both_languages_with_the_same_placeholders(name: str) -> None:
    for key, (ja, en) in CATALOGS[name].items():
        assert bool(ja) == bool(en), f"{name}: {key} is empty in one language only"
        assert placeholders(ja) == placeholders(en), f"{name}: {key}"
