"""The review's SQLite index of session folders: a local cache, rebuildable at any time.

The session folders (possibly a shared network folder written by many desks) stay the truth;
this index lives in the reviewer's own state folder (`locations.state_dir()`), one file per data
folder, so every reviewer has their own and none is ever written into the shared folder.
`refresh()` re-reads only folders whose files changed (modification time and size of
journal.jsonl, record.json and audio/) and forgets folders that are gone; `rebuild()` starts from
nothing. Both give the same rows. A folder that cannot be read is a row with its reasons.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from kasuhara_timer import locations
from kasuhara_timer.catalog.query import (
    ROW_COLUMNS,
    SORT_SQL,
    TAG_SEPARATOR,
    SessionFilter,
    SessionRow,
    SortKey,
    caller_key,
    normalize,
    row_from_sql,
)
from kasuhara_timer.catalog.recordings import has_audio
from kasuhara_timer.catalog.sessions import LoadedSession, load_session
from kasuhara_timer.errors import UserError
from kasuhara_timer.locations import sessions_dir
from kasuhara_timer.store import vault
from kasuhara_timer.store.atomic import own_private_dir, private_file
from kasuhara_timer.store.errors import store_error
from kasuhara_timer.store.folders import AUDIO_DIR, FOLDER_NAME, RECORD_FILE, SessionFolder
from kasuhara_timer.store.journal import JOURNAL_FILE
from kasuhara_timer.store.timeline import CHANNEL_WORDS

INDEX_VERSION = "1"
"""Bumped when the table layout changes; an index of another version is rebuilt."""

_COLUMNS = (
    *ROW_COLUMNS,
    "sig",
    "started_ts",
    "month",
    "caller_key",
    "staff_key",
    "section_key",
    "search",
)
# `sessions_filter` holds every short column a filter tests, in the list's order (start, then
# folder): a filtered page walks it, tests the filters on it and reads from the table only the
# rows that pass, stopping at the page's end, and a count never reads the table at all.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions ({", ".join(_COLUMNS)}, PRIMARY KEY (key));
CREATE TABLE IF NOT EXISTS tags (key TEXT NOT NULL, behaviour TEXT NOT NULL, label TEXT NOT NULL);
DROP INDEX IF EXISTS sessions_started;
CREATE INDEX IF NOT EXISTS sessions_filter ON sessions (
    drill, started_ts, key, channel, limit_reached, immediate, status, day, staff_key, section_key,
    caller_key
);
CREATE INDEX IF NOT EXISTS sessions_caller ON sessions (caller_key);
CREATE INDEX IF NOT EXISTS tags_behaviour ON tags (behaviour, key);
CREATE INDEX IF NOT EXISTS tags_key ON tags (key);
"""

Progress = Callable[[int, int], None]
"""Called with (folders read, folders to read) while a refresh reads changed folders."""

Committed = Callable[[int], None]
"""Called with the folders written so far, each time a batch of them is in the index."""

FIRST_BATCH = 500
"""Folders read before the first write: the newest ones, so that a list being built shows
its first page (newest first) long before the build ends."""

BATCH = 5_000
"""Folders written at a time after the first batch (memory stays flat at any size)."""


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh changed."""

    added: int
    updated: int
    removed: int
    unchanged: int
    problems: int
    """Folders (in the whole index) with at least one problem."""


@dataclass(frozen=True)
class CallerSummary:
    """A caller label seen in more than one session (リピート型)."""

    caller: str
    contacts: int
    first: str
    last: str
    """``YYYY-MM-DD HH:MM`` of the first and the latest contact."""
    total_minutes: float


def default_index_path(data_dir: Path) -> Path:
    """The index of `data_dir` in this PC's state folder (one file per data folder)."""
    digest = hashlib.sha256(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:16]
    return locations.state_dir() / "review" / f"index-{digest}.sqlite3"


class SessionIndex:
    """The index of one data folder. Safe to use from a worker thread: each call connects anew."""

    def __init__(self, data_dir: Path, path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.path = path or default_index_path(data_dir)
        self._prepare()

    # -- keeping it current ------------------------------------------------------------------

    def refresh(
        self, progress: Progress | None = None, committed: Committed | None = None
    ) -> RefreshResult:
        """Re-read the folders that changed since the last refresh; forget the ones gone.

        One pass over the folders: each is listed and its files' times and sizes looked at
        (`signature`); only a folder whose signature changed is read, the newest first (folder
        names begin with the start time), written in batches (`FIRST_BATCH`, then `BATCH`) so
        that what is read shows while the rest is read. Raises `UserError` (naming the folder)
        when the data folder itself cannot be listed.
        """
        listed = _scan(self.data_dir)
        with self._connect() as db:
            known = dict(db.execute("SELECT key, sig FROM sessions").fetchall())
        changed = [entry for entry in listed if known.get(entry.key) != entry.sig]
        changed.sort(key=lambda entry: entry.key.partition("/")[2], reverse=True)
        seen = {entry.key for entry in listed}
        gone = [key for key in known if key not in seen]
        rows: list[dict[str, object]] = []
        written = added = 0
        batch = FIRST_BATCH
        for done, entry in enumerate(changed, start=1):
            folder = SessionFolder(Path(entry.path), entry.drill)
            rows.append(index_row(load_session(folder, check_events=False), entry.sig))
            if progress is not None:
                progress(done, len(changed))
            if len(rows) >= batch or done == len(changed):
                added += sum(1 for row in rows if row["key"] not in known)
                with self._connect() as db:
                    self._write(db, rows, gone if done == len(changed) else [])
                written += len(rows)
                rows, batch = [], BATCH
                if committed is not None:
                    committed(written)
        with self._connect() as db:
            if gone and not changed:
                self._write(db, [], gone)
            problems = db.execute("SELECT count(*) FROM sessions WHERE problems != ''").fetchone()
        return RefreshResult(
            added=added,
            updated=written - added,
            removed=len(gone),
            unchanged=len(listed) - written,
            problems=int(problems[0]),
        )

    def rebuild(
        self, progress: Progress | None = None, committed: Committed | None = None
    ) -> RefreshResult:
        """Forget everything and read every folder again."""
        with self._connect() as db:
            db.execute("DELETE FROM sessions")
            db.execute("DELETE FROM tags")
        return self.refresh(progress, committed)

    # -- questions -----------------------------------------------------------------------------

    def query(
        self,
        where: SessionFilter | None = None,
        sort: SortKey = SortKey.STARTED,
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[SessionRow]:
        """Sessions matching `where` (real ones by default), sorted (ties: start, folder)."""
        sql, params = _page_sql(where, sort, descending, limit, offset)
        with self._connect() as db:
            return [row_from_sql(values) for values in db.execute(sql, params)]

    def count(self, where: SessionFilter | None = None) -> int:
        """How many sessions match `where`."""
        with self._connect() as db:
            return _count(db, where)

    def page(
        self,
        where: SessionFilter | None = None,
        sort: SortKey = SortKey.STARTED,
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[SessionRow], int]:
        """`query` and `count` on one connection: the list's page and how many match."""
        sql, params = _page_sql(where, sort, descending, limit, offset)
        with self._connect() as db:
            rows = [row_from_sql(values) for values in db.execute(sql, params)]
            return rows, _count(db, where)

    def get(self, key: str) -> SessionRow | None:
        """One row by its key (``sessions/<folder>``)."""
        with self._connect() as db:
            values = db.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions WHERE key = ?", (key,)
            ).fetchone()
        return row_from_sql(values) if values is not None else None

    def problems(self) -> list[SessionRow]:
        """Every folder with a problem, real and drill alike, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions WHERE problems != '' "
                "ORDER BY started_ts, key"
            )
            return [row_from_sql(values) for values in rows]

    def choices(self, column: str, drill: bool = False) -> list[str]:
        """Distinct non-empty values of `staff_name` or `staff_section`, for filter lists."""
        if column not in ("staff_name", "staff_section"):
            raise ValueError(column)
        with self._connect() as db:
            rows = db.execute(
                f"SELECT DISTINCT {column} FROM sessions WHERE drill = ? AND {column} != '' "
                f"ORDER BY {column}",
                (int(drill),),
            )
            return [str(value) for (value,) in rows]

    def tag_choices(self, drill: bool = False) -> list[tuple[str, str]]:
        """(behaviour id, label) of every tag used, by label."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT behaviour, min(label) FROM tags JOIN sessions USING (key) "
                "WHERE drill = ? GROUP BY behaviour ORDER BY min(label)",
                (int(drill),),
            )
            return [(str(b), str(label)) for b, label in rows]

    def repeat_callers(self, drill: bool = False) -> list[CallerSummary]:
        """Caller labels answered more than once, the most frequent first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT min(caller), count(*), min(clock), max(clock), sum(duration) "
                "FROM sessions WHERE drill = ? AND caller_key != '' "
                "GROUP BY caller_key HAVING count(*) > 1 "
                "ORDER BY count(*) DESC, max(started_ts) DESC",
                (int(drill),),
            )
            return [
                CallerSummary(str(c), int(n), str(first), str(last), float(total or 0) / 60)
                for c, n, first, last, total in rows
            ]

    def dump(self) -> list[tuple[object, ...]]:
        """Every stored value, sorted: for comparing a rebuilt index with a refreshed one."""
        with self._connect() as db:
            sessions = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM sessions ORDER BY key")
            tags = db.execute("SELECT key, behaviour, label FROM tags ORDER BY key, behaviour")
            return [*map(tuple, sessions), *map(tuple, tags)]

    # -- the file ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the index, or rebuild it when it is damaged or from another version.

        The index holds what the list shows and searches (notes among them), so it and its
        folder are this user's alone (0600 in a 0700 folder), whatever an older version left.
        """
        try:
            state = locations.state_dir()
            if state in self.path.parents:
                own_private_dir(state)
            own_private_dir(self.path.parent)
            for suffix in ("", "-wal", "-shm"):
                if suffix == "" or Path(f"{self.path}{suffix}").exists():
                    private_file(Path(f"{self.path}{suffix}"))
        except UserError as error:
            raise UserError(f"cannot create the review index folder: {error}") from error
        try:
            self._create()
        except sqlite3.OperationalError as error:  # locked or unreachable: never delete it
            raise UserError(f"cannot open the review index: {error}", self.path) from error
        except sqlite3.DatabaseError:  # a damaged cache is simply made again
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(f"{self.path}{suffix}")
            private_file(self.path)
            self._create()

    def _create(self) -> None:
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")  # kept in the file: set once, not per query
            db.executescript(_SCHEMA)
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if version is None or version[0] != INDEX_VERSION:
                db.executescript("DROP TABLE sessions; DROP TABLE tags;")
                db.executescript(_SCHEMA)
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('version', ?), ('data_dir', ?)",
                    (INDEX_VERSION, str(self.data_dir)),
                )

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as error:
            raise UserError(f"cannot open the review index ({error})", self.path) from error
        try:
            db.execute("PRAGMA synchronous = NORMAL")
            with db:
                yield db
        finally:
            db.close()

    @staticmethod
    def _write(db: sqlite3.Connection, rows: Sequence[dict[str, object]], gone: list[str]) -> None:
        keys = [(row["key"],) for row in rows] + [(key,) for key in gone]
        db.executemany("DELETE FROM tags WHERE key = ?", keys)
        db.executemany("DELETE FROM sessions WHERE key = ?", keys)
        placeholders = ", ".join(f":{column}" for column in _COLUMNS)
        db.executemany(f"INSERT INTO sessions VALUES ({placeholders})", rows)
        db.executemany(
            "INSERT INTO tags VALUES (?, ?, ?)",
            [
                (row["key"], behaviour, label)
                for row in rows
                for behaviour, label in zip(
                    _split(row["tag_ids"]), _split(row["tag_labels"]), strict=True
                )
            ],
        )


def _page_sql(
    where: SessionFilter | None,
    sort: SortKey,
    descending: bool,
    limit: int | None,
    offset: int,
) -> tuple[str, list[object]]:
    condition, params = (where or SessionFilter()).where()
    order = "DESC" if descending else "ASC"
    columns = [*SORT_SQL[sort].split(", "), "started_ts", "key"]
    terms = [f"{column} {order}" for column in dict.fromkeys(columns)]  # once each: the
    # start order (ties: folder) then follows `sessions_filter`, and no sort is needed
    sql = (
        f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions WHERE {condition} "
        f"ORDER BY {', '.join(terms)}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return sql, params


def _count(db: sqlite3.Connection, where: SessionFilter | None) -> int:
    condition, params = (where or SessionFilter()).where()
    return int(db.execute(f"SELECT count(*) FROM sessions WHERE {condition}", params).fetchone()[0])


def folder_key(folder: SessionFolder) -> str:
    """The index key of a folder: ``sessions/<name>`` or ``drills/<name>``."""
    return f"{folder.path.parent.name}/{folder.name}"


def signature(folder: SessionFolder) -> str:
    """What changes when anything the index reads changes: the times and sizes of the journal,
    the record and the audio folder (whose own time moves when a file in it comes or goes).
    The session folder's own time adds nothing the index reads, so it is not looked at."""
    return _signature(str(folder.path))


def _signature(path: str) -> str:
    # Plain strings and os.stat: at 100,000 folders, building Path objects costs more than
    # the stats themselves.
    parts = []
    for name in (f"{path}/{JOURNAL_FILE}", f"{path}/{RECORD_FILE}", f"{path}/{AUDIO_DIR}"):
        try:
            info = os.stat(name)
        except FileNotFoundError:  # encrypted at the session's close: journal.jsonl.age
            try:
                info = os.stat(name + vault.SUFFIX)
            except OSError:
                parts.append("-")
                continue
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{info.st_mtime_ns}:{info.st_size}")
    return "|".join(parts)


class _Listed(NamedTuple):
    key: str
    path: str
    drill: bool
    sig: str


def _scan(data_dir: Path) -> list[_Listed]:
    """Every folder `list_session_folders` lists, with its key and signature, in one pass."""
    found: list[_Listed] = []
    for drill in (False, True):
        parent = sessions_dir(data_dir, drill)
        kind = parent.name
        try:
            with os.scandir(parent) as entries:
                children = [e for e in entries if not e.name.startswith(".") and e.is_dir()]
        except FileNotFoundError:
            continue
        except OSError as error:
            raise store_error(error, parent, "list the session folders") from error
        found.extend(
            _Listed(f"{kind}/{e.name}", e.path, drill, _signature(e.path)) for e in children
        )
    return found


def index_row(loaded: LoadedSession, sig: str) -> dict[str, object]:
    """The index columns of one folder, readable or not."""
    folder = loaded.folder
    row: dict[str, object] = {column: "" for column in _COLUMNS}
    row.update(
        key=folder_key(folder),
        name=folder.name,
        drill=int(folder.drill),
        path=str(folder.path),
        sig=sig,
        status=loaded.status.value,
        problems="\n".join(loaded.problems),
        duration=0.0,
        limit_minutes=0,
        limit_reached=0,
        immediate=0,
        furthest_index=None,
        furthest_of=None,
        audio=int(has_audio(folder)),
        started_ts=0.0,
    )
    record = loaded.record
    if record is None:
        row.update(_started_from_name(folder.name))
        row["search"] = normalize(folder.name)
        return row
    session = record.session
    started = session.started_at
    furthest = session.furthest_step
    method_label = next((o.label for o in record.sheet.method_options if o.selected), "")
    row.update(
        started_at=started.isoformat(),
        started_ts=started.timestamp(),
        day=started.date().isoformat(),
        month=f"{started:%Y-%m}",
        clock=f"{started:%Y-%m-%d %H:%M}",
        channel=session.channel.value,
        method=session.method,
        method_label=method_label or CHANNEL_WORDS.get(session.channel.value, ""),
        staff_name=session.staff.name,
        staff_section=session.staff.section,
        staff_title=session.staff.title,
        staff_key=normalize(session.staff.name),
        section_key=normalize(session.staff.section),
        desk=session.desk,
        caller=session.caller,
        caller_key=caller_key(session.caller),
        duration=session.duration_seconds,
        limit_minutes=session.limit.minutes,
        limit_reached=int(session.limit_reached),
        immediate=int(session.immediate),
        furthest=furthest.title if furthest else "",
        furthest_index=furthest.index if furthest else None,
        furthest_of=furthest.of if furthest else None,
        furthest_path=furthest.path.value if furthest else "",
        tag_ids=TAG_SEPARATOR.join(tag.behaviour for tag in record.tags),
        tag_labels=TAG_SEPARATOR.join(tag.label for tag in record.tags),
        profile=session.profile.id,
    )
    typed = [f.value for f in record.sheet.fields if not f.auto]
    searchable = [
        folder.name,
        session.caller,
        session.staff.name,
        session.staff.section,
        session.staff.title,
        furthest.title if furthest else "",
        *(tag.label for tag in record.tags),
        *(note.text for note in record.notes),
        *typed,
        *(item.remark for item in record.sheet.checklist),
    ]
    row["search"] = normalize("\n".join(text for text in searchable if text))
    return row


def _started_from_name(name: str) -> dict[str, object]:
    """For an unreadable folder, the start time its name tells (local time of this PC)."""
    match = FOLDER_NAME.match(name)
    if match is None:
        return {}
    try:
        started = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").astimezone()
    except ValueError:
        return {}
    return {
        "started_ts": started.timestamp(),
        "day": started.date().isoformat(),
        "month": f"{started:%Y-%m}",
        "clock": f"{started:%Y-%m-%d %H:%M}",
    }


def _split(value: object) -> list[str]:
    text = str(value)
    return text.split(TAG_SEPARATOR) if text else []
