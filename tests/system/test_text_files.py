"""Text files as Windows tools save them: Notepad and PowerShell 5.1 put a BOM first."""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.config import load_settings
from kasuhara_timer.policy.loader import check_policy_file

BOM = "\ufeff"
PROFILES = Path(__file__).resolve().parents[2] / "kasuhara_timer" / "policy" / "profiles"


def test_a_config_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(BOM + 'lang = "en"\r\n', encoding="utf-8")
    assert load_settings().lang == "en"


def test_a_profile_saved_with_a_bom_and_crlf_is_read(tmp_path: Path) -> None:
    text = (PROFILES / "nanyo.toml").read_text(encoding="utf-8")
    path = tmp_path / "office.toml"
    path.write_bytes((BOM + text).replace("\n", "\r\n").encode("utf-8"))
    policy = check_policy_file(path)
    assert policy == check_policy_file(PROFILES / "nanyo.toml")
