"""Build the desk app from the settings file and the command line, then run it."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kasuhara_timer import IMPORTED_AT
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.config import load_settings
from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Lang
from kasuhara_timer.locations import state_dir
from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import ChannelId
from kasuhara_timer.session.clock import Clock, Instant, SessionClock, SystemClock

if TYPE_CHECKING:
    from kasuhara_timer.audio.recorder import Recorder, RecorderReport

DESK_LOCK = "desk.lock"
"""In the state folder: held by the desk window running on this PC's account."""

NATIVE_STDERR_LOG = "desk-native-stderr.log"
"""In the state folder: what C libraries (ALSA, PortAudio) printed during the last desk run."""


def desk_setup(
    *,
    profile: str | None = None,
    channel: str | None = None,
    drill: bool = False,
    speed: float | None = None,
    lang: str | None = None,
    data_dir: Path | None = None,
    launched: Instant | None = None,
) -> DeskSetup:
    """The desk app's setup: CLI options over the config file over defaults.

    Raises `UserError` for a bad profile, a bad config or `--speed` without `--drill`.
    """
    from kasuhara_timer.desk.staff_memory import JsonColleagueBook, JsonStaffBook
    from kasuhara_timer.lifecycle.folder_store import FolderSessionStore

    settings = load_settings()
    if speed is not None and not drill:
        raise UserError("--speed only applies to drills: add --drill")
    if speed is not None and not 0 < speed <= 3600:
        raise UserError(f"--speed must be above 0 and at most 3600, got {speed:g}")
    loaded = load_policy(profile or settings.profile)
    host = socket.gethostname()
    data = settings.use_data_dir(data_dir)
    clock = SystemClock()
    recipients = tuple(settings.trust.keyring().recipients())
    return DeskSetup(
        policy=loaded.policy,
        profile_source="" if loaded.bundled else str(loaded.source),
        store=FolderSessionStore(data, host, recipients, clock),
        clock=clock,
        recorder_factory=partial(make_recorder, settings.audio),
        staff_book=JsonStaffBook.default(),
        colleagues=JsonColleagueBook.default(),
        help_call=settings.help.call,
        record_after_contact=settings.audio.record_after_contact,
        lang=_lang(lang) if lang else settings.lang,
        bell=settings.bell,
        keymap=settings.keymap,
        drill=drill,
        speed=(speed or settings.drill_speed) if drill else 1.0,
        start_channel=ChannelId(channel) if channel else None,
        launched=launched if channel else None,
        desk=host,
        data_dir=data,
        encrypt_to=recipients,
        handle_signals=True,
    )


def launch_instant() -> Instant:
    """When this process was launched, on the system clocks: the shortcut's click.

    The package's import (`kasuhara_timer.IMPORTED_AT`, read before anything heavy) is the
    latest it can be; on Linux the kernel's record of the process's start moves it back over
    the interpreter's own start-up.
    """
    mono, wall = IMPORTED_AT
    earlier = min(_seconds_alive_before_import(mono), 10.0)  # more: a clock that moved
    return Instant(mono - earlier, datetime.fromtimestamp(wall - earlier).astimezone())


def _seconds_alive_before_import(imported_mono: float) -> float:
    """How long the process ran before the package was imported; 0 where unknown."""
    if not sys.platform.startswith("linux"):
        return 0.0
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: start time since boot
        started = ticks / os.sysconf("SC_CLK_TCK")
        alive = time.clock_gettime(time.CLOCK_BOOTTIME) - started
        return max(0.0, alive - (time.monotonic() - imported_mono))
    except (OSError, ValueError, IndexError):
        return 0.0


def make_recorder(
    settings: AudioSettings,
    audio_dir: Path,
    clock: SessionClock,
    report: Callable[[RecorderReport], None],
) -> Recorder:
    """The real recorder (PortAudio) of one session; it never raises for sound problems."""
    from kasuhara_timer.audio.recorder import Recorder  # deferred: numpy, PortAudio

    return Recorder(audio_dir, settings, clock, report)


def _lang(lang: str) -> Lang:
    if lang == "en":
        return "en"
    if lang == "ja":
        return "ja"
    raise UserError(f"--lang must be ja or en, got {lang!r}")


def sign_journals(clock: Clock) -> None:
    """Every journal this process writes gets signed checkpoints and ledger lines with this
    account's desk key (created now on first use); the embedded default key when the state
    folder cannot hold one (verify then says the session is not vouched for by any desk)."""
    from kasuhara_timer.integrity.checkpoints import watch_with_desk_key
    from kasuhara_timer.trust.keys import DEFAULT_SIGNER, desk_signer

    try:
        signer = desk_signer(state_dir())
    except UserError:
        signer = DEFAULT_SIGNER
    watch_with_desk_key(signer, clock)


def run_desk(setup: DeskSetup) -> int:
    """Run the desk app until the staff member closes it; its exit status (1 after a crash,
    whose traceback is in the state folder's crash.log)."""
    from kasuhara_timer.audio.devices import divert_native_stderr
    from kasuhara_timer.desk.app import DeskApp  # deferred: Textual is the bulk of start-up
    from kasuhara_timer.ui.crash import CRASH_LOG, run_logging_crashes

    # Before the app starts: the recorder's thread probes devices while Textual draws on fd 2.
    divert_native_stderr(state_dir() / NATIVE_STDERR_LOG)
    sign_journals(setup.clock)
    with one_desk_window(state_dir()):
        # A recording archived while closing finishes before the process exits (the thread is
        # not a daemon); the app has already told the terminal to wait.
        return run_logging_crashes(DeskApp(setup), state_dir() / CRASH_LOG)


@contextlib.contextmanager
def one_desk_window(state: Path) -> Iterator[None]:
    """While the block runs no other desk window starts on this PC's account: a second click
    on a shortcut must not see the live session as interrupted and take it over."""
    from kasuhara_timer.store.atomic import make_private_dir
    from kasuhara_timer.system.locks import LockBusy, single_instance

    path = state / DESK_LOCK
    make_private_dir(state)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(single_instance(path))
        except LockBusy:
            raise UserError(
                "the desk is already open in another window on this PC: switch to it (the"
                " taskbar shows it) or close it first",
                path,
            ) from None
        yield
