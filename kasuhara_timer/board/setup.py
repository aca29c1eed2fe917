"""What the board is built from: the data folder, the clock, how to watch, who is looking."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

from kasuhara_timer.i18n import Lang
from kasuhara_timer.session.clock import Clock, SystemClock


@dataclass(frozen=True)
class BoardSetup:
    """Everything the board app needs; the CLI fills it from the settings."""

    data_dir: Path
    clock: Clock = field(default_factory=SystemClock)
    lang: Lang = "ja"
    user: str = ""
    """Who answers help requests (their name as the desk shows it); the login when blank."""
    host: str = field(default_factory=socket.gethostname)
    watch: bool = True
    """Watch the folder for changes (off in tests that refresh by hand)."""
    force_polling: bool = False
    """Poll instead of waiting for change notices (SMB/NFS shares)."""
    poll_ms: int = 500
    tick_seconds: float | None = 1.0
    """How often elapsed times and waits are repainted; None only after changes (tests)."""


def board_setup(
    *,
    data_dir: Path | None = None,
    lang: str | None = None,
    user: str = "",
    force_polling: bool | None = None,
    who: str | None = None,
) -> BoardSetup:
    """The board's setup from the config file and the command line; `UserError` if unusable.

    As for the review: when the office lists supervisors, this PC's supervisor identity is
    unlocked first (no identity, no board), and answers carry its name unless `user` says.
    """
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.errors import UserError
    from kasuhara_timer.integrity.roles import ask_on_terminal, unlock_reviewer
    from kasuhara_timer.locations import state_dir

    settings = load_settings()
    folder = settings.use_data_dir(data_dir)
    if not folder.is_dir():
        raise UserError("no data folder here (use --data-dir or KASUHARA_DATA_DIR)", folder)
    chosen: Lang = "en" if (lang or settings.lang) == "en" else "ja"
    polling = settings.help.force_polling if force_polling is None else force_polling
    reviewer = unlock_reviewer(settings, state_dir(), ask_on_terminal, who=who)
    return BoardSetup(
        data_dir=folder,
        lang=chosen,
        user=user or (reviewer.name if reviewer is not None else ""),
        force_polling=polling,
        poll_ms=settings.help.poll_ms,
    )


def run_board(setup: BoardSetup) -> None:
    """Run the board until the supervisor closes it."""
    from kasuhara_timer.board.app import BoardApp  # deferred: Textual is most of start-up

    app = BoardApp(setup)
    app.run()
