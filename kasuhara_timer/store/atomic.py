"""Durable file operations: a file is either wholly the old version or wholly the new one.

Hand-written because it is short and must fsync the folder too: `atomicwrites` is archived and the
younger libraries either skip the folder fsync or cannot map errors to the file the user sees.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from pathlib import Path

from kasuhara_timer.store.errors import store_error

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

_FSYNC_DIR_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR, errno.EACCES}


def fsync_directory(folder: Path) -> None:
    """Make a folder's entries (a new or renamed file) survive power loss; POSIX only.

    Windows cannot open folders for fsync and some network filesystems refuse it; there the
    file's own fsync is all we can do, so those refusals are ignored.
    """
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise store_error(error, folder, "open the folder to flush it") from error
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _FSYNC_DIR_UNSUPPORTED:
            raise store_error(error, folder, "flush the folder to disk") from error
    finally:
        os.close(fd)


def make_private_dir(folder: Path) -> bool:
    """Create `folder` (and missing parents) readable only by this user; True if it was created.

    Existing folders keep their mode: an office's shared folder is not ours to change.
    """
    if folder.is_dir():
        return False
    parent = folder.parent
    if parent != folder:
        make_private_dir(parent)
    try:
        folder.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError as error:
        if folder.is_dir():
            return False
        raise store_error(error, folder, "create the folder") from error
    except OSError as error:
        raise store_error(error, folder, "create the folder") from error
    _chmod(folder, PRIVATE_DIR_MODE)
    fsync_directory(parent)
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (see `replace_atomically`); `StoreError` on failure."""
    try:
        replace_atomically(path, data)
    except OSError as error:
        raise store_error(error, path, "write the file") from error


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never a mix.

    A private temporary file in the same folder is written, fsynced and renamed over the target,
    then the folder is fsynced so the rename itself is durable. The result is mode 0600. Raises
    the plain `OSError`, for callers (the recorder's thread) that handle disk errors themselves.
    """
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _chmod(temp, PRIVATE_FILE_MODE)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(folder)


def make_private(path: Path) -> None:
    """Mode 0600 for a file another program wrote (ffmpeg's output); no-op where unsupported."""
    _chmod(path, PRIVATE_FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    """Set POSIX permissions; a filesystem without them (SMB, FAT, Windows) is left alone."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
