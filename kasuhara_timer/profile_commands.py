"""`kasuhara-timer profiles` and `profiles check`: what the bundled profiles say, and whether an
office's own profile file is valid, printed with rich for a terminal (no Textual)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from kasuhara_timer.i18n import Translator
from kasuhara_timer.policy.loader import bundled_profile_names, check_profile_file, load_policy
from kasuhara_timer.policy.models import ChannelId, Limit, Policy

WORDS: dict[str, tuple[str, str]] = {
    "id": ("ID", "id"),
    "municipality": ("自治体", "city"),
    "date": ("文書の日付", "date"),
    "phone": ("電話", "phone"),
    "counter": ("来庁", "counter"),
    "other": ("その他", "other"),
    "minutes": ("{minutes}分", "{minutes} min"),
    "default": ("{minutes}分(既定)", "{minutes} default"),
    "title": ("同梱のプロファイル", "Bundled profiles"),
    "legend": (
        "(既定)：文書に時間の定めがなく、アプリの既定値を用います。",
        "default: the document sets no limit; the app's default applies.",
    ),
    "usage": (
        "--profile 名前 で選択、--profile ファイル.toml で自分の方針を使えます。",
        "Pick one with --profile NAME, or use your own with --profile FILE.toml.",
    ),
    "ok": ("OK：{path}", "OK: {path}"),
    "counts": (
        "行為類型 {behaviours}・チェックリスト {checklist}項目・記録シート {fields}項目・"
        "相談窓口 {contacts}・法令 {laws}",
        "{behaviours} behaviours, {checklist} checklist items, {fields} sheet fields, "
        "{contacts} contacts, {laws} laws",
    ),
    "notes": (
        "文書にない補い・借用（profile.notes）：{count}件",
        "Borrowed or assumed: {count} notes",
    ),
    "cited": (
        "引用：{checked}件を文書の該当箇所で確認（行の指定なし {uncited}件）",
        "Citations: {checked} found at their place ({uncited} cite no line)",
    ),
    "read_from": ("  文書 {file}：{where}", "  document {file}: {where}"),
    "shipped": ("同梱の写し", "the shipped copy"),
    "missing": (
        "引用：{file} が見つからないため {count}件を確認できません"
        "（プロファイルと同じフォルダに置いてください）",
        "Citations: {file} not found, {count} not checked (put it beside the profile)",
    ),
}


def word(key: str, lang: str, **values: object) -> str:
    """The CLI's words in Japanese (default) or English."""
    return Translator("en" if lang == "en" else "ja", WORDS)(key, **values)


def limit_text(limit: Limit, lang: str) -> str:
    """`30分` when the document sets the limit, `30分(既定)` when the app's default applies."""
    return word("minutes" if limit.stated else "default", lang, minutes=limit.minutes)


def limits_line(policy: Policy, lang: str) -> str:
    """Each channel's limit on one line: `電話 30分 / 来庁 30分 / その他 30分(既定)`."""
    return " / ".join(
        f"{word(channel.value, lang)} {limit_text(policy.channel(channel).limit, lang)}"
        for channel in ChannelId
    )


def list_profiles(console: Console, lang: str) -> None:
    """A table of the bundled profiles with their limits per channel."""
    table = Table(
        title=word("title", lang), box=None, pad_edge=False, header_style="bold underline"
    )
    for key in ("id", "municipality", "date", "phone", "counter", "other"):
        table.add_column(word(key, lang), no_wrap=key != "municipality", overflow="fold")
    for name in bundled_profile_names():
        policy = load_policy(name).policy
        table.add_row(
            name,
            policy.profile.municipality,
            policy.profile.date,
            *(limit_text(policy.channel(c).limit, lang) for c in ChannelId),
        )
    console.print(table)
    console.print(word("legend", lang))
    console.print(word("usage", lang))


def check_profile(console: Console, path: Path, lang: str) -> None:
    """Validate `path` and its citations (raising `UserError` when it is not a valid profile or a
    quotation is not at its cited place) and summarise it."""
    checked = check_profile_file(path)
    policy = checked.policy
    info = policy.profile
    console.print(word("ok", lang, path=path), markup=False, soft_wrap=True)
    console.print(
        f"  {info.id}: {info.municipality}「{info.title}」（{info.date}）",
        markup=False,
        soft_wrap=True,
    )
    console.print(f"  {limits_line(policy, lang)}", markup=False, soft_wrap=True)
    counts = word(
        "counts",
        lang,
        behaviours=len(policy.behaviours),
        checklist=len(policy.checklist),
        fields=len(policy.sheet_fields),
        contacts=len(policy.contacts),
        laws=len(policy.laws),
    )
    console.print(f"  {counts}", markup=False, soft_wrap=True)
    if info.notes:
        console.print(
            f"  {word('notes', lang, count=len(info.notes))}", markup=False, soft_wrap=True
        )
    citations = checked.citations
    console.print(
        f"  {word('cited', lang, checked=citations.checked, uncited=citations.uncited)}",
        markup=False,
        soft_wrap=True,
    )
    for file, where in checked.documents.items():
        place = str(where) if where is not None else word("shipped", lang)
        console.print(word("read_from", lang, file=file, where=place), markup=False, soft_wrap=True)
    for file, count in citations.missing.items():
        console.print(
            f"  {word('missing', lang, file=file or '?', count=count)}",
            markup=False,
            soft_wrap=True,
        )
