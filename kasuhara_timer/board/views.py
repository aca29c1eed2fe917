"""What each row and the detail line of the board say: pure functions of a `BoardRow`.

Minutes are enough in the rows (a row is redrawn only when what it says changes, so 300 rows
cost little); the selected session's detail line shows a help request's wait to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text

from kasuhara_timer.i18n import Translator
from kasuhara_timer.live.board import BoardRow, RowState
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.escalation import Phase

COLUMNS = ("state", "desk", "staff", "channel", "elapsed", "step", "tags", "team", "rec")
WIDTHS = {
    "state": 15,
    "desk": 9,
    "staff": 10,
    "channel": 4,
    "elapsed": 8,
    "step": 9,
    "tags": 2,
    "team": 2,
    "rec": 2,
}
"""Cells of each column: the nine fit 80 columns with their padding."""

PHASE_STYLES = {Phase.CALM: "", Phase.NEAR: "bold yellow", Phase.OVER: "bold red"}
HELP_STYLE = "bold black on yellow"
SENT_STYLE = "bold green"
STOPPED_STYLE = "dim italic"


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells (an ellipsis marks the cut)."""
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def minutes(seconds: float) -> int:
    """Whole minutes elapsed."""
    return int(seconds // 60)


def wait_words(seconds: float) -> str:
    """``3:05`` (minutes and seconds; ``1:02:05`` past an hour) for a help request's wait."""
    if seconds >= 3600:
        return format_elapsed(seconds)
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class RowView:
    """The cells of one row."""

    cells: tuple[Text, ...]

    @property
    def plain(self) -> tuple[str, ...]:
        """The cells' text without styles (for tests)."""
        return tuple(cell.plain for cell in self.cells)


def row_view(row: BoardRow, tr: Translator, sent: str | None = None) -> RowView:
    """The nine cells of `row`; `sent` is the request this board answered (not yet journaled
    by the desk)."""
    status = row.status
    zone = status.started_at.tzinfo
    if row.state is RowState.HELP and sent is not None and row.help_at is not None:
        state = Text(
            fit(
                tr("board.state.sent", time=f"{row.help_at.astimezone(zone):%H:%M}"),
                WIDTHS["state"],
            )
        )
        state.stylize(SENT_STYLE)
    elif row.state is RowState.HELP and row.help_at is not None:
        words = tr(
            "board.state.help",
            time=f"{row.help_at.astimezone(zone):%H:%M}",
            wait=minutes(row.waiting or 0),
        )
        state = Text(fit(words, WIDTHS["state"]), style=HELP_STYLE)
    elif row.state is RowState.INTERRUPTED:
        state = Text(tr("board.state.interrupted"), style=STOPPED_STYLE)
    elif status.answered:
        state = Text(tr("board.state.answered"), style="green")
    else:
        state = Text(tr("board.state.drill" if status.drill else "board.state.running"))
    elapsed = Text(
        tr("board.elapsed", m=minutes(row.elapsed), limit=minutes(status.limit_seconds)),
        style=PHASE_STYLES[row.phase],
    )
    step = status.step or tr("board.step.none")
    if status.immediate:
        step = (
            tr("board.step.immediate", title=status.step)
            if status.step
            else tr("board.step.immediate_only")
        )
    staff = status.staff.name or status.staff.section or "—"
    channel = tr(f"board.channel.{status.channel.value}")
    rec = tr(f"board.rec.{status.recording}") if status.recording != "none" else "—"
    texts = {
        "desk": status.desk or "—",
        "staff": staff,
        "channel": channel,
        "step": step,
        "tags": str(status.tags) if status.tags else "",
        "team": str(len(status.responders)) if len(status.responders) > 1 else "",
        "rec": rec,
    }
    cells = {name: Text(fit(text, WIDTHS[name])) for name, text in texts.items()}
    if status.immediate:
        cells["step"].stylize("bold red")
    if status.recording == "fault":
        cells["rec"].stylize("bold red")
    cells["state"] = state
    cells["elapsed"] = elapsed
    return RowView(tuple(cells[name] for name in COLUMNS))


def detail_words(row: BoardRow, tr: Translator, now: datetime) -> str:
    """The line under the table about the selected session: everything the row had to cut."""
    status = row.status
    zone = status.started_at.tzinfo
    team = "、".join(status.responders) or "—"
    rec = tr(f"recording.indicator.{status.recording}") if status.recording != "none" else "—"
    words = tr(
        "board.detail",
        desk=status.desk or "—",
        channel=status.channel_label or tr(f"channel.{status.channel.value}"),
        start=f"{status.started_at.astimezone(zone):%H:%M}",
        team=team,
        tags=status.tags,
        rec=rec,
    )
    if row.state is RowState.INTERRUPTED:
        since = wait_words(max(0.0, (now - status.at).total_seconds()))
        return tr("board.detail.interrupted", since=since) + "\n" + words
    if row.state is RowState.HELP:
        times = "・".join(f"{h.at.astimezone(zone):%H:%M}" for h in status.help)
        call = next((h.call for h in reversed(status.help) if h.call), "") or tr(
            "board.call_anyone"
        )
        help_words = tr(
            "board.detail.help", times=times, call=call, wait=wait_words(row.waiting or 0)
        )
        return help_words + "\n" + words
    return words
