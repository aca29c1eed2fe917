"""The bundled profiles' source documents, for tests that compare a profile with its document.

The documents ship inside the package (kasuhara_timer/policy/documents/), so these tests run on
a fresh clone on its own and never skip.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from kasuhara_timer.policy.loader import DOCUMENTS_PACKAGE, document_text
from kasuhara_timer.policy.models import Policy

DOCUMENTS = Path(str(resources.files(DOCUMENTS_PACKAGE)))
BUNDLED = ("fujimi", "higashikurume", "nanyo", "sakaide", "taito")


def documents_folder() -> Path:
    """The folder of the shipped policy documents."""
    assert (DOCUMENTS / "nanyo-manual.txt").is_file(), DOCUMENTS
    return DOCUMENTS


def document_for(policy: Policy, source: str) -> str:
    """The text of the document a `source` field names, via the profile's `documents` table."""
    for name, file in policy.profile.documents.items():
        if source.startswith(name):
            return document_text(file)
    raise AssertionError(f"{policy.id}: source {source!r} names no document in profile.documents")


def squeeze(text: str) -> str:
    """Text without whitespace or the documents' <u> markup, for comparing quoted passages
    whose line breaks and spacing come from PDF extraction, not from the author."""
    return re.sub(r"\s+|</?u>", "", text)
