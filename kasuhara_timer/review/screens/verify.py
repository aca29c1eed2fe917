"""`v` on a session: `kasuhara-timer verify` for this one session, its findings in the
interface's language (`integrity.reasons`), wrapped; read-only.

Logged first (as `verify` is): when the access log cannot be written nothing is read. The check
decodes the recording, so it runs in a worker thread while the dialog says so.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button

from kasuhara_timer.catalog.sessions import LoadedSession
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.integrity.commands import finding_words
from kasuhara_timer.integrity.verify import Severity, VerifyReport, verify_session
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.ui.phrase_text import PhraseText


class VerifyScreen(ReviewNode, ModalScreen[None]):
    """What `verify` finds in one session: the verdict, then each problem and note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "key.back", tooltip="key.back.tip", id="review.verify_back"),
    ]

    def __init__(self, loaded: LoadedSession) -> None:
        super().__init__()
        self.translate_bindings()
        self.loaded = loaded
        self.report: VerifyReport | None = None

    def compose(self) -> ComposeResult:
        words = self.words
        with Vertical(id="verify-dialog", classes="dialog") as dialog:
            dialog.border_title = words("verify.title", what=self.loaded.folder.name)
            with VerticalScroll(id="verify-scroll"):
                yield PhraseText(words("verify.running"), id="verify-text")
            with Horizontal(classes="buttons"):
                yield Button(words("key.back"), id="close", compact=True)

    def on_mount(self) -> None:
        try:
            log_access(self.setup.data_dir, AccessAction.VERIFY, self.loaded.folder.name)
        except UserError as error:
            self._show(self.words("verify.refused", error=error))
            return
        self._verify()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _verify(self) -> None:
        from kasuhara_timer.config import load_settings

        try:
            keyring = load_settings().trust.keyring()
        except UserError:
            keyring = None
        report = verify_session(self.loaded.folder, data_dir=self.setup.data_dir, keyring=keyring)
        self.app.call_from_thread(self._reported, report)

    def _reported(self, report: VerifyReport) -> None:
        self.report = report
        self._show(report_words(report, self.words))

    def _show(self, text: str) -> None:
        self.query_one("#verify-text", PhraseText).update(text)
        self.query_one("#verify-scroll").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to the session."""
        self.dismiss(None)


def report_words(report: VerifyReport, words: Translator) -> str:
    """The verdict and every finding, one paragraph each, problems first."""
    lang = words.lang
    verdict = words("verify.intact" if report.intact else "verify.not_intact")
    lines = [verdict, words("verify.facts", events=report.events, checked=len(report.checked))]
    for severity, mark in ((Severity.PROBLEM, "✗ "), (Severity.NOTE, words("verify.note"))):
        lines += [
            mark + finding_words(finding, lang)
            for finding in report.findings
            if finding.severity is severity
        ]
    return "\n".join(lines)
