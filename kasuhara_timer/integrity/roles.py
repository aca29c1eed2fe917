"""Who may review, listen, export, hold and purge: a supervisor identity, with the office's rights.

When the office lists its supervisors (``[trust] supervisors``), sessions are encrypted to them and
every access the access log records needs one of their identities on this PC, unlocked with its
passphrase once per run (`unlock_reviewer`). Listening and exporting are separate rights an
office can narrow (``[access] listen`` / ``export``: names or key ids; unset: every listed
supervisor). `check` is called by `log_access` before every access, so a refused access is never
done and every allowed one is logged with the identity's name.

Without supervisors configured nothing is asked: the app works as a single-desk tool, and
`OPEN_WARNING` says plainly what that means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kasuhara_timer.config import Settings
from kasuhara_timer.errors import UserError
from kasuhara_timer.store import vault
from kasuhara_timer.trust.keys import Signer


class Right(StrEnum):
    """What a supervisor may do; each access log action needs one (or none)."""

    REVIEW = "review"
    LISTEN = "listen"
    EXPORT = "export"
    HOLD = "hold"
    PURGE = "purge"


ACTION_RIGHTS: dict[str, Right] = {
    "view": Right.REVIEW,
    "listen": Right.LISTEN,
    "export": Right.EXPORT,
    "hold": Right.HOLD,
    "release": Right.HOLD,
    "purge": Right.PURGE,
    "rewrap": Right.REVIEW,
}
"""Access log actions (`AccessAction` values) and the right each needs; the others (verify, the
live board) need none."""

OPEN_WARNING = {
    "ja": (
        "暗号化されていません：監督者の鍵が設定されていないため、データフォルダを読める人は誰でも"
        "録音と記録を開けます（config.toml の [trust] supervisors）"
    ),
    "en": (
        "Not encrypted: no supervisor keys are configured, so anyone who can read the data folder"
        " can open every recording and record ([trust] supervisors in config.toml)"
    ),
}


@dataclass(frozen=True)
class Reviewer:
    """The supervisor this run acts as."""

    name: str
    key_id: str
    rights: frozenset[Right]
    signer: Signer | None = field(default=None, compare=False, repr=False)
    """Signs as this supervisor (a sign-off, 課長確認); None when not unlocked here."""

    def may(self, right: Right) -> bool:
        """True when the office grants this supervisor `right`."""
        return right in self.rights


class AccessDenied(UserError):
    """An access this run may not make (no identity, or a right the office did not grant)."""


@dataclass
class _Roles:
    required: bool = False
    reviewer: Reviewer | None = None


_roles = _Roles()


def require_supervisor() -> None:
    """From now on every access needs an unlocked supervisor identity (the office lists some)."""
    _roles.required = True


def act_as(reviewer: Reviewer) -> None:
    """This run acts as `reviewer` (its identity was unlocked)."""
    _roles.required = True
    _roles.reviewer = reviewer


def reset() -> None:
    """No roles (tests; a process that changes office)."""
    _roles.required = False
    _roles.reviewer = None


def current() -> Reviewer | None:
    """The supervisor this run acts as, if any."""
    return _roles.reviewer


def check(action: str) -> str:
    """Allow `action` (an access log action) or raise `AccessDenied`; the name to log with it
    ("" when the office configured no supervisors)."""
    right = ACTION_RIGHTS.get(action)
    reviewer = _roles.reviewer
    if not _roles.required:
        return reviewer.name if reviewer is not None else ""
    if right is None:
        return reviewer.name if reviewer is not None else ""
    if reviewer is None:
        raise AccessDenied(
            f"{action}: the office's recordings are for its supervisors only; this needs a"
            " supervisor identity (kasuhara-timer keys new --supervisor NAME, listed in"
            " [trust] supervisors)"
        )
    if not reviewer.may(right):
        raise AccessDenied(
            f"{action}: {reviewer.name} has no {right.value} right here ([access] {right.value}"
            " in config.toml)"
        )
    return reviewer.name


def rights_of(settings: Settings, name: str, key_id: str) -> frozenset[Right]:
    """The rights the office grants the supervisor `name` (key `key_id`)."""
    granted = {Right.REVIEW, Right.HOLD, Right.PURGE}
    for right, listed in (
        (Right.LISTEN, settings.access.listen),
        (Right.EXPORT, settings.access.export),
    ):
        if listed is None or name in listed or key_id in listed:
            granted.add(right)
    return frozenset(granted)


def ask_on_terminal(name: str) -> str:
    """The supervisor's passphrase, typed on the terminal without echo."""
    import click

    return str(click.prompt(f"{name}: passphrase / 合言葉", hide_input=True))


def unlock_reviewer(
    settings: Settings,
    state_dir: Path,
    ask_passphrase: Callable[[str], str],
    *,
    who: str | None = None,
) -> Reviewer | None:
    """Unlock this PC's supervisor identity for this run (asking its passphrase once) and act
    as it; None when the office configured no supervisors (everything open, as before).

    `who` picks one identity by name or key id when this PC holds several. Raises `UserError`
    when there is none of the office's supervisors here, or the passphrase is wrong.
    """
    from kasuhara_timer.trust.supervisor import local_identities, unlock_supervisor

    keyring = settings.trust.keyring()
    if not keyring.configured:
        return None
    require_supervisor()
    listed = [
        (path, public)
        for path, public in local_identities(state_dir)
        if keyring.supervisor(public.key_id) is not None
    ]
    if who:
        listed = [(p, k) for p, k in listed if who in (k.name, k.key_id)]
    if not listed:
        raise UserError(
            "the office's sessions are for its supervisors only, and no supervisor identity"
            " listed in [trust] supervisors is on this PC"
            + (f" under the name {who!r}" if who else "")
            + " (kasuhara-timer keys new --supervisor NAME)",
            state_dir,
        )
    path, public = listed[0]
    identity = unlock_supervisor(path, ask_passphrase(keyring.name_of(public)))
    vault.unlock([identity.age_identity])
    name = keyring.name_of(public)
    reviewer = Reviewer(
        name, public.key_id, rights_of(settings, name, public.key_id), signer=identity.signer
    )
    act_as(reviewer)
    return reviewer
