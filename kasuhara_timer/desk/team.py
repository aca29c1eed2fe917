"""Responding together at the desk: the discreet team line, the card's reminder, and the link
to the board (the live status this desk rewrites, the answers it reads back).

Pure views first (what the line and the card say, from the state), then `BoardLink`, which the
session screen calls on its repaint pulse: it rewrites the status after each event and every
heartbeat, and while a help request waits it reads the session's answers folder about once a
second and journals each new answer. Nothing here makes a sound or flashes: a caller across
the counter must not read the screen as an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kasuhara_timer.desk.views import quote
from kasuhara_timer.i18n import Translator
from kasuhara_timer.live.status import HEARTBEAT_SECONDS, StatusWriter, build_status
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.desk import DeskSession
from kasuhara_timer.session.events import Event, Staff
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.session.team import Joining, responders, staff_words, waiting
from kasuhara_timer.store.answers import read_answers

REMINDER_SECONDS = 180.0
"""How long after someone joins or takes over the card keeps the policy's reminder."""
ANSWER_CHECK_SECONDS = 1.0
"""How often a waiting desk looks for an answer (a listing of one small folder)."""


def team_line(state: SessionState, policy: Policy, tr: Translator) -> str:
    """The one discreet line under the clock: the call for help and its answer, who is on the
    session, or that the policy asks for a second responder; empty when there is nothing."""
    zone = state.started_at.tzinfo
    parts = []
    if state.help:
        latest = state.help[-1]
        time = f"{latest.at.astimezone(zone):%H:%M}"
        n = len(state.help)
        parts.append(
            tr("team.help", time=time) if n == 1 else tr("team.help_again", time=time, n=n)
        )
        if state.answers and not waiting(state):
            answer = state.answers[-1]
            at = f"{answer.answered_at.astimezone(zone):%H:%M}"
            key = "team.answered" if answer.by else "team.answered_anonymous"
            parts.append(tr(key, by=answer.by, time=at))
    team = responders(state)
    if len(team) > 1:
        names = "・".join(_short(r.staff, r.role) for r in team)
        parts.append(tr("team.people", names=names))
    elif state.channel in policy.teamwork.second_responder:
        parts.append(tr("team.second_wanted", source=policy.teamwork.second_responder_source))
    return " ｜ ".join(parts)


def _short(staff: Staff, role: str) -> str:
    name = staff.name or staff.title or staff.section or "—"
    return f"{name}（{role}）" if role else name


def responders_words(state: SessionState, tr: Translator) -> str:
    """The others on the session (who joined or took over), with the time they came; the sheet
    lists them under 対応者 after the staff member above."""
    zone = state.started_at.tzinfo
    others = [r for r in responders(state) if r.joining is not Joining.FIRST]
    return "、".join(
        f"{staff_words(r.staff)}（{r.at.astimezone(zone):%H:%M}〜・"
        f"{tr(f'team.{r.joining.value}')}{'・' + r.role if r.role else ''}）"
        for r in others
    )


def rejoin_reminder(
    state: SessionState, policy: Policy, elapsed: float, tr: Translator
) -> tuple[str, ...]:
    """The policy's words about not making the visitor explain again, on the card for a few
    minutes after someone joined or took over; empty otherwise or when the profile has none."""
    teamwork = policy.teamwork
    if not teamwork.rejoin_reminder:
        return ()
    arrivals = [r.t for r in responders(state) if r.joining is not Joining.FIRST]
    if not arrivals or elapsed - max(arrivals) > REMINDER_SECONDS:
        return ()
    label = tr("team.reminder", source=teamwork.rejoin_source)
    return (label, *(f"・{line}" for line in teamwork.rejoin_reminder))


def reminder_lines(policy: Policy) -> tuple[str, ...]:
    """The reminder as the join and hand-over dialog shows it."""
    return tuple(quote(line) for line in policy.teamwork.rejoin_reminder)


@dataclass
class BoardLink:
    """This desk's side of the board for one session: its status file and its answers."""

    session_dir: Path
    writer: StatusWriter | None
    clock: Clock
    recording_mode: str = "none"
    _published_events: int = -1
    _published_at: float | None = None
    _checked_at: float | None = None

    def publish(self, session: DeskSession, recording_mode: str, *, force: bool = False) -> None:
        """Rewrite the status when an event came or the recording changed, or at the heartbeat.
        Raises `StoreError` when the folder refuses (the screen shows it like a journal error)."""
        if self.writer is None:
            return
        now = self.clock.monotonic()
        changed = (
            len(session.state.events) != self._published_events
            or recording_mode != self.recording_mode
        )
        due = self._published_at is None or now - self._published_at >= HEARTBEAT_SECONDS
        if not (changed or due or force):
            return
        status = build_status(
            self.session_dir.name,
            session.state,
            session.policy,
            session.assess(),
            recording_mode,
            at=session.clock.now(),
        )
        # counted before writing: a share that refuses is tried again at the next event or
        # heartbeat, not on every repaint
        self._published_at = now
        self._published_events = len(session.state.events)
        self.recording_mode = recording_mode
        self.writer.write(status)

    def answers(self, session: DeskSession) -> list[Event]:
        """Journal the answers a board wrote for a waiting request (about once a second)."""
        if not waiting(session.state):
            return []
        now = self.clock.monotonic()
        if self._checked_at is not None and now - self._checked_at < ANSWER_CHECK_SECONDS:
            return []
        self._checked_at = now
        journaled = []
        for found in read_answers(self.session_dir):
            event = session.help_answered(
                found.answer.request,
                by=found.answer.by,
                host=found.answer.host,
                answered_at=found.answer.at,
                file=found.file,
                sha256=found.sha256,
            )
            if event is not None:
                journaled.append(event)
        return journaled

    def leave(self) -> None:
        """The session ended: it leaves the board."""
        if self.writer is not None:
            self.writer.remove()
