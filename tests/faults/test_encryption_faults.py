"""Attacks on encryption at rest, each a trial in the fault suite.

- SIGKILL at random moments while a closed session is encrypted: nothing is lost (every file is
  its plaintext or an age file of exactly it), what the kill left is private, and the next
  start's tidy-up (`encrypt_finished`) completes it into a session that verifies intact, with no
  temporary file left behind.
- A desk account (no identity) trying every reader on a closed session: each refuses.
- An encrypted file replaced by one encrypted to someone else's key, or with a byte flipped:
  the supervisor's reader refuses it and verify names it.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kasuhara_timer.catalog.recordings import find_recording
from kasuhara_timer.catalog.sessions import load_session
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.lifecycle.encrypting import encrypt_finished, encrypt_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import SessionFolder
from tests.support.sessions import HOST, finished_session, write_segment
from tests.support.supervisors import age_encrypt, supervisor
from tests.support.tally import Tally

KILL_TRIALS = 20
ROOT = Path(__file__).resolve().parents[2]


def contents(folder: SessionFolder) -> dict[str, bytes]:
    """What each file of the session holds, decrypted (needs the identity unlocked)."""
    found = {}
    for path in sorted(folder.path.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        plain = vault.plain_path(path)
        found[plain.relative_to(folder.path).as_posix()] = vault.read_plain(plain)
    return found


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> SessionFolder:
    """A recorded, archived, sealed session with a 20-second raw segment left beside it."""
    data = tmp_path_factory.mktemp("pristine") / "data"
    clock = ManualClock()
    folder, _ = finished_session(data, clock, audio=True)
    write_segment(folder, clock, 300.0, 20.0, seed=4)
    from kasuhara_timer.integrity.seal import seal_session

    seal_session(folder, clock=clock)
    return folder


def test_a_kill_while_encrypting_loses_nothing_and_the_next_start_finishes(
    pristine: SessionFolder, tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    boss = supervisor()
    original = {k: v for k, v in contents(pristine).items() if k != "seal.json"}
    rng = random.Random(12)
    for trial in range(KILL_TRIALS):
        data = tmp_path / f"trial-{trial}" / "data"
        shutil.copytree(pristine.path.parent.parent, data)
        folder = SessionFolder(data / "sessions" / pristine.name, drill=False)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.encrypt_child", str(folder.path), boss.recipient],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.06))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

        vault.unlock([boss.identity.age_identity])
        try:
            after_kill = {k: v for k, v in contents(folder).items() if k != "seal.json"}
            stray = [p for p in folder.path.rglob(".*") if p.is_file()]
            loose = [p for p in stray if p.stat().st_mode & 0o077]  # readable by others
            problems = encrypt_finished(data, HOST, [boss.recipient], clock=clock)
            plain_copies = loose + [p for p in folder.path.rglob(".*") if p.is_file()]
            finished = {k: v for k, v in contents(folder).items() if k != "seal.json"}
            readable = {
                p.name for p in folder.path.rglob("*") if p.is_file() and p.suffix != ".age"
            }
            report = verify_session(folder)
        finally:
            vault.lock()
        lost = sum(after_kill.get(k) != v for k, v in original.items() if k != "contact.json")
        lost += sum(finished.get(k) != v for k, v in original.items())
        ok = (
            not lost
            and not plain_copies
            and not problems
            # checkpoints.jsonl holds only the journal's signed chain heads (no personal data)
            # and stays readable, so verify checks them without a key
            and readable - {"checkpoints.jsonl"} == {"seal.json", "contact.json"}
            and report.intact
        )
        tally.record("sigkill while encrypting", survived=ok, lost=lost, unit="files")
        assert ok, (trial, lost, plain_copies, problems, readable, report.findings)


def test_a_desk_without_the_identity_reads_nothing_of_a_closed_session(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock, audio=True)
    encrypt_session(folder, [supervisor().recipient], clock=clock)
    attempts: dict[str, Callable[[], object]] = {
        "load_session": lambda: load_session(folder).record,
        "read the record": lambda: vault.read_plain(folder.record),
        "read the journal": lambda: vault.read_plain(folder.journal),
        "find the recording": lambda: find_recording(folder),
        "read the sheet": lambda: vault.read_plain(folder.sheet),
    }
    for name, attempt in attempts.items():
        try:
            got = attempt()
        except StoreError:
            got = None
        tally.record("desk reads a closed session", survived=got is None, unit="reads")
        assert got is None, name
    assert verify_session(folder).intact  # the seal still checks the ciphertext


def test_a_replaced_or_damaged_encrypted_file_is_refused_and_named(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    boss, intruder = supervisor(), supervisor("侵入者")
    master, _ = finished_session(tmp_path / "master" / "data", clock, audio=True)
    encrypt_session(master, [boss.recipient], clock=clock)
    names = sorted(p.relative_to(master.path).as_posix() for p in master.path.rglob("*.age"))
    rng = random.Random(7)
    for trial in range(2 * len(names)):
        data = tmp_path / f"t{trial}" / "data"
        shutil.copytree(master.path.parent.parent, data)
        folder = SessionFolder(data / "sessions" / master.name, drill=False)
        target = folder.path / names[trial % len(names)]
        if trial < len(names):
            target.write_bytes(age_encrypt(intruder.recipient, b'{"forged": true}'))
            kind = "encrypted file replaced"
        else:
            data_bytes = bytearray(target.read_bytes())
            data_bytes[rng.randrange(len(data_bytes))] ^= 1 << rng.randrange(8)
            target.write_bytes(bytes(data_bytes))
            kind = "encrypted file damaged"
        vault.unlock([boss.identity.age_identity])
        try:
            refused = False
            try:
                vault.read_plain(vault.plain_path(target))
            except StoreError:
                refused = True
            report = verify_session(folder)
        finally:
            vault.lock()
        named = any(target.name in finding.file or target.name.removesuffix(".age") in
                    finding.file for finding in report.problems)  # fmt: skip
        tally.record(kind, survived=refused and named, lost=0 if named else 1, unit="missed")
        assert refused and named, (target, report.findings)
