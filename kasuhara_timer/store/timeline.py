"""The 対応（時系列） rows of the record sheet: each event said in one short Japanese line.

The sheet is an official document in the municipality's language, so these texts are Japanese
whatever the interface language; the record keeps them so every export shows the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, assert_never

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


GapKind = Literal["wait", "fault", "app", "pause"]
"""Why the recording has a hole: the wait for the first audio (``wait``), a fault (``fault``,
also a recorder that became unavailable after recording), the app not running between a crash
and the resume (``app``), a deliberate pause by the staff member (``pause``)."""


@dataclass(frozen=True)
class RecordingGap:
    """One stretch of the contact without audio, on the timeline row that says it."""

    seq: int
    """Journal line (1-based) of the event whose timeline row shows this gap."""
    kind: GapKind
    seconds: float


@dataclass(frozen=True)
class RecordingGaps:
    """Every gap of a session's recording, from its journal: what the timeline shows and what
    the record's summary adds up (`recording_gaps`), so the two can never disagree."""

    gaps: tuple[RecordingGap, ...] = ()
    faults: int = 0
    """Recording faults journaled (each fault episode once), over every run of the app."""

    def seconds(self, *kinds: GapKind) -> float:
        """Total seconds of the gaps of these kinds."""
        return sum(gap.seconds for gap in self.gaps if gap.kind in kinds)

    @property
    def lost_seconds(self) -> float:
        """欠落: while the app ran, the contact went unrecorded (faults, first-audio waits)."""
        return self.seconds("wait", "fault")

    @property
    def app_seconds(self) -> float:
        """Time without the app between a crash and the resume (no recording possible)."""
        return self.seconds("app")

    @property
    def paused_seconds(self) -> float:
        """一時停止: the staff member paused the recording (a choice, not a loss)."""
        return self.seconds("pause")

    def by_row(self) -> Mapping[int, RecordingGap]:
        """Journal line → the gap its timeline row shows."""
        return {gap.seq: gap for gap in self.gaps}


_REPORTED_GAP: dict[str, GapKind] = {
    "started": "wait",
    "resumed": "pause",
    "recovered": "fault",
    "fault": "fault",
}
"""The kind of the gap a `RecordingChanged` carries, by its state."""


def recording_gaps(events: Sequence[Event]) -> RecordingGaps:
    """The recording's gaps from the journal alone (every run of the app, in order).

    A gap the recorder measured (first audio, pause, fault recovered) is the one its event
    carries; the app's absence is the `Resumed` gap. A fault (or a recorder that became
    unavailable) never recovered runs, from its own row, until the recording stopped, the
    contact ended (切電, departure, the end) or the app stopped (the `Resumed` event's
    evidence); a pause never resumed, until the contact ended. A recording paused or stopped
    after the contact (the after-care) is no gap of the contact. A gap still open (a running
    session) has no length yet.
    """
    gaps: list[RecordingGap] = []
    faults = 0
    recorded = False
    going = True  # the contact is going on (not ended, or reopened from the sheet)
    opened: tuple[int, GapKind, float] | None = None
    contact_ends: set[int] = set()

    def close(until: float) -> None:
        nonlocal opened
        if opened is not None:
            seq, kind, since = opened
            if until > since:  # the app stopped right at a fault: nothing to say on its row
                gaps.append(RecordingGap(seq, kind, until - since))
            opened = None

    for seq, event in enumerate(events, start=1):
        match event:
            case RecordingChanged(state=state, gap_seconds=gap, t=t):
                if state == "fault":
                    faults += 1
                recorded = recorded or state == "started"
                if gap is not None and state in _REPORTED_GAP:
                    opened = None  # the measured gap covers what was open
                    gaps.append(RecordingGap(seq, _REPORTED_GAP[state], max(0.0, gap)))
                elif state in ("fault", "unavailable") and recorded and going:
                    if opened is None or opened[1] == "pause":
                        close(t)
                        opened = (seq, "fault", t)
                elif state == "paused" and going and opened is None:
                    opened = (seq, "pause", t)
                elif state == "stopped":
                    close(t)
            case Resumed(t=t, gap_seconds=gap):
                close(t - gap)
                gaps.append(RecordingGap(seq, "app", gap))
            case ContactEnded(t=t):  # 切電, the visitor left: what follows is after-care
                close(t)
                going = False
                contact_ends.add(seq)
            case Ended(t=t):
                close(t)
                going = False
            case Reopened():
                going = True
            case EntryWithdrawn(entry_seq=entry) if entry in contact_ends:
                going = True  # 切電 taken back: the contact was going on
            case _:
                pass
    return RecordingGaps(tuple(gaps), faults)


def recording_summary_words(
    seconds: float, gaps: RecordingGaps, tr: Translator = SHEET_LANGUAGE
) -> str:
    """``36.6秒（障害2回・欠落42.1秒・アプリ停止1分5秒・一時停止10秒）``: the audio recorded and,
    when there are any, the gaps the timeline shows, each called what the timeline calls it."""
    parts = []
    if gaps.faults:
        parts.append(tr("audio.summary.faults", n=gaps.faults))
    if gaps.faults or gaps.lost_seconds:
        parts.append(tr("event.gap", gap=duration_words(gaps.lost_seconds, tr)))
    if gaps.app_seconds:
        parts.append(tr("audio.summary.app", gap=duration_words(gaps.app_seconds, tr)))
    if gaps.paused_seconds:
        parts.append(tr("event.paused_for", gap=duration_words(gaps.paused_seconds, tr)))
    words = duration_words(seconds, tr)
    return f"{words}（{'・'.join(parts)}）" if parts else words


def timeline_texts(
    events: Sequence[Event], tr: Translator = SHEET_LANGUAGE
) -> list[tuple[int, Event, str]]:
    """(journal line, event, words) for every event that is part of the timeline, in the
    order things happened, the recording's gaps said from `recording_gaps` (the same figures
    as the record's summary).

    The order is the session clock's, ties in journal order: a note carries the moment `m`
    was pressed, so it goes before what was journaled while it was being typed.
    """
    labels = tag_labels(events)
    gaps = recording_gaps(events).by_row()
    rows = []
    for seq, event in enumerate(events, start=1):
        text = describe(event, labels, tr, events, gap=gaps.get(seq))
        if text is not None:
            rows.append((seq, event, text))
    rows.sort(key=lambda row: row[1].t)  # stable: only a note typed at length moves
    return rows


def describe(
    event: Event,
    tag_labels: dict[str, str],
    tr: Translator = SHEET_LANGUAGE,
    events: Sequence[Event] = (),
    *,
    gap: RecordingGap | None = None,
) -> str | None:
    """What happened, in a few words; None for events that are not part of the timeline.

    `tag_labels` maps behaviour ids to labels, for taking back a tag. The sheet uses the
    Japanese default; the desk passes its own translator so `--lang en` reads in English.
    `events` (the session's, in journal order) lets a withdrawal say what it withdrew. `gap`
    is this row's gap from `recording_gaps` (`timeline_texts` passes it); without it a
    recording row says the gap its own event carries.
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
        case RecordingChanged(state=state, detail=detail, gap_seconds=own):
            words = tr("event.recording", state=tr(f"recording.{state}"))
            extras = [detail] if detail else []
            if gap is None and own is not None and state in _REPORTED_GAP:
                gap = RecordingGap(0, _REPORTED_GAP[state], own)
            if gap is not None:  # after a deliberate pause the gap is a pause, not a loss
                key = "event.paused_for" if gap.kind == "pause" else "event.gap"
                extras.append(tr(key, gap=duration_words(gap.seconds, tr)))
            return f"{words}（{'・'.join(extras)}）" if extras else words
        case Ended(reason="interrupted", detail=detail):
            return tr("event.interrupted") + (f"：{detail}" if detail else "")
        case Ended(detail=detail):
            return tr("event.ended") + (f"：{detail}" if detail else "")
        case Resumed(gap_seconds=seconds):
            return tr("event.resumed", gap=duration_words(seconds, tr))
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
        case SheetResumed(gap_seconds=seconds):
            return tr("event.sheet_resumed", gap=duration_words(seconds, tr))
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
