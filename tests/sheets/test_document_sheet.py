"""The saved sheet reads as the document's own sheet: its notes verbatim, the limit said to be a
default where the document sets none, dates in the office's era, the record id on every page."""

from __future__ import annotations

import re

from kasuhara_timer.policy.loader import load_policy
from kasuhara_timer.policy.models import Policy, wareki_year
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.store.record import build_record
from tests.support.html_tree import parse_html
from tests.support.store import ListSink, run_phone_session

FOLDER = "20260401-090000_DESK-07_0a1b2c"


def sheet_of(policy: Policy, clock: ManualClock) -> str:
    sink = ListSink()
    run_phone_session(policy, sink, clock)
    return render_sheet(build_record(sink.events, policy, FOLDER, journal_hash="0" * 64))


def notes(html: str) -> list[str]:
    page = parse_html(html)
    return [p.text().strip() for p in page.find_all("p", class_="note")]


def test_nanyos_sheet_carries_its_two_notes_verbatim(clock: ManualClock) -> None:
    printed = notes(sheet_of(load_policy("nanyo").policy, clock))
    assert "※総務課へ相談する際にこのシートを活用してください。" in printed
    assert "※別添「カスタマーハラスメントチェックリスト」も記入してください。" in printed
    assert not any("既定値" in n for n in printed)  # §5 sets the phone's 30 minutes


def test_a_default_limit_says_so_on_the_sheet(clock: ManualClock) -> None:
    printed = notes(sheet_of(load_policy("taito").policy, clock))
    assert (
        "※対応の目安時間30分は既定値です：文書に時間の定めなし。既定値30分（アプリの既定）。"
        in printed
    )


def test_dates_in_reiwa_by_default_and_western_on_request(clock: ManualClock) -> None:
    nanyo = load_policy("nanyo").policy
    assert "令和8年4月1日（水）" in sheet_of(nanyo, clock)
    western = nanyo.model_copy(
        update={"profile": nanyo.profile.model_copy(update={"calendar": "seireki"})}
    )
    html = sheet_of(western, clock)
    assert "2026年4月1日（水）" in html and "令和8年4月1日" not in html


def test_wareki_years() -> None:
    assert wareki_year(2026, 4, 1) == "令和8年"
    assert wareki_year(2019, 5, 1) == "令和元年"
    assert wareki_year(2019, 4, 30) == "2019年"


def test_the_record_id_is_on_every_printed_page(clock: ManualClock) -> None:
    html = sheet_of(load_policy("nanyo").policy, clock)
    page_rule = re.search(r"@page \{.*?\n\}", html, flags=re.S)
    assert page_rule is not None
    assert f'content: "記録 {FOLDER}' in page_rule.group(0)
    assert "counter(page)" in page_rule.group(0)


def test_japanese_line_breaking_rules_are_set(clock: ManualClock) -> None:
    html = sheet_of(load_policy("nanyo").policy, clock)
    assert "line-break: strict" in html  # no line starts with 、 or ）
    assert re.search(r"th\.label \{[^}]*word-break: keep-all", html)  # 性別, 記載 stay whole


def test_page_margin_words_are_css_escaped() -> None:
    """A quote, a backslash or ``</style>`` in a profile's words cannot end the CSS string or the
    style element the printed footer is written in."""
    from kasuhara_timer.sheets.render import css_string

    escaped = str(css_string('市"役所\\</style>{x;}&'))
    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert not any(mark in inner for mark in ('"', "<", ">", "{", "}", ";", "&"))
    assert inner.replace("\\22 ", '"').replace("\\5c ", "\\").startswith('市"役所\\')
