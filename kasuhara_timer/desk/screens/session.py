"""The session screen: timer, bar to the limit, the proposed step, tags, notes and timeline.

Every key is an intent handed to `DeskSession`, which journals the event before the state
changes; the screen then repaints from the new state. If the journal fails, nothing changes on
screen except a red line saying why, so the screen never shows what is not on disk.

The recording indicator follows the same rule: it shows the last journaled `RecordingChanged`
(the app journals each recorder report as it arrives), with a banner under the clock for a
fault (the timer goes on) or for why nothing is recorded, and a level meter polled on the
repaint pulse. `r` pauses and resumes the recording; the gap reaches the timeline through the
recorder's own reports.

When the session has a caller label, earlier contacts with that caller are looked up in a worker
(the first lookup on a big shared folder builds the local index) and shown discreetly under the
clock: how many and the latest, never a judgement.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar, Literal, TypeVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from kasuhara_timer.desk.contacts import contacts_line, look_up_contacts
from kasuhara_timer.desk.guidance import ResponseView, response_view
from kasuhara_timer.desk.messages import (
    BehaviourPicked,
    EarlierContactsFound,
    SessionEnded,
    SessionStarted,
)
from kasuhara_timer.desk.screens.base import DeskScreen
from kasuhara_timer.desk.screens.guidance import ContactsScreen, GuidanceScreen
from kasuhara_timer.desk.screens.key_help import KeyHelp
from kasuhara_timer.desk.screens.responder import ResponderDialog, ResponderEntry
from kasuhara_timer.desk.screens.tag_picker import TagPicker
from kasuhara_timer.desk.screens.wrapup import WrapUpScreen
from kasuhara_timer.desk.staff_memory import JsonColleagueBook
from kasuhara_timer.desk.team import BoardLink, rejoin_reminder, reminder_lines, team_line
from kasuhara_timer.desk.views import (
    TAG_KEYS,
    CardView,
    bar_view,
    behaviour_views,
    card_view,
    key_label,
    next_step_words,
    recording_view,
    timeline_rows,
)
from kasuhara_timer.desk.widgets.behaviours import BehaviourList
from kasuhara_timer.desk.widgets.elapsed import ElapsedTimer
from kasuhara_timer.desk.widgets.journal_alarm import JournalAlarm
from kasuhara_timer.desk.widgets.limit_bar import LimitBar
from kasuhara_timer.desk.widgets.recording_indicator import RecordingIndicator
from kasuhara_timer.desk.widgets.response import ResponsePanel
from kasuhara_timer.desk.widgets.step_card import StepCard
from kasuhara_timer.desk.widgets.timeline import TimelineView
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import document_words
from kasuhara_timer.lifecycle.folder_store import JournalCheck
from kasuhara_timer.lifecycle.ports import SessionFiles
from kasuhara_timer.lifecycle.recording import LiveRecording
from kasuhara_timer.live.status import StatusWriter
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.escalation import Assessment
from kasuhara_timer.session.events import Stamp
from kasuhara_timer.ui.keys import localize
from kasuhara_timer.ui.phrase_text import PhraseText

T = TypeVar("T")
log = logging.getLogger(__name__)

CHANNEL_CHIP_CELLS = 14
"""A longer channel label loses its gloss in the status row, so the caller and the start time
still fit at 80 columns."""

HELP_HIDDEN = ("tag", "confirm_end", "cancel_end", "keys")
"""Actions the key help does not list one by one (the tags get one line of their own)."""


class SessionScreen(DeskScreen[None]):
    """One live call, visit or other contact."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_step", "key.next", tooltip="key.next.tip", id="desk.next"),
        Binding(
            "x", "immediate", "key.immediate", tooltip="key.immediate.tip", id="desk.immediate"
        ),
        # m and t are named where they act (the note field, the behaviours' title): the footer
        # at 80 columns keeps room for what `n` records now and for `u`
        Binding("m", "note", "key.note", tooltip="key.note.tip", id="desk.note", show=False),
        Binding(
            "t",
            "pick_tag",
            "key.tag_picker",
            tooltip="key.tag_picker.tip",
            id="desk.tag_picker",
            show=False,
        ),
        Binding("e", "end", "key.end", tooltip="key.end.tip", id="desk.end"),
        # off the footer (80 columns are full); the card names it, with the channel's words
        Binding(
            "l",
            "end_contact",
            "key.end_contact",
            tooltip="key.end_contact.tip",
            id="desk.end_contact",
            show=False,
        ),
        # off the footer (80 columns are full); the card before the limit names both keys
        Binding(
            "c",
            "contacts",
            "key.contacts",
            tooltip="key.contacts.tip",
            id="desk.contacts",
            show=False,
        ),
        Binding(
            "g",
            "guidance",
            "key.guidance",
            tooltip="key.guidance.tip",
            id="desk.guidance",
            show=False,
        ),
        Binding("u", "withdraw", "key.withdraw", tooltip="key.withdraw.tip", id="desk.withdraw"),
        Binding(
            "f1,question_mark",
            "keys",
            "key.keys",
            tooltip="key.keys.tip",
            id="desk.keys",
            show=False,
        ),
        Binding(
            "ctrl+z",
            "withdraw",
            "key.withdraw",
            tooltip="key.withdraw.tip",
            id="desk.withdraw_ctrl",
            show=False,
        ),
        Binding(
            "y,enter",
            "confirm_end",
            "key.confirm_end",
            tooltip="key.confirm_end.tip",
            id="desk.confirm_end",
            show=False,  # the question's own line says Enter/y
        ),
        Binding(
            "escape",
            "cancel_end",
            "key.cancel_end",
            tooltip="key.cancel_end.tip",
            id="desk.cancel_end",
        ),
        Binding(
            "r",
            "pause_recording",
            "key.recording_pause",
            tooltip="key.recording_pause.tip",
            id="desk.recording_pause",
        ),
        Binding(
            "r",
            "resume_recording",
            "key.recording_resume",
            tooltip="key.recording_resume.tip",
            id="desk.recording_resume",
        ),
        Binding("h", "ask_help", "key.help", tooltip="key.help.tip", id="desk.help"),
        # not in the footer (it is full at 80 columns): the team line and the help say them
        Binding("j", "join", "key.join", show=False, tooltip="key.join.tip", id="desk.join"),
        Binding(
            "o",
            "hand_over",
            "key.handover",
            show=False,
            tooltip="key.handover.tip",
            id="desk.handover",
        ),
        Binding(
            "escape",
            "leave_field",
            "key.leave_field",
            tooltip="key.leave_field.tip",
            id="desk.leave_field",
        ),
    ]

    def __init__(
        self, session: DeskSession, files: SessionFiles, live: LiveRecording | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.files = files
        self.live = live
        self._card: CardView | None = None
        self._timeline_events = 0
        """How many events the timeline shows; rebuilt only when that changes."""
        self._banner = ""
        self._response_for = ""
        """The behaviour whose response the panel shows ("" when hidden)."""
        self._team = ""
        self._colleagues = JsonColleagueBook(None)
        """Colleagues typed in this session, when the setup keeps none on disk (tests)."""
        self.board: BoardLink | None = None
        """This session on the supervisors' board (None until mounted)."""
        self._next_words = ""
        self.confirming_end = False
        """`e` was pressed: the one-line question is shown until enter/y or esc."""
        self._last_key: tuple[str, float] | None = None
        """The last deliberate key (action and desk-clock time), to ignore its quick repeat."""
        self.looking_up_contacts = False
        """Earlier contacts with the caller are being looked up (tests wait for it)."""
        self.stopped_for_contact = False
        """The recording was stopped because the contact ended (切電, the visitor left)."""
        self._note_said: Stamp | None = None
        """When `m` was pressed for the note being typed (the moment the words were said)."""
        self._errors: dict[str, str] = {}
        """What went wrong and is not put right yet, by where ("journal", "board"): the error
        line says it until its condition is gone, not until the next clock tick."""
        localize(self, self.tr, self._tag_bindings())

    @property
    def policy(self) -> Policy:
        """The policy this session runs under (a resumed one keeps its own)."""
        return self.session.policy

    def _tag_bindings(self) -> list[Binding]:
        bindings = []
        for index, behaviour in enumerate(self.policy.behaviours):
            tip = self.tr("key.tag.tip", label=behaviour.label)
            keys = [TAG_KEYS[index]] if index < len(TAG_KEYS) else []  # never F1–F12
            for key in keys:
                bindings.append(
                    Binding(
                        key,
                        f"tag({index})",
                        behaviour.label,
                        show=False,
                        tooltip=tip,
                        id=f"desk.tag.{key_label(key)}",
                    )
                )
        return bindings

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Horizontal(id="clock-row"):
            yield ElapsedTimer(id="elapsed")
            with Vertical(id="clock-side"):
                with Horizontal(id="status-row"):
                    yield Static(self._status_text(), id="status")
                    yield RecordingIndicator(id="recording")
                yield LimitBar(id="limit-bar")
        yield PhraseText(id="recording-banner")
        yield JournalAlarm(self._check_journal, tr, id="journal-alarm")
        yield Static(id="contacts", markup=False)
        yield Static(id="team", markup=False)
        yield Static(id="error", markup=False)
        yield ResponsePanel(id="response")
        yield StepCard(id="card")
        behaviours = BehaviourList(
            behaviour_views(self.policy, self.session.state), id="behaviours"
        )
        behaviours.border_title = tr("session.behaviours")
        yield behaviours
        timeline = TimelineView(id="timeline")
        timeline.border_title = tr("session.timeline")
        yield timeline
        yield Input(placeholder=tr("session.note_placeholder"), id="note", compact=True)
        yield Static(tr("session.confirm_end"), id="end-confirm", markup=False)
        yield Footer()

    def _check_journal(self) -> JournalCheck | None:
        check = getattr(self.files, "check_journal", None)
        return check() if callable(check) else None

    @property
    def journal_lost(self) -> bool:
        """The journal was deleted, replaced or made unwritable during this session."""
        return self.query_one(JournalAlarm).lost

    def _status_text(self) -> Content:
        """Channel, caller, start time, then the municipality: on a narrow terminal the end is
        cut, so what the staff member needs during the call comes first."""
        tr, started = self.tr, self.session.state.started
        policy = self.policy
        channel = policy.channel(started.channel).label
        if cell_len(channel) > CHANNEL_CHIP_CELLS:  # 「その他（メール・SNS・外で対応）」→「その他」
            channel = channel.split("（")[0] or tr(f"channel.{started.channel.value}")
        if tr.lang != policy.profile.language:  # the app's word, not the document's
            channel = tr(f"channel.{started.channel.value}")
        parts: list[str | tuple[str, str]] = [(f" {channel} ", "reverse bold")]
        if started.drill:
            parts += [" ", (f" {tr('session.drill', speed=f'{started.speed:g}')} ", "reverse")]
        if started.caller:
            parts.append(f" {tr('session.caller', caller=started.caller)} ·")
        parts.append(f" {tr('session.started', time=f'{started.at:%H:%M}')}")
        parts.append(f" · {policy.profile.municipality}")
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#note", Input).cursor_blink = self.setup.cursor_blink
        self.query_one("#error").display = False
        self.query_one("#end-confirm").display = False
        self.query_one("#recording-banner").display = False
        self.query_one("#contacts").display = False
        self.query_one("#team").display = False
        data_dir = self.setup.data_dir
        writer = StatusWriter(data_dir, self.files.location.name) if data_dir else None
        self.board = BoardLink(self.files.location, writer, self.setup.clock)
        if self.session.state.started.caller.strip() and self.setup.data_dir is not None:
            self.looking_up_contacts = True
            self._look_up_contacts()
        self._recording_follows_contact()
        self.pulse()
        if self.setup.pulse_seconds:
            self.set_interval(self.setup.pulse_seconds, self.pulse)
        self.app.post_message(SessionStarted(self.session.state))

    # -- the clock -------------------------------------------------------------------------

    def pulse(self) -> None:
        """Journal any prompt come due (pre-warning, limit), then repaint from the clock."""
        if self.session.state.ended is None:
            due = self._journal(self.session.tick)
            if due and self.setup.bell:
                self.app.bell()
        if self.live is not None and self.live.pending:  # a report the journal refused before
            self._journal(self.live.journal_reports)
        board = self.board
        if board is not None and self.session.state.ended is None:
            self._journal(lambda: board.answers(self.session), source="board")
        self.repaint()
        if self.live is not None:
            self.query_one(RecordingIndicator).show_level(self.live.level())

    def recording_reported(self) -> None:
        """The recorder reported a change: journal it, then show it."""
        if self.live is not None:
            self._journal(self.live.journal_reports)
            change = self.session.state.recording
            if self.stopped_for_contact and change is not None and change.state == "started":
                # the first audio came after the contact ended (a call resumed after a crash
                # in its after-care, or over before the microphone opened): stop it now
                self.live.recorder.pause()
            self.repaint()
            self.refresh_bindings()

    def repaint(self) -> None:
        """Show the session as the domain assesses it now."""
        session, tr = self.session, self.tr
        assessment = session.assess()
        self.query_one(ElapsedTimer).show(assessment.contact_elapsed)  # stops with the contact
        self.query_one(LimitBar).show(bar_view(assessment, tr, session.state.channel))
        card = card_view(assessment, session.state, self.policy, tr)
        reminder = rejoin_reminder(session.state, self.policy, assessment.elapsed, tr)
        card = replace(card, reminder=reminder) if reminder else card
        if card != self._card:
            self._card = card
            self.query_one(StepCard).show(card)
            self.query_one(StepCard).scroll_home(animate=False)
        self._repaint_recording()
        if len(session.state.events) != self._timeline_events:  # rows change only with events
            self._timeline_events = len(session.state.events)
            rows = timeline_rows(session.state, tr)
            self.query_one(TimelineView).show(rows, tr("session.withdrawn_at"))
            self.query_one(BehaviourList).show(behaviour_views(self.policy, session.state))
        self._repaint_team()
        self._describe_next(assessment)

    def _repaint_team(self) -> None:
        """The discreet team line, and this session's status for the board."""
        line = team_line(self.session.state, self.policy, self.tr)
        if line != self._team:
            self._team = line
            team = self.query_one("#team", Static)
            team.update(line)
            team.display = bool(line)
        board = self.board
        if board is not None and self.session.state.ended is None:
            mode = recording_view(self.session.state, self.live is not None, self.tr).mode
            try:
                board.publish(self.session, mode)
            except (UserError, OSError) as error:  # the board misses it; the journal has it
                log.warning("the live status could not be written: %s", error)

    def _describe_next(self, assessment: Assessment) -> None:
        """Say in the footer what `n` records now (「n ステップ1を実施済みにする」)."""
        words = next_step_words(assessment, self.policy, self.session.state, self.tr)
        if words == self._next_words:
            return
        self._next_words = words
        bindings = [
            replace(binding, description=words) if binding.action == "next_step" else binding
            for _key, binding in self._bindings
        ]
        self._bindings = BindingsMap(bindings)
        self.refresh_bindings()

    def _repaint_recording(self) -> None:
        view = recording_view(self.session.state, self.live is not None, self.tr)
        self.query_one(RecordingIndicator).show(view)
        banner = self.query_one("#recording-banner", PhraseText)
        if view.banner != self._banner:
            self._banner = view.banner
            banner.update(view.banner)
            banner.set_class(view.mode == "fault", "-fault")
            banner.display = bool(view.banner)

    def _journal(self, intent: Callable[[], T], *, source: str = "journal") -> T | None:
        """Run one intent; on a failure show why and change nothing else.

        The error stays until its condition is gone: for the journal (a full disk, a share
        gone), until an event is on disk again — a clock tick with nothing due writes nothing
        and proves nothing; for the board, until its answers can be read again.
        """
        before = len(self.session.state.events)
        try:
            result = intent()
        except (UserError, OSError) as error:
            self._errors[source] = self.tr("app.error", error=error)
            self._show_errors()
            return None
        written = len(self.session.state.events) > before
        if source in self._errors and (written or source != "journal"):
            del self._errors[source]
            self._show_errors()
        return result

    def _show_errors(self) -> None:
        error_line = self.query_one("#error", Static)
        error_line.update("\n".join(self._errors.values()))
        error_line.display = bool(self._errors)

    # -- earlier contacts with the caller ----------------------------------------------------

    @work(thread=True, exit_on_error=False, group="contacts", name="contacts")
    def _look_up_contacts(self) -> None:
        assert self.setup.data_dir is not None
        contacts = look_up_contacts(self.setup.data_dir, self.session.state.started)
        self.post_message(EarlierContactsFound(contacts))

    @on(EarlierContactsFound)
    def _contacts_found(self, message: EarlierContactsFound) -> None:
        line = contacts_line(message.contacts, self.tr, self.policy.profile.language)
        contacts = self.query_one("#contacts", Static)
        contacts.update(line)
        contacts.display = bool(line)
        self.looking_up_contacts = False

    # -- the staff member's intents ----------------------------------------------------------

    def _repeated(self, action: str) -> bool:
        """True for the same key again within `repeat_seconds` (a bounce or a burst of a
        stressed hand), which is then ignored; any other key starts afresh."""
        now = self.setup.clock.monotonic()
        last, self._last_key = self._last_key, (action, now)
        window = self.setup.repeat_seconds
        return last is not None and last[0] == action and now - last[1] < window

    def action_next_step(self) -> None:
        """Before the limit, bring the next step forward (its card and lines show); on a shown
        card, record that the step was taken. The footer says which."""
        if self._repeated("next_step"):
            return
        self._journal(self.session.take_next_step)
        self._recording_follows_contact()
        self._show_response(None)
        self.repaint()

    def action_end_contact(self) -> None:
        """The caller hung up, the visitor left: the contact's time stops here, the after-care
        shows and the recording stops (unless the office keeps it on). `u` takes it back."""
        if self._repeated("end_contact"):
            return
        self._journal(self.session.end_contact)
        self._recording_follows_contact()
        self._show_response(None)
        self.repaint()

    def _recording_follows_contact(self) -> None:
        """By default the recording stops when the contact ends (paused, then stopped with the
        sheet's save) and starts again if that end is taken back; `[audio]
        record_after_contact` keeps it on through the after-care."""
        live = self.live
        if live is None or self.setup.record_after_contact:
            return
        ended = self.session.state.contact_ended is not None
        if ended and not self.stopped_for_contact:
            self.stopped_for_contact = True
            live.recorder.pause()
        elif not ended and self.stopped_for_contact:
            self.stopped_for_contact = False
            live.recorder.resume()

    def action_immediate(self) -> None:
        """Violence or danger: switch to the immediate path, whatever the time."""
        if self._repeated("immediate"):
            return
        self._journal(self.session.go_immediate)
        self._show_response(None)
        self.repaint()

    def action_keys(self) -> None:
        """A short key help over the session (the clock and the recording go on)."""
        keys = []
        for _key, binding in self._bindings:
            action = binding.action.split("(")[0]
            if action in HELP_HIDDEN or not binding.tooltip:
                continue
            keys.append((self.app.get_key_display(binding), binding.tooltip))
        self.app.push_screen(KeyHelp(self.tr, keys))

    def action_withdraw(self) -> None:
        """Take back the latest step, tag, note or immediate-path entry (a new event names it;
        the timeline keeps it, struck through)."""
        if self._repeated("withdraw"):
            return
        if self._journal(self.session.withdraw_last) is None:
            self.notify(self.tr("session.nothing_to_withdraw"), timeout=3)
        self._recording_follows_contact()
        self.repaint()

    def action_tag(self, index: int) -> None:
        """Tag the behaviour at `index`, or take the tag back."""
        behaviours = self.policy.behaviours
        if self._repeated(f"tag({index})"):
            return
        if 0 <= index < len(behaviours):
            behaviour_id = behaviours[index].id
            self._journal(lambda: self.session.toggle_tag(behaviour_id))
            self._respond_to(behaviour_id)
            self.repaint()

    @on(BehaviourPicked)
    def _picked(self, message: BehaviourPicked) -> None:
        self._journal(lambda: self.session.toggle_tag(message.behaviour_id))
        self._respond_to(message.behaviour_id)
        self.repaint()

    def action_pick_tag(self) -> None:
        """List every behaviour (past the twelfth there is no key) to tag or untag one."""

        def picked(behaviour_id: str | None) -> None:
            if behaviour_id is not None:
                self._journal(lambda: self.session.toggle_tag(behaviour_id))
                self._respond_to(behaviour_id)
                self.repaint()

        views = behaviour_views(self.policy, self.session.state)
        self.app.push_screen(TagPicker(views, self.tr), picked)

    def action_ask_help(self) -> None:
        """Ask for help without a sound; pressing again asks again."""
        self._journal(lambda: self.session.request_help(self.setup.help_call))
        self.repaint()

    def action_join(self) -> None:
        """Record a colleague who joined the session (複数名対応)."""
        self._ask_responder("join")

    def action_hand_over(self) -> None:
        """Hand the session over to someone else (the section manager, say)."""
        self._ask_responder("handover")

    def _ask_responder(self, mode: Literal["join", "handover"]) -> None:
        book = self.setup.colleagues or self._colleagues
        teamwork = self.policy.teamwork

        def answered(entry: ResponderEntry | None) -> None:
            if entry is None:
                return
            if mode == "join":
                event = self._journal(lambda: self.session.join(entry.staff, entry.role))
            else:
                event = self._journal(
                    lambda: self.session.hand_over(entry.staff, entry.role, manager=entry.manager)
                )
            if event is not None:
                book.remember(entry.staff)
            self.repaint()

        dialog = ResponderDialog(
            self.tr, mode, book.load(), reminder_lines(self.policy), teamwork.rejoin_source
        )
        self.app.push_screen(dialog, answered)

    def action_note(self) -> None:
        """Go to the note field; the note is stamped now, when the words were said (it is
        journaled with this moment once Enter writes it)."""
        self._note_moment()
        self.query_one("#note", Input).focus()

    def _note_moment(self) -> None:
        if self._note_said is None:
            self._note_said = self.session.stamp()

    @on(Input.Changed, "#note")
    def _note_typed(self, event: Input.Changed) -> None:
        """A note begun without `m` (the field clicked) is stamped at its first character;
        an emptied field has no moment any more."""
        if event.value:
            self._note_moment()
        else:
            self._note_said = None

    @on(Input.Blurred, "#note")
    def _note_left(self, event: Input.Blurred) -> None:
        if not event.value:  # `m` then Escape without a word: no note, no moment kept
            self._note_said = None

    def action_leave_field(self) -> None:
        """Back from the note field to the keys; else close the policy's response."""
        if self.focused is None:
            self._show_response(None)
        self.set_focus(None)

    # -- the policy at hand ------------------------------------------------------------------

    def _respond_to(self, behaviour_id: str) -> None:
        """A behaviour just tagged brings the policy's response to it (untagging clears it)."""
        if behaviour_id in self.session.state.tags:
            view = response_view(self.policy, behaviour_id, self.tr)
            self._show_response(view)
            self._response_for = behaviour_id if view is not None else ""
        elif self._response_for == behaviour_id:
            self._show_response(None)

    def _show_response(self, view: ResponseView | None) -> None:
        panel = self.query_one(ResponsePanel)
        panel.show(view, self.tr("session.card.response_lines"))
        if view is None:
            self._response_for = ""
        self.refresh_bindings()

    def action_contacts(self) -> None:
        """The profile's consultation contacts, over the session (the clock goes on)."""
        self.app.push_screen(ContactsScreen(self.policy, self.tr))

    def action_guidance(self) -> None:
        """The rest of the policy's guidance for this channel, scrollable; at the part the shown
        step goes with (庁舎管理規則第8条 with the order to leave), if any."""
        assessment = self.session.assess()
        proposed = assessment.proposed if assessment.pressing else None
        open_at = proposed.see[0] if proposed is not None and proposed.see else ""
        self.app.push_screen(
            GuidanceScreen(self.policy, self.session.state.channel, self.tr, open_at=open_at)
        )

    def action_pause_recording(self) -> None:
        """Pause the recording (the timer goes on); the recorder reports the pause."""
        if self.live is not None:
            self.live.recorder.pause()

    def action_resume_recording(self) -> None:
        """Record again; the recorder reports the gap since the pause. After the contact
        ended this is the staff member's choice: the after-care is then recorded too."""
        if self.live is not None:
            self.stopped_for_contact = False
            self.live.recorder.resume()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Escape (in the footer too) only while typing a note; offer `r` as pause while
        recording (or trying to) and as resume while paused, never without a recorder."""
        if action in ("confirm_end", "cancel_end"):
            return self.confirming_end
        if action == "leave_field":
            if self.confirming_end:
                return False
            return self.focused is not None or self.query_one(ResponsePanel).view is not None
        if action == "end":
            return not self.confirming_end
        if action == "end_contact":
            state = self.session.state
            return state.contact_ended is None and state.ended is None
        if action in ("pause_recording", "resume_recording"):
            if self.live is None or self.session.state.ended is not None:
                return False
            mode = recording_view(self.session.state, True, self.tr).mode
            if action == "resume_recording":
                return mode == "paused"
            return mode in ("starting", "recording", "fault")
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    @on(Input.Submitted, "#note")
    def _note_entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self._save_note():
            self.set_focus(None)

    def _save_note(self) -> bool:
        """Journal what is in the note field; the field is cleared only once it is on disk."""
        note = self.query_one("#note", Input)
        text = note.value
        if not text.strip():
            note.value = ""
            return True
        said = self._note_said
        if self._journal(lambda: self.session.add_note(text, said)) is None:
            return False
        self._note_said = None
        note.value = ""
        self.repaint()
        return True

    def action_end(self) -> None:
        """Ask in place whether the contact is over: the clock and the recording go on until
        enter or y (`action_confirm_end`); esc cancels. A note being typed is kept."""
        if not self._save_note():
            return
        self._last_key = ("end", self.setup.clock.monotonic())
        self.set_focus(None)
        self.confirming_end = True
        question = self.query_one("#end-confirm", Static)
        after = self.session.state.contact_ended is not None  # the call's time already stopped
        question.update(self.tr("session.confirm_end_after" if after else "session.confirm_end"))
        question.display = True
        self.refresh_bindings()

    def action_cancel_end(self) -> None:
        """The contact goes on: the question goes away, nothing is journaled."""
        self.confirming_end = False
        self.query_one("#end-confirm").display = False
        self.refresh_bindings()

    def action_confirm_end(self) -> None:
        """End the session and go to the wrap-up; the recording pauses there (so `esc` on the
        sheet can return to a call that is in fact still going on) and stops with the save."""
        self.action_cancel_end()
        if self._journal(self.session.end) is None and self.session.state.ended is None:
            return
        if self.board is not None:
            self.board.leave()
        if self.live is not None:
            self.live.recorder.pause()  # stopped with the save (`RecordSaved`), not here
        self.app.post_message(SessionEnded(self.session.state))
        self.app.switch_screen(WrapUpScreen(self.session, self.files, self.live))

    def leave_running(self) -> None:
        """The app is asked to end mid-session (a signal: the terminal closed, the PC shuts
        down): keep the note being typed and let go of the journal *without* ending the
        session, since nobody decided the contact was over. The next start offers to continue
        it or to close it as interrupted."""
        self.keep_note()
        if self.board is not None:
            self.board.leave()
        self.files.close()

    def keep_note(self) -> bool:
        """Journal the note being typed, if any (the app is asked to end)."""
        return self._save_note()

    def wind_up(self) -> None:
        """Closing the app mid-session: keep the note, end, and write the record without a
        sheet (the app then stops the recording; its archive finishes before the process
        exits and writes the record again)."""
        self._save_note()
        closed = document_words(self.policy.profile.language)("session.closed_app")
        self._journal(lambda: self.session.end(closed))  # the sheet prints it: its language
        if self.board is not None:
            self.board.leave()
        self._journal(lambda: self.files.write_record(self.session.state, self.policy))
        self.files.close()
