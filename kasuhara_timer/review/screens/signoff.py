"""`k` on a session: a supervisor marks it 確認済み with a comment, or takes that back.

The sign-off is appended (fsynced) to the session's sign-off log beside its folder
(`store.signoff`), signed with the supervisor identity this review was unlocked with; the desk's
journal is never touched. Returns True when something was written.
"""

from __future__ import annotations

import getpass
import socket
from datetime import datetime
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from kasuhara_timer.catalog.sessions import LoadedSession
from kasuhara_timer.integrity import roles
from kasuhara_timer.review.screens.base import ReviewNode
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.signoff import SIGNOFF, WITHDRAWN, append_signoff, read_signoffs
from kasuhara_timer.trust.signing import sign_record
from kasuhara_timer.ui.phrase_text import PhraseText


class SignOffScreen(ReviewNode, ModalScreen[bool]):
    """The sign-off of one session: its history, a comment, 確認済みにする / 取り消す."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.back", tooltip="key.back.tip", id="review.signoff_back"),
    ]

    def __init__(self, loaded: LoadedSession) -> None:
        super().__init__()
        self.translate_bindings()
        self.loaded = loaded
        self.data_dir = loaded.folder.path.parent.parent
        self.signoffs = read_signoffs(self.data_dir, loaded.folder.name)

    def compose(self) -> ComposeResult:
        words = self.words
        current = self.signoffs.current
        with Vertical(id="signoff-dialog", classes="dialog") as dialog:
            dialog.border_title = words("signoff.title", what=self.loaded.folder.name)
            yield PhraseText(self._history(), id="signoff-history")
            yield Label(words("signoff.comment"))
            yield Input(id="signoff-comment", compact=True)
            yield PhraseText(id="signoff-status")
            with Horizontal(classes="buttons"):
                yield Button(words("signoff.sign"), variant="primary", id="sign", compact=True)
                if current is not None:
                    yield Button(words("signoff.withdraw"), id="withdraw", compact=True)
                yield Button(words("key.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.steady_inputs()
        self.query_one("#signoff-comment").focus()

    def _history(self) -> str:
        words = self.words
        if not self.signoffs.entries:
            return words("signoff.none")
        lines = []
        for entry in self.signoffs.entries:
            what = words("signoff.signed" if entry.kind == SIGNOFF else "signoff.withdrawn")
            line = f"{entry.at:%Y-%m-%d %H:%M}　{what}　{entry.reviewer or entry.user}"
            lines.append(line + (f"　{entry.comment}" if entry.comment else ""))
        return "\n".join(lines)

    @on(Button.Pressed, "#sign")
    @on(Input.Submitted, "#signoff-comment")
    def _sign(self) -> None:
        self._write(SIGNOFF)

    @on(Button.Pressed, "#withdraw")
    def _withdraw(self) -> None:
        self._write(WITHDRAWN)

    def _write(self, kind: str) -> None:
        record = self.loaded.record
        reviewer = roles.current()
        signer = reviewer.signer if reviewer is not None else None
        try:
            append_signoff(
                self.data_dir,
                self.loaded.folder.name,
                kind=kind,
                at=datetime.now().astimezone(),
                reviewer=reviewer.name if reviewer is not None else "",
                user=getpass.getuser(),
                host=socket.gethostname(),
                comment=self.query_one("#signoff-comment", Input).value.strip(),
                journal=record.journal.final_hash if record is not None else "",
                sign=partial(sign_record, signer=signer) if signer is not None else None,
            )
        except StoreError as error:
            status = self.query_one("#signoff-status", PhraseText)
            status.update(self.words("signoff.failed", error=error))
            status.add_class("-error")
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without signing."""
        self.dismiss(False)
