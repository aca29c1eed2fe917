"""One zip for a disclosure request covering several sessions, with a cover sheet.

A citizen's request (or a 総務課's hand-over) often covers every contact of a period. The zip
holds, in one top folder named after the zip:

- ``<session>/…`` each session's sheet (HTML and XLSX), record.json, timeline.csv and audio, as
  the one-session bundle has them (`bundle.add_session`); encrypted sessions are decrypted in
  memory, the zip being the one deliberate plaintext copy;
- ``cover.html``, the printable cover sheet: who made it and when, the period asked for and the
  period the records cover, the sheet fields left out (or that none were), each session, and
  each file's size and SHA-256;
- ``manifest.json``, the same for machines (and the cover sheet's own hash);
- ``README.txt``, and ``SHA256SUMS.txt`` over every file, for ``sha256sum -c``.

The caller logs the access of every session before this writes anything (`exports.run_export`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer import __version__
from kasuhara_timer.catalog.sessions import LoadedSession, require_record
from kasuhara_timer.exports.bundle import add_session, partial_zip
from kasuhara_timer.exports.redaction import OMITTED, OmittedField
from kasuhara_timer.sheets.render import printable
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.timeline import duration_words

if TYPE_CHECKING:
    from jinja2 import Environment

MANIFEST_SCHEMA = "kasuhara-timer/disclosure"
COVER = "cover.html"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS.txt"

AUDIO_WORDS = {
    "archived": "原本（FLAC）・聞き取り用（Opus）",
    "encoded": "記録された区間（FLAC）",
    "none": "なし",
}

README = """\
開示用記録（{count}件）

cover.html       表紙：対象期間、記録の一覧、省略した項目、各ファイルの SHA-256（印刷できます）
manifest.json    表紙と同じ内容（機械で読める形式）
SHA256SUMS.txt   各ファイルの SHA-256
<記録>/          記録ごとに sheet.html（対応記録シート）、sheet.xlsx、record.json、
                 timeline.csv、audio/（録音）

確認の方法：このフォルダで `sha256sum -c SHA256SUMS.txt`（Windows では PowerShell の
Get-FileHash）を実行し、表紙の値と比べてください。
"""


@dataclass(frozen=True)
class DisclosedFile:
    """A file in the zip: its name under the top folder, size and SHA-256."""

    name: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class DisclosedSession:
    """A session in the zip, as the cover sheet lists it."""

    folder: str
    record: Record
    audio: str
    files: tuple[DisclosedFile, ...]


@dataclass(frozen=True)
class Period:
    """From the first session's start to the last one's end (or last event)."""

    start: datetime
    end: datetime


def covered_period(records: Sequence[Record]) -> Period:
    """The time the records cover."""
    starts = [r.session.started_at for r in records]
    ends = [r.session.ended_at or r.session.started_at for r in records]
    return Period(min(starts), max(ends))


def disclosure_name(records: Sequence[Record], out_dir: Path) -> Path:
    """``disclosure_20260401-20260531_3.zip`` in `out_dir`, numbered on when it exists."""
    period = covered_period(records)
    stem = f"disclosure_{period.start:%Y%m%d}-{period.end:%Y%m%d}_{len(records)}"
    path = out_dir / f"{stem}.zip"
    number = 2
    while path.exists():
        path = out_dir / f"{stem}-{number}.zip"
        number += 1
    return path


def write_disclosure(
    sessions: Sequence[LoadedSession],
    path: Path,
    *,
    made_at: datetime,
    made_by: str,
    requested: tuple[date | None, date | None] = (None, None),
    omit: Sequence[OmittedField] = (),
    confirmation: Callable[[LoadedSession], str] = lambda _loaded: "",
    skipped: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write the zip of `sessions` (each must have a record) to `path`; returns `path`.
    `skipped`: sessions asked for that could not be read (folder, why), listed on the cover."""
    top = path.stem + "/"
    records = [require_record(loaded) for loaded in sessions]
    disclosed: list[DisclosedSession] = []
    everything: list[DisclosedFile] = []
    with partial_zip(path) as bundle:

        def size(name: str) -> int:
            return bundle.getinfo(top + name).file_size

        def add(name: str, data: bytes) -> DisclosedFile:
            bundle.writestr(top + name, data)
            entry = DisclosedFile(name, len(data), hashlib.sha256(data).hexdigest())
            everything.append(entry)
            return entry

        for loaded, record in zip(sessions, records, strict=True):
            prefix = f"{loaded.folder.name}/"
            sums, audio = add_session(
                bundle, top + prefix, loaded, path.parent,
                confirmation=confirmation(loaded), omit=omit,
            )  # fmt: skip
            files = tuple(
                DisclosedFile(prefix + name, size(prefix + name), digest) for digest, name in sums
            )
            everything.extend(files)
            disclosed.append(DisclosedSession(loaded.folder.name, record, audio, files))
        cover = add(
            COVER,
            render_cover(
                disclosed,
                made_at=made_at,
                made_by=made_by,
                requested=requested,
                omit=omit,
                skipped=skipped,
            ).encode("utf-8"),
        )
        manifest = _manifest(disclosed, made_at, made_by, requested, omit, cover)
        manifest["skipped"] = [{"folder": name, "why": why} for name, why in skipped]
        add(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        add("README.txt", README.format(count=len(disclosed)).encode("utf-8"))
        listing = "".join(f"{f.sha256}  {f.name}\n" for f in everything)
        bundle.writestr(top + SUMS, listing)
    return path


def render_cover(
    sessions: Sequence[DisclosedSession],
    *,
    made_at: datetime,
    made_by: str,
    requested: tuple[date | None, date | None],
    omit: Sequence[OmittedField],
    skipped: Sequence[tuple[str, str]] = (),
) -> str:
    """The cover sheet's HTML (A4, printable, self-contained)."""
    return (
        _environment()
        .get_template("cover.html.j2")
        .render(
            sessions=sessions,
            period=covered_period([s.record for s in sessions]),
            requested=requested,
            made_at=made_at,
            made_by=made_by,
            omit=omit,
            skipped=skipped,
            omitted_words=OMITTED,
            audio_words=AUDIO_WORDS,
            version=__version__,
        )
    )


def _manifest(
    sessions: Sequence[DisclosedSession],
    made_at: datetime,
    made_by: str,
    requested: tuple[date | None, date | None],
    omit: Sequence[OmittedField],
    cover: DisclosedFile,
) -> dict[str, object]:
    period = covered_period([s.record for s in sessions])
    return {
        "schema": MANIFEST_SCHEMA,
        "version": 1,
        "written_by": f"kasuhara-timer {__version__}",
        "made_at": made_at.isoformat(),
        "made_by": made_by,
        "requested": {"from": _iso(requested[0]), "to": _iso(requested[1])},
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "omitted_fields": [{"id": f.id, "label": f.label, "shown_as": OMITTED} for f in omit],
        "sessions": [
            {
                "folder": s.folder,
                "started_at": s.record.session.started_at.isoformat(),
                "ended_at": _iso(s.record.session.ended_at),
                "audio": s.audio,
                "files": [_file(f) for f in s.files],
            }
            for s in sessions
        ],
        "cover": _file(cover),
    }


def _file(entry: DisclosedFile) -> dict[str, object]:
    return {"name": entry.name, "bytes": entry.bytes, "sha256": entry.sha256}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("kasuhara_timer.exports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=printable,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["duration"] = lambda seconds: duration_words(float(seconds))
    return environment
