"""Retention: delete what the office's rule says is past its time, audio first, the record later.

`plan_purge` decides (pure reading: it deletes nothing, for the dry run); `apply_purge` deletes.
Rules (`config.Retention`), counted from the wall time the session ended:

* unflagged session: its audio after `audio_days`, the whole session after `record_years`;
* flagged session (any step taken, a behaviour still tagged at the end): audio and record after
  `flagged_years`, and the record not before `record_years`;
* an unset period keeps that part for ever; drills count as unflagged.

Never purged, and listed as kept with the reason: a held session, a session not ended (it may
still be going on, or needs recovering), a journal another window holds open, a damaged journal
(evidence that something happened: `verify` says what), a session verify cannot vouch for
(anything tampered, unsigned where its desk's ledger says it was signed, damaged), and a session
whose dates disagree by more than a day with its desk's ledger or the file system (a wrong PC
clock): these are listed for a supervisor instead.

Before anything is deleted, a line saying what (each file's path, size and SHA-256), when, why
and by whom goes to the purge log ``<data>/purge-log.jsonl`` (append-only, hash-chained,
fsynced) and the access log gets a ``purge`` entry. A whole session is first renamed to a hidden
``.purging-<name>`` folder, so a crash mid-deletion never leaves a half session in the list; the
next purge finishes it.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from kasuhara_timer.config import Retention
from kasuhara_timer.integrity.accesslog import AccessAction, log_access
from kasuhara_timer.integrity.chainlog import LogProblem, append_to_log, read_log
from kasuhara_timer.integrity.holds import read_hold
from kasuhara_timer.integrity.seal import SealedFile, file_sha256, record_purged
from kasuhara_timer.locations import sessions_dir
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Ended, Started
from kasuhara_timer.session.state import SessionState
from kasuhara_timer.store.atomic import fsync_directory
from kasuhara_timer.store.errors import StoreError, store_error
from kasuhara_timer.store.folders import AUDIO_DIR, SessionFolder, list_session_folders
from kasuhara_timer.store.journal import journal_in_use, read_journal
from kasuhara_timer.trust.keys import PublicKey, Signer
from kasuhara_timer.trust.signing import Keyring, Standing, check_record, sign_record
from kasuhara_timer.trust.supervisor import DEFAULT_SUPERVISOR

PURGE_LOG = "purge-log.jsonl"
PURGING_PREFIX = ".purging-"


class PurgeStage(StrEnum):
    """What a purge deletes."""

    AUDIO = "audio"
    """The sound (raw segments, FLAC, Opus); the small JSON descriptions stay."""
    SESSION = "session"
    """The whole session folder: journal, record, sheet, whatever audio is left."""


@dataclass(frozen=True)
class PurgeAction:
    """One deletion the rule calls for."""

    folder: SessionFolder
    stage: PurgeStage
    files: tuple[str, ...]
    """Paths relative to the session folder."""
    bytes: int
    reason: str
    due: datetime | None
    """When the rule made it due (None: finishing an interrupted purge)."""


@dataclass(frozen=True)
class Kept:
    """A session the rule would delete (or that needs a look) but which is kept, and why."""

    folder: SessionFolder
    reason: str


@dataclass(frozen=True)
class PurgePlan:
    """What `apply_purge` would do now."""

    now: datetime
    rule: Retention
    actions: tuple[PurgeAction, ...]
    kept: tuple[Kept, ...]
    sessions: int
    """Session folders looked at."""

    @property
    def rule_set(self) -> bool:
        """False when the config sets no period: nothing is ever purged."""
        return any(
            value is not None
            for value in (self.rule.audio_days, self.rule.flagged_years, self.rule.record_years)
        )


@dataclass(frozen=True)
class PurgeOutcome:
    """What happened to one action: done, or the error that stopped it."""

    action: PurgeAction
    error: str = ""


class PurgeLogEntry(BaseModel):
    """One line of the purge log."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    at: AwareDatetime
    user: str
    host: str = ""
    session: str
    stage: str
    reason: str
    files: tuple[SealedFile, ...]
    line: int = 0
    signer: PublicKey | None = None
    """Who signed the line (None: unsigned, or its signature fails)."""


def is_flagged(state: SessionState) -> bool:
    """A session the staff member marked as more than a routine contact: any step taken (ladder
    or immediate path) or a behaviour tag still set at the end. Drills never are."""
    if state.started.drill:
        return False
    return bool(state.taken) or state.immediate_at is not None or bool(state.tags)


def add_years(moment: datetime, years: int) -> datetime:
    """The same date `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def plan_purge(
    data_dir: Path, rule: Retention, now: datetime, keyring: Keyring | None = None
) -> PurgePlan:
    """What the rule deletes at `now`, and what it would delete but keeps (with the reason)."""
    actions: list[PurgeAction] = list(_unfinished_purges(data_dir))
    kept: list[Kept] = []
    folders = list_session_folders(data_dir)
    for folder in folders:
        decision = _decide(data_dir, folder, rule, now)
        if isinstance(decision, PurgeAction):
            decision = _vouched(data_dir, decision, keyring, now) or decision
        if isinstance(decision, Kept):
            kept.append(decision)
        elif decision is not None:
            actions.append(decision)
    return PurgePlan(now, rule, tuple(actions), tuple(kept), len(folders))


def apply_purge(
    data_dir: Path, plan: PurgePlan, *, clock: Clock, signer: Signer | None = None
) -> list[PurgeOutcome]:
    """Carry out a plan: log each deletion (purge log, access log, signed by the supervisor
    `signer`; default the embedded default key, which proves nothing), then delete.

    A hold placed since the plan was made, or a journal opened since, stops that action.
    Each action stands alone: an error is reported in its outcome and the others go on.
    """
    key = signer if signer is not None else DEFAULT_SUPERVISOR.signer
    outcomes = []
    for action in plan.actions:
        try:
            _apply(data_dir, action, clock, key)
        except (StoreError, OSError) as error:
            outcomes.append(PurgeOutcome(action, str(error)))
        else:
            outcomes.append(PurgeOutcome(action))
    return outcomes


def purge_log_path(data_dir: Path) -> Path:
    """Where a data folder's purge log lives."""
    return data_dir / PURGE_LOG


def read_purge_log(data_dir: Path) -> tuple[list[PurgeLogEntry], list[LogProblem]]:
    """Every purge logged, and every problem of the log."""
    read = read_log(purge_log_path(data_dir))
    entries, problems = [], list(read.problems)
    for line in read.lines:
        check = check_record(line.data)
        if not check.valid:
            problems.append(LogProblem(line.line, f"{check.reason}: explains no deletion"))
        try:
            entry = PurgeLogEntry.model_validate(line.data)
        except ValidationError as error:
            problems.append(LogProblem(line.line, f"not a purge entry ({error.error_count()})"))
            continue
        signer = check.signer if check.valid else None
        entries.append(entry.model_copy(update={"line": line.line, "signer": signer}))
    return entries, problems


def vouched_purges(
    data_dir: Path, keyring: Keyring | None = None
) -> tuple[list[PurgeLogEntry], list[str]]:
    """The purge entries that explain a deletion, and why each other one does not.

    An entry counts when its signature holds, its signer is a supervisor the office lists (or,
    with none listed, the embedded default: then anyone could have written it), and the session
    was not under a hold when it was written.
    """
    keyring = keyring or Keyring()
    entries, _problems = read_purge_log(data_dir)
    good, refused = [], []
    for entry in entries:
        where = f"{PURGE_LOG} line {entry.line}"
        if entry.signer is None:
            refused.append(f"{where}: unsigned or its signature fails: explains no deletion")
            continue
        standing = keyring.standing(entry.signer)
        # with no supervisor listed, any supervisor identity (or the default) is accepted:
        # then anyone could have written the line, as verify says
        allowed = (
            {Standing.SUPERVISOR} if keyring.configured else {Standing.DEFAULT, Standing.UNKNOWN}
        )
        if standing not in allowed:
            refused.append(
                f"{where}: signed by {entry.signer.name} ({entry.signer.key_id}), who is not a "
                "supervisor the office lists: explains no deletion"
            )
            continue
        hold = read_hold(data_dir, entry.session)
        if hold is not None and (not hold.readable or hold.held_at <= entry.at):
            refused.append(
                f"{where}: {entry.session} was under a hold when it was purged "
                f"({hold.reason}): the purge was not allowed"
            )
            continue
        good.append(entry)
    return good, refused


def purged_files(data_dir: Path, session: str, keyring: Keyring | None = None) -> dict[str, str]:
    """Files of a session a vouched-for purge entry says were deleted, with when, why and who."""
    entries, _refused = vouched_purges(data_dir, keyring)
    return {
        file.path: f"purged {entry.at:%Y-%m-%d %H:%M} by {entry.user} ({entry.reason})"
        for entry in entries
        if entry.session == session
        for file in entry.files
    }


# -- deciding --------------------------------------------------------------------------------


def _decide(
    data_dir: Path, folder: SessionFolder, rule: Retention, now: datetime
) -> PurgeAction | Kept | None:
    try:
        journal = read_journal(folder.journal)
    except StoreError as error:
        return Kept(folder, f"journal unreadable ({error}): kept; check with verify")
    if journal.damaged:
        first = journal.damaged[0]
        return Kept(folder, f"journal damaged ({first}): kept as evidence; check with verify")
    events = journal.events
    if not events or not isinstance(events[0], Started):
        return Kept(folder, "journal has no readable start: kept; check with verify")
    ended = next((e for e in events if isinstance(e, Ended)), None)
    if ended is None:
        oldest_due = _shortest_period(events[0].at, rule)
        if oldest_due is not None and oldest_due <= now:
            return Kept(folder, "not ended: resume or close it at its desk first")
        return None
    flagged = is_flagged(SessionState.from_events(events))
    action = _due_action(folder, rule, ended.at, flagged, now)
    if action is None:
        return None
    hold = read_hold(data_dir, folder.name)
    if hold is not None:
        held = f"held by {hold.user} since {hold.held_at:%Y-%m-%d}" if hold.readable else "held"
        return Kept(folder, f"{held}: {hold.reason}")
    if journal_in_use(folder.journal):
        return Kept(folder, "open in a kasuhara-timer window on this PC")
    return action


DATE_TOLERANCE = timedelta(days=1)


def _vouched(
    data_dir: Path, action: PurgeAction, keyring: Keyring | None, now: datetime
) -> Kept | None:
    """Kept, with the reason, when verify cannot vouch for the session or its dates disagree."""
    from kasuhara_timer.integrity.audit import audit  # verify and audit read the purge log
    from kasuhara_timer.integrity.ledger import read_ledgers
    from kasuhara_timer.integrity.verify import verify_session

    folder = action.folder
    report = verify_session(folder, data_dir=data_dir, keyring=keyring)
    [report] = audit(data_dir, [report], None, now, complete=False, keyring=keyring).reports
    if report.problems:
        return Kept(
            folder,
            f"verify cannot vouch for it ({report.problems[0]}): kept for a supervisor to look at",
        )
    events = read_journal(folder.journal).events
    times = [event.at for event in events]
    try:
        written = datetime.fromtimestamp(folder.journal.stat().st_mtime, tz=UTC)
    except OSError:
        written = None
    last = max(times)
    if written is not None and abs(written - last) > DATE_TOLERANCE:
        return Kept(
            folder,
            f"its dates disagree with the file system (last event {last:%Y-%m-%d %H:%M}, file "
            f"written {written.astimezone(last.tzinfo):%Y-%m-%d %H:%M}): a wrong PC clock? kept "
            "for a supervisor",
        )
    if last - now > DATE_TOLERANCE:
        return Kept(folder, f"dated in the future ({last:%Y-%m-%d}): kept for a supervisor")
    for ledger in read_ledgers(data_dir):
        for entry in ledger.entries:
            if entry.session != folder.name or entry.at is None:
                continue
            if abs(entry.at - (events[0].at if entry.what == "start" else last)) > DATE_TOLERANCE:
                return Kept(
                    folder,
                    f"its dates disagree with its desk's ledger ({entry.what} "
                    f"{entry.at:%Y-%m-%d %H:%M}): kept for a supervisor",
                )
    return None


def _due_action(
    folder: SessionFolder, rule: Retention, ended: datetime, flagged: bool, now: datetime
) -> PurgeAction | None:
    kind = "flagged" if flagged else "unflagged"
    if flagged:
        audio_due = add_years(ended, rule.flagged_years) if rule.flagged_years else None
        record_due = (
            add_years(ended, max(rule.flagged_years, rule.record_years))
            if rule.flagged_years and rule.record_years
            else None
        )
        audio_rule = f"flagged_years = {rule.flagged_years}"
    else:
        audio_due = ended + timedelta(days=rule.audio_days) if rule.audio_days else None
        record_due = add_years(ended, rule.record_years) if rule.record_years else None
        audio_rule = f"audio_days = {rule.audio_days}"
    if record_due is not None and record_due <= now:
        files = _files(folder.path)
        reason = (
            f"{kind} session ended {ended:%Y-%m-%d}; records are kept "
            f"{_years(rule, flagged)} years (retention)"
        )
        return PurgeAction(
            folder, PurgeStage.SESSION, files, _size(folder.path, files), reason, record_due
        )
    if audio_due is not None and audio_due <= now:
        files = tuple(f"{AUDIO_DIR}/{name}" for name in _sound_files(folder.audio))
        if not files:
            return None
        reason = (
            f"{kind} session ended {ended:%Y-%m-%d}; audio kept until {audio_due:%Y-%m-%d} "
            f"({audio_rule})"
        )
        return PurgeAction(
            folder, PurgeStage.AUDIO, files, _size(folder.path, files), reason, audio_due
        )
    return None


def _years(rule: Retention, flagged: bool) -> int:
    if flagged and rule.flagged_years and rule.record_years:
        return max(rule.flagged_years, rule.record_years)
    return rule.record_years or 0


def _shortest_period(start: datetime, rule: Retention) -> datetime | None:
    candidates = []
    if rule.audio_days:
        candidates.append(start + timedelta(days=rule.audio_days))
    for years in (rule.flagged_years, rule.record_years):
        if years:
            candidates.append(add_years(start, years))
    return min(candidates, default=None)


def _sound_files(audio: Path) -> list[str]:
    """The audio folder's files that hold sound (everything but the JSON descriptions)."""
    try:
        return sorted(p.name for p in audio.iterdir() if p.is_file() and p.suffix != ".json")
    except FileNotFoundError:
        return []


def _files(root: Path) -> tuple[str, ...]:
    return tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))


def _size(root: Path, files: tuple[str, ...]) -> int:
    total = 0
    for relative in files:
        with contextlib.suppress(OSError):
            total += (root / relative).stat().st_size
    return total


def _unfinished_purges(data_dir: Path) -> list[PurgeAction]:
    """Hidden `.purging-*` folders a crash left behind: finish deleting them."""
    found = []
    for drill in (False, True):
        parent = sessions_dir(data_dir, drill)
        with contextlib.suppress(FileNotFoundError):
            for child in sorted(parent.iterdir()):
                if child.is_dir() and child.name.startswith(PURGING_PREFIX):
                    files = _files(child)
                    found.append(
                        PurgeAction(
                            SessionFolder(child, drill),
                            PurgeStage.SESSION,
                            files,
                            _size(child, files),
                            "finishing a purge that was interrupted",
                            None,
                        )
                    )
    return found


# -- deleting --------------------------------------------------------------------------------


def _apply(data_dir: Path, action: PurgeAction, clock: Clock, signer: Signer) -> None:
    folder = action.folder
    session = folder.name.removeprefix(PURGING_PREFIX)
    if not folder.name.startswith(PURGING_PREFIX):
        if read_hold(data_dir, session) is not None:
            raise StoreError("held since the plan was made: not purged", folder.path)
        if journal_in_use(folder.journal):
            raise StoreError("opened since the plan was made: not purged", folder.path)
    now = clock.now()
    described = tuple(_describe(folder.path, relative) for relative in action.files)
    append_to_log(
        purge_log_path(data_dir),
        [
            PurgeLogEntry(
                at=now,
                user=signer.name,
                host=socket.gethostname(),
                session=session,
                stage=action.stage.value,
                reason=action.reason,
                files=tuple(d for d in described if d is not None),
            ).model_dump(mode="json", exclude={"line", "signer"})
        ],
        sign=lambda line: sign_record(line, signer),
    )
    count = len(action.files)
    detail = f"{action.stage.value}: {count} file(s), {action.bytes} bytes; {action.reason}"
    log_access(data_dir, AccessAction.PURGE, session, detail, clock=clock, signer=signer)
    if action.stage is PurgeStage.AUDIO:
        for relative in action.files:
            path = folder.path / relative
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                raise store_error(error, path, "delete the file") from error
        fsync_directory(folder.audio)
        record_purged(folder, action.files, now, action.reason)
        return
    hidden = folder.path
    if not folder.name.startswith(PURGING_PREFIX):
        hidden = folder.path.with_name(PURGING_PREFIX + folder.name)
        try:
            folder.path.rename(hidden)
        except OSError as error:
            raise store_error(error, folder.path, "move the session aside to delete it") from error
        fsync_directory(folder.path.parent)
    try:
        shutil.rmtree(hidden)
    except OSError as error:
        raise store_error(error, hidden, "delete the session folder") from error
    fsync_directory(hidden.parent)


def _describe(root: Path, relative: str) -> SealedFile | None:
    path = root / relative
    try:
        return SealedFile(path=relative, bytes=path.stat().st_size, sha256=file_sha256(path))
    except (OSError, StoreError):
        return None
