"""A supervisor identity for the encryption tests, and the standard `age` command line."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from kasuhara_timer.trust.supervisor import (
    SupervisorIdentity,
    generate_supervisor,
    identity_file_text,
)

needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="needs the age command line")


@dataclass(frozen=True)
class Supervisor:
    """A supervisor's unlocked identity and its recipient (age1…)."""

    identity: SupervisorIdentity

    @property
    def recipient(self) -> str:
        """What sessions are encrypted to."""
        recipient = self.identity.public.age_recipient
        assert recipient is not None
        return recipient

    def identity_file(self, folder: Path) -> Path:
        """The identity as the plaintext age identity file `age -d -i` reads (0600)."""
        path = folder / f"{self.identity.signer.key_id}.txt"
        path.write_text(identity_file_text(self.identity))
        path.chmod(0o600)
        return path


@cache
def supervisor(name: str = "田中 一郎") -> Supervisor:
    """One identity per name for the whole run (key generation is quick, but say it once)."""
    return Supervisor(generate_supervisor(name))


def age_decrypt(identity_file: Path, path: Path) -> bytes:
    """`age -d -i IDENTITY FILE`: the plaintext, as anyone with the key and age gets it."""
    result = subprocess.run(
        ["age", "-d", "-i", str(identity_file), str(path)], capture_output=True, check=True
    )
    return result.stdout


def age_encrypt(recipient: str, data: bytes) -> bytes:
    """`age -r RECIPIENT`: what the standard tool makes of `data`."""
    result = subprocess.run(["age", "-r", recipient], input=data, capture_output=True, check=True)
    return result.stdout
