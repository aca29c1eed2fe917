"""What the import-linter contract (pyproject.toml, `lint-imports` in scripts/test) cannot say.

The contract lists modules by name, so a new top-level module or package would stand outside every
layer unnoticed: this test makes each one name its layer. And the domain must import without
loading the terminal or sound libraries even through a third-party package, which only running it
shows.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import kasuhara_timer

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def contract_layers() -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.split("|")}


def test_every_top_level_module_has_a_layer() -> None:
    modules = {
        f"kasuhara_timer.{info.name}" for info in pkgutil.iter_modules(kasuhara_timer.__path__)
    }
    assert modules - contract_layers() == set()


def test_domain_loads_nothing_of_the_outer_layers() -> None:
    code = (
        "import sys, pkgutil, importlib, kasuhara_timer.session, kasuhara_timer.policy\n"
        "for pkg in (kasuhara_timer.session, kasuhara_timer.policy):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print('\\n'.join(sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    forbidden = ("textual", "rich", "sounddevice", "numpy", "jinja2", "sqlite3")
    below_or_domain = {"policy", "session", "tomlfile", "i18n", "locations", "errors"}
    outer = tuple(name for name in contract_layers() if name.split(".")[1] not in below_or_domain)
    leaked = [m for m in loaded if m.startswith(forbidden) or m.startswith(outer)]
    assert leaked == []
