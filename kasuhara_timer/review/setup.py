"""What the review app is built with, and building it from the command line's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.catalog.playback import AudioOutput, sounddevice_output
from kasuhara_timer.i18n import Lang
from kasuhara_timer.locations import exports_dir

NATIVE_STDERR_LOG = "review-native-stderr.log"
"""Where what C libraries print goes while the review runs (in the state folder)."""


@dataclass(frozen=True)
class ReviewSetup:
    """Everything the review app needs; tests pass their own."""

    data_dir: Path
    index: SessionIndex
    lang: Lang = "ja"
    output: AudioOutput | None = sounddevice_output
    """Opens the sound output; None where there is none (the review says so and goes on)."""
    export_dir: Path = field(default_factory=exports_dir)
    """Default folder offered for exports: the user's Documents (created private on use)."""
    open_file: Callable[[Path], object] = field(default=lambda path: open_in_viewer(path))
    """Shows a file in the system's browser or viewer (the printable sheet)."""
    today: Callable[[], date] = date.today
    """Today's date, for the report's preset periods (fixed in tests)."""
    pulse_seconds: float | None = 0.25
    """Repaint pulse of the player's position; None in tests (deterministic screens)."""
    cursor_blink: bool = True
    page_size: int = 200
    """Rows loaded into the list at a time; more are loaded as the cursor nears the end."""
    rebuild: bool = False
    """Rebuild the index from the folders at start instead of refreshing it."""
    reviewer: str = ""
    """The supervisor identity this run acts as (shown in the header); "" without one."""
    notice: str = ""
    """Said at start and kept in the header: recordings not encrypted (no supervisors)."""


def open_in_viewer(path: Path) -> bool:
    """Open `path` with the system's browser (which prints it); False when none is found."""
    import webbrowser

    return webbrowser.open(path.absolute().as_uri())


def review_setup(
    *,
    data_dir: Path | None = None,
    lang: str | None = None,
    rebuild: bool = False,
    ask_passphrase: Callable[[str], str] | None = None,
    who: str | None = None,
) -> ReviewSetup:
    """The review's setup from the config file and the command line; `UserError` if unusable.

    When the office lists supervisors, this PC's supervisor identity (`who` picks one) is
    unlocked first, its passphrase asked once (`ask_passphrase`, the terminal by default): no
    identity, no review. Without supervisors the review opens and says the folder is readable.
    """
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.errors import UserError
    from kasuhara_timer.integrity.roles import OPEN_WARNING, ask_on_terminal, unlock_reviewer
    from kasuhara_timer.locations import state_dir

    settings = load_settings()
    folder = settings.use_data_dir(data_dir)
    if not folder.is_dir():
        raise UserError("no data folder here (use --data-dir or KASUHARA_DATA_DIR)", folder)
    chosen: Lang = "en" if (lang or settings.lang) == "en" else "ja"
    reviewer = unlock_reviewer(settings, state_dir(), ask_passphrase or ask_on_terminal, who=who)
    return ReviewSetup(
        data_dir=folder,
        index=SessionIndex(folder),
        lang=chosen,
        rebuild=rebuild,
        reviewer=reviewer.name if reviewer is not None else "",
        notice=OPEN_WARNING[chosen] if reviewer is None else "",
    )


def run_review(setup: ReviewSetup) -> int:
    """Run the review app until the reviewer closes it; its exit status (1 after a crash,
    whose traceback is in the state folder's crash.log)."""
    from kasuhara_timer.audio.devices import divert_native_stderr
    from kasuhara_timer.locations import state_dir
    from kasuhara_timer.review.app import ReviewApp  # deferred: Textual is most of start-up
    from kasuhara_timer.ui.crash import CRASH_LOG, run_logging_crashes

    # ALSA and PortAudio print on fd 2 while the player looks for a device; Textual draws there.
    divert_native_stderr(state_dir() / NATIVE_STDERR_LOG)
    return run_logging_crashes(ReviewApp(setup), state_dir() / CRASH_LOG)
