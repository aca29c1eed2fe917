"""Find and read policy profiles: the bundled ones (one per document) and an office's own file.

Every problem a person can fix (unknown name, missing file, TOML syntax, a field of the wrong
type) is a `UserError` naming the file, the field as written in TOML, its line and what was
expected; the reporting is shared with the config through `kasuhara_timer.tomlfile`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.citations import CitationReport, check_citations
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.tomlfile import (
    MAX_REPORTED,
    find_line,
    loads_toml,
    read_regular_file,
    read_toml,
    validate_toml_data,
)

BUNDLED_PACKAGE = "kasuhara_timer.policy.profiles"
DOCUMENTS_PACKAGE = "kasuhara_timer.policy.documents"
DEFAULT_PROFILE = "nanyo"


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy and where it was read from (recorded with each session)."""

    policy: Policy
    source: Path
    bundled: bool


def bundled_profile_names() -> list[str]:
    """The names `--profile` accepts besides a file path, sorted (``nanyo``, ``sakaide``…)."""
    folder = resources.files(BUNDLED_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def load_policy(spec: str | Path) -> LoadedPolicy:
    """The policy named by `spec`: a bundled profile's name, or the path of a profile file."""
    if isinstance(spec, str) and spec in bundled_profile_names():
        return _load_bundled(spec)
    if isinstance(spec, str) and not _looks_like_path(spec):
        raise UserError(
            f"unknown profile {spec!r}; bundled profiles: {', '.join(bundled_profile_names())} "
            "(or give the path of a profile file, e.g. office.toml)"
        )
    path = Path(spec)
    return LoadedPolicy(policy=check_policy_file(path), source=path.resolve(), bundled=False)


def check_policy_file(path: str | Path) -> Policy:
    """Read and validate a profile file; `UserError` says what is wrong and where."""
    path = Path(path)
    data, text = read_toml(path)
    return validate_toml_data(path, text, data, Policy, what="profile")


@dataclass(frozen=True)
class CheckedProfile:
    """An office's profile that `profiles check` found valid, and how its citations fared."""

    policy: Policy
    citations: CitationReport
    documents: dict[str, Path | None]
    """Each document file the profile names → where it was read (None: the shipped copy)."""


def check_profile_file(path: str | Path) -> CheckedProfile:
    """`check_policy_file`, then every citation checked against its document: the file beside the
    profile when there is one, else the shipped copy of that name. `UserError` lists each
    citation not at its place (with the profile's line), like any other invalid field."""
    path = Path(path)
    data, text = read_toml(path)
    policy = validate_toml_data(path, text, data, Policy, what="profile")
    found: dict[str, Path | None] = {}

    def read(file: str) -> str | None:
        beside = path.parent / file
        if file and beside.is_file():
            found[file] = beside
            try:
                return read_regular_file(beside).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise UserError(
                    "a document the profile cites must be UTF-8 text (save it as UTF-8)", beside
                ) from None
        if file in bundled_document_names():
            found[file] = None
            return document_text(file)
        return None

    report = check_citations(policy, read)
    if report.problems:
        lines = []
        for problem in report.problems[:MAX_REPORTED]:
            line = find_line(text, problem.loc)
            lines.append(f"{f'line {line}: ' if line else ''}{problem.field}: {problem.message}")
        hidden = len(report.problems) - len(lines)
        if hidden > 0:
            lines.append(f"…and {hidden} more")
        raise UserError("citations not at their place:\n  " + "\n  ".join(lines), path)
    return CheckedProfile(policy, report, found)


def policy_from_text(text: str, source: Path) -> Policy:
    """Validate profile `text`; `source` names it in error messages."""
    return validate_toml_data(source, text, loads_toml(text, source), Policy, what="profile")


@cache
def _load_bundled(name: str) -> LoadedPolicy:
    resource = resources.files(BUNDLED_PACKAGE) / f"{name}.toml"
    source = Path(str(resource))
    policy = policy_from_text(resource.read_text(encoding="utf-8"), source)
    return LoadedPolicy(policy=policy, source=source, bundled=True)


def bundled_document_names() -> list[str]:
    """The file names of the source documents shipped with the package, sorted."""
    folder = resources.files(DOCUMENTS_PACKAGE)
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".txt"))


@cache
def document_text(name: str) -> str:
    """The text of a shipped source document (``nanyo-manual.txt``), exactly as published."""
    if name not in bundled_document_names():
        raise UserError(f"no shipped document named {name!r}")
    return (resources.files(DOCUMENTS_PACKAGE) / name).read_bytes().decode("utf-8")


SCHEMA_FILE = "profile.schema.json"
"""The JSON Schema of the profile format, shipped beside the models it is generated from."""


def profile_schema() -> dict[str, object]:
    """The JSON Schema of a profile, generated from the models (each field's description kept),
    for editors that validate TOML against a schema (Taplo / Even Better TOML: `#:schema`)."""
    schema = Policy.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kasuhara-timer.example/profile.schema.json",
        **schema,
        "title": "kasuhara-timer policy profile",
    }


def profile_schema_text() -> str:
    """`profile_schema()` as the shipped file's text (sorted, indented, UTF-8 as is)."""
    return json.dumps(profile_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def shipped_schema_text() -> str:
    """The schema file that ships with the package."""
    return (resources.files("kasuhara_timer.policy") / SCHEMA_FILE).read_text(encoding="utf-8")


def _looks_like_path(spec: str) -> bool:
    return spec.endswith(".toml") or "/" in spec or "\\" in spec or Path(spec).exists()


def session_policy(profile: str, profile_source: str) -> Policy:
    """The policy a session ran under: its office file when it had one, else the bundled one.

    Raises `UserError` naming the file when it is gone or no longer valid.
    """
    return load_policy(Path(profile_source) if profile_source else profile).policy
