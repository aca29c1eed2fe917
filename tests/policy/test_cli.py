"""`kasuhara-timer profiles` lists the bundled profiles; `profiles check FILE` validates one and
exits with status 2 and a message, not a traceback, when it is invalid."""

from __future__ import annotations

from pathlib import Path

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
