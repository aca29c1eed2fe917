"""Read a TOML file into a pydantic model, with errors a person can act on.

Profiles and the config share this, so every malformed file is reported the same way: the file,
the field as it is written in TOML (`channels.phone.ladder[2].lines`), the line where the key
stands when it can be found, and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kasuhara_timer.errors import UserError

M = TypeVar("M", bound=BaseModel)

MAX_REPORTED = 5


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed table and the text of a TOML file; `UserError` for unreadable or bad syntax."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("file not found", path) from None
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text (save the file as UTF-8)", path) from None
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", path) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"TOML syntax error: {error}", path) from None


def load_toml_model(path: Path, model: type[M]) -> M:
    """Parse and validate `path` as `model`."""
    data, text = read_toml(path)
    return validate_toml_data(path, text, data, model)


def validate_toml_data(path: Path, text: str, data: dict[str, Any], model: type[M]) -> M:
    """Validate already-parsed TOML data, reporting errors against the file's text."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, text), path) from None


def describe_validation_error(error: ValidationError, text: str) -> str:
    """A few readable lines, one per problem: field path, line, message, the offending value."""
    problems = []
    for detail in error.errors()[:MAX_REPORTED]:
        location = [part for part in detail["loc"] if not _is_union_tag(part)]
        where = toml_path(location) or "(top level)"
        line = find_line(text, location)
        at = f" (line {line})" if line else ""
        message = detail["msg"]
        if detail["type"] not in {"missing", "extra_forbidden"} and "input" in detail:
            message += f"; got {_short(detail['input'])}"
        if detail["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        problems.append(f"{where}{at}: {message}")
    hidden = error.error_count() - len(problems)
    if hidden > 0:
        problems.append(f"…and {hidden} more")
    return "invalid settings:\n  " + "\n  ".join(problems)


def toml_path(location: Sequence[int | str]) -> str:
    """`('channels', 'phone', 'ladder', 2)` → `channels.phone.ladder[2]`."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def find_line(text: str, location: Sequence[int | str]) -> int | None:
    """The 1-based line where the deepest named key of `location` is written, searching forward
    from where its parent keys were found; None when it cannot be found (e.g. a missing key)."""
    keys = [part for part in location if isinstance(part, str)]
    lines = text.splitlines()
    found: int | None = None
    start = 0
    for key in keys:
        pattern = re.compile(rf'^\s*(\[\[?\s*)?([\w."-]*\.)?"?{re.escape(key)}"?\s*(=|\]|\.)')
        hit = next((i for i in range(start, len(lines)) if pattern.search(lines[i])), None)
        if hit is None:
            break
        found, start = hit + 1, hit
    return found


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds tags like "function-after[...]" for validators; they mean nothing to a user
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
