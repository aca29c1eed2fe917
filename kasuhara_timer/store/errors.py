"""Store failures the desk can show as a banner: each names the file and what went wrong."""

from __future__ import annotations

import errno
from enum import StrEnum
from pathlib import Path

from kasuhara_timer.errors import UserError


class StoreProblem(StrEnum):
    """Why the store could not read or write, so the UI can word its banner."""

    DISK_FULL = "disk_full"
    NO_PERMISSION = "no_permission"
    IN_USE = "in_use"
    EXISTS = "exists"
    MISSING = "missing"
    NEWER_VERSION = "newer_version"
    MALFORMED = "malformed"
    IO = "io"
    ENCRYPTED = "encrypted"
    """Encrypted to the supervisors, and no identity that opens it was given."""


class StoreError(UserError):
    """Reading or writing the data folder failed; whatever was already on disk is untouched."""

    def __init__(
        self, message: str, path: Path | None = None, reason: StoreProblem = StoreProblem.IO
    ) -> None:
        self.reason = reason
        super().__init__(message, path)


_REASONS = {
    errno.ENOSPC: (StoreProblem.DISK_FULL, "the disk is full"),
    errno.EDQUOT: (StoreProblem.DISK_FULL, "the disk quota is exhausted"),
    errno.EFBIG: (StoreProblem.DISK_FULL, "the file size limit was reached"),
    errno.EACCES: (StoreProblem.NO_PERMISSION, "permission denied"),
    errno.EPERM: (StoreProblem.NO_PERMISSION, "operation not permitted"),
    errno.EROFS: (StoreProblem.NO_PERMISSION, "the folder is read-only"),
    errno.ENOENT: (StoreProblem.MISSING, "no such file or folder"),
    errno.EEXIST: (StoreProblem.EXISTS, "it already exists"),
}


def store_error(error: OSError, path: Path, action: str) -> StoreError:
    """Turn an OSError into a StoreError that says what was being done to which file."""
    reason, why = _REASONS.get(error.errno or 0, (StoreProblem.IO, error.strerror or str(error)))
    return StoreError(f"could not {action}: {why}", path, reason)
