"""The bar toward the policy's limit, coloured by phase (`-calm`, `-near`, `-over`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label, ProgressBar

from kasuhara_timer.desk.views import BarView
from kasuhara_timer.session.escalation import Phase

PHASE_CLASSES = {phase: f"-{phase.value}" for phase in Phase}


class LimitBar(Widget):
    """A progress bar and one line of words: how far to the limit, or how far past it."""

    DEFAULT_CSS = """
    LimitBar {
        height: 2;
        layout: vertical;
    }
    LimitBar ProgressBar {
        width: 1fr;
    }
    LimitBar ProgressBar Bar {
        width: 1fr;
    }
    LimitBar #limit-words {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    LimitBar.-calm Bar > .bar--bar { color: $success; }
    LimitBar.-near Bar > .bar--bar { color: $warning; }
    LimitBar.-near #limit-words { color: $warning; text-style: bold; }
    LimitBar.-over Bar > .bar--complete { color: $error; }
    LimitBar.-over Bar > .bar--bar { color: $error; }
    LimitBar.-over #limit-words { color: $error; text-style: bold; }
    LimitBar.-off Bar > .bar--bar { color: $text-muted; }
    LimitBar.-off Bar > .bar--complete { color: $text-muted; }
    LimitBar.-off #limit-words { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1.0, show_eta=False, show_percentage=False)
        yield Label("", id="limit-words", markup=False)

    _shown: BarView | None = None

    def show(self, view: BarView) -> None:
        """Paint `view`; the phase becomes this widget's class. Repaints only what changed:
        this runs on every repaint pulse, and a label update costs a layout pass."""
        if view == self._shown:
            return
        shown, self._shown = self._shown, view
        for phase, name in PHASE_CLASSES.items():
            self.set_class(phase is view.phase and not view.off, name)
        self.set_class(view.off, "-off")
        if shown is None or shown.progress != view.progress:
            self.query_one(ProgressBar).update(progress=view.progress)
        if shown is None or shown.text != view.text:
            # One line of fixed height and width: the words change every second, the size
            # never, so no layout pass (it was one a second, most of the desk's idle CPU).
            self.query_one("#limit-words", Label).update(view.text, layout=False)
