"""Whatever value of the wrong type lands anywhere in a profile, loading reports it as a
`UserError` naming that field; no other exception escapes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import load_policy, policy_from_text
from kasuhara_timer.tomlfile import toml_path

Location = tuple[str | int, ...]

VALID: dict[str, Any] = tomllib.loads(load_policy("nanyo").source.read_text(encoding="utf-8"))


def locations(value: Any, prefix: Location = ()) -> list[Location]:
    """Every value's path in the parsed TOML, containers included."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += locations(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += locations(item, (*prefix, index))
    return found


LOCATIONS = locations(VALID)


def wrong_values(value: Any) -> list[Any]:
    """Values of another type than `value` that no lenient conversion turns into it."""
    if isinstance(value, bool):
        return ["不正な値", [True], {"a": 1}]
    if isinstance(value, int):
        return ["不正な値", [1], {"a": 1}, 2.5]
    if isinstance(value, str):
        return [7, True, ["x"], {"a": "x"}]
    if isinstance(value, list):
        return ["不正な値", 7, {"a": 1}]
    if isinstance(value, dict) and "text" in value:
        return [7, ["x"]]  # a cited quotation: a plain string is an uncited one, and valid
    return ["不正な値", 7, ["x"]]


def replaced(data: Any, location: Location, new: Any) -> Any:
    """A copy of `data` with the value at `location` replaced."""
    if not location:
        return new
    head, rest = location[0], location[1:]
    if isinstance(data, dict):
        return {k: replaced(v, rest, new) if k == head else v for k, v in data.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(data)]


def value_at(data: Any, location: Location) -> Any:
    for part in location:
        data = data[part]
    return data


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_wrong_types_become_user_errors_naming_the_field(data: st.DataObject) -> None:
    location = data.draw(st.sampled_from(LOCATIONS), label="location")
    new = data.draw(st.sampled_from(wrong_values(value_at(VALID, location))), label="value")
    text = tomli_w.dumps(replaced(VALID, location, new))
    try:
        policy_from_text(text, Path("office.toml"))
    except UserError as error:
        assert toml_path(location) in str(error)
    else:
        raise AssertionError(f"{toml_path(location)} = {new!r} was accepted")
