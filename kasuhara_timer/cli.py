"""Command line: `kasuhara-timer` starts the desk app; subcommands serve supervisors and offices.

Heavy imports (Textual, sounddevice) are deferred into the commands that need them, so
`kasuhara-timer profiles` answers quickly and works without a terminal UI.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kasuhara_timer.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])


def reports_user_errors(command: F) -> F:
    """Turn a `UserError` into a one-line message on stderr and its exit status."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as error:
            click.echo(f"kasuhara-timer: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(invoke_without_command=True)
@click.option("--profile", "profile", default=None, help="Bundled profile name or a profile file.")
@click.option(
    "--channel",
    type=click.Choice(["phone", "counter", "other"]),
    default=None,
    help="Start a session on this channel at once (for desktop shortcuts).",
)
@click.option("--drill", is_flag=True, help="Practice session, kept apart from real records.")
@click.option("--speed", type=float, default=None, help="Drill clock speed (e.g. 60).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="Interface language.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for session data (default: the user data folder or KASUHARA_DATA_DIR).",
)
@click.pass_context
@reports_user_errors
def main(
    ctx: click.Context,
    profile: str | None,
    channel: str | None,
    drill: bool,
    speed: float | None,
    lang: str | None,
    data_dir: Path | None,
) -> None:
    """Desk-side timer and escalation assistant. Without a subcommand, starts the desk app."""
    ctx.ensure_object(dict)
    ctx.obj.update(profile=profile, lang=lang, data_dir=data_dir)
    if ctx.invoked_subcommand is not None:
        return
    raise UserError("the desk app is not wired yet")
