"""Leaving chosen sheet fields out of a disclosure copy (相手の情報, for one), never silently.

A disclosure may have to withhold what the staff member wrote about the caller. Only the
fields a person types can be left out: 日時, 対応者, 対応方法 and 対応（時系列） are written by
the app from the session's own data, which the copy still carries elsewhere, so leaving them
out would only pretend. An omitted field keeps its place and says so (`OMITTED`) on the sheet,
in the XLSX and in record.json (in the sheet and in every journaled event that carries sheet
fields); the cover sheet lists what was left out. The copy is made in memory: the session's
own files are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kasuhara_timer.errors import UserError
from kasuhara_timer.policy.models import AUTO_SHEET_FIELDS
from kasuhara_timer.session.events import Event
from kasuhara_timer.store.record import Record

OMITTED = "（開示に当たり記載を省略）"
"""What an omitted field says in its place."""


@dataclass(frozen=True)
class OmittedField:
    """A sheet field left out of a copy: its id and its label as printed."""

    id: str
    label: str


def omittable_fields(records: Iterable[Record]) -> list[OmittedField]:
    """The fields that can be left out of these records, in sheet order, each once."""
    seen: dict[str, OmittedField] = {}
    for record in records:
        for field in record.sheet.fields:
            if field.id not in AUTO_SHEET_FIELDS and field.id not in seen:
                seen[field.id] = OmittedField(field.id, field.label)
    return list(seen.values())


def resolve_omissions(names: Sequence[str], records: Iterable[Record]) -> tuple[OmittedField, ...]:
    """The fields named (by id, or by the start of the label: ``相手の情報``), checked.

    Raises `UserError` for a name that is no field, or one the app writes itself.
    """
    choices = omittable_fields(records)
    chosen: dict[str, OmittedField] = {}
    for name in names:
        wanted = name.strip()
        if not wanted:
            continue
        if wanted in AUTO_SHEET_FIELDS:
            raise UserError(
                f"the sheet field {wanted!r} is written by the app from the session's data "
                "and cannot be left out"
            )
        match = [f for f in choices if wanted in (f.id, f.label) or f.label.startswith(wanted)]
        if len(match) != 1:
            known = ", ".join(f"{f.id} ({f.label})" for f in choices)
            what = "matches several sheet fields" if match else "is not a sheet field"
            raise UserError(f"{wanted!r} {what}; fields that can be left out: {known}")
        chosen[match[0].id] = match[0]
    order = [f.id for f in choices]
    return tuple(sorted(chosen.values(), key=lambda f: order.index(f.id)))


def redact(record: Record, omit: Iterable[OmittedField]) -> Record:
    """A copy of `record` with the omitted fields' text replaced by `OMITTED`, written or not
    (an empty field said as omitted too, so the copy does not tell which were empty)."""
    ids = {field.id for field in omit}
    if not ids:
        return record
    fields = tuple(
        f.model_copy(update={"value": OMITTED}) if f.id in ids else f for f in record.sheet.fields
    )
    events = tuple(_redact_event(event, ids) for event in record.events)
    return record.model_copy(
        update={"sheet": record.sheet.model_copy(update={"fields": fields}), "events": events}
    )


def _redact_event(event: Event, ids: set[str]) -> Event:
    """Any event that carries sheet fields (a save, a draft) without the omitted ones' text."""
    values = getattr(event, "fields", None)
    if not isinstance(values, dict) or not ids.intersection(values):
        return event
    kept = {key: (OMITTED if key in ids else text) for key, text in values.items()}
    return event.model_copy(update={"fields": kept})
