"""CSV files for spreadsheets: many sessions one per line, and one session's timeline.

UTF-8 with a BOM (Excel otherwise guesses Shift_JIS and garbles Japanese), CRLF line ends.
Free text a staff member typed that begins with = + - @ gets a leading apostrophe, the usual
guard against a spreadsheet running it as a formula; nothing else is changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from kasuhara_timer.catalog.sessions import LoadedSession, SessionStatus
from kasuhara_timer.exports.xlsx import text
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.record import Record
from kasuhara_timer.store.signoff import read_signoffs

ENCODING = "utf-8-sig"

STATUS_WORDS = {
    SessionStatus.COMPLETE: "終了",
    SessionStatus.INTERRUPTED: "中断",
    SessionStatus.UNFINISHED: "終了の記録なし",
    SessionStatus.UNREADABLE: "読めません",
}

SESSION_COLUMNS = (
    "フォルダ",
    "開始",
    "終了",
    "対応時間(分)",
    "対応方法",
    "所属",
    "職",
    "対応者",
    "相手の識別",
    "目安時間(分)",
    "目安到達",
    "最終段階",
    "即時対応",
    "行為類型",
    "研修",
    "録音",
    "状態",
    "問題",
    "課長確認",
)


def cell(value: object) -> str:
    """A value safe for a spreadsheet cell: visible control characters, no formula."""
    words = text(value)
    return "'" + words if words[:1] in ("=", "+", "-", "@") else words


def sessions_csv(sessions: Sequence[LoadedSession], audio: Iterable[bool]) -> str:
    """One line per session; the staff-typed sheet fields follow as extra columns by label."""
    records = [s.record for s in sessions if s.record is not None]
    extra = _typed_fields(records)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*SESSION_COLUMNS, *(label for _id, label in extra)))
    for loaded, has_audio in zip(sessions, audio, strict=True):
        writer.writerow([cell(v) for v in _session_line(loaded, has_audio, extra)])
    return out.getvalue()


def timeline_csv(record: Record) -> str:
    """One session's 対応（時系列） with wall times and recording offsets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("日時", "時刻", "経過", "内容", "録音位置(秒)"))
    for row in record.sheet.timeline:
        offset = f"{row.audio_offset:.3f}" if row.audio_offset is not None else ""
        writer.writerow((row.at.isoformat(), row.clock, row.elapsed, cell(row.text), offset))
    return out.getvalue()


def write_csv(path: Path, content: str) -> Path:
    """Write CSV text atomically with the BOM; returns `path`."""
    write_atomic(path, content.encode(ENCODING))
    return path


def _typed_fields(records: Sequence[Record]) -> list[tuple[str, str]]:
    """(id, label) of every field staff fill in, in sheet order, across the records."""
    seen: dict[str, str] = {}
    for record in records:
        for field in record.sheet.fields:
            if field.id not in ("datetime", "staff", "method", "timeline"):
                seen.setdefault(field.id, field.label)
    return list(seen.items())


def _session_line(
    loaded: LoadedSession, has_audio: bool, extra: list[tuple[str, str]]
) -> list[object]:
    record = loaded.record
    problems = " / ".join(reason_words(problem, "ja") for problem in loaded.problems)
    status = STATUS_WORDS[loaded.status]
    signed = read_signoffs(loaded.folder.path.parent.parent, loaded.folder.name).current
    signoff = signed.words() if signed is not None else "未確認"
    if record is None:
        middle = [""] * (len(SESSION_COLUMNS) - 4)
        return [loaded.folder.name, *middle, status, problems, signoff, *([""] * len(extra))]
    session = record.session
    furthest = session.furthest_step
    method = next((o.label for o in record.sheet.method_options if o.selected), "")
    values = {f.id: f.value for f in record.sheet.fields}
    return [
        session.folder,
        session.started_at.isoformat(timespec="seconds"),
        session.ended_at.isoformat(timespec="seconds") if session.ended_at else "",
        f"{session.duration_seconds / 60:.1f}",
        method,
        session.staff.section,
        session.staff.title,
        session.staff.name,
        session.caller,
        session.limit.minutes,
        "はい" if session.limit_reached else "いいえ",
        furthest.title if furthest else "",
        "はい" if session.immediate else "いいえ",
        "、".join(tag.label for tag in record.tags),
        "はい" if session.drill else "いいえ",
        "あり" if has_audio else "なし",
        status,
        problems,
        signoff,
        *(values.get(field_id, "") for field_id, _label in extra),
    ]
