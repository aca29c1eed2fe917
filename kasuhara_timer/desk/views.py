"""What each desk widget shows, computed from the session's state and assessment.

Pure functions from domain values to small display records: the widgets only paint these, so
what appears when (the lines at the limit and not a second before, 110 and then the policy's
police contacts on the immediate path) is decided here and tested without a terminal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from kasuhara_timer.desk.guidance import (
    aftercare_contacts,
    at_limit_line,
    borrowed_lines,
    borrowed_step,
    cited,
    condition_line,
    criteria_lines,
)
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import ChannelId, Contact, Limit, Policy, Quote, Step
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.escalation import Assessment, LimitOff, Phase
from kasuhara_timer.session.events import (
    Route,
)
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.store.timeline import timeline_texts, withdrawals

TAG_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")
"""Keys that tag the policy's behaviours in order; F1–F10 also work for the first ten."""


def tag_key(index: int) -> str | None:
    """The key that tags the behaviour at `index`, or None past the twelfth."""
    return TAG_KEYS[index] if index < len(TAG_KEYS) else None


def key_label(key: str) -> str:
    """How a key is printed beside its behaviour (``1``, ``F11``)."""
    return key.upper() if key.startswith("f") else key


def quote(line: str) -> str:
    """A line to say, in 「」 (once, even when the profile already quotes it)."""
    text = line.strip()
    if text.startswith("「") and text.endswith("」"):
        return text
    return f"「{text}」"


def limit_words(limit: Limit, tr: Translator) -> str:
    """`目安 30分`, or plainly that the document sets no limit and which default applies."""
    if limit.stated:
        return tr("idle.limit_stated", minutes=limit.minutes)
    return tr("idle.limit_default", minutes=limit.minutes)


def police_contacts(policy: Policy) -> tuple[Contact, ...]:
    """The profile's contacts for the police, shown on the immediate path under 110 (a
    profile's contact may be a station's reception, or have no number at all)."""
    return tuple(c for c in policy.contacts if c.role == "police")


@dataclass(frozen=True)
class BarView:
    """The bar toward the limit."""

    phase: Phase
    progress: float
    text: str
    off: bool = False
    """The limit no longer counts (the contact ended, the police were called): muted."""


def bar_view(
    assessment: Assessment, tr: Translator, channel: ChannelId = ChannelId.OTHER
) -> BarView:
    """The bar's fill, its class (calm / near / over, or muted once the limit no longer
    counts) and its words."""
    limit = assessment.limit
    minutes = limit.minutes
    if assessment.limit_off is LimitOff.CONTACT_ENDED:
        text = tr(
            "session.bar.contact_ended",
            what=tr(f"session.contact.{channel.value}"),
            contact=format_elapsed(assessment.contact_elapsed),
            minutes=minutes,
            aftercare=format_elapsed(assessment.aftercare),
        )
    elif assessment.limit_off is LimitOff.POLICE:
        text = tr("session.bar.police", minutes=minutes)
    elif assessment.phase is Phase.OVER:
        text = tr("session.bar.over", minutes=minutes, over=format_elapsed(-assessment.remaining))
    else:
        # rounded up, so the bar never says 0:00:00 left while the limit has not arrived
        remaining = format_elapsed(math.ceil(assessment.remaining))
        key = "session.bar.near" if assessment.phase is Phase.NEAR else "session.bar.calm"
        text = tr(key, minutes=minutes, remaining=remaining)
    if not limit.stated:
        text += tr("session.bar.default")
    # a bar is at most a few hundred half-cells wide: finer steps would only cost repaints
    progress = round(assessment.progress, 3)
    off = assessment.limit_off is not None
    return BarView(phase=assessment.phase, progress=progress, text=text, off=off)


class Mark(StrEnum):
    """A step's place on the ladder strip."""

    DONE = "done"
    NEXT = "next"
    TODO = "todo"


@dataclass(frozen=True)
class LadderMark:
    """One step on the ladder strip above the card."""

    title: str
    mark: Mark


class CardMode(StrEnum):
    """What the card is showing, which also styles it."""

    BEFORE = "before"  # before the limit: the channel's guidance, the proposal shown quietly
    STEP = "step"  # a ladder step is due: its lines to say
    IMMEDIATE = "immediate"  # violence or danger
    DONE = "done"  # every step of the path taken
    AFTERCARE = "aftercare"  # the contact ended (切電, the visitor left): what to do after


@dataclass(frozen=True)
class CardView:
    """The card: the proposed step with its lines, or the guidance before the limit."""

    mode: CardMode
    heading: str
    lines: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    do: str = ""
    involve: str = ""
    repeat: str = ""
    quiet: str = ""
    taken: str = ""
    ladder: tuple[LadderMark, ...] = ()
    contacts: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    """The whole immediate path, step by step, marked (only on the immediate path)."""
    notice: tuple[str, ...] = ()
    """The profile's recording notice (録音告知) under the app's label, offered before the limit
    of a phone session; empty when the profile has none."""
    criteria: tuple[str, ...] = ()
    """Before the limit: the channel's criteria for the organisational response, verbatim."""
    condition: str = ""
    """The limit's condition (建設的な会話ができない状態で), before and at the limit."""
    borrowed: str = ""
    """Whose lines these are when another document's (南陽市マニュアルの文例)."""
    remark: str = ""
    """The profile's own remark on the step (borrowed from…, assembled by the app)."""
    reminder: tuple[str, ...] = ()
    """The policy's words about not making the visitor explain again, for a few minutes after
    someone joined or took over (`desk.team.rejoin_reminder`)."""
    aftercare: tuple[str, ...] = ()
    """After the contact: the next step's points, who to consult and the sheet's notes, in
    the profile's words, then where the record sheet is (the app's words)."""


STEP_MARKS = {Mark.DONE: "✓", Mark.NEXT: "▶", Mark.TODO: "・"}


def card_view(
    assessment: Assessment, state: SessionState, policy: Policy, tr: Translator
) -> CardView:
    """The card at this instant (see `Assessment.pressing` for when a proposal is due)."""
    channel = policy.channel(state.channel)
    path = assessment.path
    steps = channel.immediate if path is Route.IMMEDIATE else channel.ladder
    taken = state.taken_on(path)
    taken_ids = {s.step for s in taken}
    proposed = assessment.proposed
    ladder = tuple(
        LadderMark(
            step.title,
            Mark.DONE
            if step.id in taken_ids
            else Mark.NEXT
            if proposed is not None and step.id == proposed.id
            else Mark.TODO,
        )
        for step in steps
    )
    last = (
        tr("session.card.taken", title=taken[-1].title, elapsed=format_elapsed(taken[-1].t))
        if taken
        else ""
    )
    contacts: tuple[str, ...] = ()
    overview: tuple[str, ...] = ()
    if path is Route.IMMEDIATE:
        contacts = (
            tr("session.card.emergency"),  # always first: a station's reception is no 110
            *(
                " ".join(
                    tr("session.card.police", label=c.label, who=c.who, number=c.number).split()
                )
                for c in police_contacts(policy)
            ),
        )
        overview = tuple(f"{STEP_MARKS[m.mark]}{n}. {m.title}" for n, m in enumerate(ladder, 1))
    if assessment.limit_off is LimitOff.CONTACT_ENDED:
        card = aftercare_card(assessment, state, policy, tr, last)
        return replace(card, ladder=ladder, contacts=contacts, steps=overview)
    if proposed is None:
        return CardView(
            mode=CardMode.DONE,
            heading=tr("session.card.done"),
            taken=last,
            ladder=ladder,
            contacts=contacts,
            steps=overview,
        )
    if not assessment.pressing:
        return CardView(
            mode=CardMode.BEFORE,
            heading=tr("session.card.before"),
            points=tuple(cited(point) for point in channel.before_limit),
            quiet=tr("session.card.quiet", title=proposed.title),
            criteria=(tr("session.card.criteria"), *criteria_lines(channel))
            if channel.criteria
            else (),
            condition=condition_line(channel.limit, tr),
            remark=tr("session.card.at_hand"),
            ladder=ladder,
            notice=_labelled(tr("session.card.notice"), recording_notice(policy, state)),
        )
    mode = CardMode.IMMEDIATE if path is Route.IMMEDIATE else CardMode.STEP
    card = _step_card(mode, proposed, tr, taken=last, ladder=ladder, contacts=contacts)
    condition = ""
    if mode is CardMode.STEP and assessment.phase is Phase.OVER and not taken:
        condition = at_limit_line(channel.limit, tr)
    see = tr("session.card.see", parts="・".join(proposed.see)) if proposed.see else ""
    remark = " ".join(
        part for part in (borrowed_step(policy, proposed, tr), proposed.note, see) if part
    )
    return replace(
        card,
        steps=overview,
        condition=condition,
        borrowed=borrowed_lines(policy, proposed, tr),
        remark=remark,
    )


def aftercare_card(
    assessment: Assessment, state: SessionState, policy: Policy, tr: Translator, taken: str
) -> CardView:
    """After 切電 or the visitor's leaving: the path's next step (report, decide who answers
    next), who to consult with the sheet and the sheet's own notes, all as the profile says
    them; the app only says that the contact ended and where the sheet is."""
    what = tr(f"session.contact.{state.channel.value}")
    heading = tr("session.card.aftercare", what=what)
    step = assessment.proposed
    items = [f"・{cited(point)}" for point in step.points] if step is not None else []
    consult = aftercare_contacts(policy)
    if consult:
        items.append(tr("session.card.aftercare_consult", contacts="／".join(consult)))
    items += [cited(note) for note in policy.sheet_notes]
    items.append(tr("session.card.aftercare_sheet" if step is not None else "session.card.done"))
    ended_at = format_elapsed(assessment.contact_elapsed)
    return CardView(
        mode=CardMode.AFTERCARE,
        heading=f"{heading}：{step.title}" if step is not None else heading,
        quiet=tr("session.card.aftercare_quiet", what=what, at=ended_at),
        aftercare=tuple(items),
        do=step.do if step is not None else "",
        involve=tr("session.card.involve", who="・".join(step.involve))
        if step is not None and step.involve
        else "",
        taken=taken,
    )


def next_step_words(
    assessment: Assessment, policy: Policy, state: SessionState, tr: Translator
) -> str:
    """What `n` records now, for the footer: bring the next step forward (before the limit),
    mark the shown step as taken, or nothing left to take."""
    proposed = assessment.proposed
    if proposed is None or assessment.ended:
        return tr("key.next.none")
    channel = policy.channel(state.channel)
    steps = channel.immediate if assessment.path is Route.IMMEDIATE else channel.ladder
    number = next((n for n, step in enumerate(steps, 1) if step.id == proposed.id), 1)
    kind = "immediate" if assessment.path is Route.IMMEDIATE else "ladder"
    step = tr(f"key.next.{kind}", n=number)
    return tr("key.next.take" if assessment.pressing else "key.next.forward", step=step)


def _labelled(label: str, lines: tuple[str, ...]) -> tuple[str, ...]:
    return (label, *lines) if lines else ()


def recording_notice(policy: Policy, state: SessionState) -> tuple[str, ...]:
    """The policy's own recording notice lines for a phone session, quoted; none otherwise.

    Only the profile's words: when the document gives no notice line (none of the bundled
    five does), nothing is shown rather than a line the policy never said.
    """
    if state.channel is not ChannelId.PHONE:
        return ()
    return tuple(quote(line) for line in policy.recording_notice if line.strip())


def _step_card(
    mode: CardMode,
    step: Step,
    tr: Translator,
    *,
    taken: str,
    ladder: tuple[LadderMark, ...],
    contacts: tuple[str, ...],
) -> CardView:
    heading = step.title
    if mode is CardMode.IMMEDIATE:
        heading = f"{tr('session.card.immediate')} — {step.title}"
    return CardView(
        mode=mode,
        heading=heading,
        lines=tuple(
            quote(line) + (line.remark if isinstance(line, Quote) else "") for line in step.lines
        ),
        points=tuple(cited(point) for point in step.points),
        do=step.do,
        involve=tr("session.card.involve", who="・".join(step.involve)) if step.involve else "",
        repeat=tr("session.card.repeat", repeat=step.repeat) if step.repeat else "",
        taken=taken,
        ladder=ladder,
        contacts=contacts,
    )


@dataclass(frozen=True)
class TimelineRow:
    """One line of the timeline: wall clock time, elapsed session time, what happened."""

    clock: str
    elapsed: str
    text: str
    withdrawn: str = ""
    """When the entry was withdrawn (HH:MM:SS; it is shown struck through), or ""."""


def timeline_rows(state: SessionState, tr: Translator) -> list[TimelineRow]:
    """Everything so far, oldest first, in the interface language; withdrawn entries stay,
    marked with the time they were withdrawn."""
    zone = state.started_at.tzinfo
    withdrawn = withdrawals(state.events)
    rows = []
    for seq, event, text in timeline_texts(state.events, tr):
        at = event.at.astimezone(zone)
        withdrawal = withdrawn.get(seq)
        when = f"{withdrawal.at.astimezone(zone):%H:%M:%S}" if withdrawal is not None else ""
        rows.append(TimelineRow(f"{at:%H:%M:%S}", format_elapsed(event.t), text, when))
    return rows


@dataclass(frozen=True)
class BehaviourView:
    """One behaviour in the list: its key, label and whether it is tagged now."""

    id: str
    key: str
    label: str
    tagged: bool


def behaviour_views(policy: Policy, state: SessionState | None) -> list[BehaviourView]:
    """The policy's behaviours with their keys, marked when tagged."""
    tags = set(state.tags) if state is not None else set()
    views = []
    for index, behaviour in enumerate(policy.behaviours):
        key = tag_key(index)
        views.append(
            BehaviourView(
                id=behaviour.id,
                key=key_label(key) if key else "",
                label=behaviour.tag,
                tagged=behaviour.id in tags,
            )
        )
    return views


RecordingMode = Literal[
    "none", "starting", "recording", "paused", "fault", "unavailable", "stopped"
]
RECORDING_MODES: dict[str | None, RecordingMode] = {
    None: "starting",
    "started": "recording",
    "resumed": "recording",
    "recovered": "recording",
    "paused": "paused",
    "fault": "fault",
    "unavailable": "unavailable",
    "stopped": "stopped",
}


@dataclass(frozen=True)
class RecordingView:
    """The recording indicator and, when something is wrong, the banner under the clock."""

    mode: RecordingMode
    label: str = ""
    banner: str = ""


def recording_view(state: SessionState, recording: bool, tr: Translator) -> RecordingView:
    """What the indicator says, from the last journaled `RecordingChanged` (so only what is on
    disk): nothing on a desk that does not record; a banner with the recorder's words for a
    fault (the timer goes on) and for why there is no recording at all."""
    if not recording:
        return RecordingView("none")
    change = state.recording
    mode = RECORDING_MODES[change.state if change is not None else None]
    detail = change.detail if change is not None else ""
    banner = ""
    if mode in ("fault", "unavailable"):
        banner = tr(f"recording.banner.{mode}", detail=detail or tr("recording.no_detail"))
    label = tr(f"recording.indicator.{mode}")
    if mode == "paused" and state.contact_ended is not None:  # stopped with the contact
        label = tr("recording.indicator.after_contact")
    return RecordingView(mode, label, banner)


LEVEL_FLOOR_DB = -60.0
"""The meter's empty end: quieter than a quiet room through a desk microphone."""


def level_cells(dbfs: float, width: int) -> int:
    """How many of `width` meter cells a level lights: -60 dBFS and below none, 0 dBFS all."""
    if math.isnan(dbfs):
        return 0
    share = (min(0.0, max(LEVEL_FLOOR_DB, dbfs)) - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB
    return round(share * width)
