"""Only `kasuhara_timer.system` may call what one platform lacks: everything else runs on Windows
and POSIX alike because it goes through those modules."""

from __future__ import annotations

import ast
from pathlib import Path

import kasuhara_timer

PACKAGE = Path(kasuhara_timer.__file__).parent

PLATFORM_ONLY_MODULES = {"fcntl", "msvcrt", "termios", "tty", "pwd", "grp", "resource", "winreg"}
PLATFORM_ONLY_CALLS = {
    "os.pread", "os.pwrite", "os.fchmod", "os.fchown", "os.chown", "os.fork", "os.setsid",
    "os.killpg", "os.getpgid", "os.getuid", "os.geteuid", "os.statvfs", "os.O_BINARY",
    "os.O_NOINHERIT", "signal.SIGHUP", "signal.SIGKILL", "signal.SIGBREAK", "signal.pause",
    "subprocess.CREATE_NO_WINDOW",
}  # fmt: skip
CHILD_PROCESS_CALLS = {
    "subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
    "subprocess.check_output",
}  # fmt: skip
"""Started only by `system.processes`: a child must not inherit the console's keyboard."""


def guarded(tree: ast.AST) -> set[int]:
    """The nodes under `X if hasattr(os, "name") else Y` or `if sys.platform != "win32":`: they
    run only where the call exists (mypy --platform win32 checks the other branch)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp | ast.If) and _is_guard(node.test):
            body = [node.body] if isinstance(node, ast.IfExp) else node.body
            for part in body:
                inside |= {id(sub) for sub in ast.walk(part)}
    return inside


def _is_guard(test: ast.expr) -> bool:
    for node in ast.walk(test):
        is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if is_call and node.func.id == "hasattr":  # type: ignore[attr-defined]
            return True
        if isinstance(node, ast.Attribute) and node.attr == "platform":
            return True
    return False


def uses(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    skip = guarded(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in PLATFORM_ONLY_MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module in PLATFORM_ONLY_MODULES:
            found.add(node.module)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = f"{node.value.id}.{node.attr}"
            if name in PLATFORM_ONLY_CALLS:
                found.add(name)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if isinstance(func.value, ast.Name):
                name = f"{func.value.id}.{func.attr}"
                if name in CHILD_PROCESS_CALLS:
                    found.add(name)
    return found


def test_platform_dependent_calls_stay_in_the_system_modules() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("system/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), relative)
        offenders += [(relative, name) for name in sorted(uses(tree))]
    assert offenders == []


def test_the_check_sees_a_platform_call() -> None:
    code = "import os, fcntl\nos.pread(0, 1, 0)\nsubprocess.run(['ffmpeg'])\n"
    code += "uid = os.getuid() if hasattr(os, 'getuid') else 0\n"
    code += "if sys.platform != 'win32':\n    os.fchmod(0, 0o600)\n"
    assert uses(ast.parse(code)) == {"fcntl", "os.pread", "subprocess.run"}
