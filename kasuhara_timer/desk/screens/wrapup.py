"""The wrap-up screen: the record sheet's fields and the checklist, saved with ctrl+s.

日時, 対応者, 対応方法 and 対応 (the timeline) come filled in with the very words the printed sheet
uses (the municipality's document, so in its language); the staff member completes the rest.
A filled-in field left as it was is saved blank, so the record marks it as the app's and keeps
its own version of it; an edited one is saved as typed. 対応 shows the timeline as the sheet
prints it (from the journal, not editable) and takes only the staff member's additions, which
the sheet prints after it. An empty field never blocks saving: the journal already holds
everything that happened.

Filling it in: the focused field's caption is lit, Tab goes in the sheet's numbering and then
down the checklist, and one key (shown in the footer) jumps to the checklist and back.

Nothing typed is lost: the sheet is journaled as a draft (`SheetDrafted`, fsynced) at most
`DeskSetup.draft_seconds` after a change and at once when a field is left or the app is asked
to end; the line under the heading says "saved" only once the draft is on disk. A sheet opened
again (back from the session, or finished at a later start) shows its latest draft.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static, TextArea

from kasuhara_timer.desk.guidance import cited, consult_line
from kasuhara_timer.desk.messages import RecordSaved, SheetLeftUnsaved
from kasuhara_timer.desk.screens.base import DeskScreen
from kasuhara_timer.desk.screens.guidance import ContactsScreen, GuidanceScreen
from kasuhara_timer.desk.team import responders_words
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator, document_words
from kasuhara_timer.lifecycle.ports import SessionFiles
from kasuhara_timer.lifecycle.recording import LiveRecording
from kasuhara_timer.policy.models import ChannelId, Policy, SheetField
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import ChecklistAnswer, SheetDrafted, Staff
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.store.record import build_record
from kasuhara_timer.ui.keys import localize
from kasuhara_timer.ui.phrase_text import PhraseText

STAFF_PARTS = ("section", "title", "name")
TALL_FIELDS: dict[str, int] = {}
"""Text areas taller than the default, by sheet field id."""


def sheet_preview(state: SessionState, policy: Policy, folder_name: str) -> dict[str, str]:
    """What the printed sheet would show for the fields the app fills in, by field id.

    Built with the store's own (pure) record builder, so the form shows exactly the words the
    sheet will print; the timeline is given one event per line.
    """
    record = build_record(state.events, policy, folder_name, journal_hash="")
    values = {field.id: field.value for field in record.sheet.fields if field.auto}
    values["timeline"] = "\n".join(
        f"{row.clock}（{row.elapsed}）{row.text}" for row in record.sheet.timeline
    )
    return values


def timeline_content(state: SessionState, policy: Policy, folder_name: str) -> Content:
    """The sheet's 対応（時系列） as it will print: one event a line, a withdrawn entry struck
    through with the time it was withdrawn."""
    record = build_record(state.events, policy, folder_name, journal_hash="")
    lines = []
    for row in record.sheet.timeline:
        line = Content(f"{row.clock}（{row.elapsed}）")
        if row.withdrawn_at is not None:
            line += Content.styled(row.text, "strike") + f"（{row.withdrawn_clock}に取り消し）"
        else:
            line += row.text
        lines.append(line)
    return Content("\n").join(lines)


class WrapUpScreen(DeskScreen[None]):
    """Complete and save the record sheet of a session that has ended."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "save", "key.save", tooltip="key.save.tip", id="wrapup.save", priority=True
        ),
        # one key both ways, shown as where it goes (`check_action`); a Ctrl key, since a
        # letter goes into the field that has the focus
        Binding(
            "ctrl+l",
            "to_checklist",
            "key.to_checklist",
            tooltip="key.to_checklist.tip",
            id="wrapup.checklist",
        ),
        Binding(
            "ctrl+l",
            "to_sheet",
            "key.to_sheet",
            tooltip="key.to_sheet.tip",
            id="wrapup.checklist_back",
        ),
        Binding(
            "escape",
            "back_to_session",
            "key.back_to_session",
            tooltip="key.back_to_session.tip",
            id="wrapup.back",
        ),
        Binding(
            "escape",
            "later",
            "key.sheet_later",
            tooltip="key.sheet_later.tip",
            id="wrapup.later",
        ),
        # function keys, since a letter goes into the field that has the focus; outside a text
        # field c and g work as on the session screen
        Binding("f6", "contacts", "key.contacts", tooltip="key.contacts.tip", id="wrapup.contacts"),
        Binding("f7", "guidance", "key.guidance", tooltip="key.guidance.tip", id="wrapup.guidance"),
        Binding(
            "c",
            "contacts",
            "key.contacts",
            tooltip="key.contacts.tip",
            id="wrapup.contacts_letter",
            show=False,
        ),
        Binding(
            "g",
            "guidance",
            "key.guidance",
            tooltip="key.guidance.tip",
            id="wrapup.guidance_letter",
            show=False,
        ),
    ]

    def __init__(
        self,
        session: DeskSession,
        files: SessionFiles,
        live: LiveRecording | None = None,
        *,
        later: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.files = files
        self.live = live
        """The session's recording, paused at the end: stopped with the save, resumed if the
        staff member goes back to the session."""
        self.later = later
        """A sheet left unsaved, finished at a later start (`lifecycle.unfinished`): the contact
        is long over, so `esc` leaves the sheet for later instead of going back to the call."""
        self.saved = False
        self.prefilled = sheet_preview(session.state, self.policy, files.location.name)
        self.draft: SheetDrafted | None = session.state.draft
        """The latest draft on disk: the form opens with it."""
        self._draft_timer: Timer | None = None
        self._typed_since_draft = False
        self._as_drafted: tuple[object, ...] | None = None
        """The form's values as last drafted (or as opened): a change event that leaves them
        so (a widget settling at mount) is no change."""
        self._left_at: str | None = None
        """The sheet field the checklist key left (its id), to come back to."""
        self._error_from_draft = False
        """The error line says the journal refused a draft (gone once one is journaled)."""
        localize(self, self.tr)

    @property
    def state(self) -> SessionState:
        """The ended session."""
        return self.session.state

    @property
    def policy(self) -> Policy:
        """The policy the session ran under (a resumed one keeps its own)."""
        return self.session.policy

    def compose(self) -> ComposeResult:
        tr, state = self.tr, self.state
        heading = tr("wrapup.heading")
        if state.drill:
            heading += f"  [{tr('session.drill', speed=f'{state.started.speed:g}')}]"
        if self.later:
            heading += f"  {tr('wrapup.later')}"
        yield Static(Content(heading), id="wrapup-title")
        yield Static(tr("wrapup.hint"), id="wrapup-hint", markup=False)
        yield PhraseText(consult_line(self.policy, tr), id="wrapup-consult")
        yield Static(id="error", markup=False)
        yield Static(id="draft-status", markup=False)
        with VerticalScroll(id="sheet") as sheet:
            sheet.can_focus = False  # the fields are the Tab stops, not the page around them
            for sheet_field in sorted(self.policy.sheet_fields, key=lambda f: f.no):
                with Vertical(classes="sheet-field", id=f"sheet-{sheet_field.id}"):
                    yield from self._field(sheet_field)
            with Vertical(id="checklist"):
                yield from self._checklist()
            if self.policy.cautions:
                yield Static(tr("guidance.cautions"), classes="section-title")
                for caution in self.policy.cautions:
                    yield PhraseText(f"※{cited(caution).removeprefix('※')}", classes="caution")
        yield Footer()

    @property
    def sheet_words(self) -> Translator:
        """The sheet's own words (captions, 該当, 備考…) in the profile's language whatever
        `--lang` says: the form is the official document; only the app around it follows
        the interface language."""
        return document_words(self.policy.profile.language)

    def _checklist(self) -> ComposeResult:
        tr = self.sheet_words
        yield Static(tr("wrapup.checklist"), classes="section-title", id="checklist-title")
        answers = {a.no: a for a in self.draft.checklist} if self.draft else {}
        for item in self.policy.checklist:
            answer = answers.get(item.no, ChecklistAnswer(no=item.no))
            with Vertical(classes="check-item"):
                yield PhraseText(f"{item.no}. {item.text}", classes="check-text")
                if item.example:
                    yield PhraseText(
                        f"※{tr('wrapup.example')}{item.example}", classes="check-example"
                    )
                with Horizontal(classes="check-row"):
                    yield Checkbox(
                        tr("wrapup.applies"), answer.checked, id=f"check-{item.no}", compact=True
                    )
                    yield Input(
                        answer.remark,
                        placeholder=tr("wrapup.remark"),
                        id=f"remark-{item.no}",
                        compact=True,
                        classes="remark",
                    )

    def _field(self, sheet_field: SheetField) -> ComposeResult:
        tr, state = self.tr, self.state
        label = f"{sheet_field.no}. {sheet_field.label}"
        if sheet_field.hint and sheet_field.id != "method":  # the choices are the inputs below
            label += f"（{sheet_field.hint}）"
        yield Static(Content(label), classes="field-label")
        field_id = sheet_field.id
        drafted = self.draft.fields.get(field_id, "") if self.draft is not None else ""
        if field_id == "staff":
            staff = self.draft.staff if self.draft and self.draft.staff else state.started.staff
            if not staff.name.strip():
                yield Static(tr("wrapup.staff_unknown"), classes="staff-unknown", markup=False)
            with Horizontal(classes="staff-row"):
                for part in STAFF_PARTS:
                    yield Label(self.sheet_words(f"idle.{part}"), classes="part-label")
                    yield Input(
                        getattr(staff, part),
                        id=f"staff-{part}",
                        compact=True,
                        classes="staff-input",
                    )
            others = responders_words(state, self.sheet_words)
            if others:
                yield Static(others, id="staff-others", classes="field-hint", markup=False)
        elif (
            field_id == "method" and state.channel is ChannelId.OTHER and self.policy.other_methods
        ):
            yield Static(tr("wrapup.method_other"), classes="field-hint", markup=False)
            with RadioSet(id="method-choice", compact=True):
                chosen = self.draft.method if self.draft is not None else ""
                for method in self.policy.other_methods:
                    yield RadioButton(
                        method.label,
                        method.id == chosen,
                        id=f"method-{method.id}",
                        compact=True,
                    )
        elif field_id in ("method", "datetime"):
            text = drafted or self.prefilled.get(field_id, "")
            yield Input(text, id=f"field-{field_id}", compact=True)
        elif field_id == "timeline":
            rows = timeline_content(state, self.policy, self.files.location.name)
            yield Static(rows, id="timeline-rows")
            yield Static(tr("wrapup.additions"), classes="field-hint additions", markup=False)
            area = TextArea(drafted, id="field-timeline", compact=True, classes="sheet-text")
            area.styles.height = 3
            yield area
        else:
            text = drafted or self.prefilled.get(field_id, "")
            area = TextArea(text, id=f"field-{field_id}", compact=True, classes="sheet-text")
            area.styles.height = TALL_FIELDS.get(field_id, 3)
            yield area

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query_one("#draft-status").display = False
        self._as_drafted = self._values()
        for widget in self.query(Input):
            widget.cursor_blink = self.setup.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = self.setup.cursor_blink
        self._focus_first_field()

    def _focus_first_field(self) -> None:
        """The first field the staff member fills: the name when the desk did not know it,
        else the first text after the app's own fields (4. on the nanyo sheet)."""
        staff_name = self.query("#staff-name").first(Input) if self.query("#staff-name") else None
        if staff_name is not None and not staff_name.value.strip():
            staff_name.focus()
            return
        for area in self.query(TextArea):
            if area.id != "field-timeline":
                area.focus()
                return

    # -- moving about the sheet ----------------------------------------------------------------

    def _in_checklist(self) -> bool:
        focused = self.focused
        return focused is not None and self.query_one("#checklist") in focused.ancestors

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The checklist key shows (and does) one of its two directions at a time; `esc` goes
        back to the call, or for a sheet finished later leaves it for later."""
        if action == "to_checklist":
            return not self._in_checklist()
        if action == "to_sheet":
            return self._in_checklist()
        if action == "back_to_session":
            return not self.later
        if action == "later":
            return self.later
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self._in_checklist():
            self._left_at = event.widget.id
        self.refresh_bindings()  # the footer says where the checklist key goes now

    def action_to_checklist(self) -> None:
        """Jump to the checklist's first item, its heading at the top of the page."""
        self.set_focus(self.query_one("#check-1" if self.query("#check-1") else "#checklist"))
        title = self.query_one("#checklist-title")
        self.call_after_refresh(title.scroll_visible, top=True, animate=False)

    def action_to_sheet(self) -> None:
        """Back to the field the checklist key was pressed in (else the first one to fill)."""
        target = self.query(f"#{self._left_at}") if self._left_at else None
        if target:
            self.set_focus(target.first())
        else:
            self._focus_first_field()

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
        label = next((m.label for m in self.policy.other_methods if m.id == method_id), "")
        return method_id, label

    def fields(self) -> dict[str, str]:
        """Every sheet field's text by id, as the journal keeps it.

        Blank stays blank; a filled-in field left as it was is saved blank too, so the record
        fills it in itself (and marks it as the app's); the staff member's name, section and
        the `other` channel's method travel in `Staff` and `method`, not as text.
        """
        values: dict[str, str] = {}
        for sheet_field in self.policy.sheet_fields:
            field_id = sheet_field.id
            found = self.query(f"#field-{field_id}")
            widget = found.first() if found else None
            text = ""
            if isinstance(widget, TextArea):
                text = widget.text
            elif isinstance(widget, Input):
                text = widget.value
            if field_id != "timeline" and text.strip() == self.prefilled.get(field_id, "").strip():
                text = ""  # the app's words, left as they were
            values[field_id] = text
        return values

    def checklist(self) -> list[ChecklistAnswer]:
        """Each checklist item as answered (unchecked with no remark when left alone)."""
        return [
            ChecklistAnswer(
                no=item.no,
                checked=self.query_one(f"#check-{item.no}", Checkbox).value,
                remark=self.query_one(f"#remark-{item.no}", Input).value,
            )
            for item in self.policy.checklist
        ]

    # -- the draft -----------------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def _typed(self) -> None:
        """Something on the sheet changed: draft it within `draft_seconds` (never later, however
        long the typing goes on)."""
        if self.saved or self._as_drafted is None:
            return
        if not self._typed_since_draft and self._values() == self._as_drafted:
            return
        self._typed_since_draft = True
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(self.setup.draft_seconds, self.keep_draft)
            self._show_draft_status(self.tr("wrapup.draft_typing"))

    def on_descendant_blur(self) -> None:
        """Leaving a field drafts what it holds at once."""
        self.keep_draft()

    def keep_draft(self) -> bool:
        """Journal the sheet as typed now if it changed since the last draft (fsynced before
        the status line says so); False when the journal refused it (said on the error line,
        tried again at the next change)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.saved or not self._typed_since_draft:
            return True
        method_id, _label = self.chosen_method()
        try:
            event = self.session.draft_sheet(
                self.fields(), self.checklist(), self.staff(), method_id
            )
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error), draft=True)
            return False
        if self._error_from_draft:  # the journal takes the draft again: that error is gone
            self._error_from_draft = False
            self.query_one("#error").display = False
        self._typed_since_draft = False
        self._as_drafted = self._values()
        if isinstance(event, SheetDrafted):
            self.draft = event
            at = event.at.astimezone()
            self._show_draft_status(self.tr("wrapup.draft_saved", time=f"{at:%H:%M:%S}"))
        return True

    def _values(self) -> tuple[object, ...]:
        """Everything the form holds now, to compare."""
        return (self.fields(), self.checklist(), self.staff(), self.chosen_method())

    def _show_draft_status(self, text: str) -> None:
        status = self.query("#draft-status")
        if status:
            widget = status.first(Static)
            widget.update(text)
            widget.display = True

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Journal the sheet, write record.json and sheet.html, remember the staff, go idle."""
        if self._draft_timer is not None:  # the save holds everything
            self._draft_timer.stop()
            self._draft_timer = None
        staff = self.staff()
        method_id, _label = self.chosen_method()
        try:
            self.session.save_sheet(self.fields(), self.checklist(), staff, method_id)
            paths = tuple(self.files.write_record(self.state, self.policy))
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error))
            return
        self.saved = True
        self.files.close()
        if staff.name or staff.section:
            with contextlib.suppress(UserError, OSError):  # a convenience; the record is saved
                self.setup.staff_book.save(staff)
        self.app.post_message(RecordSaved(self.state, self.files.location, paths, self.live))

    def action_contacts(self) -> None:
        """Who to consult with the sheet, and every other contact of the policy."""
        self.app.push_screen(ContactsScreen(self.policy, self.tr))

    def action_guidance(self) -> None:
        """The policy's guidance for the session's channel, as during the session."""
        self.app.push_screen(GuidanceScreen(self.policy, self.state.channel, self.tr))

    def action_back_to_session(self) -> None:
        """The contact was in fact still going on: journal that, resume the recording (its
        pause is the gap on the timeline) and show the live session again. Only before saving."""
        if self.saved or not self.keep_draft():
            return
        try:
            reopened = self.session.reopen()
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error))
            return
        if reopened is None:
            return
        after_contact = self.state.contact_ended is not None and not self.setup.record_after_contact
        if self.live is not None and not after_contact:  # stopped with the contact: stays so
            self.live.recorder.resume()
        from kasuhara_timer.desk.screens.session import SessionScreen  # each opens the other

        self.app.switch_screen(SessionScreen(self.session, self.files, self.live))

    def action_later(self) -> None:
        """A sheet finished later, left again: keep the draft, write the record, back to the
        idle screen, where it is offered again."""
        if self.saved:
            return
        self.wind_up()
        self.app.pop_screen()
        self.app.post_message(SheetLeftUnsaved(self.files.location))

    def wind_up(self) -> None:
        """Closing the app before saving: write the record without a sheet (the app then stops
        the recording; its archive finishes before the process exits)."""
        if self.saved:
            return
        self.keep_draft()
        try:
            self.files.write_record(self.state, self.policy)
        except (UserError, OSError) as error:
            self._show_error(self.tr("app.error", error=error))
        self.files.close()

    def _show_error(self, text: str, *, draft: bool = False) -> None:
        """Say what went wrong until it is put right: a draft the journal refused, until a
        draft is journaled again; anything else (the save), until the screen is left."""
        self._error_from_draft = draft
        error = self.query_one("#error", Static)
        error.update(Content(text))
        error.display = True
