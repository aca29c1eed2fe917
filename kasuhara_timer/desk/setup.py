"""What the desk app is built from: the policy, the clock, the store and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kasuhara_timer.i18n import Lang
from kasuhara_timer.lifecycle.ports import ColleagueBook, RecorderFactory, SessionStore, StaffBook
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import Clock, Instant, SystemClock


@dataclass(frozen=True)
class DeskSetup:
    """Everything the desk app is built from; the CLI fills it from settings and options."""

    policy: Policy
    store: SessionStore
    staff_book: StaffBook
    clock: Clock = field(default_factory=SystemClock)
    profile_source: str = ""
    lang: Lang = "ja"
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id → keys, so an office can move a key (`[keymap]` in config.toml)."""
    bell: bool = False
    """A discreet terminal bell at pre-warnings and the limit; off so callers hear nothing."""
    drill: bool = False
    speed: float = 1.0
    """Session clock speed; above 1 only in drills."""
    start_channel: ChannelId | None = None
    """Start a session on this channel at once (``--channel``), asking nothing first."""
    launched: Instant | None = None
    """When the process was launched (the shortcut's click): the ``--channel`` session begins
    then. None: when the app starts it."""
    desk: str = ""
    """Host name of this desk PC, stored with each session."""
    pulse_seconds: float | None = 0.25
    """Repaint pulse of the session screen; None repaints only after each key (tests)."""
    repeat_seconds: float = 1.0
    """The same session key again within this many seconds (desk clock) is ignored: a bounce
    or a stressed burst of `n` is one decision. 0 turns the guard off (tests of other things
    that press a key twice without moving the hand-set clock)."""
    draft_seconds: float = 2.0
    """The record sheet is journaled as a draft at most this many seconds after a change (and
    at once when a field is left), so a signal, a crash or a closed window loses at most that."""
    handle_signals: bool = False
    """SIGTERM, SIGHUP (the terminal closed), SIGINT and the Windows console's close end the app
    cleanly (`DeskApp.terminated`); the real desk turns it on, tests call `terminated`."""
    cursor_blink: bool = True
    """False in snapshot tests, so screenshots do not depend on the moment."""
    recorder_factory: RecorderFactory | None = None
    """Records each session's microphone; None: this desk records nothing (most tests). The
    desk's `Recordings` takes each recording from it through stop and archive."""
    data_dir: Path | None = None
    """The data folder of `store`: at start the app looks there once (off the UI thread) for
    this desk's sessions a crash left running, finishes what an earlier run left undone
    (recordings archived, records written, sessions sealed: `lifecycle.lookback`), and looks
    up earlier contacts with a caller. None turns all of that off."""
    help_call: str = ""
    record_after_contact: bool = False
    """Keep recording through the after-care (config.toml `[audio] record_after_contact`);
    by default the recording stops when the contact ends (切電, the visitor left)."""
    """Who a call for help (`h`) goes to, shown with it (config.toml `[help] call`)."""
    colleagues: ColleagueBook | None = None
    """Colleagues typed before, offered when someone joins or takes over; None: this run's."""
    encrypt_to: tuple[str, ...] = ()
    """The supervisors' age recipients: sessions are encrypted to them at their close, and the
    tidy-up at start finishes a close cut short. Empty: nothing is encrypted."""
