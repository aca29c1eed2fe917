"""The source documents ship with the package, unchanged, so every quotation can be checked."""

from __future__ import annotations

import hashlib
from importlib import resources

from kasuhara_timer.policy.loader import (
    DOCUMENTS_PACKAGE,
    bundled_document_names,
    document_text,
    load_policy,
)
from tests.support.documents import BUNDLED

PUBLISHED = {
    "fujimi-basic-policy.txt": "b46b361fea0787f7fac1b43750313b28cdac0317b08a8356b9307588735492a7",
    "higashikurume-basic-policy.txt": (
        "f6f5ae2e83dd23d25cac1fded2cd1fad40b03569d03303b033f8ea6974403709"
    ),
    "nanyo-manual.txt": "40494c6dbc6921e4fb2f9a2682d316484ae0c37b86e8f2d24d14244c91cc112b",
    "sakaide-basic-policy.txt": "faa1a7bfdc0baad3f74b2935a73b2a55247d8e3011d8c60aaf9ace5ee92c4e67",
    "taito-basic-policy.txt": "8681da277fd1c2292f8c6b4fcbbd827c57fb43bb35d5f7c89a0f003ae70eeb5a",
}
"""SHA-256 of the texts the product was specified from (shared/policies/ of the project)."""


def test_the_five_documents_ship_byte_identical() -> None:
    folder = resources.files(DOCUMENTS_PACKAGE)
    assert bundled_document_names() == sorted(PUBLISHED)
    for name, digest in PUBLISHED.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_readme_says_where_each_came_from() -> None:
    readme = (resources.files(DOCUMENTS_PACKAGE) / "README.md").read_text(encoding="utf-8")
    for name in PUBLISHED:
        assert f"`{name}`" in readme


def test_every_document_a_bundled_profile_names_is_shipped() -> None:
    for name in BUNDLED:
        for file in load_policy(name).policy.profile.documents.values():
            assert document_text(file)
