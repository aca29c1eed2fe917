"""The JSON Schema shipped for office profiles is the one the models generate, and says what
each field is for, so an editor validating against it agrees with `profiles check`."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.policy.loader import profile_schema_text, shipped_schema_text


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
