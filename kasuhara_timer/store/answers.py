"""A supervisor's answer to a call for help: a file the board writes, the desk reads and journals.

``<session folder>/answers/<request id>.<board host>.json``: one file per request and board
PC, written once (atomically, fsynced) by that board and never rewritten, so every file has one
writer. The desk reads the folder while a request waits and journals each new answer as
`HelpAnswered` with the file's SHA-256; after the end the seal covers the files like every other
file of the session, and `check_answers` tells whether files and journal still agree.

Note for `integrity/verify.py` (store is below integrity, so it may import this): call
`check_answers(folder.path, events)` and report each line it returns as a problem of the
session (a missing, changed or unjournaled answer file).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer.session.events import Event, HelpAnswered
from kasuhara_timer.store import vault
from kasuhara_timer.store.atomic import make_private_dir, write_atomic
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import sanitize_host

ANSWERS_DIR = "answers"
ANSWER_WORDS = "向かいます"


class Answer(BaseModel):
    """What a supervisor's board wrote."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    v: int = 1
    session: str
    request: str
    by: str
    host: str
    at: AwareDatetime
    words: str = ANSWER_WORDS


@dataclass(frozen=True)
class AnswerFile:
    """An answer file as read, with where it is (relative to the session folder) and its hash."""

    file: str
    answer: Answer
    sha256: str


_REQUEST = re.compile(r"^[a-z]+-[0-9]+$")


def answer_file(session_dir: Path, request: str, host: str) -> Path:
    """The file of one board's answer to one request."""
    if not _REQUEST.match(request):
        raise ValueError(f"not a help request id: {request!r}")
    return session_dir / ANSWERS_DIR / f"{request}.{sanitize_host(host)}.json"


def write_answer(session_dir: Path, answer: Answer) -> Path:
    """Write `answer` once; an answer already there from this board is left as it is."""
    path = answer_file(session_dir, answer.request, answer.host)
    if path.exists():
        return path
    make_private_dir(path.parent)
    write_atomic(path, answer.model_dump_json().encode("utf-8"))
    return path


def read_answers(session_dir: Path) -> list[AnswerFile]:
    """Every readable answer in the session's folder, oldest first (unreadable ones skipped:
    `check_answers` reports them)."""
    found = []
    for path in _answer_paths(session_dir):
        try:
            data = path.read_bytes()
            answer = Answer.model_validate_json(data)
        except (OSError, ValidationError):
            continue
        relative = path.relative_to(session_dir).as_posix()
        found.append(AnswerFile(relative, answer, hashlib.sha256(data).hexdigest()))
    return sorted(found, key=lambda f: (f.answer.at, f.file))


def check_answers(session_dir: Path, events: tuple[Event, ...] | list[Event]) -> list[str]:
    """Where the answer files and the journal disagree, one line each (empty: they agree).

    Files encrypted at the session's close (``.json.age``) are read through the vault, so an
    unlocked supervisor identity is needed for them; without one each says it cannot be read.
    """
    problems = []
    journaled = {e.file: e for e in events if isinstance(e, HelpAnswered)}
    on_disk = {
        vault.plain_path(path).relative_to(session_dir).as_posix(): path
        for path in _answer_paths(session_dir, encrypted=True)
    }
    for file, event in journaled.items():
        path = on_disk.get(file)
        if path is None:
            problems.append(f"{file}: journaled as answered but the file is missing")
            continue
        try:
            data = vault.read_plain(vault.plain_path(path))
        except (OSError, StoreError) as error:
            problems.append(f"{file}: cannot be read to check it ({error})")
            continue
        if hashlib.sha256(data).hexdigest() != event.sha256:
            problems.append(f"{file}: changed since the desk journaled it")
    for file in sorted(set(on_disk) - set(journaled)):
        problems.append(f"{file}: an answer the desk never journaled")
    return problems


def _answer_paths(session_dir: Path, *, encrypted: bool = False) -> list[Path]:
    folder = session_dir / ANSWERS_DIR
    endings = (".json", ".json" + vault.SUFFIX) if encrypted else (".json",)
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(endings) and p.is_file())
    except FileNotFoundError:
        return []
