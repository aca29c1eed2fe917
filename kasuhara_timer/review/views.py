"""How sessions are put into words and tables on screen (pure: rows in, text out)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kasuhara_timer.catalog.query import SessionRow, SortKey
from kasuhara_timer.catalog.sessions import SessionStatus
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.live.board import BoardRow, RowState
from kasuhara_timer.review.widgets.wrapped_table import Col
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.store.record import Record, TimelineRow
from kasuhara_timer.ui.wrap import Wrapped

LIST_COLUMNS: tuple[tuple[str, SortKey | None, Col], ...] = (
    ("col.when", SortKey.STARTED, Col("", width=16)),
    ("col.channel", SortKey.CHANNEL, Col("", width=6)),
    ("col.staff", SortKey.STAFF, Col("", share=2, least=10)),
    ("col.section", SortKey.SECTION, Col("", share=2, least=6)),
    ("col.duration", SortKey.DURATION, Col("", width=7, right=True)),
    ("col.limit", None, Col("", width=4)),
    ("col.audio", None, Col("", width=4)),
    ("col.status", SortKey.STATUS, Col("", width=8)),
    ("col.signed", None, Col("", width=4)),
    ("col.furthest", SortKey.FURTHEST, Col("", share=3, least=10)),
    ("col.tags", None, Col("", share=3, least=10)),
    ("col.kind", None, Col("", width=4)),
)
"""(catalog key, sort key when sortable, layout) of the list's columns: fixed ones keep their
width, the others share the rest of the screen; the highlighted row is shown in full below."""


def list_columns(words: Translator, sort: SortKey, descending: bool) -> list[Col]:
    """The list's columns in the interface language, the sorted one with its arrow."""
    arrow = "↓" if descending else "↑"
    return [
        replace(col, label=words(key) + (arrow if key_sort is sort else ""), wrap=False)
        for key, key_sort, col in LIST_COLUMNS
    ]


def row_detail(row: SessionRow, words: Translator, beside: Beside | None = None) -> str:
    """The highlighted session in full: what the list's columns may cut."""
    beside = beside or Beside()
    if not row.readable:
        first = row.problems.splitlines()[0] if row.problems else ""
        return f"{row.name}　{reason_words(first, words.lang)}"
    parts = [
        f"{row.clock}　{row.method_label}　{row.staff_section} {row.staff_name}".rstrip(),
        words("session.furthest", step=furthest_words(row) or words("session.no_step")),
    ]
    if row.tag_labels:
        parts.append(words("list.detail_tags", tags="、".join(row.tag_labels)))
    if row.caller:
        parts.append(words("list.detail_caller", caller=row.caller))
    status = status_words(row, words, beside)
    if status:
        parts.append(status)
    if beside.live and beside.live_step:
        parts.append(words("list.live_step", step=beside.live_step))
    if beside.hold is not None:
        parts.append(words("list.hold", reason=beside.hold or words("list.hold_no_reason")))
    return "　".join(parts)


def plain(*cells: str) -> list[Text]:
    """Table cells shown as typed: never read as markup (a note may hold "[red]")."""
    return [Text(terminal_safe(cell), no_wrap=True, overflow="ellipsis") for cell in cells]


@dataclass(frozen=True)
class Beside:
    """What the review knows of a session from beside its folder: live status, hold, sign-off."""

    live: str = ""
    """``running`` / ``help`` / ``interrupted`` from the board's live status; '' when none."""
    live_elapsed: float = 0.0
    live_step: str = ""
    hold: str | None = None
    """The hold's reason ('' when it gives none); None when the session is not held."""
    signed: bool = False


def status_words(row: SessionRow, words: Translator, beside: Beside | None = None) -> str:
    """'' for a sound, ended session; else what the reviewer should know."""
    beside = beside or Beside()
    if row.status is SessionStatus.UNFINISHED and beside.live:
        parts = [words(f"status.live_{beside.live}")]
    elif row.status is SessionStatus.UNFINISHED:
        parts = [words("status.unrecovered")]
    else:
        parts = [words(f"status.{row.status.value}")]
    if beside.hold is not None:
        parts.append(words("status.held"))
    if row.problems and row.status is not SessionStatus.UNREADABLE:
        parts.append(words("status.problem"))
    return " ".join(part for part in parts if part)


def list_cells(row: SessionRow, words: Translator, beside: Beside | None = None) -> tuple[str, ...]:
    """The list's cells for one session, in `LIST_COLUMNS` order."""
    beside = beside or Beside()
    signed = beside.signed
    if not row.readable:
        blank = ("",) * 6
        return (
            row.clock or row.name,
            *blank,
            status_words(row, words, beside),
            "✓" if signed else "",
            "",
            "",
            kind_words(row, words),
        )
    return (
        row.clock,
        row.method_label,
        row.staff_name,
        row.staff_section,
        format_elapsed(beside.live_elapsed if beside.live else row.duration),
        "●" if row.limit_reached else "",
        "♪" if row.audio else "",
        status_words(row, words, beside),
        "✓" if signed else "",
        furthest_words(row),
        "、".join(short_label(label) for label in row.tag_labels),
        kind_words(row, words),
    )


def kind_words(row: SessionRow, words: Translator) -> str:
    """研修 for a drill, '' for a real session."""
    return words("kind.drill") if row.drill else words("kind.real")


def furthest_words(row: SessionRow) -> str:
    """The furthest step, ⚠ first when it was on the immediate path."""
    if not row.furthest:
        return ""
    return ("⚠" if row.furthest_path == "immediate" else "") + row.furthest


def short_label(label: str) -> str:
    """A behaviour label without its examples in brackets: 精神的な攻撃（脅迫…） → 精神的な攻撃."""
    return label.split("（", 1)[0] or label


def sheet_renderable(record: Record) -> RenderableType:
    """The 対応記録シート as a terminal table: the numbered fields, 対応 as a table inside."""
    sheet = record.sheet
    grid = Table(show_header=False, expand=True, show_lines=True, pad_edge=False)
    grid.add_column("no", width=2, justify="right", style="bold")
    grid.add_column("label", ratio=1, style="bold")
    grid.add_column("value", ratio=3)
    for field in sheet.fields:
        value: RenderableType
        if field.id == "method":
            value = Text("・").join(
                Text(f" {terminal_safe(o.label)} ", style="bold reverse")
                if o.selected
                else Text(terminal_safe(o.label))
                for o in sheet.method_options
            )
        elif field.id == "timeline":
            value = (
                Group(timeline_table(record), Wrapped(terminal_safe(field.value, newlines=True)))
                if field.value
                else (timeline_table(record))
            )
        else:
            value = Wrapped(terminal_safe(field.value, newlines=True))
        grid.add_row(str(field.no), Wrapped(terminal_safe(field.label)), value)
    return grid


def withdrawn_words(row: TimelineRow) -> str:
    """When a withdrawn entry was withdrawn, as the sheet says it; "" for an entry that stands
    (the journal keeps a withdrawn entry: it never vanishes from the record)."""
    return f"（{row.withdrawn_clock}に取り消し）" if row.withdrawn_at is not None else ""


def timeline_cell(row: TimelineRow) -> str:
    """The timeline table's text of a row: a withdrawn entry marked as such, with its time."""
    return f"［取消］{row.text}{withdrawn_words(row)}" if row.withdrawn_at else row.text


def timeline_table(record: Record) -> Table:
    """時刻・経過・内容 of the sheet."""
    table = Table(show_header=True, box=None, pad_edge=False, expand=True)
    table.add_column("時刻", no_wrap=True, style="dim")
    table.add_column("経過", no_wrap=True, justify="right")
    table.add_column("内容", ratio=1)
    for row in record.sheet.timeline:
        text = terminal_safe(row.text, newlines=True)
        what: RenderableType = Wrapped(text)
        if row.withdrawn_at is not None:  # struck through, with the time it was withdrawn
            what = Group(Wrapped(text, style="strike dim"), Wrapped(withdrawn_words(row)))
        table.add_row(row.clock, row.elapsed, what)
    return table


def checklist_columns(words: Translator) -> list[Col]:
    """No., 項目, 該当, 備考: the item and the remark share the width and wrap."""
    return [
        Col(words("col.no"), width=3, right=True),
        Col(words("col.item"), share=3, least=10),
        Col(words("col.checked"), width=4),
        Col(words("col.remark"), share=2, least=8),
    ]


def timeline_columns(words: Translator) -> list[Col]:
    """時刻, 経過, 録音位置, 内容 (wrapping)."""
    return [
        Col(words("col.clock"), width=8),
        Col(words("col.elapsed"), width=7, right=True),
        Col(words("col.offset"), width=8, right=True),
        Col(words("col.what"), least=12),
    ]


def access_columns(words: Translator) -> list[Col]:
    """日時, 利用者, 操作, 詳細."""
    return [
        Col(words("col.at"), width=19),
        Col(words("col.user"), least=8),
        Col(words("col.action"), width=8),
        Col(words("col.detail"), share=2, least=10),
    ]


def offset_words(offset: float | None) -> str:
    """An event's place in the recording, or '' when it has none."""
    return format_elapsed(offset) if offset is not None else ""


def live_words(row: BoardRow, words: Translator) -> str:
    """A session still running at a desk, as the board sees it (`live.status`): who, where
    it stands against the limit, the step, help called and who joined, the recording."""
    status = row.status
    written = f"{status.at.astimezone():%H:%M:%S}"
    if row.state is RowState.INTERRUPTED:
        head = words("live.silent", desk=status.desk or "—", at=written)
    else:
        head = words("live.running", desk=status.desk or "—", at=written)
    parts = [
        words(
            "live.elapsed",
            elapsed=format_elapsed(row.elapsed),
            limit=round(status.limit_seconds / 60),
        ),
        words(f"live.phase_{row.phase.value}"),
        words("live.step", step=status.step or words("session.no_step")),
    ]
    if status.immediate:
        parts.append(words("live.immediate"))
    if row.help_count:
        wait = round((row.waiting or 0.0) / 60)
        parts.append(words("live.help_open", n=row.help_count, wait=wait))
    elif status.help:
        by = status.answered_by or "—"
        parts.append(words("live.help_answered", n=len(status.help), by=by))
    if status.responders:
        parts.append(words("live.team", team="、".join(status.responders)))
    parts.append(words("live.recording", rec=words(f"live.rec_{status.recording}")))
    return terminal_safe(f"{head}\n{'　'.join(parts)}", newlines=True)
