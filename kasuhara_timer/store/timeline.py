"""The 対応（時系列） rows of the record sheet: each event said in one short Japanese line.

The sheet is an official document in the municipality's language, so these texts are Japanese
whatever the interface language; the record keeps them so every export shows the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.events import (
    BehaviourTagged,
    BehaviourUntagged,
    Ended,
    Event,
    ImmediateInvoked,
    LimitReached,
    NoteAdded,
    Path,
    PrewarningShown,
    RecordingChanged,
    Resumed,
    SheetSaved,
    Started,
    StepTaken,
)

CHANNEL_WORDS = {"phone": "電話", "counter": "来庁", "other": "その他"}
"""The record sheet's words for the channels (対応方法)."""

_RECORDING_WORDS = {
    "started": "録音開始",
    "paused": "録音一時停止",
    "resumed": "録音再開",
    "fault": "録音の障害",
    "recovered": "録音復旧",
    "unavailable": "録音できません",
    "stopped": "録音停止",
}


def duration_words(seconds: float) -> str:
    """``1時間2分3秒`` style, for gaps and durations on the sheet."""
    if 0 < seconds < 60 and seconds != int(seconds):
        return f"{seconds:.1f}秒"
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}時間{minutes}分{secs}秒"
    if minutes:
        return f"{minutes}分{secs}秒"
    return f"{secs}秒"


def describe(event: Event, tag_labels: dict[str, str]) -> str | None:
    """What happened, for the timeline; None for events that are not part of it (sheet saves).

    `tag_labels` maps behaviour ids to labels, for taking back a tag.
    """
    match event:
        case Started(channel=channel, limit_minutes=limit):
            return f"対応開始（{CHANNEL_WORDS.get(channel.value, channel.value)}・目安{limit}分）"
        case PrewarningShown(minutes_before=minutes):
            return f"予告：目安時間まで残り{minutes}分"
        case LimitReached(limit_minutes=limit):
            return f"目安時間（{limit}分）に到達"
        case StepTaken(path=Path.IMMEDIATE, title=title):
            return f"即時対応：{title}"
        case StepTaken(title=title):
            return f"ステップ：{title}"
        case ImmediateInvoked():
            return "即時対応（暴力・危険）に切替"
        case BehaviourTagged(label=label):
            return f"行為の記録：{label}"
        case BehaviourUntagged(behaviour=behaviour):
            return f"行為の記録を取消：{tag_labels.get(behaviour, behaviour)}"
        case NoteAdded(text=text):
            return f"メモ：{text}"
        case RecordingChanged(state=state, detail=detail, gap_seconds=gap):
            words = _RECORDING_WORDS.get(state, state)
            extras = [detail] if detail else []
            if gap is not None:
                extras.append(f"欠落{duration_words(gap)}")
            return f"{words}（{'・'.join(extras)}）" if extras else words
        case Ended(reason="interrupted", detail=detail):
            return f"中断（アプリが停止）{'：' + detail if detail else ''}"
        case Ended():
            return "対応終了"
        case Resumed(gap_seconds=gap):
            return f"アプリ再起動後に継続（空白{duration_words(gap)}）"
        case SheetSaved():
            return None
    return None  # pragma: no cover - every kind is matched above


def tag_labels(events: Iterable[Event]) -> dict[str, str]:
    """Behaviour id → label as last tagged."""
    return {e.behaviour: e.label for e in events if isinstance(e, BehaviourTagged)}


def clock_words(at: datetime, day: datetime) -> str:
    """``HH:MM:SS`` in the start's time zone, with ``M/D`` prefixed when not on the start `day`."""
    local = at.astimezone(day.tzinfo)
    time = f"{local:%H:%M:%S}"
    return time if local.date() == day.date() else f"{local.month}/{local.day} {time}"


def elapsed_words(t: float) -> str:
    """Elapsed session-clock time as ``H:MM:SS``."""
    return format_elapsed(t)
