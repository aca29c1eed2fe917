"""Session folders: one self-contained folder per session, named uniquely across desks.

``<data>/sessions/20260401-093012_DESK-07_3fa9c1/`` (drills under ``<data>/drills/``) holds
``journal.jsonl`` (the truth), ``record.json`` and ``sheet.html`` (written at the end) and
``audio/``. Many desks may share one data folder: the host name and a random suffix keep names
apart, and nothing outside a session's own folder is written by the desk app.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasuhara_timer.locations import sessions_dir
from kasuhara_timer.session.events import Ended, Started
from kasuhara_timer.store.atomic import make_private_dir
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error
from kasuhara_timer.store.journal import JOURNAL_FILE, read_journal

RECORD_FILE = "record.json"
SHEET_FILE = "sheet.html"
AUDIO_DIR = "audio"

FOLDER_NAME = re.compile(r"^(\d{8})-(\d{6})_([A-Za-z0-9-]+)_([0-9a-f]{6})$")
"""``YYYYMMDD-HHMMSS_<host>_<6 hex>``: sorts by start time, unique across desks."""

_HOST_MAX = 32
_DRILLS = sessions_dir(Path(), drill=True).name


@dataclass(frozen=True)
class SessionFolder:
    """Where one session's files live."""

    path: Path
    drill: bool

    @property
    def name(self) -> str:
        """The folder name, which identifies the session everywhere (CLI, review, exports)."""
        return self.path.name

    @property
    def journal(self) -> Path:
        """The append-only event journal, the source of truth."""
        return self.path / JOURNAL_FILE

    @property
    def record(self) -> Path:
        """`record.json`, written atomically when the session is saved."""
        return self.path / RECORD_FILE

    @property
    def sheet(self) -> Path:
        """`sheet.html`, the printable 対応記録シート."""
        return self.path / SHEET_FILE

    @property
    def audio(self) -> Path:
        """The folder of recording segments."""
        return self.path / AUDIO_DIR

    @property
    def host(self) -> str:
        """The (sanitised) host name from the folder name, or "" for a foreign name."""
        match = FOLDER_NAME.match(self.name)
        return match.group(3) if match else ""


def sanitize_host(host: str) -> str:
    """A host name reduced to ``[A-Za-z0-9-]`` (at most 32), ``desk`` when nothing is left."""
    cleaned = re.sub(r"[^A-Za-z0-9-]+", "-", host).strip("-")
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:_HOST_MAX].strip("-")
    return cleaned or "desk"


def folder_name(started: datetime, host: str, suffix: str) -> str:
    """The folder name of a session started at `started` (its own local time) on `host`."""
    return f"{started:%Y%m%d-%H%M%S}_{sanitize_host(host)}_{suffix}"


def create_session_folder(
    data_dir: Path, started: datetime, host: str, drill: bool = False
) -> SessionFolder:
    """Create a new, private (0700) session folder with its empty `audio/` folder.

    The data and sessions folders are created 0700 when missing. A clash (same second, same
    host, same random suffix) is retried with a new suffix.
    """
    parent = sessions_dir(data_dir, drill)
    make_private_dir(parent)
    for _attempt in range(16):
        path = parent / folder_name(started, host, secrets.token_hex(3))
        if path.exists():
            continue
        if not make_private_dir(path):
            continue
        folder = SessionFolder(path, drill)
        make_private_dir(folder.audio)
        return folder
    raise StoreError("could not find a free session folder name", parent, StoreProblem.EXISTS)


def list_session_folders(data_dir: Path, drill: bool | None = None) -> list[SessionFolder]:
    """Every session folder, oldest first; `drill` None lists real sessions and drills.

    Any visible sub-folder is listed, even one whose name or contents are odd, so that the
    review can report a broken folder instead of silently dropping it.
    """
    kinds = [False, True] if drill is None else [drill]
    folders: list[SessionFolder] = []
    for is_drill in kinds:
        parent = sessions_dir(data_dir, is_drill)
        try:
            children = list(parent.iterdir())
        except FileNotFoundError:
            continue
        except OSError as error:
            raise store_error(error, parent, "list the session folders") from error
        folders.extend(
            SessionFolder(child, is_drill)
            for child in children
            if not child.name.startswith(".") and child.is_dir()
        )
    return sorted(folders, key=lambda f: (f.name, f.drill))


def find_unfinished(data_dir: Path, host: str | None = None) -> list[SessionFolder]:
    """Sessions whose journal has `started` but no `ended`: the app died during them.

    `host` limits the search to folders made on that desk (the normal case at start-up: a desk
    recovers its own sessions, not another desk's live ones in a shared folder).
    """
    found = []
    for folder in _folders_of(data_dir, host):
        kinds = _event_kinds(folder)
        if kinds is not None and Started in kinds and Ended not in kinds:
            found.append(folder)
    return found


def resolve_session(data_dir: Path, name_or_path: str | Path) -> SessionFolder:
    """The session named by its folder name (or a unique start of it) or by a path to its folder.

    Raises `StoreError` naming what was looked for and where.
    """
    candidate = Path(name_or_path)
    looks_like_path = isinstance(name_or_path, Path) or len(candidate.parts) > 1
    if candidate.is_dir() and (looks_like_path or (candidate / JOURNAL_FILE).exists()):
        return SessionFolder(candidate, candidate.resolve().parent.name == _DRILLS)
    name = str(name_or_path)
    folders = list_session_folders(data_dir)
    exact = [f for f in folders if f.name == name]
    if exact:
        return exact[0]
    matches = [f for f in folders if f.name.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(f.name for f in matches[:5])
        raise StoreError(
            f"{name!r} matches {len(matches)} sessions ({shown}…); give more of the name",
            data_dir,
            StoreProblem.MISSING,
        )
    raise StoreError(f"no session named {name!r}", data_dir, StoreProblem.MISSING)


def _folders_of(data_dir: Path, host: str | None) -> list[SessionFolder]:
    folders = list_session_folders(data_dir)
    if host is None:
        return folders
    wanted = sanitize_host(host)
    return [f for f in folders if f.host == wanted]


def _event_kinds(folder: SessionFolder) -> set[type] | None:
    if not folder.journal.exists():
        return None
    try:
        result = read_journal(folder.journal)
    except StoreError:
        return None
    return {type(event) for event in result.events}
