"""A malformed profile is reported with the file, the field as written in TOML, its line and what
was expected; never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.loader import check_policy_file, load_policy

NANYO = Path(load_policy("nanyo").source).read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "office.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 0) -> int:
    """1-based line number of the `occurrence`-th line containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence]


def problem(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        check_policy_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert caught.value.exit_code == 2
    return message


def test_a_copy_of_a_bundled_profile_is_valid(tmp_path: Path) -> None:
    assert check_policy_file(write(tmp_path, NANYO)).id == "nanyo"
    assert load_policy(str(tmp_path / "office.toml")).bundled is False


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    text = NANYO.replace("stated = true", "stated = yes", 1)
    message = problem(write(tmp_path, text))
    assert f"line {line_of(text, 'stated = yes')}, column" in message
    assert "TOML syntax error" in message


def test_wrong_type_names_the_field_path_and_its_line(tmp_path: Path) -> None:
    # the third [[channels.phone.ladder]] gets a number where its lines should be
    start = [m.start() for m in re.finditer(r"\[\[channels\.phone\.ladder\]\]", NANYO)][2]
    begin = NANYO.index("lines = [", start)
    end = NANYO.index("]\n", begin) + 1
    text = NANYO[:begin] + "lines = 5" + NANYO[end:]
    message = problem(write(tmp_path, text))
    assert f"line {line_of(text, 'lines = 5')}: channels.phone.ladder[2].lines: " in message
    assert "expected an array" in message and "got 5" in message


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = NANYO.replace('title = "ステップ2', 'titel = "ステップ2', 1)
    message = problem(write(tmp_path, text))
    assert (
        f"line {line_of(text, 'titel = ')}: channels.phone.ladder[1].titel: unknown key" in message
    )
    assert "did you mean 'title'?" in message
    assert "channels.phone.ladder[1].title: required, but missing" in message


def test_missing_channel_is_named(tmp_path: Path) -> None:
    start = NANYO.index("[channels.other]")
    end = NANYO.index("[[behaviours]]")
    message = problem(write(tmp_path, NANYO[:start] + NANYO[end:]))
    assert "channels: missing channel other" in message


def test_unknown_channel_is_reported_once(tmp_path: Path) -> None:
    text = NANYO.replace("[channels.other]", '[channels.fax]\nlabel = "FAX"\n\n[channels.other]')
    message = problem(write(tmp_path, text))
    assert f"line {line_of(text, '[channels.fax]')}: channels.fax: expected 'phone'" in message
    assert "channels.fax.limit" not in message


def test_cross_reference_errors_point_at_the_entry(tmp_path: Path) -> None:
    text = NANYO.replace('laws = ["coercion"]', 'laws = ["coerce"]')
    message = problem(write(tmp_path, text))
    where = line_of(text, 'laws = ["coerce"]')
    assert (
        f"line {where}: behaviours[4].laws[0]: 'coerce' is not the id of an entry in laws"
        in message
    )


def test_prewarning_beyond_the_limit(tmp_path: Path) -> None:
    text = NANYO.replace("prewarnings = [10, 5]", "prewarnings = [40, 5]", 1)
    message = problem(write(tmp_path, text))
    assert f"line {line_of(text, '[40, 5]')}: channels.phone.limit.prewarnings: " in message


def test_source_must_name_a_declared_document(tmp_path: Path) -> None:
    text = NANYO.replace(
        'source = "南陽市マニュアル §7(1)【電話の場合】ステップ2"', 'source = "どこかの資料"'
    )
    message = problem(write(tmp_path, text))
    assert "channels.phone.ladder[1].source: source must start with a document" in message


def test_unreadable_files(tmp_path: Path) -> None:
    assert "file not found" in problem(tmp_path / "absent.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("label = '窓口'".encode("shift_jis"))
    assert "not UTF-8" in problem(latin)


def test_unknown_bundled_name_lists_the_available_ones() -> None:
    with pytest.raises(UserError) as caught:
        load_policy("nagoya")
    assert "unknown profile 'nagoya'" in str(caught.value)
    assert "fujimi, higashikurume, nanyo, sakaide, taito" in str(caught.value)


def test_a_step_sees_only_guidance_the_profile_has(tmp_path: Path) -> None:
    text = NANYO.replace('see = ["※庁舎管理規則第8条"]', 'see = ["庁舎管理規則"]', 1)
    message = problem(write(tmp_path, text))
    assert (
        "channels.counter.ladder[2].see[0]: '庁舎管理規則' is not the title of a guidance"
        in message
    )
