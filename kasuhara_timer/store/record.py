"""record.json: a session summed up for the review, exports and the printed sheet.

Built by a pure function from the journal's events and the policy, so it can be rebuilt from the
journal at any time (after a crash, or to check it). The sheet (sheet.html) is rendered from the
record alone, so the record carries every label the sheet prints. Schema: docs/storage.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    field_serializer,
)

from kasuhara_timer import __version__
from kasuhara_timer.policy.models import ChannelId, Policy, wareki_year
from kasuhara_timer.session.events import (
    BehaviourTagged,
    Event,
    Resumed,
    Route,
    SheetSaved,
    Staff,
    Started,
    event_to_dict,
)
from kasuhara_timer.session.state import NotStartedError, SessionState
from kasuhara_timer.session.team import Joining, responders, staff_words
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem, store_error
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import JOURNAL_FILE, JournalProblem, read_journal
from kasuhara_timer.store.timeline import (
    CHANNEL_WORDS,
    clock_words,
    duration_words,
    elapsed_words,
    recording_gaps,
    recording_summary_words,
    tag_labels,
    timeline_texts,
    withdrawals,
)
from kasuhara_timer.store.vault import read_plain

RECORD_SCHEMA: Final = "kasuhara-timer/record"
RECORD_VERSION: Final = 1
SHEET_TITLE = "カスタマーハラスメント対応記録シート"
CHECKLIST_TITLE = "カスタマーハラスメントチェックリスト"

_WEEKDAYS = "月火水木金土日"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordProfile(_Model):
    """The policy profile the session ran under."""

    id: str
    source: str = Field(description="File the profile was read from ('' for a bundled one).")
    municipality: str
    title: str
    date: str


class RecordLimit(_Model):
    """The channel's limit (対応の目安時間) in force."""

    minutes: int
    stated: bool = Field(description="True when the document sets it; false for a default.")
    note: str


class StepReached(_Model):
    """A step of a ladder, where it stands on that ladder."""

    id: str
    title: str
    path: Route
    index: int | None = Field(description="1-based place on its path; None: not in the profile.")
    of: int = Field(description="Number of steps on that path.")
    t: float = Field(description="Session-clock seconds when it was taken.")


class RecordSession(_Model):
    """Who, when, how long, how far: what the review lists and filters on."""

    folder: str
    channel: ChannelId
    method: str = Field(description="Sub-method of `other` (an other_methods id), else ''.")
    profile: RecordProfile
    drill: bool
    speed: float
    staff: Staff
    desk: str
    caller: str
    app_version: str
    started_at: AwareDatetime
    ended_at: AwareDatetime | None
    duration_seconds: float = Field(description="On the session clock (monotonic, drill speed).")
    contact_seconds: float | None = Field(
        default=None,
        description="The contact itself, to 切電 or the visitor's leaving (the whole duration "
        "when it never ended apart); None in records written before this was kept.",
    )
    contact_ended_at: AwareDatetime | None = Field(
        default=None, description="When the contact itself ended; None: with the session."
    )
    aftercare_seconds: float = Field(
        default=0, description="From the contact's end to the session's end (事後の対応)."
    )
    limit: RecordLimit
    limit_reached: bool
    limit_reached_t: float | None
    prewarnings_shown: tuple[int, ...]
    steps_taken: int
    furthest_step: StepReached | None
    immediate: bool = Field(description="True when the immediate path (violence, danger) was used.")
    end_reason: Literal["staff", "interrupted"] | None = Field(description="None: never ended.")
    interrupted: bool = Field(description="True unless the staff member ended it.")
    resumptions: int = Field(description="Times the app restarted and the session continued.")
    gap_seconds: float = Field(description="Time without the app, summed over resumptions.")
    responders: tuple[RecordResponder, ...] = Field(
        default=(), description="Everyone on the session in the order they came (複数名対応)."
    )
    help_requests: tuple[AwareDatetime, ...] = Field(
        default=(), description="When help was asked for (応援要請), each press."
    )


class RecordResponder(_Model):
    """One person on the session (対応者), from when and how they came."""

    staff: Staff
    joining: Literal["first", "joined", "took_over", "manager"]
    role: str
    t: float = Field(description="Session-clock seconds when they came.")
    at: AwareDatetime
    lead: bool = Field(description="True for the one answering at the end.")


class SheetFieldValue(_Model):
    """One of the record sheet's numbered fields, as printed."""

    no: int
    id: str
    label: str
    hint: str
    value: str
    auto: bool = Field(description="True when the app wrote the value (not the staff member).")


class MethodOption(_Model):
    """One choice of 対応方法 (来庁・電話・メール・SNS・外で対応), marked when it applies."""

    id: str
    label: str
    selected: bool


class TimelineRow(_Model):
    """One line of 対応（時系列）."""

    at: AwareDatetime
    t: float
    clock: str = Field(description="Wall time as printed: HH:MM:SS (M/D HH:MM:SS on a later day).")
    elapsed: str = Field(description="Session-clock time as printed: H:MM:SS.")
    kind: str
    text: str
    audio_offset: float | None = Field(description="Seconds into the whole recording, if any.")
    withdrawn_at: AwareDatetime | None = Field(
        default=None, description="When this entry was withdrawn (struck through); None: stands."
    )
    withdrawn_clock: str = Field(default="", description="That time as printed: HH:MM:SS.")


class ChecklistRow(_Model):
    """A checklist item with its answer."""

    no: int
    text: str
    example: str
    checked: bool
    remark: str


class RecordSheet(_Model):
    """The 対応記録シート and its checklist, ready to print."""

    title: str
    saved_at: AwareDatetime | None = Field(description="When the staff member saved; None: never.")
    fields: tuple[SheetFieldValue, ...]
    method_options: tuple[MethodOption, ...]
    timeline: tuple[TimelineRow, ...]
    checklist_title: str
    checklist: tuple[ChecklistRow, ...]
    checklist_source: str
    sheet_source: str
    notes: tuple[str, ...] = Field(
        default=(), description="The document's notes printed under the sheet (※…), verbatim."
    )
    finished_later: bool = Field(
        default=False,
        description="Finished from its draft at a later start of the desk (the app had closed "
        "on the unsaved sheet); `saved_at` says when.",
    )
    completion: str = Field(
        default="",
        description="What the sheet prints about its own completion: unfinished, or finished "
        "later and when; blank for a sheet saved at the end of its contact.",
    )


class RecordTag(_Model):
    """A behaviour tagged and not taken back."""

    behaviour: str
    label: str
    t: float = Field(description="Session-clock seconds when last tagged.")


class RecordNote(_Model):
    """A note as entered."""

    t: float
    at: AwareDatetime
    text: str


class RecordJournalProblem(_Model):
    """A problem found in the journal when the record was built."""

    line: int
    kind: str
    message: str


class RecordJournal(_Model):
    """Which journal the record was built from; `final_hash` covers its last line."""

    file: str = JOURNAL_FILE
    entries: int
    final_hash: str
    problems: tuple[RecordJournalProblem, ...] = ()


class Record(_Model):
    """The whole of record.json."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: Literal["kasuhara-timer/record"] = Field(default=RECORD_SCHEMA, alias="schema")
    version: Literal[1] = RECORD_VERSION
    written_by: str
    session: RecordSession
    sheet: RecordSheet
    tags: tuple[RecordTag, ...]
    notes: tuple[RecordNote, ...]
    events: tuple[Event, ...] = Field(description="Every journaled event, as in the journal.")
    audio: dict[str, JsonValue] | None = Field(
        default=None, description="Owned by the recorder: files, durations, SHA-256 (see docs)."
    )
    journal: RecordJournal

    @field_serializer("events")
    def _events_as_journaled(self, events: tuple[Event, ...]) -> list[dict[str, object]]:
        return [event_to_dict(event) for event in events]

    def to_json_bytes(self) -> bytes:
        """The file's bytes: UTF-8, indented, keys in schema order."""
        data = self.model_dump(mode="json", by_alias=True)
        try:
            return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in a note: JSON escapes keep it
            return (json.dumps(data, ensure_ascii=True, indent=2) + "\n").encode("ascii")


def build_record(
    events: Sequence[Event],
    policy: Policy,
    folder_name: str,
    *,
    journal_hash: str,
    journal_problems: Sequence[JournalProblem] = (),
    audio: Mapping[str, JsonValue] | None = None,
    written_by: str = f"kasuhara-timer {__version__}",
) -> Record:
    """The record of a session from its events (the first must be `Started`). Pure."""
    state = SessionState.from_events(events)
    started = state.started
    sheet = state.sheet
    channel_rules = policy.channel(started.channel)
    staff = _staff(started, sheet)
    method = sheet.method if sheet is not None else ""
    ended = state.ended
    resumptions = [e for e in events if isinstance(e, Resumed)]
    session = RecordSession(
        folder=folder_name,
        channel=started.channel,
        method=method,
        profile=RecordProfile(
            id=started.profile,
            source=started.profile_source,
            municipality=policy.profile.municipality,
            title=policy.profile.title,
            date=policy.profile.date,
        ),
        drill=started.drill,
        speed=started.speed,
        staff=staff,
        desk=started.desk,
        caller=started.caller,
        app_version=started.app_version,
        started_at=started.at,
        ended_at=ended.at if ended is not None else None,
        duration_seconds=state.duration,
        contact_seconds=state.contact_duration,
        contact_ended_at=state.contact_ended.at if state.contact_ended is not None else None,
        aftercare_seconds=state.aftercare_duration,
        limit=RecordLimit(
            minutes=started.limit_minutes,
            stated=channel_rules.limit.stated,
            note=channel_rules.limit.note,
        ),
        limit_reached=state.limit_reached_at is not None,
        limit_reached_t=state.limit_reached_at,
        prewarnings_shown=tuple(sorted(state.prewarnings_shown, reverse=True)),
        steps_taken=len(state.taken),
        furthest_step=_furthest_step(state, policy),
        immediate=state.immediate_at is not None or bool(state.taken_on(Route.IMMEDIATE)),
        end_reason=ended.reason if ended is not None else None,
        interrupted=ended is None or ended.reason != "staff",
        resumptions=len(resumptions),
        gap_seconds=sum(e.gap_seconds for e in resumptions),
        responders=_responders(state, staff),
        help_requests=tuple(h.at for h in state.help),
    )
    labels = tag_labels(events)
    options = _method_options(policy, started.channel, method)
    return Record(
        written_by=written_by,
        session=session,
        sheet=RecordSheet(
            title=SHEET_TITLE,
            saved_at=sheet.at if sheet is not None else None,
            fields=_sheet_fields(policy, state, staff, options),
            method_options=options,
            timeline=_timeline(events, started.at),
            checklist_title=CHECKLIST_TITLE,
            checklist=_checklist(policy, sheet),
            checklist_source=policy.checklist_source,
            sheet_source=policy.sheet_source,
            notes=tuple(f"{n}{n.remark}" for n in policy.sheet_notes),
            finished_later=sheet is not None and state.sheet_resumed is not None,
            completion=_completion_words(state, policy.profile.calendar),
        ),
        tags=tuple(
            RecordTag(behaviour=b, label=labels.get(b, b), t=_last_tagged(events, b))
            for b in state.tags
        ),
        notes=tuple(RecordNote(t=n.t, at=n.at, text=n.text) for n in state.notes),
        events=tuple(events),
        audio=dict(audio) if audio is not None else _with_gaps(_audio_section(state), events),
        journal=RecordJournal(
            entries=len(events),
            final_hash=journal_hash,
            problems=tuple(
                RecordJournalProblem(line=p.line, kind=p.kind.value, message=p.message)
                for p in journal_problems
            ),
        ),
    )


def _audio_section(state: SessionState) -> dict[str, JsonValue] | None:
    """The journaled archive result, without the event's own stamp."""
    if state.audio is None:
        return None
    return state.audio.model_dump(mode="json", exclude={"t", "at", "audio", "kind"})


def _with_gaps(
    section: dict[str, JsonValue] | None, events: Sequence[Event]
) -> dict[str, JsonValue] | None:
    """The audio section with its figures from the journal's gaps (`recording_gaps`, every run
    of the app), the very gaps the timeline shows: a recorder only knows its own run's faults,
    and a deliberate pause is no loss."""
    if section is None:
        return None
    gaps = recording_gaps(events)
    seconds = section.get("seconds")
    recorded = float(seconds) if isinstance(seconds, int | float) else 0.0
    return {
        **section,
        "faults": gaps.faults,
        "gap_seconds": round(gaps.lost_seconds, 3),
        "app_gap_seconds": round(gaps.app_seconds, 3),
        "paused_seconds": round(gaps.paused_seconds, 3),
        "gaps": [
            {"seq": gap.seq, "kind": gap.kind, "seconds": round(gap.seconds, 3)}
            for gap in gaps.gaps
        ],
        "summary": recording_summary_words(recorded, gaps),
    }


def record_from_journal(
    folder: SessionFolder, policy: Policy, *, audio: Mapping[str, JsonValue] | None = None
) -> Record:
    """Read the folder's journal and build its record (no writing)."""
    result = read_journal(folder.journal)
    try:
        return build_record(
            result.events,
            policy,
            folder.name,
            journal_hash=result.final_hash,
            journal_problems=result.problems,
            audio=audio,
        )
    except NotStartedError as error:
        problem = "the journal does not begin with a 'started' event"
        raise StoreError(problem, folder.journal, StoreProblem.MALFORMED) from error


def write_record(folder: SessionFolder, record: Record) -> Path:
    """Write record.json atomically (0600); returns its path."""
    write_atomic(folder.record, record.to_json_bytes())
    return folder.record


def read_record(path: Path) -> Record:
    """Read and validate a record.json (decrypted in memory when encrypted, see `vault`);
    `StoreError` names the file and what is wrong."""
    try:
        data: Any = json.loads(read_plain(path).decode("utf-8"))
    except OSError as error:
        raise store_error(error, path, "read the record") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(f"not valid JSON ({error})", path, StoreProblem.MALFORMED) from error
    if not isinstance(data, dict) or data.get("schema") != RECORD_SCHEMA:
        raise StoreError(f"not a {RECORD_SCHEMA} file", path, StoreProblem.MALFORMED)
    version = data.get("version")
    if isinstance(version, int) and version > RECORD_VERSION:
        raise StoreError(
            f"written by a newer version of kasuhara-timer (record version {version}, "
            f"this version reads {RECORD_VERSION})",
            path,
            StoreProblem.NEWER_VERSION,
        )
    try:
        return Record.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise StoreError(f"{where}: {first['msg']}", path, StoreProblem.MALFORMED) from error


def find_unrecorded(data_dir: Path, host: str | None = None) -> list[SessionFolder]:
    """Ended sessions whose record.json is missing, unreadable or older than the journal.

    This happens when the app died after the end but before saving finished; the record and
    sheet can be written again from the journal. `host` limits it to one desk's folders.
    """
    wanted = sanitize_host(host) if host is not None else None
    found = []
    for folder in list_session_folders(data_dir):
        if wanted is not None and folder.host != wanted:
            continue
        try:
            journal = read_journal(folder.journal)
        except StoreError:
            continue
        if not any(e.kind == "ended" for e in journal.events):
            continue
        try:
            recorded = read_record(folder.record).journal.final_hash
        except StoreError:
            recorded = None
        if recorded != journal.final_hash:
            found.append(folder)
    return found


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of record.json (for docs and for other tools)."""
    return Record.model_json_schema(by_alias=True)


def _staff(started: Started, sheet: SheetSaved | None) -> Staff:
    """Who answered: the wrap-up's answer, part by part, else what was known at the start."""
    if sheet is None:
        return started.staff
    return Staff(
        name=sheet.staff.name or started.staff.name,
        section=sheet.staff.section or started.staff.section,
        title=sheet.staff.title or started.staff.title,
    )


def _responders(state: SessionState, staff: Staff) -> tuple[RecordResponder, ...]:
    """Everyone on the session; the first responder as the sheet names them."""
    return tuple(
        RecordResponder(
            staff=staff if r.joining is Joining.FIRST else r.staff,
            joining=r.joining.value,
            role=r.role,
            t=r.t,
            at=r.at,
            lead=r.lead,
        )
        for r in responders(state)
    )


_JOINING_WORDS = {
    Joining.FIRST: "最初の対応者",
    Joining.JOINED: "同席",
    Joining.TOOK_OVER: "対応を代わる",
    Joining.MANAGER: "所管課長が対応を代わる",
}


def _staff_field(state: SessionState, staff: Staff) -> str:
    """対応者: the staff member alone, or everyone with the time they came and their role."""
    team = responders(state)
    if len(team) == 1:
        return staff_words(staff)
    start = state.started.at
    people = []
    for r in team:
        who = staff_words(staff if r.joining is Joining.FIRST else r.staff) or "—"
        how = [f"{clock_words(r.at, start)[:-3]}〜", _JOINING_WORDS[r.joining]]
        if r.role and r.role not in how:
            how.append(r.role)
        people.append(f"{who}（{'・'.join(how)}）")
    return "、".join(people)


def _furthest_step(state: SessionState, policy: Policy) -> StepReached | None:
    """The highest step taken, the immediate path ranking above the ladder."""
    rules = policy.channel(state.channel)
    immediate = state.taken_on(Route.IMMEDIATE)
    path, taken, steps = (
        (Route.IMMEDIATE, immediate, rules.immediate)
        if immediate
        else (Route.LADDER, state.taken_on(Route.LADDER), rules.ladder)
    )
    if not taken:
        return None
    ids = [step.id for step in steps]
    best = max(taken, key=lambda e: ids.index(e.step) if e.step in ids else -1)
    index = ids.index(best.step) + 1 if best.step in ids else None
    return StepReached(
        id=best.step, title=best.title, path=path, index=index, of=len(ids), t=best.t
    )


def _method_options(policy: Policy, channel: ChannelId, method: str) -> tuple[MethodOption, ...]:
    """来庁・電話 then the profile's other methods, the one used marked."""
    options = [
        MethodOption(
            id=ChannelId.COUNTER.value,
            label=CHANNEL_WORDS["counter"],
            selected=channel is ChannelId.COUNTER,
        ),
        MethodOption(
            id=ChannelId.PHONE.value,
            label=CHANNEL_WORDS["phone"],
            selected=channel is ChannelId.PHONE,
        ),
    ]
    other = channel is ChannelId.OTHER
    known = {m.id for m in policy.other_methods}
    options += [
        MethodOption(id=m.id, label=m.label, selected=other and m.id == method)
        for m in policy.other_methods
    ]
    if other and method and method not in known:
        options.append(MethodOption(id=method, label=method, selected=True))
    return tuple(options)


def _sheet_fields(
    policy: Policy, state: SessionState, staff: Staff, options: Sequence[MethodOption]
) -> tuple[SheetFieldValue, ...]:
    """The numbered fields: the staff member's text where given, the app's where it fills in."""
    given = state.sheet.fields if state.sheet is not None else {}
    chosen = [o.label for o in options if o.selected]
    automatic = {
        "datetime": _datetime_words(state, policy.profile.calendar),
        "staff": _staff_field(state, staff),
        "method": chosen[0] if chosen else CHANNEL_WORDS["other"],
        "timeline": "",
    }
    fields = []
    for spec in sorted(policy.sheet_fields, key=lambda f: f.no):
        typed = given.get(spec.id, "")
        auto = spec.id in automatic and not typed.strip()
        value = automatic[spec.id] if auto else typed
        fields.append(
            SheetFieldValue(
                no=spec.no, id=spec.id, label=spec.label, hint=spec.hint, value=value, auto=auto
            )
        )
    return tuple(fields)


def _completion_words(state: SessionState, calendar: str = "wareki") -> str:
    """``記録シート未完成（下書きあり）`` for an ended session never saved; for one finished at a
    later start ``記録シートは対応終了後に作成：令和8年4月1日 13:05（終了の3時間5分後）``."""
    if state.ended is None:
        return ""
    sheet = state.sheet
    if sheet is None:
        return "記録シート未完成（下書きあり）" if state.draft is not None else "記録シート未完成"
    if state.sheet_resumed is None:
        return ""
    at = sheet.at.astimezone(state.started.at.tzinfo)
    year = wareki_year(at.year, at.month, at.day) if calendar == "wareki" else f"{at.year}年"
    after = duration_words(max(0.0, (sheet.at - state.ended.at).total_seconds()))
    return (
        f"記録シートは対応終了後に作成：{year}{at.month}月{at.day}日 {at:%H:%M}（終了の{after}後）"
    )


def _datetime_words(state: SessionState, calendar: str = "wareki") -> str:
    """``令和8年4月1日（水）09:00:00〜09:35:12（35分12秒）`` (``2026年…`` for `seireki`)."""
    start = state.started.at
    year = (
        wareki_year(start.year, start.month, start.day)
        if calendar == "wareki"
        else f"{start.year}年"
    )
    words = f"{year}{start.month}月{start.day}日（{_WEEKDAYS[start.weekday()]}）"
    words += f"{start:%H:%M:%S}〜"
    contact = state.contact_ended
    if contact is not None and state.ended is not None:  # the contact, then the after-care
        words += _until(contact.at, start)
        words += f"（{_CONTACT_WORDS[state.channel]}{duration_words(state.contact_duration)}）"
        words += f"、事後の対応〜{_until(state.ended.at, start)}"
        return words + f"（{duration_words(state.aftercare_duration)}）"
    if state.ended is not None:
        words += f"{_until(state.ended.at, start)}（{duration_words(state.duration)}）"
    return words


_CONTACT_WORDS = {ChannelId.PHONE: "通話", ChannelId.COUNTER: "来庁対応", ChannelId.OTHER: "対応"}
"""What the contact itself was, before its duration on the sheet (通話31分5秒)."""


def _until(at: datetime, start: datetime) -> str:
    """A time on the sheet after the start's date: ``HH:MM:SS``, the date first on a later day."""
    end = at.astimezone(start.tzinfo)
    prefix = f"{end.month}月{end.day}日 " if end.date() != start.date() else ""
    return f"{prefix}{end:%H:%M:%S}"


def _timeline(events: Sequence[Event], start: datetime) -> tuple[TimelineRow, ...]:
    rows = []
    withdrawn = withdrawals(events)
    for seq, event, text in timeline_texts(events):
        withdrawal = withdrawn.get(seq)
        rows.append(
            TimelineRow(
                at=event.at,
                t=event.t,
                clock=clock_words(event.at, start),
                elapsed=elapsed_words(event.t),
                kind=event.kind,
                text=text,
                audio_offset=event.audio.offset if event.audio is not None else None,
                withdrawn_at=withdrawal.at if withdrawal is not None else None,
                withdrawn_clock=clock_words(withdrawal.at, start) if withdrawal else "",
            )
        )
    return tuple(rows)


def _checklist(policy: Policy, sheet: SheetSaved | None) -> tuple[ChecklistRow, ...]:
    answers = {a.no: a for a in sheet.checklist} if sheet is not None else {}
    rows = []
    for item in sorted(policy.checklist, key=lambda i: i.no):
        answer = answers.get(item.no)
        rows.append(
            ChecklistRow(
                no=item.no,
                text=item.text,
                example=item.example,
                checked=answer.checked if answer is not None else False,
                remark=answer.remark if answer is not None else "",
            )
        )
    return tuple(rows)


def _last_tagged(events: Sequence[Event], behaviour: str) -> float:
    times = [e.t for e in events if isinstance(e, BehaviourTagged) and e.behaviour == behaviour]
    return times[-1] if times else 0.0
