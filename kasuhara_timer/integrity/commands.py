"""`kasuhara-timer verify`, `purge` and `hold`: plain text on stdout, Japanese unless --lang en.

Findings themselves are in English, like the store's messages, because they name files, fields
and hashes; the words around them follow the interface language.
"""

from __future__ import annotations

from pathlib import Path

import click

from kasuhara_timer.config import Retention
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_accesses
from kasuhara_timer.integrity.holds import place_hold, release_hold
from kasuhara_timer.integrity.retention import PurgeAction, apply_purge, plan_purge
from kasuhara_timer.integrity.verify import VerifyReport, verify_session
from kasuhara_timer.session.clock import SystemClock
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, resolve_session

WORDS: dict[str, tuple[str, str]] = {
    "intact": ("改変・破損なし", "intact"),
    "not_intact": ("一致しない点があります", "NOT INTACT"),
    "facts": (
        "イベント{events}件・照合{checked}ファイル{sealed}",
        "{events} events, {checked} files checked{sealed}",
    ),
    "sealed": ("・封印 {at}", ", sealed {at}"),
    "note": ("注記", "note"),
    "total": (
        "{count}件のセッション：一致 {intact}件・不一致 {bad}件",
        "{count} sessions: {intact} intact, {bad} not intact",
    ),
    "none": ("セッションがありません：{path}", "no sessions in {path}"),
    "which": (
        "セッション名を指定するか --all を付けてください",
        "name a session or give --all",
    ),
    "both": ("セッション名と --all は同時に指定できません", "give a session or --all, not both"),
    "log_failed": (
        "警告：アクセス記録を書けませんでした（{error}）",
        "warning: the access log could not be written ({error})",
    ),
    "no_rule": (
        "保存期間の規則が設定されていません（config.toml の [retention]）：何も削除しません。",
        "No retention rule is set ([retention] in config.toml): nothing is purged.",
    ),
    "rule": (
        "規則：未フラグの音声 {audio}・フラグ付き {flagged}・記録 {record}",
        "Rule: unflagged audio {audio}, flagged {flagged}, records {record}",
    ),
    "days": ("{n}日", "{n} day(s)"),
    "years": ("{n}年", "{n} year(s)"),
    "forever": ("無期限", "kept"),
    "would": ("削除予定", "would delete"),
    "deleted": ("削除しました", "deleted"),
    "failed": ("削除できませんでした", "FAILED"),
    "stage.audio": ("音声", "audio"),
    "stage.session": ("セッション全体", "session"),
    "kept": ("保持", "kept"),
    "files": ("{files}ファイル・{size}", "{files} files, {size}"),
    "plan_total": (
        "{count}件のセッションを確認：削除 {actions}件・保持 {kept}件",
        "{count} sessions looked at: {actions} to delete, {kept} kept",
    ),
    "dry_run": (
        "試行のみ（何も削除していません）。削除するには --apply を付けてください。",
        "Dry run: nothing was deleted. Run with --apply to delete.",
    ),
    "held": ("保全しました：{session}（理由：{reason}）", "held {session} (reason: {reason})"),
    "already_held": (
        "すでに保全中です：{session}（{at}・{user}・理由：{reason}）",
        "already held: {session} (since {at} by {user}; reason: {reason})",
    ),
    "released": (
        "保全を解除しました：{session}（{at}から・{user}）",
        "released {session} (held since {at} by {user})",
    ),
}


def word(key: str, lang: str, **values: object) -> str:
    """The commands' words in Japanese (default) or English."""
    return Translator("en" if lang == "en" else "ja", WORDS)(key, **values)


# -- verify ----------------------------------------------------------------------------------


def run_verify(data_dir: Path, session: str | None, every: bool, lang: str) -> int:
    """Verify one session or all; print each; return the exit status (1: anything not intact)."""
    if session is not None and every:
        raise UserError(word("both", lang))
    if session is None and not every:
        raise UserError(word("which", lang))
    folders: list[SessionFolder] = (
        list_session_folders(data_dir) if every else [resolve_session(data_dir, str(session))]
    )
    if not folders:
        click.echo(word("none", lang, path=data_dir))
        return 0
    _log_quietly(data_dir, [(AccessAction.VERIFY, f.name, "") for f in folders], lang)
    reports = [verify_session(folder, data_dir=data_dir) for folder in folders]
    for report in reports:
        click.echo(describe_report(report, lang))
    bad = sum(not report.intact for report in reports)
    if every:
        click.echo(word("total", lang, count=len(reports), intact=len(reports) - bad, bad=bad))
    return 1 if bad else 0


def describe_report(report: VerifyReport, lang: str) -> str:
    """A session's verdict on one line, then one indented line per finding."""
    sealed = (
        word("sealed", lang, at=f"{report.sealed_at:%Y-%m-%d %H:%M}")
        if report.sealed_at is not None
        else ""
    )
    facts = word("facts", lang, events=report.events, checked=len(report.checked), sealed=sealed)
    verdict = word("intact" if report.intact else "not_intact", lang)
    lines = [f"{report.folder.name}: {verdict} ({facts})"]
    lines += [f"  ✗ {finding}" for finding in report.problems]
    lines += [f"  {word('note', lang)}: {finding}" for finding in report.notes]
    return "\n".join(lines)


# -- purge -----------------------------------------------------------------------------------


def run_purge(data_dir: Path, rule: Retention, apply: bool, lang: str) -> int:
    """Print (and with `apply`, carry out) what the retention rule deletes; exit status."""
    clock = SystemClock()  # the command line is the edge: the one place the real clock is read
    plan = plan_purge(data_dir, rule, clock.now())
    if not plan.rule_set:
        click.echo(word("no_rule", lang))
    else:
        click.echo(_rule_words(rule, lang))
    failed = 0
    if apply:
        for outcome in apply_purge(data_dir, plan, clock=clock):
            verdict = word("failed" if outcome.error else "deleted", lang)
            click.echo(_action_line(verdict, outcome.action, lang))
            if outcome.error:
                failed += 1
                click.echo(f"    {outcome.error}")
    else:
        for action in plan.actions:
            click.echo(_action_line(word("would", lang), action, lang))
    for kept in plan.kept:
        click.echo(f"{word('kept', lang)}  {kept.folder.name}: {kept.reason}")
    click.echo(
        word(
            "plan_total", lang, count=plan.sessions, actions=len(plan.actions), kept=len(plan.kept)
        )
    )
    if not apply and plan.actions:
        click.echo(word("dry_run", lang))
    return 1 if failed else 0


def _rule_words(rule: Retention, lang: str) -> str:
    def period(value: int | None, unit: str) -> str:
        return word(unit, lang, n=value) if value else word("forever", lang)

    return word(
        "rule",
        lang,
        audio=period(rule.audio_days, "days"),
        flagged=period(rule.flagged_years, "years"),
        record=period(rule.record_years, "years"),
    )


def _action_line(verdict: str, action: PurgeAction, lang: str) -> str:
    stage = word(f"stage.{action.stage.value}", lang)
    size = word("files", lang, files=len(action.files), size=_bytes(action.bytes))
    return f"{verdict} {stage}  {action.folder.name}  ({size}) — {action.reason}"


def _bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} B"  # pragma: no cover


# -- hold ------------------------------------------------------------------------------------


def run_hold(data_dir: Path, session: str, reason: str, release: bool, lang: str) -> None:
    """Place or release a supervisor's hold on a session and say so."""
    folder = resolve_session(data_dir, session)
    if release:
        hold = release_hold(data_dir, folder.name, reason, clock=SystemClock())
        click.echo(
            word(
                "released",
                lang,
                session=folder.name,
                at=f"{hold.held_at:%Y-%m-%d %H:%M}",
                user=hold.user,
            )
        )
        return
    hold, placed = place_hold(data_dir, folder.name, reason, clock=SystemClock())
    if placed:
        click.echo(word("held", lang, session=folder.name, reason=hold.reason))
    else:
        click.echo(
            word(
                "already_held",
                lang,
                session=folder.name,
                at=f"{hold.held_at:%Y-%m-%d %H:%M}",
                user=hold.user,
                reason=hold.reason,
            )
        )


def _log_quietly(
    data_dir: Path, accesses: list[tuple[AccessAction | str, str, str]], lang: str
) -> None:
    """Log reads that change nothing; a read-only archive copy can still be verified."""
    try:
        log_accesses(data_dir, accesses, clock=SystemClock())
    except StoreError as error:
        click.echo(word("log_failed", lang, error=error), err=True)
