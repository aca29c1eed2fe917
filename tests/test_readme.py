"""README's config example is a file an office can copy: it must load as it is written."""

from __future__ import annotations

import re
from pathlib import Path

from kasuhara_timer.config import load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_config_example_loads(tmp_path: Path) -> None:
    [example] = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    settings = load_settings(path)
    assert settings.keymap == {"desk.next": "f8"}
    assert settings.retention.audio_days == 90
