"""The session screen: timer, bar to the limit, the proposed step, tags, notes and timeline.

Every key is an intent handed to `DeskSession`, which journals the event before the state
changes; the screen then repaints from the new state. If the journal fails, nothing changes on
screen except a red line saying why, so the screen never shows what is not on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from kasuhara_timer.errors import UserError
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.tui.keys import localize
from kasuhara_timer.tui.messages import BehaviourPicked, SessionEnded, SessionStarted
from kasuhara_timer.tui.ports import SessionFiles
from kasuhara_timer.tui.screens.base import DeskScreen
from kasuhara_timer.tui.screens.wrapup import WrapUpScreen
from kasuhara_timer.tui.views import (
    TAG_KEYS,
    CardView,
    TimelineRow,
    bar_view,
    behaviour_views,
    card_view,
    key_label,
    timeline_rows,
)
from kasuhara_timer.tui.widgets.behaviours import BehaviourList
from kasuhara_timer.tui.widgets.elapsed import ElapsedTimer
from kasuhara_timer.tui.widgets.limit_bar import LimitBar
from kasuhara_timer.tui.widgets.step_card import StepCard
from kasuhara_timer.tui.widgets.timeline import TimelineView

T = TypeVar("T")

FUNCTION_KEY_ALIASES = tuple(f"f{n}" for n in range(1, 11))
"""F1–F10 tag the first ten behaviours too, for desks used to function keys."""


class SessionScreen(DeskScreen[None]):
    """One live call, visit or other contact."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_step", "key.next", tooltip="key.next.tip", id="desk.next"),
        Binding(
            "x", "immediate", "key.immediate", tooltip="key.immediate.tip", id="desk.immediate"
        ),
        Binding("m", "note", "key.note", tooltip="key.note.tip", id="desk.note"),
        Binding("e", "end", "key.end", tooltip="key.end.tip", id="desk.end"),
        Binding(
            "escape",
            "leave_field",
            "key.leave_field",
            tooltip="key.leave_field.tip",
            id="desk.leave_field",
        ),
    ]

    def __init__(self, session: DeskSession, files: SessionFiles) -> None:
        super().__init__()
        self.session = session
        self.files = files
        self._card: CardView | None = None
        self._timeline: list[TimelineRow] | None = None
        localize(self, self.tr, self._tag_bindings())

    def _tag_bindings(self) -> list[Binding]:
        bindings = []
        for index, behaviour in enumerate(self.setup.policy.behaviours):
            tip = self.tr("key.tag.tip", label=behaviour.label)
            keys = [TAG_KEYS[index]] if index < len(TAG_KEYS) else []
            if index < len(FUNCTION_KEY_ALIASES):
                keys.append(FUNCTION_KEY_ALIASES[index])
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
        tr, setup = self.tr, self.setup
        with Horizontal(id="clock-row"):
            yield ElapsedTimer(id="elapsed")
            with Vertical(id="clock-side"):
                yield Static(self._status_text(), id="status")
                yield LimitBar(id="limit-bar")
        yield Static(id="error", markup=False)
        yield StepCard(id="card")
        behaviours = BehaviourList(
            behaviour_views(setup.policy, self.session.state), id="behaviours"
        )
        behaviours.border_title = tr("session.behaviours")
        yield behaviours
        timeline = TimelineView(id="timeline")
        timeline.border_title = tr("session.timeline")
        yield timeline
        yield Input(placeholder=tr("session.note_placeholder"), id="note", compact=True)
        yield Footer()

    def _status_text(self) -> Content:
        tr, started = self.tr, self.session.state.started
        policy = self.setup.policy
        channel = policy.channel(started.channel).label
        if tr.lang != policy.profile.language:  # the app's word, not the document's
            channel = tr(f"channel.{started.channel.value}")
        parts: list[str | tuple[str, str]] = [(f" {channel} ", "reverse bold")]
        if started.drill:
            parts += [" ", (f" {tr('session.drill', speed=f'{started.speed:g}')} ", "reverse")]
        parts.append(f"  {policy.profile.municipality}")
        local = started.at
        parts.append(f" · {tr('session.started', time=f'{local:%H:%M:%S}')}")
        if started.caller:
            parts.append(f" · {tr('session.caller', caller=started.caller)}")
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#note", Input).cursor_blink = self.setup.cursor_blink
        self.query_one("#error").display = False
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
        self.repaint()

    def repaint(self) -> None:
        """Show the session as the domain assesses it now."""
        session, tr = self.session, self.tr
        assessment = session.assess()
        self.query_one(ElapsedTimer).show(assessment.elapsed)
        self.query_one(LimitBar).show(bar_view(assessment, tr))
        card = card_view(assessment, session.state, self.setup.policy, tr)
        if card != self._card:
            self._card = card
            self.query_one(StepCard).show(card)
            self.query_one(StepCard).scroll_home(animate=False)
        rows = timeline_rows(session.state, tr)
        if rows != self._timeline:
            self._timeline = rows
            self.query_one(TimelineView).show(rows)
            self.query_one(BehaviourList).show(behaviour_views(self.setup.policy, session.state))

    def _journal(self, intent: Callable[[], T]) -> T | None:
        """Run one intent; on a journal failure show why and change nothing else."""
        error_line = self.query_one("#error", Static)
        try:
            result = intent()
        except (UserError, OSError) as error:
            error_line.update(self.tr("app.error", error=error))
            error_line.display = True
            return None
        error_line.display = False
        return result

    # -- the staff member's intents ----------------------------------------------------------

    def action_next_step(self) -> None:
        """The proposed step was taken; the next one is proposed."""
        self._journal(self.session.take_next_step)
        self.repaint()

    def action_immediate(self) -> None:
        """Violence or danger: switch to the immediate path, whatever the time."""
        self._journal(self.session.go_immediate)
        self.repaint()

    def action_tag(self, index: int) -> None:
        """Tag the behaviour at `index`, or take the tag back."""
        behaviours = self.setup.policy.behaviours
        if 0 <= index < len(behaviours):
            behaviour_id = behaviours[index].id
            self._journal(lambda: self.session.toggle_tag(behaviour_id))
            self.repaint()

    @on(BehaviourPicked)
    def _picked(self, message: BehaviourPicked) -> None:
        self._journal(lambda: self.session.toggle_tag(message.behaviour_id))
        self.repaint()

    def action_note(self) -> None:
        """Go to the note field."""
        self.query_one("#note", Input).focus()

    def action_leave_field(self) -> None:
        """Back from the note field to the keys."""
        self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Escape (in the footer too) only while typing a note."""
        if action == "leave_field":
            return self.focused is not None
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
        if self._journal(lambda: self.session.add_note(text)) is None:
            return False
        note.value = ""
        self.repaint()
        return True

    def action_end(self) -> None:
        """End the session (a note still being typed is kept) and go to the wrap-up."""
        if not self._save_note():
            return
        if self._journal(self.session.end) is None and self.session.state.ended is None:
            return
        self.app.post_message(SessionEnded(self.session.state))
        self.app.switch_screen(WrapUpScreen(self.session, self.files))

    def wind_up(self) -> None:
        """Closing the app mid-session: keep the note, end, and write the record without a sheet."""
        self._save_note()
        self._journal(lambda: self.session.end(self.tr("session.closed_app")))
        self._journal(lambda: self.files.write_record(self.session.state, self.setup.policy))
        self.files.close()
