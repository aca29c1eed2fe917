"""The policy at hand, one key away: its contacts (`c`) and the rest of its guidance (`g`).

Both open over the session (or the wrap-up, where F6 and F7 open them from inside a text field)
and close with Escape or their own key; the session
goes on underneath (the clock keeps running, nothing is journaled). What they show is computed
in `kasuhara_timer.desk.guidance`: the document's words, cited, never a criminal-code article.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kasuhara_timer.desk.guidance import contact_rows, guidance_heading, guidance_sections
from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.ui.keys import localize
from kasuhara_timer.ui.phrase_text import PhraseText

PANEL_CSS = """
{name} {{
    align: center middle;
}}
{name} #panel-box {{
    width: 90%;
    max-width: 96;
    height: 90%;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}}
{name} #panel-title {{ text-style: bold; }}
{name} #panel-hint {{ color: $text-muted; }}
{name} .panel-heading {{ text-style: bold; margin: 1 0 0 0; }}
{name} #panel-body {{ height: 1fr; }}
"""


class Heading(Static):
    """A part's heading on the guidance screen, which knows its words (to scroll to it)."""

    def __init__(self, heading: str) -> None:
        super().__init__(heading, classes="panel-heading", markup=False)
        self.heading = heading


class ContactsScreen(ModalScreen[None]):
    """The profile's consultation contacts: 110 and the police first, then every other."""

    DEFAULT_CSS = PANEL_CSS.format(name="ContactsScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,c,f6", "close", "key.close", tooltip="key.close.tip", id="contacts.close"),
    ]

    def __init__(self, policy: Policy, tr: Translator) -> None:
        super().__init__()
        self.policy = policy
        self.tr = tr
        localize(self, tr)

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(id="panel-box"):
            yield Static(
                tr("guidance.contacts.title", municipality=self.policy.profile.municipality),
                id="panel-title",
                markup=False,
            )
            with VerticalScroll(id="panel-body"):
                for row in contact_rows(self.policy, tr):
                    yield PhraseText(row, classes="contact")
            yield Static(tr("guidance.close"), id="panel-hint", markup=False)

    def action_close(self) -> None:
        """Back to the session."""
        self.dismiss(None)


class GuidanceScreen(ModalScreen[None]):
    """The rest of the policy's guidance for this channel, scrollable."""

    DEFAULT_CSS = PANEL_CSS.format(name="GuidanceScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,g,f7", "close", "key.close", tooltip="key.close.tip", id="guidance.close"),
    ]

    def __init__(
        self, policy: Policy, channel: ChannelId, tr: Translator, *, open_at: str = ""
    ) -> None:
        super().__init__()
        self.policy = policy
        self.channel = channel
        self.tr = tr
        self.open_at = next(
            (guidance_heading(part) for part in policy.guidance if part.title == open_at), ""
        )
        """The heading to scroll to first (a guidance part the shown step goes with)."""
        localize(self, tr)

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(id="panel-box"):
            yield Static(
                tr("guidance.title", municipality=self.policy.profile.municipality),
                id="panel-title",
                markup=False,
            )
            with VerticalScroll(id="panel-body"):
                for heading, items in guidance_sections(self.policy, self.channel, tr):
                    yield Heading(heading)
                    for item in items:
                        yield PhraseText(f"・{item}", classes="guidance-item")
            yield Static(tr("guidance.close"), id="panel-hint", markup=False)

    def on_mount(self) -> None:
        body = self.query_one("#panel-body", VerticalScroll)
        body.focus()
        if self.open_at:
            heading = next(
                (h for h in self.query(Heading).results(Heading) if h.heading == self.open_at),
                None,
            )
            if heading is not None:
                self.call_after_refresh(body.scroll_to_widget, heading, top=True, animate=False)

    def action_close(self) -> None:
        """Back to the session."""
        self.dismiss(None)
