"""`kasuhara-timer profiles` lists the bundled profiles; `profiles check FILE` validates one and
exits with status 2 and a message, not a traceback, when it is invalid."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.policy.loader import load_policy


def test_profiles_lists_every_bundled_profile_with_its_limits() -> None:
    result = CliRunner().invoke(main, ["profiles"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    for name in ("fujimi", "higashikurume", "nanyo", "sakaide", "taito"):
        assert name in rows
    assert rows["nanyo"].split()[-3:] == ["30分", "30分", "30分(既定)"]
    assert rows["sakaide"].split()[-3:] == ["60分", "60分", "60分(既定)"]
    assert rows["taito"].split()[-3:] == ["30分(既定)"] * 3
    assert "令和8年4月" in rows["nanyo"]


def test_profiles_in_english_says_default() -> None:
    result = CliRunner().invoke(main, ["--lang", "en", "profiles"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    taito = next(line for line in result.output.splitlines() if line.startswith("taito"))
    assert taito.count("30 default") == 3


def test_check_accepts_a_valid_profile(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_text(load_policy("sakaide").source.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert f"OK：{path}" in result.output
    assert "電話 60分 / 来庁 60分 / その他 60分(既定)" in result.output


def test_check_rejects_an_invalid_profile_with_status_2(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    text = load_policy("nanyo").source.read_text(encoding="utf-8")
    path.write_text(text.replace("minutes = 30", 'minutes = "半時間"', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"kasuhara-timer: {path}: invalid profile:" in result.output
    assert "channels.phone.limit.minutes: expected a whole number; got '半時間'" in result.output


def test_check_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["profiles", "check", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def check(path: Path) -> str:
    """`profiles check PATH` refuses with status 2 and a message naming the file, no traceback."""
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"kasuhara-timer: {path}: " in result.output
    return result.output


NANYO_TEXT = load_policy("nanyo").source.read_text(encoding="utf-8")


def test_check_accepts_what_windows_notepad_writes(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_bytes(b"\xef\xbb\xbf" + NANYO_TEXT.replace("\n", "\r\n").encode("utf-8"))
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert f"OK：{path}" in result.output


def test_check_refuses_a_device() -> None:
    assert "not a regular file" in check(Path("/dev/zero"))


def test_check_refuses_a_folder(tmp_path: Path) -> None:
    assert "is a folder" in check(tmp_path)


def test_check_refuses_a_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    assert "too large" in check(path)


def test_check_refuses_binary_data(tmp_path: Path) -> None:
    path = tmp_path / "image.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary data" in check(path)


def test_check_refuses_a_fifo(tmp_path: Path) -> None:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    assert "not a regular file" in check(path)


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        (
            "stated = true",
            'stated = "yes"',
            "channels.phone.limit.stated",
            "expected true or false",
        ),
        (
            "minutes = 30",
            'minutes = "20"',
            "channels.phone.limit.minutes",
            "expected a whole number",
        ),
        ("no = 1\n", 'no = "1"\n', "checklist[0].no", "expected a whole number"),
        (
            "prewarnings = [10, 5]",
            'prewarnings = ["10", 5]',
            "channels.phone.limit.prewarnings[0]",
            "expected a whole number",
        ),
    ],
)
def test_check_types_are_strict(
    tmp_path: Path, old: str, new: str, field: str, expected: str
) -> None:
    path = tmp_path / "office.toml"
    path.write_text(NANYO_TEXT.replace(old, new, 1), encoding="utf-8")
    output = check(path)
    assert f"{field}: {expected}" in output


def test_check_enforces_that_a_default_limit_says_the_document_sets_none(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    text = NANYO_TEXT.replace("stated = true", "stated = false", 1)
    path.write_text(text, encoding="utf-8")
    output = check(path)
    assert "channels.phone.limit.note: stated = false: the note must say plainly" in output


def test_check_enforces_after_care_last(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    text = NANYO_TEXT.replace(
        'kind = "warning"\ntitle = "ステップ1', 'kind = "aftercare"\ntitle = "ステップ1', 1
    )
    path.write_text(text, encoding="utf-8")
    output = check(path)
    assert "channels.phone.ladder[0].kind: the after-care step 'warning' must be the last" in output


def test_check_finds_each_citation_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_text(load_policy("taito").source.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "文書 taito-basic-policy.txt：同梱の写し" in result.output
    assert "件を文書の該当箇所で確認" in result.output


def test_check_refuses_a_citation_moved_to_another_line(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    text = NANYO_TEXT.replace('number = "内線411"', 'number = "内線412"', 1)
    text = text.replace("line = 171 }", "line = 172 }", 1)
    path.write_text(text, encoding="utf-8")
    output = check(path)
    assert "citations not at their place" in output
    moved = next(n for n, line in enumerate(text.splitlines(), 1) if "line = 172 }" in line)
    assert f"line {moved - 1}: guidance[3].items[0]: " in output  # the line of its `items = [`
    assert "not found whole at nanyo-manual.txt line 172 (found whole on line 171)" in output
    assert "contacts[0].number: '内線412' is not on nanyo-manual.txt line 340" in output


def test_check_reads_an_office_document_beside_the_profile(tmp_path: Path) -> None:
    document = "〇〇市カスハラ対応要領\n\n通話は30分を目安とします。\n"
    (tmp_path / "office-policy.txt").write_text(document, encoding="utf-8")
    text = NANYO_TEXT.replace(
        '"南陽市マニュアル" = "nanyo-manual.txt"',
        '"南陽市マニュアル" = "nanyo-manual.txt"\n"要領" = "office-policy.txt"',
        1,
    )
    text = text.replace(
        "cautions = [",
        'cautions = [\n    { text = "通話は30分を目安とします。", line = 3, doc = "要領" },',
        1,
    )
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert f"文書 office-policy.txt：{tmp_path / 'office-policy.txt'}" in result.output
    path.write_text(text.replace("line = 3, doc", "line = 1, doc"), encoding="utf-8")
    assert "cautions[0]: not found whole at office-policy.txt line 1" in check(path)
    (tmp_path / "office-policy.txt").unlink()
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["profiles", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "引用：office-policy.txt が見つからないため 1件を確認できません" in result.output
