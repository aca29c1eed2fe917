"""The idle screen: one key starts a session; who is at the desk; which policy applies.

`1` `2` `3` start a session whatever has focus, even while a name or the caller's label is being
typed (a stressed hand presses 1 when the phone rings, not Esc then 1); so those three digits
are never text here, whether typed directly or committed by the IME as 「１」「２」「３」. The
caller's label is typed only after a deliberate key (`c`), never by landing in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, Static

from kasuhara_timer.desk.guidance import cited
from kasuhara_timer.desk.messages import ChannelPicked, FinishSheetRequested, StartRequested
from kasuhara_timer.desk.screens.base import DeskScreen
from kasuhara_timer.desk.views import limit_words
from kasuhara_timer.errors import UserError
from kasuhara_timer.lifecycle.unfinished import UnfinishedSheet
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import Instant
from kasuhara_timer.session.events import Staff
from kasuhara_timer.ui.keys import KeyedInput, localize
from kasuhara_timer.ui.phrase_text import PhraseText

CHANNEL_KEYS = {ChannelId.PHONE: "1", ChannelId.COUNTER: "2", ChannelId.OTHER: "3"}
START_KEYS = frozenset(CHANNEL_KEYS.values())
"""Start a session even from a text field: never text on this screen."""
STAFF_FIELDS = ("section", "title", "name")


class ChannelChoice(Static):
    """One way to start a session: its key, its name and its limit; clickable too."""

    def __init__(self, channel: ChannelId, text: Content) -> None:
        super().__init__(text, classes="channel-choice", id=f"start-{channel.value}")
        self.channel = channel

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ChannelPicked(self.channel))


class IdleScreen(DeskScreen[None]):
    """Waiting for the next call or visit."""

    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "1",
            "start('phone')",
            "key.start_phone",
            tooltip="key.start_phone.tip",
            id="desk.start_phone",
            priority=True,  # whatever has focus
        ),
        Binding(
            "2",
            "start('counter')",
            "key.start_counter",
            tooltip="key.start_counter.tip",
            id="desk.start_counter",
            priority=True,  # whatever has focus
        ),
        Binding(
            "3",
            "start('other')",
            "key.start_other",
            tooltip="key.start_other.tip",
            id="desk.start_other",
            priority=True,  # whatever has focus
        ),
        Binding("c", "caller", "key.caller", tooltip="key.caller.tip", id="desk.caller"),
        Binding(
            "f",
            "finish_sheet",
            "key.finish_sheet",
            tooltip="key.finish_sheet.tip",
            id="desk.finish_sheet",
        ),
        Binding(
            "escape",
            "leave_field",
            "key.leave_field",
            tooltip="key.leave_field.tip",
            id="desk.leave_field",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unfinished: tuple[UnfinishedSheet, ...] = ()
        """Record sheets of ended sessions never saved (`show_unfinished`), oldest first."""
        localize(self, self.tr)

    def compose(self) -> ComposeResult:
        tr, setup = self.tr, self.setup
        policy, info = setup.policy, setup.policy.profile
        yield Static(tr("app.title"), id="idle-title")
        if setup.drill:
            speed = f"{setup.speed:g}"
            yield Static(tr("app.drill_banner", speed=speed), id="drill-banner", markup=False)
        yield Static(
            Content(
                tr("idle.profile", municipality=info.municipality, title=info.title, date=info.date)
            ),
            id="idle-profile",
        )
        names = {channel: tr(f"channel.{channel.value}") for channel in CHANNEL_KEYS}
        methods = "/".join(m.label for m in policy.other_methods) or tr("channel.other_hint")
        names[ChannelId.OTHER] += f"（{methods}）"
        width = max(cell_len(name) for name in names.values())
        with Vertical(id="channels") as channels:
            channels.border_title = tr("idle.heading")
            for channel, key in CHANNEL_KEYS.items():
                name = names[channel] + " " * (width - cell_len(names[channel]))
                limit = limit_words(policy.channel(channel).limit, tr)
                text = Content.assemble(
                    (f" {key} ", "reverse bold"), "  ", (name, "bold"), "  ", limit
                )
                yield ChannelChoice(channel, text)
        yield Static(id="unfinished-sheets", markup=False)
        staff = setup.staff_book.load()
        with Horizontal(id="staff-row", classes="form-row"):
            yield Label(tr("idle.staff"), classes="row-label")
            for part in STAFF_FIELDS:
                yield Label(tr(f"idle.{part}"), classes="part-label")
                yield KeyedInput(
                    getattr(staff, part),
                    id=f"staff-{part}",
                    compact=True,
                    classes="staff-input",
                    keys=START_KEYS,
                )
        with Horizontal(id="caller-row", classes="form-row"):
            yield Label(tr("idle.caller"), classes="row-label")
            caller = KeyedInput(
                placeholder=tr("idle.caller_hint"), id="caller", compact=True, keys=START_KEYS
            )
            caller.can_focus = False  # only after `c` (action_caller), never by Tab or by chance
            yield caller
        yield Static(tr("idle.edit_hint"), id="idle-hint")
        yield Static(id="idle-message", markup=False)
        with VerticalScroll(id="cautions"):
            for caution in policy.cautions:
                mark = "" if caution.startswith("※") else "※"
                yield PhraseText(f"{mark}{cited(caution)}", classes="caution")
        yield Footer()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.setup.cursor_blink
        self.query_one("#idle-message").display = False
        self.show_unfinished(self.unfinished)

    def show_unfinished(self, sheets: tuple[UnfinishedSheet, ...]) -> None:
        """「記録シート未完成：N件」 with the key that finishes the oldest; nothing when none."""
        self.unfinished = sheets
        found = self.query("#unfinished-sheets")
        if not found:
            return
        line = found.first(Static)
        line.display = bool(sheets)
        if sheets:
            oldest = sheets[0]
            at = oldest.started_at  # in the desk's zone when it started
            line.update(
                self.tr(
                    "idle.unfinished",
                    n=len(sheets),
                    when=f"{at.month}/{at.day} {at:%H:%M}",
                    channel=self.tr(f"channel.{oldest.channel.value}"),
                )
            )
        self.refresh_bindings()

    def action_finish_sheet(self) -> None:
        """Finish the oldest unsaved record sheet from its draft."""
        if self.unfinished:
            self.post_message(FinishSheetRequested(self.unfinished[0]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finish_sheet":
            return bool(self.unfinished)
        return True

    def staff(self) -> Staff:
        """The staff member as typed on this screen."""
        values = {
            part: self.query_one(f"#staff-{part}", Input).value.strip() for part in STAFF_FIELDS
        }
        return Staff(**values)

    def action_start(self, channel: str) -> None:
        """Start a session on `channel`, counting from this key; the caller label is used once."""
        began = Instant.now(self.setup.clock)
        staff = self.staff()
        self._remember(staff)
        caller = self.query_one("#caller", Input).value.strip()
        self.post_message(StartRequested(ChannelId(channel), staff, caller, began))

    def session_started(self) -> None:
        """The app started the session asked for: the caller label was used once."""
        self.query_one("#caller", Input).value = ""
        self.query_one("#idle-message").display = False

    def action_caller(self) -> None:
        """Type the caller's label (optional): a deliberate key, so no one lands in it by Tab;
        Enter or Esc leaves it, and 1/2/3 start the session with it as typed so far."""
        caller = self.query_one("#caller", Input)
        caller.can_focus = True
        caller.focus()

    def action_leave_field(self) -> None:
        """Leave a text field (Esc); nothing else on this screen needs it left."""
        self.set_focus(None)

    @on(events.DescendantBlur, "#caller")
    def _left_caller(self) -> None:
        self.query_one("#caller", Input).can_focus = False

    @on(events.Click, "#caller")
    def _clicked_caller(self) -> None:
        self.action_caller()  # a click is deliberate too

    @on(ChannelPicked)
    def _picked(self, message: ChannelPicked) -> None:
        self.action_start(message.channel.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id and event.input.id.startswith("staff-"):
            self._remember(self.staff())
        self.set_focus(None)

    def show_saved(self, location: Path, files: tuple[Path, ...]) -> None:
        """Tell where the last session's record was written."""
        staff = self.setup.staff_book.load()
        for part in STAFF_FIELDS:
            self.query_one(f"#staff-{part}", Input).value = getattr(staff, part)
        lines = [self.tr("idle.saved", folder=location), *(f"  {path.name}" for path in files)]
        self._message("\n".join(lines), error=False)

    def show_error(self, text: str) -> None:
        """Say why a session could not start."""
        self._message(text, error=True)

    def _message(self, text: str, *, error: bool) -> None:
        message = self.query_one("#idle-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")
        message.display = True

    def _remember(self, staff: Staff) -> None:
        if staff != self.setup.staff_book.load():
            try:
                self.setup.staff_book.save(staff)
            except (UserError, OSError) as error:
                self.show_error(self.tr("app.error", error=error))
