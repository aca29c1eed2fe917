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
    from kasuhara_timer.tui.launch import desk_setup, run_desk

    setup = desk_setup(
        profile=profile,
        channel=channel,
        drill=drill,
        speed=speed,
        lang=lang,
        data_dir=data_dir,
    )
    run_desk(setup)


@main.command("devices")
@reports_user_errors
def devices_command() -> None:
    """List the microphones (input devices) that recording can use."""
    from kasuhara_timer.audio.devices import show_input_devices

    show_input_devices()


@main.group("profiles", invoke_without_command=True)
@click.pass_context
@reports_user_errors
def profiles_command(ctx: click.Context) -> None:
    """List the bundled policy profiles and each channel's limit."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console

    from kasuhara_timer.profile_commands import list_profiles

    list_profiles(Console(), _cli_lang(ctx))


@profiles_command.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
@reports_user_errors
def profiles_check_command(ctx: click.Context, file: Path) -> None:
    """Validate an office's profile FILE; exit status 2 with the reason when it is invalid."""
    from rich.console import Console

    from kasuhara_timer.profile_commands import check_profile

    check_profile(Console(), file, _cli_lang(ctx))


def _cli_lang(ctx: click.Context) -> str:
    """`--lang` given to the main command, else Japanese."""
    root = ctx.find_root()
    lang = root.obj.get("lang") if isinstance(root.obj, dict) else None
    return lang or "ja"
