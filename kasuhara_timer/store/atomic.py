"""Durable, private file operations: a file is either wholly the old version or wholly the new one,
and readable by no one it is not meant for from its first byte.

Hand-written because it is short and must fsync the folder too: `atomicwrites` is archived and the
younger libraries either skip the folder fsync or cannot map errors to the file the user sees.

Who may read: by default only this user (folders 0700, files 0600, whatever the umask). An office
that shares one data folder between several desk accounts and its supervisors declares it
(`sharing = "group"` in config.toml); `share_with_group(data_dir)` then makes every folder created
inside it 2770 (setgid: the folder's group is inherited, so every account of the office group can
use it) and every file 0660. Everything else (the state folder, exports) stays private.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kasuhara_timer.store.errors import store_error
from kasuhara_timer.system.files import binary

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
GROUP_FILE_MODE = 0o660
GROUP_DIR_MODE = 0o2770


@dataclass(frozen=True)
class Modes:
    """The permissions of what the app creates in one place."""

    dir: int
    file: int

    @property
    def umask(self) -> int:
        """The umask that gives a child program's files (ffmpeg's) at most `file`."""
        return 0o777 & ~self.file


PRIVATE = Modes(PRIVATE_DIR_MODE, PRIVATE_FILE_MODE)
GROUP = Modes(GROUP_DIR_MODE, GROUP_FILE_MODE)

_group_roots: set[Path] = set()


def share_with_group(root: Path) -> None:
    """Office mode: what is created under `root` from now on is shared with the folder's group.

    Process-wide, like the umask it overrides: the CLI calls it once the config is read.
    """
    _group_roots.add(Path(os.path.abspath(root)))


def stop_sharing() -> None:
    """Back to the default: everything private (tests, and a process that changes folder)."""
    _group_roots.clear()


def modes_for(path: Path) -> Modes:
    """The modes of a new file or folder at `path`: group-shared inside a shared root."""
    if not _group_roots:
        return PRIVATE
    target = Path(os.path.abspath(path))
    if any(target == root or root in target.parents for root in _group_roots):
        return GROUP
    return PRIVATE


def open_private(path: Path, flags: int) -> int:
    """`os.open` of a new file that no one else can read from its first byte, then widened to
    the office group when `path` is in a shared folder. `flags` get O_CREAT and O_BINARY added."""
    fd = os.open(path, flags | os.O_CREAT | binary(), PRIVATE_FILE_MODE)
    mode = modes_for(path).file
    if mode != PRIVATE_FILE_MODE and sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)
    return fd


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
    """Create `folder` (and missing parents) readable only by this user, or by the office group
    in a shared folder (`modes_for`); True if it was created.

    Existing folders keep their mode: an office's shared folder is not ours to change.
    """
    if folder.is_dir():
        return False
    parent = folder.parent
    if parent != folder:
        make_private_dir(parent)
    mode = modes_for(folder).dir
    try:
        folder.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError as error:
        if folder.is_dir():
            return False
        raise store_error(error, folder, "create the folder") from error
    except OSError as error:
        raise store_error(error, folder, "create the folder") from error
    _chmod(folder, mode)
    fsync_directory(parent)
    return True


def own_private_dir(folder: Path) -> None:
    """A folder that is this user's alone (the state folder): created 0700, or narrowed to 0700
    when an older version left it wider. Never used on a data folder, which may be shared."""
    make_private_dir(folder)
    _chmod(folder, PRIVATE_DIR_MODE)


def private_file(path: Path) -> None:
    """Make sure the file at `path` exists and is 0600 (for a file another library opens, such
    as SQLite, which gives its -wal and -shm files the mode of the database)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | binary(), PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    except OSError as error:
        raise store_error(error, path, "create the file") from error
    _chmod(path, PRIVATE_FILE_MODE)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (see `replace_atomically`); `StoreError` on failure."""
    try:
        replace_atomically(path, data)
    except OSError as error:
        raise store_error(error, path, "write the file") from error


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never a mix.

    A private temporary file in the same folder is written, fsynced and renamed over the target,
    then the folder is fsynced so the rename itself is durable. The result is mode 0600 (0660 in
    a shared folder); the temporary file is 0600 from its first byte. Raises
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
        _chmod(temp, modes_for(path).file)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(folder)


def make_private(path: Path) -> None:
    """Mode 0600 (0660 when shared) for a file another program wrote (ffmpeg's output); no-op
    where unsupported."""
    _chmod(path, modes_for(path).file)


def _chmod(path: Path, mode: int) -> None:
    """Set POSIX permissions; a filesystem without them (SMB, FAT, Windows) is left alone."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
