"""A municipality's customer-harassment policy as typed data.

Profiles are TOML files validated into these models. Every model forbids unknown keys, so a typo
in an office's own profile is reported instead of silently ignored. Pure data: no I/O here.

Cross-field checks raise `ProfileValueError`, which carries the path of the offending field so the
loader can name it (and find its line) instead of blaming the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
"""A short ASCII id used in events and keys (``warning``, ``final_notice``)."""

NonEmpty = Annotated[str, Field(min_length=1)]

Loc = tuple[str | int, ...]


class ProfileValueError(ValueError):
    """A cross-field inconsistency, with the path (relative to the model raising it) to blame."""

    def __init__(self, message: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.loc = loc


class Strict(BaseModel):
    """Base for every profile model: immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    """Where a quotation stands in its document: the written form of a `Quote` in TOML."""

    text: NonEmpty = Field(
        description="The document's words, character for character (only the whitespace that "
        "text extraction added or removed may differ)."
    )
    line: Annotated[StrictInt, Field(gt=0)] | None = Field(
        default=None,
        description="The line of the document file where the quoted span starts (1-based).",
    )
    doc: str = Field(
        default="",
        description="The document's short name (a key of profile.documents) when it is not the "
        "one the surrounding entry's source names (or the profile's own document).",
    )
    section: str = Field(
        default="",
        description="The section, as the document numbers it (§6(1)④, 第3 2…); shown after "
        "the quotation, outside its quotation marks.",
    )
    note: str = Field(
        default="",
        description="The app's remark on the quotation (e.g. 「原文ママ」 for a misprint kept as "
        "printed); shown outside the quotation marks, never inside.",
    )


class Quote(str):
    """A string in a document's own words that knows where it stands (document, line, section).

    A plain TOML string is a quotation without a citation (an office's own profile may write
    those); `{ text = "…", line = 182, section = "§6(1)③" }` cites its place, which the tests
    check against the shipped documents. It is a `str`, so code that only shows the words is
    unchanged.
    """

    line: int | None
    doc: str
    section: str
    note: str

    def __new__(
        cls, text: str, line: int | None = None, doc: str = "", section: str = "", note: str = ""
    ) -> Quote:
        quote = super().__new__(cls, text)
        quote.line, quote.doc, quote.section, quote.note = line, doc, section, note
        return quote

    @property
    def text(self) -> str:
        """The quoted words alone."""
        return str.__str__(self)

    @property
    def cited(self) -> bool:
        """True when the quotation says at which line of its document it stands."""
        return self.line is not None

    @property
    def remark(self) -> str:
        """What is shown after the quotation: its section and the app's note, in （）."""
        parts = [part for part in (self.section, self.note) if part]
        return f"（{'・'.join(parts)}）" if parts else ""

    @classmethod
    def _from_citation(cls, value: Citation) -> Quote:
        return cls(value.text, value.line, value.doc, value.section, value.note)

    @staticmethod
    def _as_table(value: object) -> object:
        return {"text": value} if isinstance(value, str) else value

    def _dump(self) -> dict[str, object] | str:
        if not (self.line or self.doc or self.section or self.note):
            return self.text
        table: dict[str, object] = {"text": self.text}
        for key in ("line", "doc", "section", "note"):
            if getattr(self, key):
                table[key] = getattr(self, key)
        return table

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        table = handler.generate_schema(Citation)
        return core_schema.no_info_before_validator_function(
            cls._as_table,
            core_schema.no_info_after_validator_function(cls._from_citation, table),
            serialization=core_schema.plain_serializer_function_ser_schema(cls._dump),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        table = handler(schema)
        return {
            "anyOf": [
                {"type": "string", "minLength": 1, "description": "The document's words."},
                table,
            ]
        }


def wareki_year(year: int, month: int, day: int) -> str:
    """The Japanese era year of a date (令和8年, 令和元年), or the Western year before 令和."""
    if (year, month, day) < (2019, 5, 1):
        return f"{year}年"
    reiwa = year - 2018
    return "令和元年" if reiwa == 1 else f"令和{reiwa}年"


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

    id: Identifier = Field(description="Unique within its path; journaled when the step is taken.")
    kind: StepKind = Field(description="What the step does, for icons and colours.")
    title: NonEmpty = Field(description="The step's heading, in the document's words.")
    do: NonEmpty = Field(description="What the staff member does at this step, from the document.")
    involve: tuple[str, ...] = Field(
        default=(), description="Who to involve (所管課長, 複数名, 警察…)."
    )
    lines: tuple[Quote, ...] = Field(
        default=(),
        description="Sentences to say aloud, verbatim from the document. Empty when it gives none.",
    )
    lines_source: str = Field(
        default="",
        description="Where `lines` come from when not from `source`, e.g. borrowed from another "
        "municipality's document because this one gives no script.",
    )
    points: tuple[Quote, ...] = Field(
        default=(),
        description="What to convey, in the document's words but not a script to read verbatim.",
    )
    repeat: str = Field(default="", description="How often to repeat, e.g. 2、3度繰り返す.")
    source: NonEmpty = Field(description="Where in which document this step comes from.")
    note: str = Field(
        default="",
        description="The profile's own remark on the step, shown quietly on the card: how it was "
        "assembled where the document has no such step. Never the document's words.",
    )
    ends_contact: StrictBool = Field(
        default=False,
        description="True when taking this step ends the contact itself (the call is cut: 切電; "
        "the visitor leaves): the contact's time stops there, no pre-warning or overtime follows, "
        "the desk shows the after-care and the recording stops (unless the office keeps it on). "
        "Set it only where the document says the call is ended or the visitor leaves.",
    )
    see: tuple[NonEmpty, ...] = Field(
        default=(),
        description="Titles of `guidance` parts that go with this step (the acts of "
        "庁舎管理規則第8条 with an order to leave): the card names them and `g` opens there.",
    )

    @property
    def lines_from(self) -> str:
        """Where the lines to say come from: `lines_source`, else the step's own `source`."""
        return self.lines_source or self.source

    @model_validator(mode="after")
    def _lines_source_needs_lines(self) -> Step:
        if self.lines_source and not self.lines:
            raise ProfileValueError("lines_source is set but the step has no lines", ("lines",))
        return self


class Limit(Strict):
    """The time after which the organisational response starts (対応の目安時間)."""

    minutes: Annotated[StrictInt, Field(gt=0, le=24 * 60)] = Field(
        description="Minutes from the start of the contact to the limit."
    )
    stated: StrictBool = Field(
        description="True when the document itself sets this limit; false when it is a default."
    )
    note: NonEmpty = Field(description="The document's words, or why a default applies.")
    prewarnings: tuple[Annotated[StrictInt, Field(gt=0)], ...] = Field(
        default=(10, 5),
        description="Quiet notices this many minutes before the limit.",
    )
    quoted: tuple[Quote, ...] = Field(
        default=(),
        description="The document's own words about the time (§5's condition…). When `stated`, "
        "one of them gives `minutes` (30分, 1時間).",
    )
    condition: str = Field(
        default="",
        description="The condition under which the time counts, in the document's words "
        "(建設的な会話ができない状態で); shown with the clock so it never reads as a verdict.",
    )

    @model_validator(mode="after")
    def _prewarnings_fit(self) -> Limit:
        if any(p >= self.minutes for p in self.prewarnings):
            raise ProfileValueError(
                f"each pre-warning must be less than minutes ({self.minutes}), "
                f"got {list(self.prewarnings)}",
                ("prewarnings",),
            )
        if len(set(self.prewarnings)) != len(self.prewarnings):
            raise ProfileValueError("prewarnings must not repeat", ("prewarnings",))
        return self


UNSTATED_WORDS = ("定めなし", "no limit")
"""A default limit's note must say plainly that the document sets none (one of these words)."""


class Channel(Strict):
    """The rules for one channel: its limit, its ladder and its immediate path."""

    label: NonEmpty = Field(description="The channel's name as staff know it (電話, 対面…).")
    limit: Limit
    criteria: tuple[Quote, ...] = Field(
        default=(), description="When to consider escalating (判断基準), from the document."
    )
    before_limit: tuple[Quote, ...] = Field(
        default=(), description="Guidance while the exchange is still constructive (初期対応)."
    )
    ladder: tuple[Step, ...] = Field(
        min_length=1, description="The ordered steps, taken one by one if nothing improves."
    )
    immediate: tuple[Step, ...] = Field(
        min_length=1, description="Violence or danger: straight to stopping and the police."
    )

    @model_validator(mode="after")
    def _documented_rules(self) -> Channel:
        if not self.limit.stated and not any(w in self.limit.note for w in UNSTATED_WORDS):
            raise ProfileValueError(
                "stated = false: the note must say plainly that the document sets no limit "
                "(「文書に時間の定めなし。既定値30分（アプリの既定）。」 or 'no limit')",
                ("limit", "note"),
            )
        for name, steps in (("ladder", self.ladder), ("immediate", self.immediate)):
            for index, step in enumerate(steps):
                if step.ends_contact and step.kind is StepKind.AFTERCARE:
                    raise ProfileValueError(
                        f"the after-care step {step.id!r} comes after the contact; it cannot "
                        "end it (ends_contact belongs on the step that cuts the call)",
                        (name, index, "ends_contact"),
                    )
            for index, step in enumerate(steps[:-1]):
                if step.kind is StepKind.AFTERCARE:
                    raise ProfileValueError(
                        f"the after-care step {step.id!r} must be the last step of {name}, so it "
                        "is proposed after the contact has ended",
                        (name, index, "kind"),
                    )
        return self

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Channel:
        for name, steps in (("ladder", self.ladder), ("immediate", self.immediate)):
            ids = [s.id for s in steps]
            for index, step_id in enumerate(ids):
                if step_id in ids[:index]:
                    raise ProfileValueError(
                        f"step id {step_id!r} is used twice in {name}", (name, index, "id")
                    )
        return self


class Behaviour(Strict):
    """A category of conduct staff may tag during a session (行為類型). Tagging never accuses."""

    id: Identifier = Field(description="Journaled when the staff member tags the behaviour.")
    label: NonEmpty = Field(description="The category's name, in the document's words.")
    short: str = Field(
        default="", description="A shorter name for narrow tag lists; `label` when empty."
    )
    group: str = Field(
        default="", description="The document's grouping of categories, where it has one."
    )
    examples: tuple[Quote, ...] = Field(default=(), description="The document's examples.")
    note: str = Field(default="", description="A remark the document attaches to the category.")
    response: tuple[Quote, ...] = Field(default=(), description="行為別の対応例, where given.")
    lines: tuple[Quote, ...] = Field(
        default=(), description="Example sentences for this behaviour, verbatim from the document."
    )
    laws: tuple[Identifier, ...] = Field(default=(), description="Ids of `laws` entries.")
    source: str = Field(default="", description="Where in which document this comes from.")

    @property
    def tag(self) -> str:
        """The name to show on a tag: `short` if given, else `label`."""
        return self.short or self.label


class ChecklistItem(Strict):
    """One yes/no item of the harassment checklist, answered with a remark at wrap-up."""

    no: Annotated[StrictInt, Field(gt=0)] = Field(description="The item's number on the checklist.")
    text: NonEmpty = Field(description="The question, verbatim.")
    example: str = Field(default="", description="The item's 例, verbatim, without '例：'.")


AUTO_SHEET_FIELDS = ("datetime", "staff", "method", "timeline")
"""Sheet field ids the app fills in itself: 日時, 対応者, 対応方法, 対応(時系列)."""


class SheetField(Strict):
    """One field of the record sheet (対応記録シート)."""

    no: Annotated[StrictInt, Field(gt=0)] = Field(description="The field's number on the sheet.")
    id: Identifier = Field(description=f"Stable id; the app fills {', '.join(AUTO_SHEET_FIELDS)}.")
    label: NonEmpty = Field(description="The field's caption on the sheet.")
    hint: str = Field(default="", description="Extra text printed with the field (choices…).")


class Contact(Strict):
    """Who to call (相談窓口)."""

    label: NonEmpty = Field(description="What the contact is for (総合的な相談窓口…).")
    who: NonEmpty = Field(description="The section or office.")
    number: str = Field(default="", description="Extension or phone number, as written.")
    line: Annotated[StrictInt, Field(gt=0)] | None = Field(
        default=None,
        description="The line of the profile's document where this contact is listed; its "
        "label, who and number are checked there.",
    )
    role: Literal["consult", "police", "lawyer", "care", "records", "other"] = Field(
        default="other",
        description="What the app uses the contact for: `police` is shown on the immediate path.",
    )


class Law(Strict):
    """A criminal-code article an act may breach (for awareness; never shown as an accusation)."""

    id: Identifier = Field(description="Referred to by `behaviours.laws`.")
    name: NonEmpty = Field(description="The offence (暴行罪…).")
    article: NonEmpty = Field(description="The article (刑法第208条).")
    example: str = Field(default="", description="The document's example of such an act.")
    text: str = Field(default="", description="The article's text as the document quotes it.")


class ProfileInfo(Strict):
    """Which document a profile encodes."""

    id: Identifier = Field(description="The profile's id, recorded with every session.")
    municipality: NonEmpty = Field(description="Whose document it is (南陽市).")
    title: NonEmpty = Field(description="The document's title.")
    date: NonEmpty = Field(description="The document's date, as written.")
    source: NonEmpty = Field(description="The document's file name or address.")
    language: str = Field(default="ja", description="Language of the lines to say.")
    calendar: Literal["wareki", "seireki"] = Field(
        default="wareki",
        description="How the record sheet writes dates: `wareki` (令和8年4月1日, the default for "
        "municipal records) or `seireki` (2026年4月1日).",
    )
    documents: dict[NonEmpty, NonEmpty] = Field(
        default_factory=dict,
        description="Short names used at the start of `source` fields → the document's file or "
        "address. When given, every source must start with one of these names.",
    )
    notes: tuple[str, ...] = Field(
        default=(), description="What this profile borrows or assumes where the document is silent."
    )


class GuidanceSection(Strict):
    """A part of the document staff may want at hand mid-session (初期対応, 庁舎管理規則…)."""

    title: NonEmpty = Field(description="The part's heading, in the document's words.")
    section: str = Field(default="", description="Where it stands (§6(1), §7(2)※).")
    items: tuple[Quote, ...] = Field(
        min_length=1, description="The part's bullets, verbatim and cited, in order."
    )


class OtherMethod(Strict):
    """A sub-method of the `other` channel shown on the sheet (メール, SNS, 外で対応)."""

    id: Identifier = Field(description="Short ASCII id (mail, sns, outside).")
    label: NonEmpty = Field(description="The method as the record sheet prints it (メール…).")


class Teamwork(Strict):
    """What the document says about responding together (複数名対応), shown at the desk."""

    rejoin_reminder: tuple[Quote, ...] = Field(
        default=(),
        description="The document's words shown when someone joins or takes over "
        "(南陽市 §6(2)⑤ 相手に再度説明させない), verbatim.",
    )
    rejoin_source: str = Field(default="", description="Where `rejoin_reminder` is written.")
    second_responder: tuple[ChannelId, ...] = Field(
        default=(),
        description="Channels on which the document asks for two staff from the start.",
    )
    second_responder_source: str = Field(
        default="", description="Where the document asks for it (坂出市 4(2))."
    )


class Policy(Strict):
    """One municipality's rules as data: limits, ladders, lines, behaviours, checklist, contacts."""

    profile: ProfileInfo
    definition: str = Field(
        default="", description="The document's definition of customer harassment."
    )
    recording_notice: tuple[Quote, ...] = Field(
        default=(), description="A line to tell the caller the call is recorded (録音告知)."
    )
    channels: dict[ChannelId, Channel] = Field(
        description="phone, counter and other, all three.",
        json_schema_extra={"required": [c.value for c in ChannelId]},
    )
    other_methods: tuple[OtherMethod, ...] = ()
    behaviours: tuple[Behaviour, ...] = Field(min_length=1)
    checklist: tuple[ChecklistItem, ...] = ()
    checklist_source: str = ""
    sheet_fields: tuple[SheetField, ...] = Field(min_length=1)
    sheet_source: str = ""
    sheet_notes: tuple[Quote, ...] = Field(
        default=(), description="Notes printed under the record sheet (※…)."
    )
    contacts: tuple[Contact, ...] = Field(
        default=(), description="Who to call or consult (相談窓口), as the document lists them."
    )
    teamwork: Teamwork = Field(
        default_factory=Teamwork, description="Responding together: reminders, second responder."
    )
    laws: tuple[Law, ...] = Field(
        default=(),
        description="Criminal-code articles the document cites; for review only, never shown "
        "on the desk.",
    )
    guidance: tuple[GuidanceSection, ...] = Field(
        default=(),
        description="The rest of the document's guidance, reachable from the session screen "
        "(`g`): initial response, the acts a leave order cites…",
    )
    cautions: tuple[Quote, ...] = Field(
        default=(), description="Reminders shown to staff: a complaint is not harassment, etc."
    )

    @field_validator("channels")
    @classmethod
    def _all_channels(cls, channels: dict[ChannelId, Channel]) -> dict[ChannelId, Channel]:
        missing = [c.value for c in ChannelId if c not in channels]
        if missing:
            raise ValueError(
                f"missing channel {', '.join(missing)} (phone, counter and other are all required)"
            )
        return channels

    @field_validator("sheet_fields")
    @classmethod
    def _auto_fields(cls, fields: tuple[SheetField, ...]) -> tuple[SheetField, ...]:
        absent = [f for f in AUTO_SHEET_FIELDS if f not in {field.id for field in fields}]
        if absent:
            raise ValueError(
                f"sheet_fields must include the fields the app fills: {', '.join(absent)}"
            )
        return fields

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        law_ids = {law.id for law in self.laws}
        for index, behaviour in enumerate(self.behaviours):
            for law_index, law in enumerate(behaviour.laws):
                if law not in law_ids:
                    raise ProfileValueError(
                        f"{law!r} is not the id of an entry in laws",
                        ("behaviours", index, "laws", law_index),
                    )
        for name, key, items in (
            ("behaviours", "id", [b.id for b in self.behaviours]),
            ("sheet_fields", "id", [f.id for f in self.sheet_fields]),
            ("sheet_fields", "no", [f.no for f in self.sheet_fields]),
            ("checklist", "no", [c.no for c in self.checklist]),
            ("laws", "id", [law.id for law in self.laws]),
        ):
            for index, item in enumerate(items):
                if item in items[:index]:
                    raise ProfileValueError(f"{key} {item!r} is used twice", (name, index, key))
        titles = {part.title for part in self.guidance}
        for channel_id, channel in self.channels.items():
            for path in ("ladder", "immediate"):
                for index, step in enumerate(getattr(channel, path)):
                    for see_index, title in enumerate(step.see):
                        if title not in titles:
                            raise ProfileValueError(
                                f"{title!r} is not the title of a guidance part",
                                ("channels", channel_id.value, path, index, "see", see_index),
                            )
        names = tuple(self.profile.documents)
        if names:
            for loc, source in self._sources():
                if source and not source.startswith(names):
                    raise ProfileValueError(
                        f"source must start with a document named in profile.documents "
                        f"({', '.join(names)})",
                        loc,
                    )
        return self

    def _sources(self) -> Iterator[tuple[Loc, str]]:
        """Every source field with its path, for the provenance check."""
        for channel_id, channel in self.channels.items():
            for path in ("ladder", "immediate"):
                for index, step in enumerate(getattr(channel, path)):
                    base: Loc = ("channels", channel_id.value, path, index)
                    yield (*base, "source"), step.source
                    yield (*base, "lines_source"), step.lines_source
        for index, behaviour in enumerate(self.behaviours):
            yield ("behaviours", index, "source"), behaviour.source
        yield ("teamwork", "rejoin_source"), self.teamwork.rejoin_source
        yield ("teamwork", "second_responder_source"), self.teamwork.second_responder_source
        yield ("checklist_source",), self.checklist_source
        yield ("sheet_source",), self.sheet_source

    @property
    def id(self) -> str:
        """The profile's id (``nanyo``)."""
        return self.profile.id

    @property
    def own_document(self) -> str:
        """The short name of the profile's own document (its `profile.source`), or ""."""
        return next(
            (name for name, file in self.profile.documents.items() if file == self.profile.source),
            "",
        )

    def document_name(self, source: str) -> str:
        """The short name a `source` starts with ("" when none of profile.documents)."""
        return next((name for name in self.profile.documents if source.startswith(name)), "")

    def borrowed_from(self, source: str) -> str:
        """The other document a `source` names, or "" when it is the profile's own."""
        name = self.document_name(source)
        return name if name and name != self.own_document else ""

    def consult_contacts(self) -> tuple[Contact, ...]:
        """Who to consult after a session (the sheet goes to them): `consult` role first."""
        order = {"consult": 0, "records": 1, "lawyer": 2, "care": 3, "other": 4, "police": 5}
        return tuple(sorted(self.contacts, key=lambda c: order[c.role]))

    def channel(self, channel: ChannelId) -> Channel:
        """The rules for `channel`."""
        return self.channels[channel]

    def behaviour(self, behaviour_id: str) -> Behaviour | None:
        """The behaviour with this id, or None if the profile has none such."""
        return next((b for b in self.behaviours if b.id == behaviour_id), None)
