"""Review tests: the bundled nanyo profile, the fixture corpus (made once, copied per test),
and nothing of the developer's own config, data or state."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.review.index import SessionIndex
from tests.review.corpus import build_corpus


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the developer's config, data and state folders out of the tests."""
    monkeypatch.setenv("KASUHARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KASUHARA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KASUHARA_CONFIG_FILE", str(tmp_path / "config.toml"))
    yield


@pytest.fixture(scope="session")
def nanyo() -> Policy:
    """The bundled nanyo profile."""
    return load_policy("nanyo").policy


@pytest.fixture(scope="session")
def corpus_master(tmp_path_factory: pytest.TempPathFactory, nanyo: Policy) -> Path:
    """The fixture sessions, made once per test run (never written to by tests)."""
    data = tmp_path_factory.mktemp("corpus") / "data"
    build_corpus(data, nanyo)
    return data


@pytest.fixture
def data_dir(tmp_path: Path, corpus_master: Path) -> Path:
    """A private copy of the corpus, which the test may change."""
    target = tmp_path / "data"
    shutil.copytree(corpus_master, target)
    return target


@pytest.fixture
def index(data_dir: Path, tmp_path: Path) -> SessionIndex:
    """The corpus's index, refreshed."""
    built = SessionIndex(data_dir, tmp_path / "state" / "index.sqlite3")
    built.refresh()
    return built


def folder_named(data_dir: Path, prefix: str) -> Path:
    """The session folder whose name begins with `prefix` (a start time like 20260401-0900)."""
    (found,) = [p for p in (data_dir / "sessions").iterdir() if p.name.startswith(prefix)]
    return found
