"""The domain stays importable without the TUI, the sound card or the disk layer (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = (
    "textual",
    "sounddevice",
    "kasuhara_timer.store",
    "kasuhara_timer.audio",
    "kasuhara_timer.tui",
)


def test_domain_imports_nothing_of_the_outer_layers() -> None:
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
    leaked = [m for m in loaded if m.startswith(FORBIDDEN)]
    assert leaked == []
