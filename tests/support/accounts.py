"""Other accounts on this machine, for the shared-folder tests: two desks, a supervisor and an
outsider, the first three in one office group. Made with `groupadd`/`useradd` when the tests
run as root (CI does); the tests that need them are skipped otherwise.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

OFFICE_GROUP = "kt-office"
DESK_A, DESK_B, SUPERVISOR, OUTSIDER = "kt-desk-a", "kt-desk-b", "kt-supervisor", "kt-outsider"
ROOT = Path(__file__).resolve().parents[2]

needs_root = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root and useradd to make other accounts",
)


@dataclass(frozen=True)
class Account:
    """One account of the office (or not) and the folder its own state lives in."""

    name: str
    uid: int
    gid: int
    home: Path

    def run(
        self, args: list[str], env: Mapping[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run `args` as this account (its groups too), umask 0022, from the repository."""
        command = [
            "setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--init-groups",
            "sh", "-c", 'umask 022 && exec "$@"', "sh", *args,
        ]  # fmt: skip
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "KASUHARA_STATE_DIR": str(self.home / "state"),
            "KASUHARA_CONFIG_FILE": str(self.home / "config.toml"),
            "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {}),
        }
        result = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{self.name}: {args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def python(
        self, *args: str, env: Mapping[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """This project's Python (its packages too) as this account."""
        interpreter, path = other_accounts_python()
        return self.run([interpreter, *args], {"PYTHONPATH": path, **(env or {})}, check)


def other_accounts_python() -> tuple[str, str]:
    """An interpreter of this Python's version that other accounts may run, and the
    PYTHONPATH that gives it this environment's packages.

    The test's own interpreter may live in root's home (pyenv), which no one else can enter;
    the system's python3.X of the same version reads the same wheels.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [Path(sys.executable).resolve(), Path(f"/usr/bin/python{version}")]
    packages = [ROOT, *map(Path, site.getsitepackages())]
    if not all(_everyone_can_enter(folder) for folder in packages):
        pytest.skip(f"other accounts cannot enter the checkout or its packages ({packages})")
    for candidate in candidates:
        if candidate.exists() and _everyone_can_run(candidate):
            return str(candidate), os.pathsep.join(map(str, packages))
    pytest.skip(f"no Python {version} that other accounts can run")


def _everyone_can_enter(folder: Path) -> bool:
    """True when others may enter `folder` and every folder above it, and read it."""
    try:
        return bool(os.stat(folder).st_mode & 0o005 == 0o005) and all(
            os.stat(parent).st_mode & 0o001 for parent in folder.parents
        )
    except OSError:
        return False


def _everyone_can_run(path: Path) -> bool:
    """True when every folder above `path` can be entered by others and it can be run."""
    if not os.stat(path).st_mode & 0o001:
        return False
    return all(os.stat(parent).st_mode & 0o001 for parent in path.parents)


def _ensure_group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        subprocess.run(["groupadd", name], check=True)
        return grp.getgrnam(name).gr_gid


def _ensure_user(name: str, groups: list[str]) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        extra = ["-G", ",".join(groups)] if groups else []
        subprocess.run(["useradd", "-M", "-N", "-s", "/bin/sh", *extra, name], check=True)


@dataclass(frozen=True)
class Office:
    """The accounts and a place for their data folder that all of them can reach."""

    group: str
    gid: int
    desk_a: Account
    desk_b: Account
    supervisor: Account
    outsider: Account
    base: Path


def office_accounts() -> Iterator[Office]:
    """Make (once per machine) the accounts; yield them with fresh homes under a new folder."""
    gid = _ensure_group(OFFICE_GROUP)
    for name in (DESK_A, DESK_B, SUPERVISOR):
        _ensure_user(name, [OFFICE_GROUP])
    _ensure_user(OUTSIDER, [])
    base = Path(tempfile.mkdtemp(prefix="kasuhara-office-"))
    base.chmod(0o755)
    accounts = []
    for name in (DESK_A, DESK_B, SUPERVISOR, OUTSIDER):
        entry = pwd.getpwnam(name)
        home = base / "home" / name
        home.mkdir(parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        home.chmod(0o700)
        accounts.append(Account(name, entry.pw_uid, entry.pw_gid, home))
    (base / "home").chmod(0o755)
    try:
        desk_a, desk_b, supervisor, outsider = accounts
        yield Office(OFFICE_GROUP, gid, desk_a, desk_b, supervisor, outsider, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
