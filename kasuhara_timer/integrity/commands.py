"""`kasuhara-timer verify`, `purge` and `hold`: plain text on stdout, Japanese unless --lang en.

Findings are worded in English by the checks (as the store's messages and the logs are) and
shown in the interface language (`integrity.reasons`); file names, fields and hashes stay as they
are. On a terminal each finding is folded to its width with a hanging indent (`fold`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from rich.cells import cell_len

from kasuhara_timer import locations
from kasuhara_timer.config import Retention
from kasuhara_timer.errors import UserError
from kasuhara_timer.i18n import Translator
from kasuhara_timer.integrity.accesslog import AccessAction, log_accesses
from kasuhara_timer.integrity.audit import audit
from kasuhara_timer.integrity.holds import place_hold, release_hold
from kasuhara_timer.integrity.reasons import reason_words
from kasuhara_timer.integrity.retention import PurgeAction, apply_purge, plan_purge
from kasuhara_timer.integrity.verify import Finding, Severity, VerifyReport, verify_session
from kasuhara_timer.integrity.witness import Witness
from kasuhara_timer.safetext import echo
from kasuhara_timer.session.clock import SystemClock
from kasuhara_timer.store.errors import StoreError
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, resolve_session
from kasuhara_timer.trust.keys import Signer
from kasuhara_timer.trust.signing import Keyring
from kasuhara_timer.trust.supervisor import DEFAULT_SUPERVISOR, local_identities, unlock_supervisor

WORDS: dict[str, tuple[str, str]] = {
    "intact": ("改変・破損なし", "intact"),
    "not_intact": ("一致しない点があります", "NOT INTACT"),
    "facts": (
        "イベント{events}件・照合{checked}ファイル{sealed}",
        "{events} events, {checked} files checked{sealed}",
    ),
    "sealed": ("・封印 {at}", ", sealed {at}"),
    "note": ("注記", "note"),
    "where_line": ("{file} {line}行目", "{file} line {line}"),
    "total": (
        "{count}件のセッション：一致 {intact}件・不一致 {bad}件",
        "{count} sessions: {intact} intact, {bad} not intact",
    ),
    "none": ("セッションがありません：{path}", "no sessions in {path}"),
    "folder_wide": ("データフォルダ全体", "data folder"),
    "signed": (
        "署名：デスク鍵で署名 {signed}件・未署名 {unsigned}件・台帳 {ledgers}件",
        "signatures: {signed} signed by a desk key, {unsigned} unsigned, {ledgers} ledger(s)",
    ),
    "unsigned_limits": (
        "未署名のセッションは、フォルダに書き込める人なら誰でもハッシュごと書き換えられます"
        "（偶然の破損だけが検出されます）。",
        "Unsigned sessions could be rewritten, hashes and all, by anyone who can write the "
        "folder: only accidental damage is detected.",
    ),
    "no_supervisor": (
        "管理者の鍵が設定されていません（config.toml の [trust]）：保全・解除・削除の記録は"
        "組み込みの既定鍵で署名され、誰が行ったかを証明しません。",
        "No supervisor key is configured ([trust] in config.toml): holds, releases and purges "
        "are signed with the embedded default key and prove nothing about who acted.",
    ),
    "witness": (
        "この端末の証人記録：{path}（以後の変更・削除はここと照合されます）",
        "this PC's witness: {path} (later changes and deletions are checked against it)",
    ),
    "witness_failed": (
        "警告：証人記録を書けませんでした（{error}）",
        "warning: the witness could not be written ({error})",
    ),
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
    "as_default": (
        "警告：この端末に管理者の鍵がありません（kasuhara-timer keys new --supervisor 名前）。"
        "組み込みの既定鍵で署名します：誰が行ったかは証明されません。",
        "warning: no supervisor identity on this PC (kasuhara-timer keys new --supervisor NAME); "
        "signing with the embedded default key: this proves nothing about who acted.",
    ),
    "which_identity": (
        "この端末に管理者の鍵が複数あります。--as で名前か鍵IDを指定してください：{names}",
        "several supervisor identities on this PC; name one with --as: {names}",
    ),
    "no_identity": ("管理者の鍵が見つかりません：{who}", "no supervisor identity {who} here"),
    "passphrase": ("{name} のパスフレーズ", "Passphrase of {name}"),
    "released": (
        "保全を解除しました：{session}（{at}から・{user}）",
        "released {session} (held since {at} by {user})",
    ),
}


Fold = Callable[[str, int], tuple[str, ...]]
"""Lines of at most `width` cells (`ui.wrap.wrap`, given by the command line)."""


def word(key: str, lang: str, **values: object) -> str:
    """The commands' words in Japanese (default) or English."""
    return Translator("en" if lang == "en" else "ja", WORDS)(key, **values)


# -- verify ----------------------------------------------------------------------------------


def run_verify(
    data_dir: Path,
    session: str | None,
    every: bool,
    lang: str,
    *,
    keyring: Keyring | None = None,
    state_dir: Path | None = None,
    fold: Fold | None = None,
    width: int = 0,
) -> int:
    """Verify one session or all; print each; return the exit status (1: anything not intact).

    The ledgers and this PC's witness (in `state_dir`) are checked too; with --all, sessions
    gone from the folder are reported.
    """
    if session is not None and every:
        raise UserError(word("both", lang))
    if session is None and not every:
        raise UserError(word("which", lang))
    folders: list[SessionFolder] = (
        list_session_folders(data_dir) if every else [resolve_session(data_dir, str(session))]
    )
    if not folders:
        echo(word("none", lang, path=data_dir))
        return 0
    _log_quietly(data_dir, [(AccessAction.VERIFY, f.name, "") for f in folders], lang)
    reports = [verify_session(folder, data_dir=data_dir, keyring=keyring) for folder in folders]
    witness = Witness.load(state_dir or locations.state_dir())
    now = SystemClock().now()
    audited = audit(data_dir, reports, witness, now, complete=every, keyring=keyring)
    for report in audited.reports:
        echo(describe_report(report, lang, fold, width))
    if audited.findings:
        verdict = word("not_intact" if audited.problems else "intact", lang)
        echo(f"{word('folder_wide', lang)}: {verdict}")
        echo("\n".join(_finding_lines(audited.findings, lang, fold, width)))
    bad = sum(not report.intact for report in audited.reports)
    signed = sum(report.signer is not None for report in audited.reports)
    echo(
        word(
            "signed",
            lang,
            signed=signed,
            unsigned=len(audited.reports) - signed,
            ledgers=audited.ledgers,
        )
    )
    if signed < len(audited.reports):
        echo(word("unsigned_limits", lang))
    if keyring is None or not keyring.configured:
        echo(word("no_supervisor", lang))
    try:
        witness.save()
        echo(word("witness", lang, path=witness.path))
    except StoreError as error:
        echo(word("witness_failed", lang, error=error), err=True)
    if every:
        echo(word("total", lang, count=len(reports), intact=len(reports) - bad, bad=bad))
    return 1 if bad or audited.problems else 0


def _finding_lines(
    findings: list[Finding], lang: str, fold: Fold | None = None, width: int = 0
) -> list[str]:
    """Problems (✗) then notes, each in `lang`, folded under its mark when `fold` is given."""
    lines = []
    for severity, mark in (
        (Severity.PROBLEM, "  ✗ "),
        (Severity.NOTE, f"  {word('note', lang)}: "),
    ):
        for finding in findings:
            if finding.severity is severity:
                lines += _folded(mark, finding_words(finding, lang), fold, width)
    return lines


def finding_words(finding: Finding, lang: str) -> str:
    """One finding in `lang`: where (file, line) and what."""
    what = reason_words(finding.message, "en" if lang == "en" else "ja")
    where = finding.file
    if finding.line is not None:
        where = word("where_line", lang, file=finding.file, line=finding.line)
    if not where:
        return what
    return f"{where}：{what}" if lang != "en" else f"{where}: {what}"


def _folded(mark: str, text: str, fold: Fold | None, width: int) -> list[str]:
    indent = " " * cell_len(mark)
    if fold is None or width <= len(indent) + 10:
        return [mark + text]
    first, *rest = fold(text, width - len(indent))
    return [mark + first, *(indent + line for line in rest)]


def describe_report(
    report: VerifyReport, lang: str, fold: Fold | None = None, width: int = 0
) -> str:
    """A session's verdict on one line, then one indented line (or more) per finding."""
    sealed = (
        word("sealed", lang, at=f"{report.sealed_at:%Y-%m-%d %H:%M}")
        if report.sealed_at is not None
        else ""
    )
    facts = word("facts", lang, events=report.events, checked=len(report.checked), sealed=sealed)
    verdict = word("intact" if report.intact else "not_intact", lang)
    lines = [f"{report.folder.name}: {verdict} ({facts})"]
    lines += _finding_lines(list(report.findings), lang, fold, width)
    return "\n".join(lines)


# -- purge -----------------------------------------------------------------------------------


def supervisor_signer(state_dir: Path, who: str | None, lang: str) -> Signer:
    """The supervisor identity that signs a hold, release or purge: the one on this PC (or the
    one `who` names, by name or key id), unlocked with its passphrase; the embedded default,
    with a warning, when this PC has none."""
    local = local_identities(state_dir)
    if who is not None:
        local = [(p, k) for p, k in local if who in (k.name, k.key_id) or k.key_id.startswith(who)]
        if not local:
            raise UserError(word("no_identity", lang, who=who))
    if not local:
        echo(word("as_default", lang), err=True)
        return DEFAULT_SUPERVISOR.signer
    if len(local) > 1:
        names = ", ".join(f"{k.name} ({k.key_id})" for _, k in local)
        raise UserError(word("which_identity", lang, names=names))
    [(path, public)] = local
    secret = click.prompt(word("passphrase", lang, name=public.name), hide_input=True, err=True)
    return unlock_supervisor(path, str(secret)).signer


def run_purge(
    data_dir: Path,
    rule: Retention,
    apply: bool,
    lang: str,
    *,
    signer: Callable[[], Signer] | None = None,
    keyring: Keyring | None = None,
) -> int:
    """Print (and with `apply`, carry out) what the retention rule deletes; exit status.

    `signer` is asked for the supervisor's key only when something is to be deleted.
    """
    clock = SystemClock()  # the command line is the edge: the one place the real clock is read
    plan = plan_purge(data_dir, rule, clock.now(), keyring)
    if not plan.rule_set:
        echo(word("no_rule", lang))
    else:
        echo(_rule_words(rule, lang))
    failed = 0
    if apply and plan.actions:
        key = signer() if signer is not None else None
        for outcome in apply_purge(data_dir, plan, clock=clock, signer=key):
            verdict = word("failed" if outcome.error else "deleted", lang)
            echo(_action_line(verdict, outcome.action, lang))
            if outcome.error:
                failed += 1
                echo(f"    {outcome.error}")
    else:
        for action in plan.actions:
            echo(_action_line(word("would", lang), action, lang))
    for kept in plan.kept:
        echo(f"{word('kept', lang)}  {kept.folder.name}: {kept.reason}")
    echo(
        word(
            "plan_total", lang, count=plan.sessions, actions=len(plan.actions), kept=len(plan.kept)
        )
    )
    if not apply and plan.actions:
        echo(word("dry_run", lang))
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


def run_hold(
    data_dir: Path,
    session: str,
    reason: str,
    release: bool,
    lang: str,
    *,
    signer: Callable[[], Signer] | None = None,
) -> None:
    """Place or release a supervisor's hold on a session, signed by `signer`, and say so."""
    folder = resolve_session(data_dir, session)
    key = signer() if signer is not None else None
    if release:
        hold = release_hold(data_dir, folder.name, reason, clock=SystemClock(), signer=key)
        echo(
            word(
                "released",
                lang,
                session=folder.name,
                at=f"{hold.held_at:%Y-%m-%d %H:%M}",
                user=hold.user,
            )
        )
        return
    hold, placed = place_hold(data_dir, folder.name, reason, clock=SystemClock(), signer=key)
    if placed:
        echo(word("held", lang, session=folder.name, reason=hold.reason))
    else:
        echo(
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
        echo(word("log_failed", lang, error=error), err=True)
