"""Read a TOML file into a pydantic model, with errors a person can act on.

Profiles and the config share this, so every malformed file is reported the same way: the file,
the field as it is written in TOML (`channels.phone.ladder[2].lines`), the line where the key
stands when it can be found, and what was expected.
"""

from __future__ import annotations

import difflib
import re
import stat
import tomllib
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kasuhara_timer.errors import UserError

M = TypeVar("M", bound=BaseModel)

MAX_REPORTED = 5

Location = tuple[int | str, ...]


MAX_TOML_BYTES = 2 * 1024 * 1024
"""Far above any real profile or config (the largest bundled profile is ~60 kB); a larger file
is refused before it is read, so a wrong path (a log, an image, a device) cannot exhaust memory."""


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed table and the text of a TOML file; `UserError` for unreadable or bad syntax.

    A UTF-8 byte-order mark (what Windows Notepad writes) is accepted, and so are CRLF line
    ends (TOML allows them). Only a regular file is read, and at most `MAX_TOML_BYTES`.
    """
    text = decode_toml_bytes(read_regular_file(path), path)
    return loads_toml(text, path), text


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file of at most `MAX_TOML_BYTES`; `UserError` for anything else
    (a folder, a device, a pipe, a file too large, one that cannot be read)."""
    try:
        # stat before open: opening a FIFO would block until a writer comes
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UserError("is a folder, not a TOML file", path)
        if not stat.S_ISREG(mode):
            raise UserError("not a regular file (a device or a pipe?), not a TOML file", path)
        with path.open("rb") as stream:
            data = stream.read(MAX_TOML_BYTES + 1)
    except FileNotFoundError:
        raise UserError("file not found", path) from None
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", path) from None
    if len(data) > MAX_TOML_BYTES:
        raise UserError(
            f"too large for a TOML file (over {MAX_TOML_BYTES // (1024 * 1024)} MB); "
            "is this the right file?",
            path,
        )
    return data


def decode_toml_bytes(data: bytes, path: Path) -> str:
    """UTF-8 text without a leading byte-order mark; `UserError` for binary or other encodings."""
    if b"\x00" in data:
        raise UserError("binary data, not a TOML text file", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(
            f"not UTF-8 text at byte {error.start} (save the file as UTF-8)", path
        ) from None


def loads_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML `text` read from `path`; a syntax error becomes a `UserError` with its line."""
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        # tomllib (3.11) puts the position only in the message: "... (at line 3, column 5)"
        position = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if position:
            reason = message[: position.start()]
            line, column = position.groups()
            raise UserError(
                f"line {line}, column {column}: TOML syntax error: {reason}", path
            ) from None
        raise UserError(f"TOML syntax error: {message}", path) from None


def load_toml_model(path: Path, model: type[M], what: str = "settings") -> M:
    """Parse and validate `path` as `model`."""
    data, text = read_toml(path)
    return validate_toml_data(path, text, data, model, what)


def validate_toml_data(
    path: Path, text: str, data: dict[str, Any], model: type[M], what: str = "settings"
) -> M:
    """Validate already-parsed TOML data, reporting errors against the file's text."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, text, what, model), path) from None


def describe_validation_error(
    error: ValidationError,
    text: str,
    what: str = "settings",
    model: type[BaseModel] | None = None,
) -> str:
    """A few readable lines, one per problem: line, field path, what was expected and found."""
    details = error.errors()
    # a bad table key (e.g. an unknown channel) also fails its value: report the key alone
    bad_keys = [error_location(d) for d in details if d["loc"] and d["loc"][-1] == "[key]"]
    details = [
        d
        for d in details
        if d["loc"][-1:] == ("[key]",)
        or not any(error_location(d)[: len(key)] == key for key in bad_keys)
    ]
    problems = []
    for detail in details[:MAX_REPORTED]:
        location = error_location(detail)
        where = toml_path(location) or "(top level)"
        line = find_line(text, location)
        at = f"line {line}: " if line else ""
        problems.append(f"{at}{where}: {_explain(detail, location, model)}")
    hidden = len(details) - len(problems)
    if hidden > 0:
        problems.append(f"…and {hidden} more")
    return f"invalid {what}:\n  " + "\n  ".join(problems)


def error_location(detail: Any) -> Location:
    """The field path of one pydantic error, without pydantic's internal tags, extended by the
    `loc` a validator's exception carries (see `ProfileValueError` in the policy models)."""
    location: list[int | str] = [part for part in detail["loc"] if not _is_union_tag(part)]
    cause = detail.get("ctx", {}).get("error")
    extra = getattr(cause, "loc", ())
    if isinstance(extra, tuple):
        location.extend(part for part in extra if isinstance(part, int | str))
    return tuple(location)


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
    """The 1-based line where the field at `location` (or its nearest written parent) stands.

    Knows tables, arrays of tables (`[[channels.phone.ladder]]`, counted to resolve `ladder[2]`)
    and dotted keys; values inside an array point at the array's key. A heuristic over the
    text's lines, not a second TOML parser: None when nothing along the path can be found.
    """
    lines = key_lines(text)
    for depth in range(len(location), 0, -1):
        hit = lines.get(tuple(location[:depth]))
        if hit is not None:
            return hit
    return None


_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
    r"""(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*="""
)
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"((?:[^"\\]|\\.)*)"|'([^']*)'""")


def key_lines(text: str) -> dict[Location, int]:
    """Every table header and key of `text`, by its field path, with its first line (1-based)."""
    found: dict[Location, int] = {}
    array_index: dict[Location, int] = {}
    table: Location = ()
    for number, line in _code_lines(text):
        header = _HEADER.match(line)
        if header:
            parts = _key_parts(header.group(2))
            parent = _resolve(parts[:-1], array_index)
            table = (*parent, parts[-1])
            if header.group(1) == "[[":
                index = array_index.get(table, -1) + 1
                array_index[table] = index
                table = (*table, index)
            for depth in range(1, len(table) + 1):
                found.setdefault(table[:depth], number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_key_parts(key.group(1)))
            for depth in range(len(table) + 1, len(path) + 1):
                found.setdefault(path[:depth], number)
    return found


def _code_lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines outside multi-line strings, where headers and keys can start."""
    inside: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if inside is None:
            yield number, line
        for quote in re.findall(r'"""|\'\'\'', line):
            if inside is None:
                inside = quote
            elif quote == inside:
                inside = None


def _key_parts(key: str) -> list[str]:
    return [
        m.group(1) if m.group(1) is not None else m.group(2) or m.group(0)
        for m in _KEY_PART.finditer(key)
    ]


def _resolve(parts: Sequence[str], array_index: dict[Location, int]) -> Location:
    """A header's parent path with the current index of every array of tables along it."""
    path: Location = ()
    for part in parts:
        path = (*path, part)
        if path in array_index:
            path = (*path, array_index[path])
    return path


def _explain(detail: Any, location: Location, model: type[BaseModel] | None) -> str:
    """What was expected, and what was found, in a user's words."""
    kind = detail["type"]
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, location[:-1]) if model else []
        name = str(location[-1]) if location else ""
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        listing = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}{listing}"
    message = _EXPECTED.get(kind) or str(detail["msg"])
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message.replace("Input should be", "expected")
    if kind != "value_error" and "input" in detail:
        message += f"; got {_short(detail['input'])}"
    return message


_EXPECTED = {
    "string_type": "expected text in quotes",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "tuple_type": "expected an array [ … ]",
    "list_type": "expected an array [ … ]",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
}
"""Pydantic error types worded in TOML's terms; other errors keep pydantic's message."""


def _allowed_keys(model: type[BaseModel] | None, location: Sequence[int | str]) -> list[str]:
    """The keys the model accepts at `location`, or [] when the path cannot be followed."""
    current: Any = model
    for part in location:
        current = _unwrap(current, part)
        if current is None:
            return []
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any, part: int | str | None) -> Any:
    """One step down a type: a model's field, a tuple's or list's items, a dict's values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if part is None:
            return annotation
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        models = [a for a in args if a is not type(None)]
        return _unwrap(models[0], part) if len(models) == 1 else None
    if origin is typing.Annotated:
        return _unwrap(args[0], part)
    if part is None:
        return annotation
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds tags like "function-after[...]" and dict keys' "[key]"; they mean nothing to
    # a user
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
