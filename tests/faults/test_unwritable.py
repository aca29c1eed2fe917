"""A data folder the desk cannot write at start: a clear message naming it, never a traceback.

Root ignores permissions, so when the suite runs as root each trial runs in a forked child that
first becomes the unprivileged user `nobody`.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.integrity.accesslog import log_access
from kasuhara_timer.lifecycle.folder_store import FolderSessionStore
from kasuhara_timer.store.errors import StoreError
from tests.support.sessions import HOST
from tests.support.tally import Tally

NOBODY = 65534


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Path]:
    """A folder everyone may enter (pytest's own tmp folder is root-only)."""
    place = Path(tempfile.mkdtemp(prefix="kasuhara-unwritable-"))
    os.chmod(place, 0o755)
    yield place
    shutil.rmtree(place, ignore_errors=True)


def as_unprivileged(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work` in a child that cannot bypass permissions; its result as JSON."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            if os.getuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                result = work()
            except BaseException as error:
                result = {"crash": f"{type(error).__name__}: {error}"}
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    data: dict[str, Any] = json.loads(b"".join(chunks))
    return data


def cases(world: Path) -> dict[str, tuple[Path, Path, bool]]:
    """Each way a data folder can be unwritable: the data folder, the path the message must
    name, and whether the access log (at the data folder's top) can still be written."""
    readonly = world / "readonly-data"
    readonly.mkdir(mode=0o555)
    os.chmod(readonly, 0o555)
    locked_parent = world / "locked"
    locked_parent.mkdir()
    os.chmod(locked_parent, 0o555)
    sessions_locked = world / "sessions-locked"
    (sessions_locked / "sessions").mkdir(parents=True)
    os.chmod(sessions_locked, 0o777)
    os.chmod(sessions_locked / "sessions", 0o555)
    not_a_folder = world / "a-file"
    not_a_folder.write_text("")
    return {
        "data folder read-only": (readonly, readonly / "sessions", False),
        "parent read-only, data folder missing": (
            locked_parent / "data",
            locked_parent / "data",
            False,
        ),
        "sessions folder read-only": (sessions_locked, sessions_locked / "sessions", True),
        "a file where the data folder's parent should be": (
            not_a_folder / "data",
            not_a_folder,
            False,
        ),
    }


def test_an_unwritable_data_folder_gets_a_clear_message(world: Path, tally: Tally) -> None:
    kind = "data folder unwritable at start"
    failures = []
    for name, (data_dir, named, log_writable) in cases(world).items():

        def work(data_dir: Path = data_dir) -> dict[str, Any]:
            out: dict[str, Any] = {}
            try:
                FolderSessionStore(data_dir, HOST).open(datetime.now().astimezone(), False)
                out["desk"] = "opened"
            except StoreError as error:
                out["desk"] = str(error)
            try:
                log_access(data_dir, "listen", "S1")
                out["log"] = "written"
            except StoreError as error:
                out["log"] = str(error)
            env = {"KASUHARA_CONFIG_FILE": str(data_dir / "none.toml")}
            result = CliRunner().invoke(
                main, ["--data-dir", str(data_dir), "verify", "--all"], env=env
            )
            out["cli"] = (result.exit_code, result.output)
            return out

        result = as_unprivileged(work)
        problems = []
        if "crash" in result:
            problems.append(result["crash"])
        else:
            desk = result["desk"]
            if not (desk.startswith(str(named)) and ": could not create the folder: " in desk):
                problems.append(f"desk: {desk}")
            log = result["log"]
            if log_writable != (log == "written") or not (log_writable or "could not" in log):
                problems.append(f"log: {log}")
            code, output = result["cli"]
            if code not in (0, 2) or "Traceback" in output:
                problems.append(f"cli: {code} {output}")
        tally.record(kind, survived=not problems)
        if problems:
            failures.append((name, problems))
    assert failures == [], "\n".join(map(str, failures))
    assert stat.S_IMODE((world / "readonly-data").stat().st_mode) == 0o555  # untouched
