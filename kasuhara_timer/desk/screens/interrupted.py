"""The question asked at start for each session a crash left running: continue, close or later.

One key per choice (`r` continue, `c` close as interrupted, `l` or Escape later), shown with
what the staff member needs to decide: when it started, on which channel, who answered, and
where the evidence stops (the last event, or the end of the recorded audio when later). A
journal with damaged lines can only be closed; one whose start is lost can only be left (the
store cannot close it), and both say why. The answer is the screen's result; the app acts.

Launched for a channel (``--channel phone``: the shortcut pressed as the phone rang), the
question comes before any session starts and has two answers, `r` continue that call or `n`
start a new one; Escape answers nothing, since either way a call is on.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kasuhara_timer.desk.interruption_words import reason_words
from kasuhara_timer.i18n import Translator
from kasuhara_timer.session.clock import format_elapsed
from kasuhara_timer.store.timeline import duration_words
from kasuhara_timer.ui.phrase_text import PhraseText

if TYPE_CHECKING:
    from kasuhara_timer.lifecycle.interrupted import Interrupted
    from kasuhara_timer.policy.models import ChannelId

RecoveryChoice = Literal["resume", "close", "later", "new"]
CHOICE_KEYS: dict[RecoveryChoice, str] = {"resume": "r", "close": "c", "later": "l", "new": "n"}


def choices(found: Interrupted, *, launch: bool = False) -> tuple[RecoveryChoice, ...]:
    """What can be done with `found`: continue only an intact journal; close any whose start
    can be read; leave any. At a launch for a channel: continue it or start a new one."""
    if launch:
        return ("resume", "new") if found.resumable and not found.damaged else ("new",)
    if not found.resumable:
        return ("later",)
    if found.damaged:
        return ("close", "later")
    return ("resume", "close", "later")


class RecoveryScreen(ModalScreen[RecoveryChoice]):
    """One interrupted session: `r`, `c` or `l` (Escape) answers; so do the buttons. At a
    launch for a channel (`launch`), `r` or `n`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", show=False, id="recovery.resume"),
        Binding("c", "choose('close')", show=False, id="recovery.close"),
        Binding("l,escape", "choose('later')", show=False, id="recovery.later"),
        Binding("n", "choose('new')", show=False, id="recovery.new"),
    ]

    def __init__(
        self,
        found: Interrupted,
        tr: Translator,
        number: int,
        total: int,
        error: str = "",
        *,
        launch: ChannelId | None = None,
    ) -> None:
        super().__init__()
        self.found = found
        self.tr = tr
        self.number = number
        self.total = total
        self.error = error
        self.launch = launch
        """The channel the desk was launched for: the question comes before its session."""
        self.offered = choices(found, launch=launch is not None)

    def compose(self) -> ComposeResult:
        tr, found = self.tr, self.found
        with Vertical(id="recovery-box"):
            if self.launch is not None:
                channel = tr(f"channel.{self.launch.value}")
                title = tr("recovery.launch_title", channel=channel)
                explain = tr("recovery.launch_explain")
            else:
                title = tr("recovery.title", n=self.number, total=self.total)
                explain = tr("recovery.explain")
            yield Static(title, id="recovery-title", markup=False)
            yield PhraseText(explain, id="recovery-explain")
            yield Static(Content("\n".join(self._facts())), id="recovery-facts")
            reason = reason_words(found, tr)
            if reason:
                key = "recovery.damaged" if found.resumable else "recovery.unreadable"
                yield PhraseText(tr(key, reason=reason), id="recovery-reason", classes="-error")
                hint = tr("recovery.verify_hint", folder=found.folder.name)
                yield PhraseText(hint, id="recovery-hint")
            if self.error:
                error = tr("recovery.failed", error=self.error)
                yield PhraseText(error, id="recovery-error", classes="-error")
            with Vertical(id="recovery-choices"):
                for choice in self.offered:
                    with Horizontal(classes="recovery-choice"):
                        label = f"{CHOICE_KEYS[choice]} {tr(f'recovery.{choice}')}"
                        yield Button(
                            label,
                            id=f"recovery-{choice}",
                            variant="primary" if choice == "resume" else "default",
                            compact=True,
                        )
                        yield PhraseText(tr(f"recovery.{choice}_hint"), classes="choice-hint")

    def _facts(self) -> list[str]:
        """Label and value lines: start, staff, where the evidence stops, drill."""
        tr, found = self.tr, self.found
        sep = "・" if tr.lang == "ja" else ", "
        rows: list[tuple[str, str]] = []
        if found.started_at is not None:
            channel = tr(f"channel.{found.channel.value}") if found.channel else ""
            started = f"{found.started_at:%Y/%m/%d %H:%M:%S}{sep}{channel}"
            rows.append((tr("recovery.started"), started))
            staff = found.staff
            who = " ".join(part for part in (staff.section, staff.title, staff.name) if part)
            rows.append((tr("recovery.staff"), who or tr("recovery.staff_unknown")))
        evidence = found.evidence
        if evidence is not None:
            ends = _time(evidence.at, found.started_at)
            rows.append(
                (
                    tr("recovery.evidence"),
                    tr("recovery.evidence_value", time=ends, elapsed=format_elapsed(evidence.t)),
                )
            )
            audio = (
                tr("recovery.audio", duration=duration_words(evidence.audio_seconds, tr))
                if evidence.audio_seconds > 0
                else tr("recovery.no_audio")
            )
            last = tr("recovery.last_event", time=_time(evidence.last_event_at, found.started_at))
            rows.append(("", f"{last}{sep}{audio}"))
        if found.drill:
            rows.append(("", tr("recovery.drill")))
        if found.started_at is None:
            rows.append((tr("recovery.folder"), found.folder.name))
        width = max(_cells(label) for label, _value in rows) if rows else 0
        return [f"{label}{' ' * (width - _cells(label))}  {value}" for label, value in rows]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the choices this session allows answer their key."""
        if action == "choose":
            return parameters[0] in self.offered
        return True

    def action_choose(self, choice: RecoveryChoice) -> None:
        """Dismiss with the staff member's choice."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("recovery-")
        for offered in self.offered:
            if offered == choice:
                self.dismiss(offered)


def _time(moment: datetime, started: datetime | None) -> str:
    """`HH:MM:SS`, with the date when it is not the start's."""
    if started is not None and moment.date() == started.date():
        return f"{moment:%H:%M:%S}"
    return f"{moment:%Y/%m/%d %H:%M:%S}"


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)
