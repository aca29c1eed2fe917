"""A municipality's customer-harassment policy as typed data.

Profiles are TOML files validated into these models. Every model forbids unknown keys, so a typo
in an office's own profile is reported instead of silently ignored. Pure data: no I/O here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
"""A short ASCII id used in events and keys (``warning``, ``final_notice``)."""

NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for every profile model: immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ChannelId(StrEnum):
    """How the contact reaches the office (record sheet field 3, 対応方法)."""

    PHONE = "phone"
    COUNTER = "counter"
    OTHER = "other"


class StepKind(StrEnum):
    """What a step does, so the app can treat steps alike across municipalities."""

    JUDGEMENT = "judgement"  # staff / manager judges and involves others
    WARNING = "warning"  # a firm warning
    FINAL_NOTICE = "final_notice"  # the last chance before ending
    END = "end"  # disconnect the call / stop the response / order to leave
    POLICE = "police"  # call the police
    AFTERCARE = "aftercare"  # after the contact: report, decide the next handler


class Step(Strict):
    """One rung of an escalation ladder: what to do and the words to say."""

    id: Identifier
    kind: StepKind
    title: NonEmpty
    do: NonEmpty = Field(description="What the staff member does at this step, from the document.")
    involve: tuple[str, ...] = Field(
        default=(), description="Who to involve (所管課長, 複数名, 警察…)."
    )
    lines: tuple[NonEmpty, ...] = Field(
        default=(),
        description="Sentences to say aloud, verbatim from the document. Empty when it gives none.",
    )
    points: tuple[NonEmpty, ...] = Field(
        default=(),
        description="What to convey, in the document's words but not a script to read verbatim.",
    )
    repeat: str = Field(default="", description="How often to repeat, e.g. 2、3度繰り返す.")
    source: NonEmpty = Field(description="Where in which document this step comes from.")


class Limit(Strict):
    """The time after which the organisational response starts (対応の目安時間)."""

    minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    stated: bool = Field(
        description="True when the document itself sets this limit; false when it is a default."
    )
    note: NonEmpty = Field(description="The document's words, or why a default applies.")
    prewarnings: tuple[Annotated[int, Field(gt=0)], ...] = Field(
        default=(10, 5),
        description="Quiet notices this many minutes before the limit.",
    )

    @model_validator(mode="after")
    def _prewarnings_fit(self) -> Limit:
        if any(p >= self.minutes for p in self.prewarnings):
            raise ValueError(
                f"prewarnings {list(self.prewarnings)} must each be under minutes ({self.minutes})"
            )
        if len(set(self.prewarnings)) != len(self.prewarnings):
            raise ValueError("prewarnings must not repeat")
        return self


class Channel(Strict):
    """The rules for one channel: its limit, its ladder and its immediate path."""

    label: NonEmpty
    limit: Limit
    criteria: tuple[NonEmpty, ...] = Field(
        default=(), description="When to consider escalating (判断基準), from the document."
    )
    before_limit: tuple[NonEmpty, ...] = Field(
        default=(), description="Guidance while the exchange is still constructive (初期対応)."
    )
    ladder: tuple[Step, ...] = Field(min_length=1)
    immediate: tuple[Step, ...] = Field(
        min_length=1, description="Violence or danger: straight to stopping and the police."
    )

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Channel:
        for name, steps in (("ladder", self.ladder), ("immediate", self.immediate)):
            ids = [s.id for s in steps]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"{name} step ids repeat: {', '.join(duplicates)}")
        return self


class Behaviour(Strict):
    """A category of conduct staff may tag during a session (行為類型). Tagging never accuses."""

    id: Identifier
    label: NonEmpty
    examples: tuple[str, ...] = ()
    response: tuple[str, ...] = Field(default=(), description="行為別の対応例, where given.")
    laws: tuple[Identifier, ...] = Field(default=(), description="Ids of `laws` entries.")


class ChecklistItem(Strict):
    """One yes/no item of the harassment checklist, answered with a remark at wrap-up."""

    no: Annotated[int, Field(gt=0)]
    text: NonEmpty
    example: str = ""


AUTO_SHEET_FIELDS = ("datetime", "staff", "method", "timeline")
"""Sheet field ids the app fills in itself: 日時, 対応者, 対応方法, 対応(時系列)."""


class SheetField(Strict):
    """One field of the record sheet (対応記録シート)."""

    no: Annotated[int, Field(gt=0)]
    id: Identifier
    label: NonEmpty
    hint: str = ""


class Contact(Strict):
    """Who to call (相談窓口)."""

    label: NonEmpty
    who: NonEmpty
    number: str = ""


class Law(Strict):
    """A criminal-code article an act may breach: for staff awareness, never an accusation."""

    id: Identifier
    name: NonEmpty
    article: NonEmpty
    example: str = ""
    text: str = ""


class ProfileInfo(Strict):
    """Which document a profile encodes."""

    id: Identifier
    municipality: NonEmpty
    title: NonEmpty
    date: NonEmpty
    source: NonEmpty = Field(description="The document's file name or address.")
    language: str = "ja"
    notes: tuple[str, ...] = Field(
        default=(), description="What this profile borrows or assumes where the document is silent."
    )


class OtherMethod(Strict):
    """A sub-method of the `other` channel shown on the sheet (メール, SNS, 外で対応)."""

    id: Identifier
    label: NonEmpty


class Policy(Strict):
    """One municipality's rules as data: limits, ladders, lines, behaviours, checklist, contacts."""

    profile: ProfileInfo
    recording_notice: tuple[str, ...] = Field(
        default=(), description="A line to tell the caller the call is recorded (録音告知)."
    )
    channels: dict[ChannelId, Channel]
    other_methods: tuple[OtherMethod, ...] = ()
    behaviours: tuple[Behaviour, ...] = Field(min_length=1)
    checklist: tuple[ChecklistItem, ...] = ()
    checklist_source: str = ""
    sheet_fields: tuple[SheetField, ...] = Field(min_length=1)
    sheet_source: str = ""
    contacts: tuple[Contact, ...] = ()
    laws: tuple[Law, ...] = ()
    cautions: tuple[str, ...] = Field(
        default=(), description="Reminders shown to staff: a complaint is not harassment, etc."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        missing = [c.value for c in ChannelId if c not in self.channels]
        if missing:
            raise ValueError(f"channels must define {', '.join(missing)}")
        field_ids = {f.id for f in self.sheet_fields}
        absent = [f for f in AUTO_SHEET_FIELDS if f not in field_ids]
        if absent:
            raise ValueError(f"sheet_fields lacks app-filled fields: {', '.join(absent)}")
        law_ids = {law.id for law in self.laws}
        for b in self.behaviours:
            unknown = [law for law in b.laws if law not in law_ids]
            if unknown:
                raise ValueError(f"behaviour {b.id!r} names unknown laws: {', '.join(unknown)}")
        for name, ids in (
            ("behaviour", [b.id for b in self.behaviours]),
            ("sheet field", [f.id for f in self.sheet_fields]),
            ("checklist no", [str(c.no) for c in self.checklist]),
        ):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{name} ids repeat: {', '.join(repeated)}")
        return self

    @property
    def id(self) -> str:
        """The profile's id (``nanyo``)."""
        return self.profile.id

    def channel(self, channel: ChannelId) -> Channel:
        """The rules for `channel`."""
        return self.channels[channel]

    def behaviour(self, behaviour_id: str) -> Behaviour | None:
        """The behaviour with this id, or None if the profile has none such."""
        return next((b for b in self.behaviours if b.id == behaviour_id), None)
