"""The Windows offline bundle's builder: the lock read for Windows, the bundle checked (CI builds
the real bundle in scripts/test; these tests show the check catches what would break a desk)."""

from __future__ import annotations

import hashlib
import tomllib
import zipfile
from pathlib import Path

from packaging.tags import Tag

from kasuhara_timer.config import Settings
from scripts.windows_bundle import TEMPLATES, check, windows_pins, windows_tags

LOCK = """\
colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=sha256:{colorama}
    # via pytest
uvloop==0.21.0 ; sys_platform != 'win32' \\
    --hash=sha256:{other}
numpy==2.4.6 ; python_full_version < '3.12' \\
    --hash=sha256:{other}
numpy==2.5.5 ; python_full_version >= '3.12' \\
    --hash=sha256:{other}
"""


def test_the_lock_is_read_for_windows_and_the_python_chosen() -> None:
    lock = LOCK.format(colorama="a" * 64, other="b" * 64)
    assert [(p.name, p.version) for p in windows_pins(lock, "3.11")] == [
        ("colorama", "0.4.6"),
        ("numpy", "2.4.6"),
    ]
    assert ("numpy", "2.5.5") in [(p.name, p.version) for p in windows_pins(lock, "3.12")]


def test_only_wheels_windows_installs_are_accepted() -> None:
    tags = windows_tags("3.11")
    assert Tag("cp311", "abi3", "win_amd64") in tags
    assert Tag("cp310", "abi3", "win_amd64") in tags
    assert Tag("py3", "none", "any") in tags
    assert Tag("cp311", "cp311", "manylinux_2_17_x86_64") not in tags
    assert Tag("cp312", "cp312", "win_amd64") not in tags


def make_wheel(
    folder: Path, name: str, version: str, files: tuple[str, ...], needs: str = ""
) -> Path:
    """A minimal real wheel pip can read: its files, METADATA, WHEEL, RECORD."""
    wheel_path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    requires = f"Requires-Dist: {needs}\n" if needs else ""
    with zipfile.ZipFile(wheel_path, "w") as wheel:
        for file in files:
            wheel.writestr(file, "")
        metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{requires}"
        wheel.writestr(f"{info}/METADATA", metadata)
        tags = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        wheel.writestr(f"{info}/WHEEL", tags)
        wheel.writestr(f"{info}/RECORD", "")
    return wheel_path


def fake_bundle(tmp_path: Path, *, tamper: bool = False) -> tuple[Path, str]:
    """A bundle of one dependency (colorama, Windows only) and an app wheel that needs it."""
    bundle = tmp_path / "bundle"
    wheels = bundle / "wheels"
    wheels.mkdir(parents=True)
    colorama = make_wheel(wheels, "colorama", "0.4.6", ("colorama/__init__.py",))
    data = ("kasuhara_timer/policy/profiles/nanyo.toml", "kasuhara_timer/desk/styles/app.tcss")
    make_wheel(wheels, "kasuhara_timer", "0.1.0", data, needs="colorama")
    for name in ("install-shortcuts.ps1", "config.toml.example", "README.txt"):
        (bundle / name).write_bytes(b"\xef\xbb\xbf" + b"x\r\n")
    (bundle / "install.cmd").write_bytes(b"@echo off\r\n")
    digest = hashlib.sha256(colorama.read_bytes()).hexdigest()
    lock = LOCK.format(colorama=digest, other="b" * 64).replace("numpy", "# numpy")
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(bundle).as_posix()}"
        for p in sorted(bundle.rglob("*"))
        if p.is_file()
    ]
    (bundle / "MANIFEST.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if tamper:
        (bundle / "install.cmd").write_bytes(b"@echo off\ndel /q *\n")
    return bundle, lock


def test_a_complete_bundle_passes_the_offline_install_check(tmp_path: Path) -> None:
    bundle, lock = fake_bundle(tmp_path)
    assert check(bundle, "3.11", lock) == []


def test_an_edited_install_script_and_a_missing_wheel_are_caught(tmp_path: Path) -> None:
    bundle, lock = fake_bundle(tmp_path, tamper=True)
    problems = check(bundle, "3.11", lock.replace("# numpy==2.4.6", "numpy==2.4.6"))
    assert "numpy==2.4.6: no wheel" in problems
    assert "install.cmd: must be ASCII with CRLF line ends (cmd.exe)" in problems
    assert "MANIFEST.sha256: install.cmd changed" in problems


def test_the_config_template_is_valid_once_its_lines_are_used() -> None:
    template = (TEMPLATES / "config.toml.example").read_text(encoding="utf-8")
    used = "\n".join(
        line[2:] if line.startswith("# ") and "=" in line.split("#")[1] else line
        for line in template.splitlines()
    )
    settings = Settings.model_validate(tomllib.loads(used))
    assert settings.data_dir == Path(r"\\fileserver\kasuhara\data")
    assert settings.sharing == "group" and settings.audio.device == "USB"
