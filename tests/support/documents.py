"""The bundled profiles' source documents, for tests that compare a profile with its document.

The documents live in shared/policies/ beside the repository (../shared in CI). Tests that
compare a profile with its document skip, saying why, when that folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kasuhara_timer.policy.models import Policy

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = REPO.parent / "shared" / "policies"
BUNDLED = ("fujimi", "higashikurume", "nanyo", "sakaide", "taito")


def documents_folder() -> Path:
    """The folder of policy documents, or skip the test when it is not beside the repository."""
    if not (DOCUMENTS / "nanyo-manual.txt").is_file():
        pytest.skip(f"policy documents not found at {DOCUMENTS}")
    return DOCUMENTS


def document_for(policy: Policy, source: str) -> str:
    """The text of the document a `source` field names, via the profile's `documents` table."""
    for name, file in policy.profile.documents.items():
        if source.startswith(name):
            return (documents_folder() / file).read_text(encoding="utf-8")
    raise AssertionError(f"{policy.id}: source {source!r} names no document in profile.documents")


def squeeze(text: str) -> str:
    """Text without whitespace or the documents' <u> markup, for comparing quoted passages
    whose line breaks and spacing come from PDF extraction, not from the author."""
    return re.sub(r"\s+|</?u>", "", text)
