"""The behaviour categories to tag, each with its key; tagged ones are marked."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kasuhara_timer.desk.messages import BehaviourPicked
from kasuhara_timer.desk.views import BehaviourView


class BehaviourRow(Static):
    """One behaviour; a click tags or untags it (the same as its key)."""

    def __init__(self, view: BehaviourView) -> None:
        super().__init__(markup=False, classes="behaviour")
        self.behaviour_id = view.id
        self.paint(view)

    def paint(self, view: BehaviourView) -> None:
        """Show the key, a mark when tagged, and the label."""
        mark = "●" if view.tagged else "○"
        key = view.key.rjust(3) if view.key else "   "
        self.update(Content(f"{key} {mark} {view.label}"))
        self.set_class(view.tagged, "-tagged")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(BehaviourPicked(self.behaviour_id))


class BehaviourList(Vertical):
    """The policy's behaviours in order."""

    DEFAULT_CSS = """
    BehaviourList {
        height: auto;
        layout: grid;
        grid-size: 3;
        grid-rows: 1;
        grid-gutter: 0 1;
    }
    BehaviourList > .behaviour {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    BehaviourList > .behaviour.-tagged {
        text-style: bold;
        color: $warning;
    }
    """

    def __init__(self, views: list[BehaviourView], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._views = views

    def compose(self) -> ComposeResult:
        for view in self._views:
            yield BehaviourRow(view)

    def show(self, views: list[BehaviourView]) -> None:
        """Repaint the rows (the list of behaviours never changes during a session)."""
        for row, view in zip(self.query(BehaviourRow), views, strict=False):
            row.paint(view)
