"""The JSON Schema shipped for office profiles is the one the models generate, and says what
each field is for, so an editor validating against it agrees with `profiles check`."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from kasuhara_timer.cli import main
from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import (
    check_policy_file,
    load_policy,
    profile_schema_text,
    shipped_schema_text,
)
from kasuhara_timer.policy.models import Policy


def test_the_shipped_schema_is_generated_from_the_models() -> None:
    # regenerate: python -c "from kasuhara_timer.policy.loader import profile_schema_text;
    #   open('kasuhara_timer/policy/profile.schema.json','w').write(profile_schema_text())"
    assert shipped_schema_text() == profile_schema_text()


def test_the_schema_is_strict_and_describes_its_fields() -> None:
    schema = json.loads(shipped_schema_text())
    assert set(schema["required"]) >= {"profile", "channels", "behaviours", "sheet_fields"}
    defs: dict[str, Any] = schema["$defs"]
    limit = defs["Limit"]
    assert limit["additionalProperties"] is False
    assert limit["properties"]["stated"]["type"] == "boolean"
    assert limit["properties"]["minutes"]["type"] == "integer"
    assert "default" in limit["properties"]["stated"]["description"]
    for name, model in defs.items():
        for field, spec in model.get("properties", {}).items():
            described = "description" in spec or "$ref" in spec or "allOf" in spec
            assert described, f"{name}.{field} has no description"
    quote = schema["properties"]["cautions"]["items"]
    assert {"type": "string", "minLength": 1}.items() <= quote["anyOf"][0].items()


def test_profiles_schema_prints_it() -> None:
    result = CliRunner().invoke(main, ["profiles", "schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["title"] == "kasuhara-timer policy profile"


# ───── the schema as an editor uses it: validated by the `jsonschema` library ─────

VALIDATOR = Draft202012Validator(json.loads(shipped_schema_text()))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(shipped_schema_text()))


def test_every_bundled_profile_is_valid_against_the_schema(bundled: Policy) -> None:
    data = tomllib.loads(load_policy(bundled.id).source.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []


NANYO = tomllib.loads(load_policy("nanyo").source.read_text(encoding="utf-8"))


def changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """Nanyo's profile with the value at `path` replaced (or the key removed for REMOVE)."""
    data = copy.deepcopy(NANYO)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if value is REMOVE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


REMOVE = object()

BAD = {
    '"yes" for a bool': (("channels", "phone", "limit", "stated"), "yes"),
    '"20" for minutes': (("channels", "phone", "limit", "minutes"), "20"),
    "a limit of 0 minutes": (("channels", "phone", "limit", "minutes"), 0),
    "an unknown key": (("channels", "phone", "limit", "minuets"), 30),
    "a missing channel": (("channels", "other"), REMOVE),
    "an unknown channel": (("channels", "fax"), NANYO["channels"]["other"]),
    "a step without its title": (("channels", "phone", "ladder", 0, "title"), REMOVE),
    "an unknown step kind": (("channels", "phone", "ladder", 0, "kind"), "shout"),
    "a citation's line as text": (
        ("channels", "phone", "ladder", 0, "lines", 0),
        {"text": "恐れ入りますが", "line": "278"},
    ),
    "an empty quotation": (("cautions", 0), ""),
    "an unknown calendar": (("profile", "calendar"), "julian"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_the_schema_refuses_what_profiles_check_refuses(case: str, tmp_path: Path) -> None:
    path, value = BAD[case]
    data = changed(path, value)
    assert list(VALIDATOR.iter_errors(data)), case
    office = tmp_path / "office.toml"
    office.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(UserError):
        check_policy_file(office)
