"""Every behaviour of the policy in a list, for tagging by keyboard past the twelfth key.

Sakaide and Taito list fifteen behaviours, the keys 1–0, F11 and F12 reach twelve: `t` opens
this list (each with its key, if it has one, and a mark when tagged); Enter tags or untags the
highlighted one, Escape closes it. The answer is the behaviour's id, or None.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasuhara_timer.desk.views import BehaviourView
from kasuhara_timer.i18n import Translator
from kasuhara_timer.ui.keys import localize


class TagPicker(ModalScreen[str | None]):
    """Pick a behaviour to tag or untag; dismissed with its id, or None."""

    DEFAULT_CSS = """
    TagPicker {
        align: center middle;
    }
    TagPicker #picker-box {
        width: 64;
        max-height: 90%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    TagPicker #picker-list {
        height: auto;
        max-height: 18;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,t",
            "dismiss_picker",
            "key.leave_field",
            tooltip="key.tag_picker.close.tip",
            id="picker.close",
        ),
    ]

    def __init__(self, views: list[BehaviourView], tr: Translator) -> None:
        super().__init__()
        self.views = views
        self.tr = tr
        localize(self, tr)

    def compose(self) -> ComposeResult:
        options = []
        for view in self.views:
            mark = "●" if view.tagged else "○"
            key = view.key.rjust(3) if view.key else "   "
            options.append(Option(Content(f"{key} {mark} {view.label}"), id=view.id))
        with Vertical(id="picker-box"):
            yield Static(self.tr("tag_picker.title"), markup=False)
            yield OptionList(*options, id="picker-list")

    def action_dismiss_picker(self) -> None:
        """Close without tagging."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
