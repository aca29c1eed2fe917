"""Who joined or who takes over: name, section, title and role, picked or typed.

`j` opens it to record a colleague who joined (複数名対応), `o` to hand the session over
(対応者を代わる, or 所管課長が対応を代わる with the box ticked). Colleagues typed before on this
PC are listed first (Enter picks one into the fields). The policy's words about not making the
visitor explain again are shown above the fields, since this is the moment they matter. The
answer is a `ResponderEntry`, or None when cancelled; the timer goes on underneath.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from kasuhara_timer.i18n import Translator
from kasuhara_timer.session.events import Staff
from kasuhara_timer.session.team import staff_words
from kasuhara_timer.ui.phrase_text import PhraseText

FIELDS = ("section", "title", "name", "role")


@dataclass(frozen=True)
class ResponderEntry:
    """What the dialog answered."""

    staff: Staff
    role: str
    manager: bool = False


class ResponderDialog(ModalScreen[ResponderEntry | None]):
    """Record who joined (`mode="join"`) or who takes over (`mode="handover"`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "join.cancel", id="responder.cancel"),
    ]

    def __init__(
        self,
        tr: Translator,
        mode: Literal["join", "handover"],
        remembered: list[Staff],
        reminder: tuple[str, ...],
        reminder_source: str,
    ) -> None:
        super().__init__()
        self.tr = tr
        self.mode = mode
        self.remembered = remembered
        self.reminder = reminder
        self.reminder_source = reminder_source

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(id="responder-box"):
            title = "join.title" if self.mode == "join" else "handover.title"
            yield Static(tr(title), id="responder-heading", markup=False)
            if self.reminder:
                words = "\n".join(
                    (tr("team.reminder", source=self.reminder_source), *self.reminder)
                )
                yield PhraseText(words, id="responder-reminder")
            if self.remembered:
                yield Static(tr("join.remembered"), classes="responder-label", markup=False)
                yield OptionList(
                    *(
                        Option(Content(staff_words(s) or s.name), id=str(i))
                        for i, s in enumerate(self.remembered)
                    ),
                    id="responder-remembered",
                )
            with Horizontal(id="responder-fields"):
                for part in FIELDS:
                    label = "join.role" if part == "role" else f"idle.{part}"
                    placeholder = tr("join.role_hint") if part == "role" else tr(label)
                    yield Input(placeholder=placeholder, id=f"responder-{part}", compact=True)
            if self.mode == "handover":
                yield Checkbox(tr("join.manager"), id="responder-manager", compact=True)
            yield Static(id="responder-error", markup=False)
            with Horizontal(id="responder-buttons"):
                yield Button(tr("join.cancel"), id="responder-no", compact=True)
                yield Button(tr("join.ok"), id="responder-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#responder-error").display = False
        self.query_one("#responder-name", Input).focus()

    @on(OptionList.OptionSelected, "#responder-remembered")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        staff = self.remembered[int(event.option.id or 0)]
        for part in ("section", "title", "name"):
            self.query_one(f"#responder-{part}", Input).value = getattr(staff, part)
        self.query_one("#responder-role", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "responder-ok":
            self._answer()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without recording anything."""
        self.dismiss(None)

    def _answer(self) -> None:
        values = {
            part: self.query_one(f"#responder-{part}", Input).value.strip() for part in FIELDS
        }
        if not values["name"]:
            error = self.query_one("#responder-error", Static)
            error.update(self.tr("join.name_needed"))
            error.display = True
            self.query_one("#responder-name", Input).focus()
            return
        manager = self.mode == "handover" and self.query_one("#responder-manager", Checkbox).value
        staff = Staff(name=values["name"], section=values["section"], title=values["title"])
        self.dismiss(ResponderEntry(staff, values["role"], manager))
