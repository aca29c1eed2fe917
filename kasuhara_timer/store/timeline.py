"""The 対応（時系列） rows of the record sheet: each event said in one short Japanese line.

The sheet is an official document in the municipality's language, so these texts are Japanese
whatever the interface language; the record keeps them so every export shows the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import assert_never

from kasuhara_timer.i18n import Translator
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.events import (
    AudioArchived,
    BehaviourTagged,
    BehaviourUntagged,
    ContactEnded,
    Ended,
    EntryWithdrawn,
    Event,
    HandedOver,
    HelpAnswered,
    HelpRequested,
    ImmediateInvoked,
    LimitReached,
    NoteAdded,
    PrewarningShown,
    RecordingChanged,
    Reopened,
    ResponderJoined,
    Resumed,
    Route,
    SheetDrafted,
    SheetResumed,
    SheetSaved,
    Started,
    StepBroughtForward,
    StepTaken,
)
from kasuhara_timer.session.team import staff_words

SHEET_LANGUAGE = Translator("ja")
"""The record sheet is an official document in Japanese, whatever the interface language."""

CHANNEL_WORDS = {"phone": "電話", "counter": "来庁", "other": "その他"}
"""The record sheet's words for the channels (対応方法)."""


def kind_words(kind: str, tr: Translator = SHEET_LANGUAGE) -> str:
    """The Japanese name of an event kind (``note`` → ``メモ``), for the 時系列 sheet's 種類; an
    unknown kind (from a newer version) as it is."""
    words = tr(f"kind.{kind}")
    return kind if words == f"kind.{kind}" else words


def duration_words(seconds: float, tr: Translator = SHEET_LANGUAGE) -> str:
    """``1時間2分3秒`` (or ``1 h 2 min 3 s``) style, for gaps and durations."""
    if 0 < seconds < 60 and seconds != int(seconds):
        return tr("duration.s", s=f"{seconds:.1f}")
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return tr("duration.hms", h=hours, m=minutes, s=secs)
    if minutes:
        return tr("duration.ms", m=minutes, s=secs)
    return tr("duration.s", s=secs)


def describe(
    event: Event,
    tag_labels: dict[str, str],
    tr: Translator = SHEET_LANGUAGE,
    events: Sequence[Event] = (),
) -> str | None:
    """What happened, in a few words; None for events that are not part of the timeline.

    `tag_labels` maps behaviour ids to labels, for taking back a tag. The sheet uses the
    Japanese default; the desk passes its own translator so `--lang en` reads in English.
    `events` (the session's, in journal order) lets a withdrawal say what it withdrew.
    """
    match event:
        case EntryWithdrawn(entry_seq=seq, entry_kind=kind):
            target = events[seq - 1] if 0 < seq <= len(events) else None
            what = describe(target, tag_labels, tr, events) if target is not None else None
            return tr("event.withdrawn", what=what or kind)
        case StepBroughtForward(title=title):
            return tr("event.brought_forward", title=title)
        case Reopened():
            return tr("event.reopened")
        case ContactEnded():
            first = events[0] if events else None
            channel = first.channel.value if isinstance(first, Started) else "other"
            return tr(f"event.contact_ended.{channel}")
        case Started(channel=channel, limit_minutes=minutes):
            return tr("event.started", channel=tr(f"channel.{channel.value}"), minutes=minutes)
        case PrewarningShown(minutes_before=minutes):
            return tr("event.prewarning", minutes=minutes)
        case LimitReached(limit_minutes=minutes):
            return tr("event.limit", minutes=minutes)
        case StepTaken(path=Route.IMMEDIATE, title=title):
            return tr("event.immediate_step", title=title)
        case StepTaken(title=title):
            return tr("event.step", title=title)
        case ImmediateInvoked():
            return tr("event.immediate")
        case BehaviourTagged(label=label):
            return tr("event.tagged", label=label)
        case BehaviourUntagged(behaviour=behaviour):
            return tr("event.untagged", label=tag_labels.get(behaviour, behaviour))
        case NoteAdded(text=text):
            return tr("event.note", text=text)
        case RecordingChanged(state=state, detail=detail, gap_seconds=gap):
            words = tr("event.recording", state=tr(f"recording.{state}"))
            extras = [detail] if detail else []
            if gap is not None:  # after a deliberate pause the gap is a pause, not a loss
                key = "event.paused_for" if state == "resumed" else "event.gap"
                extras.append(tr(key, gap=duration_words(gap, tr)))
            return f"{words}（{'・'.join(extras)}）" if extras else words
        case Ended(reason="interrupted", detail=detail):
            return tr("event.interrupted") + (f"：{detail}" if detail else "")
        case Ended(detail=detail):
            return tr("event.ended") + (f"：{detail}" if detail else "")
        case Resumed(gap_seconds=gap):
            return tr("event.resumed", gap=duration_words(gap, tr))
        case AudioArchived(seconds=seconds):
            return tr("event.audio_archived", duration=duration_words(seconds, tr))
        case HelpRequested(call=call):
            return tr("event.help_call", call=call) if call else tr("event.help")
        case HelpAnswered(by=by):
            return tr("event.help_answered", by=by or "—")
        case ResponderJoined(responder=who, role=role):
            words = staff_words(who)
            return (
                tr("event.joined_role", who=words, role=role)
                if role
                else tr("event.joined", who=words)
            )
        case HandedOver(to=who, role=role, manager=manager):
            words = staff_words(who) + (f"（{role}）" if role else "")
            key = "event.handed_over_manager" if manager else "event.handed_over"
            return tr(key, who=words)
        case SheetSaved() | SheetDrafted():
            return None
        case SheetResumed(gap_seconds=gap):
            return tr("event.sheet_resumed", gap=duration_words(gap, tr))
        case _:
            assert_never(event)


def withdrawals(events: Sequence[Event]) -> dict[int, EntryWithdrawn]:
    """Journal line (seq) → the withdrawal naming it, for striking withdrawn entries through."""
    return {e.entry_seq: e for e in events if isinstance(e, EntryWithdrawn)}


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
