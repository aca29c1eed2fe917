"""The filter dialog: period, channel, staff, section, behaviour, limit reached, words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from kasuhara_timer.catalog.query import SessionFilter
from kasuhara_timer.catalog.sessions import SessionStatus
from kasuhara_timer.i18n import Translator
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.review.widgets.period import period_inputs
from kasuhara_timer.ui.phrase_text import PhraseText

CHANNELS = ("phone", "counter", "other")


class FilterScreen(ReviewNode, ModalScreen[SessionFilter | None]):
    """Returns the new filter, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.back", tooltip="key.back.tip", id="review.filter_back"),
    ]

    def __init__(self, where: SessionFilter) -> None:
        super().__init__()
        self.translate_bindings()
        self.where = where

    def compose(self) -> ComposeResult:
        words, where, index = self.words, self.where, self.setup.index
        drill = bool(where.drill)
        blank = words("filter.any")
        with Vertical(id="filter-dialog", classes="dialog") as dialog:
            dialog.border_title = words("filter.title")
            with Grid(id="filter-grid"):
                yield from period_inputs(words, where.date_from, where.date_to, "date")
                yield Label(words("filter.channel"))
                yield Select(
                    [(words(f"channel.{c}"), c) for c in CHANNELS],
                    prompt=blank,
                    value=where.channel or Select.NULL,
                    id="channel",
                    compact=True,
                )
                yield Label(words("filter.staff"))
                yield _choice(index.choices("staff_name", drill), where.staff, "staff", blank)
                yield Label(words("filter.section"))
                yield _choice(
                    index.choices("staff_section", drill), where.section, "section", blank
                )
                yield Label(words("filter.tag"))
                yield Select(
                    [(label, tag) for tag, label in index.tag_choices(drill)],
                    prompt=blank,
                    value=where.tag or Select.NULL,
                    id="tag",
                    compact=True,
                )
                yield Label(words("filter.step"))
                yield Select(
                    [(words("filter.step_n", n=n), n) for n in (1, 2, 3, 4)],
                    prompt=blank,
                    value=where.min_step if where.min_step is not None else Select.NULL,
                    id="step",
                    compact=True,
                )
                yield Label(words("filter.immediate"))
                yield _yes_no(words, "immediate", where.immediate, blank)
                yield Label(words("filter.status"))
                yield Select(
                    [(words(f"status.choice_{s.value}"), s.value) for s in SessionStatus],
                    prompt=blank,
                    value=where.status.value if where.status is not None else Select.NULL,
                    id="status",
                    compact=True,
                )
                yield Label(words("filter.signed"))
                yield _yes_no(words, "signed", where.signed, blank)
                yield Label(words("filter.held"))
                yield _yes_no(words, "held", where.held, blank)
                yield Label(words("filter.text"))
                yield Input(where.text, id="text", compact=True)
            yield Checkbox(words("filter.limit"), bool(where.limit_reached), id="limit")
            yield PhraseText(id="filter-error")
            with Horizontal(classes="buttons"):
                yield Button(words("filter.apply"), variant="primary", id="apply", compact=True)
                yield Button(words("filter.clear"), id="clear", compact=True)
                yield Button(words("filter.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.steady_inputs()

    def chosen(self) -> SessionFilter | None:
        """The filter as entered, or None (and a message) when a date is malformed."""
        dates: list[date | None] = []
        for field_id in ("#date-from", "#date-to"):
            value = self.query_one(field_id, Input).value.strip()
            try:
                dates.append(date.fromisoformat(value) if value else None)
            except ValueError:
                error = self.query_one("#filter-error", PhraseText)
                error.update(self.words("filter.bad_date", value=value))
                error.add_class("-error")
                return None

        def pick(select_id: str) -> str:
            value = self.query_one(select_id, Select).value
            return str(value) if isinstance(value, str) else ""

        return replace(
            self.where,
            date_from=dates[0],
            date_to=dates[1],
            channel=pick("#channel"),
            staff=pick("#staff"),
            section=pick("#section"),
            tag=pick("#tag"),
            text=self.query_one("#text", Input).value,
            min_step=_int(self.query_one("#step", Select).value),
            immediate=_bool(self.query_one("#immediate", Select).value),
            status=(
                SessionStatus(status)
                if isinstance(status := self.query_one("#status", Select).value, str)
                else None
            ),
            signed=_bool(self.query_one("#signed", Select).value),
            held=_bool(self.query_one("#held", Select).value),
            limit_reached=True if self.query_one("#limit", Checkbox).value else None,
        )

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        where = self.chosen()
        if where is not None:
            self.dismiss(where)

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(SessionFilter(drill=self.where.drill))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)


def _yes_no(words: Translator, name: str, value: bool | None, blank: str) -> Select[str]:
    """すべて / ～あり / ～なし for a yes-or-no filter (ids `immediate`, `signed`)."""
    return Select(
        [(words(f"filter.{name}_yes"), "yes"), (words(f"filter.{name}_no"), "no")],
        prompt=blank,
        value=Select.NULL if value is None else ("yes" if value else "no"),
        id=name,
        compact=True,
    )


def _bool(value: object) -> bool | None:
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _choice(values: list[str], current: str, widget_id: str, blank: str) -> Select[str]:
    options = [(value, value) for value in values]
    if current and current not in values:
        options.insert(0, (current, current))
    return Select(options, prompt=blank, value=current or Select.NULL, id=widget_id, compact=True)
