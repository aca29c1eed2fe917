"""The events of a session: the single source of truth for everything the app shows and saves.

An event is a fact in the past tense ("a step was taken"), stamped with the session clock's
elapsed seconds (`t`, monotonic: a wall-clock change never moves it), the wall time it happened
(`at`, for the record sheet) and, while recording, where it falls in the audio (`audio`).
The store adds a sequence number and a hash chain around each event when it journals it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, TypeAdapter

from kasuhara_timer.policy.models import ChannelId


class Route(StrEnum):
    """Which ladder a step belongs to."""

    LADDER = "ladder"
    IMMEDIATE = "immediate"


class AudioMark(BaseModel):
    """Where an event falls in the session's recording, so a review can jump to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    segment: str = Field(description="File name of the recording segment (in the audio folder).")
    segment_offset: float = Field(ge=0, description="Seconds into that segment.")
    offset: float = Field(ge=0, description="Seconds into the whole recording, segments joined.")


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    t: float = Field(ge=0, description="Elapsed seconds on the session clock.")
    at: AwareDatetime = Field(description="Wall time, with its UTC offset.")
    audio: AudioMark | None = None


class Staff(BaseModel):
    """Who answered (record sheet field 2: 所属・職・氏名). Any part may be blank."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    section: str = ""
    title: str = ""


class Started(_Event):
    """A call, visit or other contact began."""

    kind: Literal["started"] = "started"
    channel: ChannelId
    profile: str = Field(description="Profile id, e.g. nanyo.")
    profile_source: str = Field(default="", description="File the profile was read from.")
    limit_minutes: int
    drill: bool = False
    speed: float = Field(default=1.0, gt=0, description="Clock speed; above 1 only in drills.")
    staff: Staff = Staff()
    desk: str = Field(default="", description="Host name of the desk PC.")
    caller: str = Field(default="", description="Optional label linking repeat contacts.")
    app_version: str = ""


class PrewarningShown(_Event):
    """The quiet notice that the limit is near was shown."""

    kind: Literal["prewarning"] = "prewarning"
    minutes_before: int


class LimitReached(_Event):
    """The policy's limit arrived; the first step of the ladder was proposed."""

    kind: Literal["limit_reached"] = "limit_reached"
    limit_minutes: int


class StepTaken(_Event):
    """The staff member took a step of the ladder or of the immediate path."""

    kind: Literal["step_taken"] = "step_taken"
    step: str
    path: Route
    title: str = Field(description="The step's title when taken, kept for the record.")


class StepBroughtForward(_Event):
    """Before the limit the staff member brought the next step forward: its card and lines are
    shown. It is not taken until they confirm they did it (a `StepTaken` follows)."""

    kind: Literal["brought_forward"] = "brought_forward"
    step: str
    path: Route
    title: str = Field(description="The step's title when brought forward, kept for the record.")


class ContactEnded(_Event):
    """The contact itself is over: the call was cut (切電) or the visitor left. Its time stops
    here; what follows until the session ends is after-care (report, record sheet, consult),
    with no pre-warning and no overtime."""

    kind: Literal["contact_ended"] = "contact_ended"
    step: str = Field(
        default="",
        description="The step whose taking ended it (its `ends_contact`); '' when the staff "
        "member said so (the caller hung up, the visitor left).",
    )
    path: Route | None = Field(default=None, description="That step's path.")
    title: str = Field(default="", description="That step's title, kept for the record.")


class ImmediateInvoked(_Event):
    """The staff member switched to the immediate path (violence, danger)."""

    kind: Literal["immediate"] = "immediate"


class BehaviourTagged(_Event):
    """The staff member noted a behaviour they saw. A tag records, it never accuses."""

    kind: Literal["tagged"] = "tagged"
    behaviour: str
    label: str


class BehaviourUntagged(_Event):
    """A tag set by mistake was taken back."""

    kind: Literal["untagged"] = "untagged"
    behaviour: str


class NoteAdded(_Event):
    """A free-text note, stamped when `m` was pressed: the moment the words were said.

    `t`, `at` and `audio` are that moment (the injected clock read at the key); the note is
    journaled only once Enter put it on disk, and `written_t` / `written_at` say when that was
    (absent when the two are one, or in journals written before this was known).
    """

    kind: Literal["note"] = "note"
    text: str
    written_t: float | None = Field(
        default=None, ge=0, description="Session-clock seconds when the note was written."
    )
    written_at: AwareDatetime | None = Field(
        default=None, description="Wall time when the note was written (Enter)."
    )


class EntryWithdrawn(_Event):
    """An entry made by mistake (a step, a tag, a note, the immediate path) was taken back.

    The journal is append-only evidence: the entry stays where it is and this event names it by
    its journal line, so the record can show it struck through with the time of withdrawal.
    """

    kind: Literal["withdrawn"] = "withdrawn"
    entry_seq: int = Field(ge=2, description="Journal line (seq) of the withdrawn event.")
    entry_kind: str = Field(description="Kind of the withdrawn event, for readers of the line.")


class Reopened(_Event):
    """Back from the record sheet to the live session (the contact was in fact still going on),
    before anything was saved; the end before it no longer ends the session."""

    kind: Literal["reopened"] = "reopened"


RecordingState = Literal[
    "started", "paused", "resumed", "fault", "recovered", "unavailable", "stopped"
]


class RecordingChanged(_Event):
    """The recorder changed state (started, paused, fault, recovered…); gaps carry their length."""

    kind: Literal["recording"] = "recording"
    state: RecordingState
    detail: str = ""
    gap_seconds: float | None = None


class AudioFile(BaseModel):
    """One file of the archived recording, with the hash `verify` checks it against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Literal["original", "listening"]
    sha256: str
    bytes: int = Field(ge=0)
    duration_seconds: float = Field(ge=0)


class AudioArchived(_Event):
    """The recording was closed and archived: what it holds, its gaps, its files and hashes.

    Journaled after the end, so the record's audio section is derived from the journal like
    everything else and `verify` can rebuild the record from the journal alone.
    """

    kind: Literal["audio_archived"] = "audio_archived"
    state: Literal["stopped", "unavailable"]
    detail: str = ""
    seconds: float = Field(ge=0, description="Seconds of audio recorded, segments joined.")
    faults: int = Field(default=0, ge=0)
    gap_seconds: float = Field(default=0, ge=0)
    segments: tuple[dict[str, JsonValue], ...] = Field(
        default=(), description="Each segment with its offset in the original (from the archive)."
    )
    pcm_sha256: str | None = None
    files: tuple[AudioFile, ...] = ()


class Ended(_Event):
    """The contact ended (the staff member pressed end) or was closed after a crash."""

    kind: Literal["ended"] = "ended"
    reason: Literal["staff", "interrupted"] = "staff"
    detail: str = ""


class Resumed(_Event):
    """The app restarted after a crash and the session continued; the gap had no app."""

    kind: Literal["resumed"] = "resumed"
    gap_seconds: float = Field(ge=0)


class ChecklistAnswer(BaseModel):
    """One checklist item as answered at wrap-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    no: int
    checked: bool = False
    remark: str = ""


class HelpRequested(_Event):
    """The staff member asked for help without a word (応援要請); pressing again repeats it.

    Only supervisors see it (on the board); the desk shows it discreetly, never as an alarm.
    """

    kind: Literal["help_requested"] = "help_requested"
    id: str = Field(description="This request's reference (help-1, help-2…) for an answer.")
    call: str = Field(default="", description="Who the office calls (config.toml [help] call).")


class HelpAnswered(_Event):
    """A supervisor answered a help request on the board (「向かいます」).

    The board writes the answer as a file in the session folder (`live.answers`); the desk
    journals it when it reads that file, with the file's hash, so `verify` can tell the two
    apart if either changes.
    """

    kind: Literal["help_answered"] = "help_answered"
    request: str = Field(description="The id of the `HelpRequested` answered.")
    by: str = Field(default="", description="Who answered (the supervisor's name or login).")
    host: str = Field(default="", description="The PC the board ran on.")
    answered_at: AwareDatetime = Field(description="Wall time on the board's PC.")
    file: str = Field(description="The answer file, relative to the session folder.")
    sha256: str = Field(description="SHA-256 of the answer file as the desk read it.")


class ResponderJoined(_Event):
    """A colleague joined the session (複数名対応): who, and in what role."""

    kind: Literal["responder_joined"] = "responder_joined"
    id: str = Field(description="This entry's reference (joined-1…).")
    responder: Staff
    role: str = Field(default="", description="e.g. 同席, 係長, 所管課長.")


class HandedOver(_Event):
    """The session was handed to someone else (対応者を代わる / 所管課長が対応を代わる)."""

    kind: Literal["handed_over"] = "handed_over"
    id: str = Field(description="This entry's reference (handover-1…).")
    to: Staff
    role: str = Field(default="", description="The new responder's role, e.g. 所管課長.")
    manager: bool = Field(default=False, description="True when the section manager took over.")


class SheetSaved(_Event):
    """The wrap-up sheet was saved. A later save supersedes an earlier one."""

    kind: Literal["sheet_saved"] = "sheet_saved"
    fields: dict[str, str] = Field(default_factory=dict)
    checklist: tuple[ChecklistAnswer, ...] = ()
    staff: Staff = Staff()
    method: str = Field(default="", description="Sub-method for the `other` channel (email…).")


class SheetDrafted(_Event):
    """What the record sheet held while it was being typed: journaled a few seconds after a
    change and whenever a field is left, so nothing typed is lost to a signal, a crash or a
    closed window. Compact: only what was entered (blank fields, unanswered checklist items and
    an unchanged staff member are left out). The latest draft is what a later start offers to
    finish; a `SheetSaved` supersedes it."""

    kind: Literal["sheet_drafted"] = "sheet_drafted"
    fields: dict[str, str] = Field(default_factory=dict)
    checklist: tuple[ChecklistAnswer, ...] = ()
    staff: Staff | None = Field(default=None, description="None: as the session started.")
    method: str = ""


class SheetResumed(_Event):
    """The record sheet of a session whose contact had ended, left unsaved (the app was closed,
    killed or lost power), was taken up again at a later start of the desk. The gap had no app;
    the sheet saved after it was finished later than the session's end."""

    kind: Literal["sheet_resumed"] = "sheet_resumed"
    gap_seconds: float = Field(ge=0)


Event = Annotated[
    Started
    | PrewarningShown
    | LimitReached
    | StepTaken
    | StepBroughtForward
    | ContactEnded
    | ImmediateInvoked
    | BehaviourTagged
    | BehaviourUntagged
    | NoteAdded
    | RecordingChanged
    | Ended
    | Resumed
    | Reopened
    | EntryWithdrawn
    | SheetSaved
    | SheetDrafted
    | SheetResumed
    | AudioArchived
    | HelpRequested
    | HelpAnswered
    | ResponderJoined
    | HandedOver,
    Field(discriminator="kind"),
]
"""Any session event; `kind` tells which."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def event_from_dict(data: dict[str, object]) -> Event:
    """Validate a decoded journal payload into its event (raises pydantic.ValidationError)."""
    return EVENT_ADAPTER.validate_python(data)


def event_to_dict(event: Event) -> dict[str, object]:
    """The JSON-ready payload of an event."""
    return event.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class Stamp:
    """When a new event happens: session-clock seconds, wall time, place in the recording."""

    t: float
    at: datetime
    audio: AudioMark | None = None

    def fields(self) -> dict[str, Any]:
        """The common event fields, for ``SomeEvent(**stamp.fields(), ...)``."""
        return {"t": self.t, "at": self.at, "audio": self.audio}
