"""Build, on Linux, the offline install bundle for Windows desk PCs, and check what it holds.

    .venv/bin/python scripts/windows_bundle.py [--out dist] [--python 3.11]
    .venv/bin/python scripts/windows_bundle.py --check dist/kasuhara-timer-0.1.0-win64-py311

The bundle is what an office's IT copies to a desk PC with no internet (LGWAN): the locked set of
win_amd64 wheels (requirements/app.lock: the versions the tests ran on, each file's SHA-256
checked by pip at install), the app's own wheel, `install.cmd` (pip --no-index into a folder,
from an existing Python), the shortcuts and Windows Terminal profiles for 電話 / 窓口 / 記録の確認
(`install-shortcuts.ps1`), and a machine-wide config template. docs/windows.md says how to use it.

The lock's markers are evaluated for the Windows target here (pip evaluates them for the machine
it runs on, even with --platform), so Windows-only dependencies are fetched and Linux-only ones
are not. Building always ends with `check`, so a bundle that was built is one that was checked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "app.lock"
TEMPLATES = ROOT / "scripts" / "windows"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]*))?")
PACKAGE_DATA = ("kasuhara_timer/policy/profiles/nanyo.toml", "kasuhara_timer/desk/styles/app.tcss")
"""Files that only package data rules put in the app's wheel: their absence breaks the app."""
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


@dataclass(frozen=True)
class Pinned:
    """One locked requirement as it applies to the Windows target."""

    name: str
    version: str
    hashes: frozenset[str]

    def line(self) -> str:
        """The requirement line pip installs with --require-hashes (no marker: it applies)."""
        hashes = " ".join(f"--hash=sha256:{h}" for h in sorted(self.hashes))
        return f"{self.name}=={self.version} {hashes}"


def windows_environment(python: str) -> dict[str, str]:
    """The marker environment of CPython `python` (e.g. "3.11") on 64-bit Windows."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.9",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.9",
        "python_version": python,
        "sys_platform": "win32",
    }


def windows_pins(lock_text: str, python: str) -> list[Pinned]:
    """The lock's requirements whose markers hold on Windows for `python`."""
    environment = windows_environment(python)
    pinned = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock_text):
        match = PIN.match(block)
        if not match:
            continue
        marker = (match["marker"] or "").strip()
        if marker and not Marker(marker).evaluate(environment):
            continue
        hashes = frozenset(HASH.findall(block))
        if not hashes:
            raise SystemExit(f"{LOCK}: {match['name']} has no hashes; run scripts/lock")
        pinned.append(Pinned(canonicalize_name(match["name"]), match["version"], hashes))
    return pinned


def windows_tags(python: str) -> set[Tag]:
    """Every wheel tag CPython `python` on win_amd64 accepts."""
    version = tuple(int(part) for part in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    return set(
        cpython_tags(version, abis=[interpreter, "abi3", "none"], platforms=["win_amd64"])
    ) | set(compatible_tags(version, interpreter, platforms=["win_amd64"]))


def app_version() -> str:
    """The app's version, from its package."""
    text = (ROOT / "kasuhara_timer" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise SystemExit("kasuhara_timer/__init__.py: no __version__")
    return match[1]


def build(out: Path, python: str) -> Path:
    """Build the bundle folder (and its .zip) under `out`; returns the folder."""
    version = app_version()
    name = f"kasuhara-timer-{version}-win64-py{python.replace('.', '')}"
    bundle = out / name
    if bundle.exists():
        shutil.rmtree(bundle)
    wheels = bundle / "wheels"
    wheels.mkdir(parents=True)
    pins = windows_pins(LOCK.read_text(encoding="utf-8"), python)
    lock = bundle / "requirements.lock"
    lock.write_text("\n".join(pin.line() for pin in pins) + "\n", encoding="utf-8")
    _run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
            "--only-binary=:all:", "--platform", "win_amd64", "--implementation", "cp",
            "--python-version", python, "--dest", str(wheels), "-r", str(lock),
        ]
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", scratch, str(ROOT)]
        )
        (app_wheel,) = Path(scratch).glob("kasuhara_timer-*.whl")
        shutil.copy2(app_wheel, wheels / app_wheel.name)
    for template in sorted(TEMPLATES.iterdir()):
        text = template.read_text(encoding="utf-8")
        for key, value in (
            ("@VERSION@", version),
            ("@PYTHON_TUPLE@", python.replace(".", ", ")),
            ("@PYTHON@", python),
        ):
            text = text.replace(key, value)
        target = bundle / template.name
        if template.suffix == ".cmd":  # cmd.exe reads batch files in the OEM code page: ASCII
            target.write_bytes(text.replace("\n", "\r\n").encode("ascii"))
        elif template.suffix in (".ps1", ".txt"):  # PowerShell 5.1, old Notepad: UTF-8 with BOM
            target.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
        else:
            target.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    _write_manifest(bundle)
    problems = check(bundle, python)
    if problems:
        raise SystemExit("windows bundle: " + "\n  ".join(["check failed:", *problems]))
    archive = shutil.make_archive(str(bundle), "zip", out, name)
    print(f"windows bundle: {bundle} ({len(list(wheels.iterdir()))} wheels), {archive}")
    return bundle


def check(bundle: Path, python: str, lock_text: str | None = None) -> list[str]:
    """What is wrong with a built bundle (empty when nothing): every locked wheel present for
    Windows with the locked hash and a tag Windows accepts, nothing else, the app's wheel with
    its data, the scripts encoded as Windows reads them, the manifest true."""
    problems: list[str] = []
    text = LOCK.read_text(encoding="utf-8") if lock_text is None else lock_text
    pins = {pin.name: pin for pin in windows_pins(text, python)}
    accepted = windows_tags(python)
    seen: set[str] = set()
    app_wheels = []
    for wheel in sorted((bundle / "wheels").glob("*.whl")):
        name, version, _build, tags = parse_wheel_filename(wheel.name)
        if name == "kasuhara-timer":
            app_wheels.append(wheel)
            continue
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{wheel.name}: not in the lock")
            continue
        seen.add(name)
        if str(version) != pin.version:
            problems.append(f"{wheel.name}: the lock pins {pin.version}")
        if not tags & accepted:
            problems.append(f"{wheel.name}: not installable on CPython {python} win_amd64")
        if _sha256(wheel) not in pin.hashes:
            problems.append(f"{wheel.name}: SHA-256 not in the lock")
    problems += [f"{name}=={pins[name].version}: no wheel" for name in sorted(set(pins) - seen)]
    if len(app_wheels) != 1:
        problems.append(f"expected one kasuhara_timer wheel, found {len(app_wheels)}")
    else:
        with zipfile.ZipFile(app_wheels[0]) as wheel_zip:
            files = set(wheel_zip.namelist())
        for needed in (
            "kasuhara_timer/policy/profiles/nanyo.toml",
            "kasuhara_timer/desk/styles/app.tcss",
        ):
            if needed not in files:
                problems.append(f"{app_wheels[0].name}: {needed} missing")
    for script in ("install.cmd", "install-shortcuts.ps1", "config.toml.example", "README.txt"):
        if not (bundle / script).is_file():
            problems.append(f"{script}: missing")
    install = (bundle / "install.cmd").read_bytes() if (bundle / "install.cmd").exists() else b""
    if not install.isascii() or b"\n" in install.replace(b"\r\n", b""):
        problems.append("install.cmd: must be ASCII with CRLF line ends (cmd.exe)")
    shortcuts = bundle / "install-shortcuts.ps1"
    if shortcuts.exists() and not shortcuts.read_bytes().startswith(b"\xef\xbb\xbf"):
        problems.append("install-shortcuts.ps1: needs a UTF-8 BOM (PowerShell 5.1)")
    problems += _check_manifest(bundle)
    if len(app_wheels) == 1 and not problems:
        problems += _check_offline_resolution(bundle, app_wheels[0], python, pins)
    return problems


def _check_offline_resolution(
    bundle: Path, app_wheel: Path, python: str, pins: dict[str, Pinned]
) -> list[str]:
    """Resolve the app from wheels/ alone, as Windows' pip will (no index): the set it picks
    must be exactly the locked set."""
    _name, version, _build, _tags = parse_wheel_filename(app_wheel.name)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        result = subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-index",
                "--find-links", str(bundle / "wheels"), "--only-binary=:all:",
                "--platform", "win_amd64", "--implementation", "cp", "--python-version", python,
                "--target", str(Path(scratch) / "target"), "--report", str(report),
                f"kasuhara-timer=={version}",
            ],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            return [f"offline install does not resolve: {result.stderr.strip()[-500:]}"]
        chosen: dict[str, str] = {
            canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
            for item in json.loads(report.read_text(encoding="utf-8"))["install"]
        }
    chosen.pop("kasuhara-timer", None)
    locked = {name: pin.version for name, pin in pins.items()}
    return [
        f"offline install picks {name} {chosen.get(name)}, the lock pins {locked.get(name)}"
        for name in sorted(set(chosen) | set(locked))
        if chosen.get(name) != locked.get(name)
    ]


def _write_manifest(bundle: Path) -> None:
    lines = [
        f"{_sha256(path)}  {path.relative_to(bundle).as_posix()}"
        for path in sorted(bundle.rglob("*"))
        if path.is_file() and path.name != "MANIFEST.sha256"
    ]
    (bundle / "MANIFEST.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check_manifest(bundle: Path) -> list[str]:
    manifest = bundle / "MANIFEST.sha256"
    if not manifest.exists():
        return ["MANIFEST.sha256: missing"]
    listed = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, relative = line.partition("  ")
        listed[relative] = digest
    files = {
        path.relative_to(bundle).as_posix(): _sha256(path)
        for path in bundle.rglob("*")
        if path.is_file() and path.name != "MANIFEST.sha256"
    }
    return [f"MANIFEST.sha256: {name} differs" for name in sorted(set(listed) ^ set(files))] + [
        f"MANIFEST.sha256: {name} changed"
        for name in files
        if listed.get(name, files[name]) != files[name]
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str]) -> None:
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise SystemExit(f"windows bundle: {' '.join(command[:5])}… failed ({result.returncode})")


def main() -> None:
    """Build into --out (default dist/) or --check an existing bundle."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--python", default="3.11", help="the desk PCs' Python (3.11, 3.12, 3.13)")
    parser.add_argument("--check", type=Path, help="only check this built bundle folder")
    args = parser.parse_args()
    if args.check is not None:
        problems = check(args.check, args.python)
        for problem in problems:
            print(problem)
        raise SystemExit(1 if problems else 0)
    build(args.out, args.python)


if __name__ == "__main__":
    main()
