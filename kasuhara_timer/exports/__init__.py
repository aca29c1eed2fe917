"""Exports of saved sessions: XLSX, printable HTML, JSON, a CSV of many, a disclosure bundle of
one session or of several with a cover sheet (`disclosure`).

Used by `kasuhara-timer export` and by the review app alike. Each export is written to the
access log (`integrity.accesslog`) with the format and the file *before* the file is written,
and an access log that cannot be written stops the export (`StoreError` naming the log): a copy
of personal data never leaves the data folder without a trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.query import SessionFilter, SortKey
from kasuhara_timer.catalog.recordings import has_audio
from kasuhara_timer.catalog.sessions import LoadedSession, load_folder, load_session, require_record
from kasuhara_timer.errors import UserError
from kasuhara_timer.exports.bundle import remove_stale_partials, write_bundle
from kasuhara_timer.exports.disclosure import disclosure_name, write_disclosure
from kasuhara_timer.exports.redaction import OmittedField, resolve_omissions
from kasuhara_timer.exports.table import sessions_csv, write_csv
from kasuhara_timer.exports.xlsx import write_workbook
from kasuhara_timer.integrity.accesslog import AccessAction, log_accesses
from kasuhara_timer.sheets.laws import record_law_annex
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.store.atomic import make_private_dir, write_atomic
from kasuhara_timer.store.folders import resolve_session
from kasuhara_timer.store.signoff import read_signoffs


class ExportFormat(StrEnum):
    """What `export` writes."""

    XLSX = "xlsx"
    HTML = "html"
    JSON = "json"
    CSV = "csv"
    BUNDLE = "bundle"
    DISCLOSURE = "disclosure"


SUFFIXES = {
    ExportFormat.XLSX: ".xlsx",
    ExportFormat.HTML: ".html",
    ExportFormat.JSON: ".json",
    ExportFormat.BUNDLE: "-bundle.zip",
}


def export_session(
    loaded: LoadedSession,
    fmt: ExportFormat,
    out_dir: Path,
    *,
    omit: Sequence[OmittedField] = (),
    laws: bool = False,
) -> Path:
    """One session as XLSX, HTML, JSON or a bundle in `out_dir`; returns the file written.
    `omit`: the sheet fields a bundle leaves out; `laws`: an XLSX or HTML sheet gets the
    法令（参考） annex (the articles the policy links to the tagged behaviours)."""
    path = export_path(loaded, fmt, out_dir)
    if fmt is ExportFormat.CSV:
        return export_csv([loaded], path)
    if fmt in (ExportFormat.BUNDLE, ExportFormat.DISCLOSURE):
        return write_bundle(loaded, path, confirmation=confirmation_of(loaded), omit=omit)
    record = require_record(loaded)
    confirmation = confirmation_of(loaded)
    annex = record_law_annex(record) if laws else None
    if fmt is ExportFormat.XLSX:
        return write_workbook(record, path, confirmation=confirmation, laws=annex)
    data = (
        render_sheet(record, confirmation=confirmation, laws=annex).encode()
        if fmt is ExportFormat.HTML
        else record.to_json_bytes()
    )
    write_atomic(path, data)
    return path


def confirmation_of(loaded: LoadedSession) -> str:
    """The supervisor's sign-off in force (課長確認), in the sheet's words; '' for none."""
    current = read_signoffs(loaded.folder.path.parent.parent, loaded.folder.name).current
    return current.words() if current is not None else ""


def export_path(loaded: LoadedSession, fmt: ExportFormat, out_dir: Path) -> Path:
    """The file one session's export goes to: ``<folder><suffix>`` in `out_dir`."""
    suffix = ".csv" if fmt is ExportFormat.CSV else SUFFIXES.get(fmt, ".zip")
    return out_dir / f"{loaded.folder.name}{suffix}"


def export_csv(sessions: Sequence[LoadedSession], path: Path) -> Path:
    """Many sessions, one line each, in a CSV with a BOM."""
    return write_csv(path, sessions_csv(sessions, [has_audio(s.folder) for s in sessions]))


def select_sessions(
    data_dir: Path,
    names: Sequence[str],
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    drill: bool = False,
    index: SessionIndex | None = None,
) -> list[LoadedSession]:
    """The sessions named (folder name, unique start of one, or path), else those of the period.

    Raises `UserError` for a name that matches no session or several, or when neither names
    nor a period are given.
    """
    if names:
        return [load_session(resolve_session(data_dir, name)) for name in names]
    if date_from is None and date_to is None:
        raise UserError("name at least one session, or give a period with --from/--to")
    index = index or SessionIndex(data_dir)
    index.refresh()
    rows = index.query(
        SessionFilter(date_from=date_from, date_to=date_to, drill=drill),
        SortKey.STARTED,
        descending=False,
    )
    return [load_folder(Path(row.path)) for row in rows]


@dataclass(frozen=True)
class ExportResult:
    """Files written, and sessions left out with the reason (unreadable folders)."""

    written: list[Path]
    skipped: list[tuple[str, str]]


def run_export(
    data_dir: Path,
    sessions: Sequence[LoadedSession],
    fmt: ExportFormat,
    out_dir: Path,
    *,
    csv_name: str = "sessions.csv",
    omit: Sequence[str] = (),
    requested: tuple[date | None, date | None] = (None, None),
    now: datetime | None = None,
    laws: bool = False,
) -> ExportResult:
    """Export `sessions` into `out_dir` (created 0700 if missing), logging each access.

    A folder nothing can be read from is skipped with its reason (the CSV lists it instead).
    Partial files a killed export left there are removed first. `omit` names sheet fields a
    bundle leaves out (by id or label); `requested` is the period asked for and `now` the
    making time, both printed on a disclosure's cover sheet. `laws` adds the 法令（参考） annex
    to an XLSX or HTML sheet (logged with the export).
    """
    if omit and fmt not in (ExportFormat.BUNDLE, ExportFormat.DISCLOSURE):
        raise UserError("leaving sheet fields out applies to bundle and disclosure exports only")
    if laws and fmt not in (ExportFormat.XLSX, ExportFormat.HTML):
        raise UserError("the 法令（参考） annex applies to xlsx and html exports only")
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError("the export folder is a file, not a folder", out_dir)
    try:
        make_private_dir(out_dir)
    except UserError as error:
        raise UserError(f"cannot create the export folder: {error}", out_dir) from error
    remove_stale_partials(out_dir)
    if fmt is ExportFormat.CSV:
        path = out_dir / csv_name
        detail = f"csv:{path}"
        log_accesses(data_dir, [(AccessAction.EXPORT, s.folder.name, detail) for s in sessions])
        return ExportResult([export_csv(sessions, path)], [])
    readable = [s for s in sessions if s.record is not None]
    skipped = [(s.folder.name, "; ".join(s.problems)) for s in sessions if s.record is None]
    omitted = resolve_omissions(omit, [require_record(s) for s in readable])
    if fmt is ExportFormat.DISCLOSURE:
        if not readable:
            raise UserError("no readable session to put in a disclosure bundle", out_dir)
        path = disclosure_name([require_record(s) for s in readable], out_dir)
        detail = f"{fmt.value}:{path}" + _omit_detail(omitted)
        entries = log_accesses(
            data_dir, [(AccessAction.EXPORT, s.folder.name, detail) for s in readable]
        )
        write_disclosure(
            readable,
            path,
            made_at=(now or datetime.now()).astimezone(),
            made_by=entries[0].user,
            requested=requested,
            omit=omitted,
            confirmation=confirmation_of,
            skipped=skipped,
        )
        return ExportResult([path], skipped)
    written = []
    skipped = []
    for loaded in sessions:
        if loaded.record is None:
            skipped.append((loaded.folder.name, "; ".join(loaded.problems)))
            continue
        target = export_path(loaded, fmt, out_dir)
        detail = f"{fmt.value}:{target}" + _omit_detail(omitted) + (" laws" if laws else "")
        log_accesses(data_dir, [(AccessAction.EXPORT, loaded.folder.name, detail)])
        written.append(export_session(loaded, fmt, out_dir, omit=omitted, laws=laws))
    return ExportResult(written, skipped)


def _omit_detail(omitted: Sequence[OmittedField]) -> str:
    """What the access log says of fields left out: `` omit=counterpart,other``."""
    return f" omit={','.join(f.id for f in omitted)}" if omitted else ""


def csv_name(date_from: date | None, date_to: date | None) -> str:
    """``sessions_2026-04-01_2026-04-30.csv`` for a period, ``sessions.csv`` otherwise."""
    if date_from is None and date_to is None:
        return "sessions.csv"
    return f"sessions_{date_from or 'start'}_{date_to or 'end'}.csv"
