"""The lock files say exactly what runs: every dependency of pyproject.toml pinned, hashed, and
the app's set the same versions as the set the tests run on (scripts/lock writes both)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]*))?")

Pins = dict[str, list[tuple[str, Marker | None]]]


def pins(lock: str) -> Pins:
    """Name → (version, marker) of every pinned line of `lock`."""
    found: Pins = {}
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            marker = match["marker"].strip() if match["marker"] else ""
            entry = (match["version"], Marker(marker) if marker else None)
            found.setdefault(canonicalize_name(match["name"]), []).append(entry)
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    return runtime, dev


def satisfied(requirement: Requirement, locked: Pins, lock: str) -> None:
    entries = locked.get(canonicalize_name(requirement.name))
    assert entries, f"{requirement.name} is not in requirements/{lock}: run scripts/lock"
    for version, _marker in entries:
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {requirement.name}=={version}, pyproject.toml asks {requirement}:"
            " run scripts/lock"
        )


def test_every_dependency_is_pinned_in_both_locks() -> None:
    runtime, dev = declared()
    app, dev_lock = pins("app.lock"), pins("dev.lock")
    for requirement in runtime:
        satisfied(requirement, app, "app.lock")
        satisfied(requirement, dev_lock, "dev.lock")
    for requirement in dev:
        satisfied(requirement, dev_lock, "dev.lock")


def test_the_app_runs_on_the_versions_the_tests_ran() -> None:
    app, dev_lock = pins("app.lock"), pins("dev.lock")
    for name, entries in app.items():
        assert {v for v, _ in entries} <= {v for v, _ in dev_lock.get(name, [])}, name


def test_every_pinned_line_carries_hashes() -> None:
    for lock in ("app.lock", "dev.lock"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]}"
