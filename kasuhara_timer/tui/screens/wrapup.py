"""The wrap-up screen: the record sheet's fields and the checklist, saved with ctrl+s.

日時, 対応者, 対応方法 and 対応 (the timeline) come filled in, in the policy's language because the
sheet is the municipality's document; the staff member completes the rest. An empty field never
blocks saving: the journal already holds everything that happened.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static, TextArea

from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import ChannelId, SheetField
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import ChecklistAnswer, Staff
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.tui.keys import localize
from kasuhara_timer.tui.messages import RecordSaved
from kasuhara_timer.tui.ports import SessionFiles
from kasuhara_timer.tui.screens.base import DeskScreen
from kasuhara_timer.tui.views import timeline_rows
from kasuhara_timer.tui.widgets.phrase_text import PhraseText

STAFF_PARTS = ("section", "title", "name")
TALL_FIELDS = {"timeline": 8}
"""Text areas taller than the default, by sheet field id."""


def sheet_language(language: str) -> Translator:
    """The words for the sheet's own content: the policy's language (ja unless it says en)."""
    return Translator("en" if language == "en" else "ja")


def datetime_words(state: SessionState, tr: Translator) -> str:
    """`2026年4月1日 09:00〜09:45（0:45:00）`: start, end and duration of the session."""
    start = state.started_at
    end = state.ended.at.astimezone(start.tzinfo) if state.ended is not None else None
    return tr(
        "wrapup.datetime",
        start=_day_time(start, tr),
        end=_end_time(start, end),
        duration=format_elapsed(state.duration),
    )


def _day_time(at: datetime, tr: Translator) -> str:
    return tr("wrapup.day", y=at.year, m=at.month, d=at.day, time=f"{at:%H:%M}")


def _end_time(start: datetime, end: datetime | None) -> str:
    if end is None:
        return ""
    return f"{end:%H:%M}" if end.date() == start.date() else f"{end.month}/{end.day} {end:%H:%M}"


def timeline_words(state: SessionState, tr: Translator) -> str:
    """The 対応（時系列） field: one line per event, clock time, elapsed time, what happened."""
    return "\n".join(f"{r.clock}（{r.elapsed}）{r.text}" for r in timeline_rows(state, tr))


def staff_words(staff: Staff) -> str:
    """`所属 職 氏名` as one line for the sheet's 対応者 field."""
    return " ".join(part for part in (staff.section, staff.title, staff.name) if part)


class WrapUpScreen(DeskScreen[None]):
    """Complete and save the record sheet of a session that has ended."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save", tooltip="key.save.tip", id="wrapup.save", priority=True),
    ]

    def __init__(self, session: DeskSession, files: SessionFiles) -> None:
        super().__init__()
        self.session = session
        self.files = files
        self.saved = False
        localize(self, self.tr)

    @property
    def state(self) -> SessionState:
        """The ended session."""
        return self.session.state

    def compose(self) -> ComposeResult:
        tr, state = self.tr, self.state
        heading = tr("wrapup.heading")
        if state.drill:
            heading += f"  [{tr('session.drill', speed=f'{state.started.speed:g}')}]"
        yield Static(Content(heading), id="wrapup-title")
        yield Static(tr("wrapup.hint"), id="wrapup-hint", markup=False)
        yield Static(id="error", markup=False)
        with VerticalScroll(id="sheet"):
            for sheet_field in self.setup.policy.sheet_fields:
                yield from self._field(sheet_field)
            yield Static(tr("wrapup.checklist"), classes="section-title")
            for item in self.setup.policy.checklist:
                with Vertical(classes="check-item"):
                    yield PhraseText(f"{item.no}. {item.text}", classes="check-text")
                    if item.example:
                        yield PhraseText(f"※{tr('wrapup.example')}{item.example}", classes="check-example")
                    with Horizontal(classes="check-row"):
                        yield Checkbox(tr("wrapup.applies"), id=f"check-{item.no}", compact=True)
                        yield Input(
                            placeholder=tr("wrapup.remark"),
                            id=f"remark-{item.no}",
                            compact=True,
                            classes="remark",
                        )
        yield Footer()

    def _field(self, sheet_field: SheetField) -> ComposeResult:
        tr, state = self.tr, self.state
        sheet_tr = sheet_language(self.setup.policy.profile.language)
        label = f"{sheet_field.no}. {sheet_field.label}"
        if sheet_field.hint:
            label += f"（{sheet_field.hint}）"
        yield Static(Content(label), classes="field-label")
        field_id = sheet_field.id
        if field_id == "staff":
            staff = state.started.staff
            if not staff.name.strip():
                yield Static(tr("wrapup.staff_unknown"), classes="staff-unknown", markup=False)
            with Horizontal(classes="staff-row"):
                for part in STAFF_PARTS:
                    yield Label(tr(f"idle.{part}"), classes="part-label")
                    yield Input(
                        getattr(staff, part), id=f"staff-{part}", compact=True, classes="staff-input"
                    )
        elif field_id == "method" and state.channel is ChannelId.OTHER and self.setup.policy.other_methods:
            yield Static(tr("wrapup.method_other"), classes="field-hint", markup=False)
            with RadioSet(id="method-choice", compact=True):
                for method in self.setup.policy.other_methods:
                    yield RadioButton(method.label, id=f"method-{method.id}", compact=True)
        elif field_id == "method":
            value = self.setup.policy.channel(state.channel).label
            yield Input(value, id="field-method", compact=True)
        elif field_id == "datetime":
            yield Input(datetime_words(state, sheet_tr), id="field-datetime", compact=True)
        else:
            text = timeline_words(state, sheet_tr) if field_id == "timeline" else ""
            area = TextArea(text, id=f"field-{field_id}", compact=True, classes="sheet-text")
            area.styles.height = TALL_FIELDS.get(field_id, 3)
            yield area

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        for widget in self.query(Input):
            widget.cursor_blink = self.setup.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = self.setup.cursor_blink
        staff_name = self.query("#staff-name").first(Input) if self.query("#staff-name") else None
        if staff_name is not None and not staff_name.value.strip():
            staff_name.focus()
            return
        for area in self.query(TextArea):
            if area.id != "field-timeline":
                area.focus()
                return

    # -- reading the form ----------------------------------------------------------------------

    def staff(self) -> Staff:
        """The staff member as entered here."""
        if not self.query("#staff-name"):
            return self.state.started.staff
        return Staff(
            **{part: self.query_one(f"#staff-{part}", Input).value.strip() for part in STAFF_PARTS}
        )

    def chosen_method(self) -> tuple[str, str]:
        """The `other` channel's sub-method as (id, label); blank when none is chosen."""
        if not self.query("#method-choice"):
            return "", ""
        pressed = self.query_one("#method-choice", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return "", ""
        method_id = pressed.id.removeprefix("method-")
        label = next((m.label for m in self.setup.policy.other_methods if m.id == method_id), "")
        return method_id, label

    def fields(self) -> dict[str, str]:
        """Every sheet field's text by id; blank fields stay blank."""
        values: dict[str, str] = {}
        for sheet_field in self.setup.policy.sheet_fields:
            field_id = sheet_field.id
            if field_id == "staff":
                values[field_id] = staff_words(self.staff())
            elif field_id == "method" and self.query("#method-choice"):
                values[field_id] = self.chosen_method()[1]
            else:
                widget = self.query_one(f"#field-{field_id}")
                if isinstance(widget, TextArea):
                    values[field_id] = widget.text
                elif isinstance(widget, Input):
                    values[field_id] = widget.value
        return values

    def checklist(self) -> list[ChecklistAnswer]:
        """Each checklist item as answered (unchecked with no remark when left alone)."""
        return [
            ChecklistAnswer(
                no=item.no,
                checked=self.query_one(f"#check-{item.no}", Checkbox).value,
                remark=self.query_one(f"#remark-{item.no}", Input).value,
            )
            for item in self.setup.policy.checklist
        ]

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Journal the sheet, write record.json and sheet.html, remember the staff, go idle."""
        staff = self.staff()
        method_id, _label = self.chosen_method()
        try:
            self.session.save_sheet(self.fields(), self.checklist(), staff, method_id)
            paths = tuple(self.files.write_record(self.state, self.setup.policy))
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error))
            return
        self.saved = True
        self.files.close()
        if staff.name or staff.section:
            with contextlib.suppress(UserError, OSError):  # a convenience; the record is saved
                self.setup.staff_book.save(staff)
        self.app.post_message(RecordSaved(self.state, self.files.location, paths))
        self.desk.show_saved(self.files.location, paths)

    def wind_up(self) -> None:
        """Closing the app before saving: write the record without a sheet."""
        if self.saved:
            return
        try:
            self.files.write_record(self.state, self.setup.policy)
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error))
        self.files.close()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Content(text))
        error.display = True
