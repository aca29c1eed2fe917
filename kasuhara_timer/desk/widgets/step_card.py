"""The card with the step the policy proposes: its lines to say, what to do, who to involve."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kasuhara_timer.desk.views import CardMode, CardView, Mark
from kasuhara_timer.ui.phrase_text import PhraseText

MARKS = {Mark.DONE: "✓", Mark.NEXT: "▶", Mark.TODO: "·"}
MODE_CLASSES = {mode: f"-{mode.value}" for mode in CardMode}
PARTS = (
    "ladder",
    "heading",
    "condition",
    "reminder",
    "notice",
    "quiet",
    "criteria",
    "contacts",
    "repeat",
    "lines",
    "borrowed",
    "steps",
    "aftercare",
    "do",
    "remark",
    "points",
    "involve",
    "taken",
)


class StepCard(VerticalScroll):
    """Paints a `CardView`; parts with nothing to show are hidden."""

    DEFAULT_CSS = """
    StepCard {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    StepCard #card-top { height: auto; }
    StepCard #card-heading { width: 1fr; text-style: bold; }
    StepCard #card-ladder { width: auto; color: $text-muted; margin: 0 0 0 2; }
    StepCard #card-lines { text-style: bold; margin: 0 0 1 0; }
    StepCard #card-notice { text-style: bold; margin: 0 0 1 0; }
    StepCard #card-reminder { color: $text-muted; margin: 0 0 1 0; }
    StepCard #card-quiet, StepCard #card-taken { color: $text-muted; }
    StepCard #card-borrowed, StepCard #card-remark { color: $text-muted; }
    StepCard #card-condition { text-style: italic; }
    StepCard #card-criteria { margin: 0 0 1 0; }
    StepCard #card-steps { margin: 0 0 1 0; }
    StepCard #card-aftercare { margin: 0 0 1 0; }
    StepCard #card-repeat { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="card-top"):
            yield PhraseText(id="card-heading")
            yield Static(id="card-ladder", markup=False)
        for part in PARTS[2:]:
            yield PhraseText(id=f"card-{part}")

    def show(self, view: CardView) -> None:
        """Paint `view`, and style the card by its mode (`-before`, `-step`, …)."""
        for mode, name in MODE_CLASSES.items():
            self.set_class(mode is view.mode, name)
        ladder = (
            ""
            if view.steps
            else " ".join(f"{MARKS[mark.mark]}{n}" for n, mark in enumerate(view.ladder, start=1))
        )
        texts = {
            "ladder": ladder,
            "heading": view.heading,
            "notice": "\n".join(view.notice),
            "reminder": "\n".join(view.reminder),
            "contacts": "\n".join(view.contacts),
            "lines": "\n\n".join(view.lines),
            "steps": "\n".join(view.steps),
            "aftercare": "\n".join(view.aftercare),
            "do": view.do,
            "points": "\n".join(f"・{point}" for point in view.points),
            "involve": view.involve,
            "repeat": view.repeat,
            "taken": view.taken,
            "quiet": view.quiet,
            "condition": view.condition,
            "borrowed": view.borrowed,
            "remark": view.remark,
            "criteria": "\n".join(view.criteria[:1] + tuple(f"・{c}" for c in view.criteria[1:])),
        }
        strip = self.query_one("#card-ladder", Static)
        strip.update(Content(ladder))
        strip.display = bool(ladder)
        for part, text in texts.items():
            if part == "ladder":
                continue
            widget = self.query_one(f"#card-{part}", PhraseText)
            widget.update(text)
            widget.display = bool(text)
