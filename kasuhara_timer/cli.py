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
            from kasuhara_timer.safetext import echo  # a message may name a hostile file

            echo(f"kasuhara-timer: {error}", err=True)
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
@click.option(
    "--as",
    "who",
    default=None,
    help="Which supervisor identity on this PC to act as (name or key id), if several.",
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
    who: str | None,
) -> None:
    """Desk-side timer and escalation assistant. Without a subcommand, starts the desk app."""
    from kasuhara_timer.system.console import safe_output

    safe_output()  # a cp932 console or a redirect there must not cut a report short
    ctx.ensure_object(dict)
    ctx.obj.update(profile=profile, lang=lang, data_dir=data_dir, who=who)
    if ctx.invoked_subcommand is not None:
        return
    from kasuhara_timer.desk.launch import desk_setup, launch_instant, run_desk

    setup = desk_setup(
        launched=launch_instant(),
        profile=profile,
        channel=channel,
        drill=drill,
        speed=speed,
        lang=lang,
        data_dir=data_dir,
    )
    sys.exit(run_desk(setup))


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


@profiles_command.command("schema")
@reports_user_errors
def profiles_schema_command() -> None:
    """Print the JSON Schema of the profile format (for an editor that validates TOML)."""
    from kasuhara_timer.policy.loader import shipped_schema_text

    click.echo(shipped_schema_text(), nl=False)


@main.command("verify")
@click.argument("session", required=False)
@click.option("--all", "every", is_flag=True, help="Verify every session in the data folder.")
@click.pass_context
@reports_user_errors
def verify_command(ctx: click.Context, session: str | None, every: bool) -> None:
    """Check a SESSION's files (or --all) are exactly as written; exit status 1 when not.

    Encrypted sessions are checked against their seal; with this PC's supervisor identity
    (asked only when it is here) their contents are checked too.
    """
    from kasuhara_timer import locations
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.integrity.commands import run_verify
    from kasuhara_timer.integrity.roles import OPEN_WARNING, ask_on_terminal, unlock_reviewer
    from kasuhara_timer.trust.supervisor import local_identities

    data_dir = _cli_data_dir(ctx)
    settings = load_settings()
    lang = "en" if _cli_lang(ctx) == "en" else "ja"
    keyring = settings.trust.keyring()
    configured = keyring.configured
    if configured and local_identities(locations.state_dir()):
        who = ctx.find_root().obj.get("who")
        unlock_reviewer(settings, locations.state_dir(), ask_on_terminal, who=who)
    fold, width = _terminal_fold()
    status = run_verify(data_dir, session, every, lang, keyring=keyring, fold=fold, width=width)
    if not configured:
        click.echo(OPEN_WARNING[lang], err=True)
    sys.exit(status)


def _terminal_fold() -> tuple[Callable[[str, int], tuple[str, ...]] | None, int]:
    """Japanese folded at phrase boundaries to the terminal's width; nothing when piped."""
    import shutil

    if not sys.stdout.isatty():
        return None, 0
    from kasuhara_timer.ui.wrap import wrap

    return wrap, shutil.get_terminal_size().columns


@main.command("purge")
@click.option("--apply", is_flag=True, help="Delete for real (default: only show what would go).")
@click.pass_context
@reports_user_errors
def purge_command(ctx: click.Context, apply: bool) -> None:
    """Delete what the retention rule says is past its time (dry run unless --apply)."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.integrity.commands import run_purge

    settings, lang = load_settings(), _cli_lang(ctx)
    data_dir = _cli_supervisor(ctx)
    sys.exit(
        run_purge(
            data_dir,
            settings.retention,
            apply,
            lang,
            signer=lambda: _acting_signer(ctx, lang),
            keyring=settings.trust.keyring(),
        )
    )


@main.command("hold")
@click.argument("session")
@click.option("--reason", required=True, help="Why (a request, a case number); logged.")
@click.option("--release", is_flag=True, help="Release the hold instead of placing it.")
@click.pass_context
@reports_user_errors
def hold_command(ctx: click.Context, session: str, reason: str, release: bool) -> None:
    """Place (or --release) a supervisor's hold on SESSION: nothing purges a held session."""
    from kasuhara_timer.integrity.commands import run_hold

    lang = _cli_lang(ctx)
    run_hold(
        _cli_supervisor(ctx),
        session,
        reason,
        release,
        lang,
        signer=lambda: _acting_signer(ctx, lang),
    )


@main.group("keys", invoke_without_command=True)
@click.pass_context
@reports_user_errors
def keys_command(ctx: click.Context) -> None:
    """Show this account's signing key (created on first use); see `keys list`, `keys new`."""
    if ctx.invoked_subcommand is not None:
        return
    from kasuhara_timer import locations
    from kasuhara_timer.trust.commands import run_keys_show

    run_keys_show(locations.state_dir(), _cli_lang(ctx))


@keys_command.command("show")
@click.pass_context
@reports_user_errors
def keys_show_command(ctx: click.Context) -> None:
    """Show this account's desk signing key (created on first use)."""
    from kasuhara_timer import locations
    from kasuhara_timer.trust.commands import run_keys_show

    run_keys_show(locations.state_dir(), _cli_lang(ctx))


@keys_command.command("list")
@click.pass_context
@reports_user_errors
def keys_list_command(ctx: click.Context) -> None:
    """List the desk key, this PC's supervisor identities and the office's configured ones."""
    from kasuhara_timer import locations
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.trust.commands import run_keys_list

    run_keys_list(locations.state_dir(), load_settings().trust, _cli_lang(ctx))


@keys_command.command("new")
@click.option("--supervisor", "name", required=True, help="The supervisor's name, as shown.")
@click.pass_context
@reports_user_errors
def keys_new_command(ctx: click.Context, name: str) -> None:
    """Create a passphrase-protected supervisor identity (signing and age decryption)."""
    from kasuhara_timer import locations
    from kasuhara_timer.trust.commands import run_keys_new_supervisor

    run_keys_new_supervisor(locations.state_dir(), name, _cli_lang(ctx))


@keys_command.command("rewrap")
@click.pass_context
@reports_user_errors
def keys_rewrap_command(ctx: click.Context) -> None:
    """Encrypt every encrypted session again for the supervisors config.toml lists now (after
    adding or removing one); needs a supervisor identity that opens the old sessions."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.lifecycle.encrypting import rewrap_all
    from kasuhara_timer.session.clock import SystemClock

    data_dir = _cli_supervisor(ctx)
    recipients = load_settings().trust.keyring().recipients()
    if not recipients:
        raise UserError(
            "no supervisor with an age_recipient in [trust] supervisors: none to encrypt to"
        )
    failed = 0
    for name, files, problem in rewrap_all(data_dir, recipients, clock=SystemClock()):
        if problem:
            failed += 1
            click.echo(f"{name}: {problem}", err=True)
        else:
            click.echo(f"{name}: {files} files for {len(recipients)} supervisor(s)")
    sys.exit(1 if failed else 0)


@main.command("review")
@click.option("--rebuild", is_flag=True, help="Rebuild this PC's index from the folders first.")
@click.pass_context
@reports_user_errors
def review_command(ctx: click.Context, rebuild: bool) -> None:
    """Browse, play back, export and report the saved sessions (for supervisors)."""
    from kasuhara_timer.review.setup import review_setup, run_review

    root = ctx.find_root().obj
    setup = review_setup(
        data_dir=_cli_data_dir(ctx), lang=root.get("lang"), rebuild=rebuild, who=root.get("who")
    )
    sys.exit(run_review(setup))


@main.command("board")
@click.option("--name", default="", help="Your name as desks show it when you answer (login).")
@click.option(
    "--poll/--no-poll",
    default=None,
    help="Poll the folder (SMB/NFS shares) instead of waiting for change notices.",
)
@click.pass_context
@reports_user_errors
def board_command(ctx: click.Context, name: str, poll: bool | None) -> None:
    """Watch every running session live and answer calls for help (for supervisors)."""
    from kasuhara_timer.board.setup import board_setup, run_board

    root = ctx.find_root().obj
    run_board(
        board_setup(
            data_dir=_cli_data_dir(ctx), lang=root.get("lang"), user=name, force_polling=poll
        )
    )


_DATE = click.DateTime(formats=["%Y-%m-%d"])


@main.command("export")
@click.argument("sessions", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "html", "json", "csv", "bundle", "disclosure"]),
    required=True,
    help="xlsx/html/json: the record sheet; csv: one line per session; bundle: a zip for "
    "disclosure per session; disclosure: one zip of all, with a cover sheet.",
)
@click.option(
    "--omit",
    multiple=True,
    metavar="FIELD",
    help="bundle/disclosure: leave this sheet field out (id or label: counterpart, 相手の情報).",
)
@click.option(
    "--laws",
    is_flag=True,
    help="xlsx/html: add the 法令（参考） annex, the criminal-code articles the policy links to "
    "the tagged behaviours (a reference for the supervisor; it decides nothing).",
)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option("--from", "date_from", type=_DATE, default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", type=_DATE, default=None, help="Last day (YYYY-MM-DD).")
@click.option("--drills", is_flag=True, help="With --from/--to: drills instead of real sessions.")
@click.pass_context
@reports_user_errors
def export_command(
    ctx: click.Context,
    sessions: tuple[str, ...],
    fmt: str,
    out_dir: Path,
    date_from: Any,
    date_to: Any,
    drills: bool,
    omit: tuple[str, ...],
    laws: bool,
) -> None:
    """Export SESSIONS (folder names, unique starts of them, or paths) or those of a period."""
    from kasuhara_timer.exports import ExportFormat, csv_name, run_export, select_sessions
    from kasuhara_timer.safetext import echo

    data_dir = _cli_supervisor(ctx)
    start, end = (d.date() if d is not None else None for d in (date_from, date_to))
    chosen = select_sessions(data_dir, sessions, date_from=start, date_to=end, drill=drills)
    name = "sessions.csv" if sessions else csv_name(start, end)
    result = run_export(
        data_dir,
        chosen,
        ExportFormat(fmt),
        out_dir,
        csv_name=name,
        omit=omit,
        requested=(start, end),
        laws=laws,
    )
    for path in result.written:
        echo(str(path))
    for folder, why in result.skipped:
        echo(f"kasuhara-timer: {folder}: not exported: {why}", err=True)
    if result.skipped:
        sys.exit(1)


@main.command("clip")
@click.argument("session")
@click.option(
    "--event",
    type=int,
    default=None,
    help="The timeline row to clip around (without it: the rows are listed).",
)
@click.option(
    "--before",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds of the recording before the event.",
)
@click.option(
    "--after",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds of the recording after the event.",
)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder (default: the exports folder in Documents).")  # fmt: skip
@click.pass_context
@reports_user_errors
def clip_command(
    ctx: click.Context,
    session: str,
    event: int | None,
    before: float,
    after: float,
    out_dir: Path | None,
) -> None:
    """An audio clip of SESSION around one timeline event, with a manifest of its place."""
    from kasuhara_timer import locations
    from kasuhara_timer.catalog.sessions import load_session, require_record
    from kasuhara_timer.exports.clip import clip_events, write_clip
    from kasuhara_timer.safetext import echo
    from kasuhara_timer.store.folders import resolve_session

    data_dir = _cli_supervisor(ctx)
    loaded = load_session(resolve_session(data_dir, session))
    if event is None:
        for number, row in clip_events(require_record(loaded)):
            echo(f"{number:3d}  {row.clock}  {row.elapsed}  {row.audio_offset:9.3f}s  {row.text}")
        return
    folder = (out_dir or locations.exports_dir()).absolute()
    made = write_clip(data_dir, loaded, event, folder, before=before, after=after)
    echo(str(made.audio))
    echo(str(made.manifest))


@main.command("report")
@click.option("--from", "date_from", type=_DATE, default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", type=_DATE, default=None, help="Last day (YYYY-MM-DD).")
@click.option("--month", default=None, help="A whole month (YYYY-MM) instead of --from/--to.")
@click.option("--csv", "csv_file", type=click.Path(path_type=Path), default=None,
              help="Also write the tables to this CSV file (UTF-8 with BOM).")  # fmt: skip
@click.option("--html", "html_file", type=click.Path(path_type=Path), default=None,
              help="Also write the report with charts to this HTML file, to print.")  # fmt: skip
@click.option("--drills", is_flag=True, help="Report on drills instead of real sessions.")
@click.pass_context
@reports_user_errors
def report_command(
    ctx: click.Context,
    date_from: Any,
    date_to: Any,
    month: str | None,
    csv_file: Path | None,
    html_file: Path | None,
    drills: bool,
) -> None:
    """The survey's tables (response time, behaviours, section, channel, month) for a period."""
    from kasuhara_timer.report.commands import run_report

    start, end = (d.date() if d is not None else None for d in (date_from, date_to))
    run_report(
        _cli_supervisor(ctx),
        start,
        end,
        month,
        csv_file,
        drills,
        _cli_lang(ctx),
        html_file=html_file,
    )


def _acting_signer(ctx: click.Context, lang: str) -> Any:
    """The supervisor key that signs a hold, release or purge: the identity this run unlocked
    (`_cli_supervisor`), else this PC's own (its passphrase asked), else the embedded default."""
    from kasuhara_timer import locations
    from kasuhara_timer.integrity import roles
    from kasuhara_timer.integrity.commands import supervisor_signer

    reviewer = roles.current()
    if reviewer is not None and reviewer.signer is not None:
        return reviewer.signer
    root = ctx.find_root()
    who = root.obj.get("who") if isinstance(root.obj, dict) else None
    return supervisor_signer(locations.state_dir(), who, lang)


def _cli_supervisor(ctx: click.Context) -> Path:
    """`_cli_data_dir`, with this PC's supervisor identity unlocked first (its passphrase asked
    on the terminal) when the office lists supervisors: their sessions are for them only."""
    from kasuhara_timer import locations
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.integrity.roles import ask_on_terminal, unlock_reviewer

    data_dir = _cli_data_dir(ctx)
    root = ctx.find_root()
    who = root.obj.get("who") if isinstance(root.obj, dict) else None
    unlock_reviewer(load_settings(), locations.state_dir(), ask_on_terminal, who=who)
    return data_dir


def _cli_data_dir(ctx: click.Context) -> Path:
    """`--data-dir` given to the main command, else the config's, the environment's or the
    default."""
    from kasuhara_timer.config import load_settings

    root = ctx.find_root()
    override = root.obj.get("data_dir") if isinstance(root.obj, dict) else None
    return load_settings().use_data_dir(override)


def _cli_lang(ctx: click.Context) -> str:
    """`--lang` given to the main command, else the config's (Japanese by default).

    A config that cannot be read falls back to Japanese here: the command itself (e.g.
    `profiles check`) must still be able to run and report its own findings.
    """
    from kasuhara_timer.config import load_settings

    root = ctx.find_root()
    lang = root.obj.get("lang") if isinstance(root.obj, dict) else None
    if lang:
        return str(lang)
    try:
        return load_settings().lang
    except UserError:
        return "ja"
