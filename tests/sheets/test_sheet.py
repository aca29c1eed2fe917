"""sheet.html read back with html.parser: the 8 rows, the timeline, the 17 checklist rows, and
whatever a note holds printed as text, never as markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kasuhara_timer.policy.loader import bundled_profile_names, load_policy
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import Ended, Event
from kasuhara_timer.sheets.render import render_sheet
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import create_session_folder
from kasuhara_timer.store.journal import Journal
from kasuhara_timer.store.record import Record, build_record
from tests.support.html_tree import Element, parse_html
from tests.support.store import STAFF, ListSink, run_phone_session, start_session

FOLDER = "20260401-090000_DESK-07_0a1b2c"


def record_of(events: list[Event], policy: Policy) -> Record:
    return build_record(events, policy, FOLDER, journal_hash="0" * 64)


@pytest.fixture
def phone(policy: Policy, clock: ManualClock) -> list[Event]:
    sink = ListSink()
    run_phone_session(policy, sink, clock)
    return sink.events


@pytest.fixture
def page(phone: list[Event], policy: Policy) -> Element:
    return parse_html(render_sheet(record_of(phone, policy)))


def sheet_rows(page: Element) -> dict[str, Element]:
    """The numbered rows of the record sheet, by field id (the timeline's is its head row)."""
    return {
        row.attrs["data-field"]: row for row in page.find_all("tr") if "data-field" in row.attrs
    }


def timeline_rows(page: Element) -> list[Element]:
    """The timeline's entries, one row each, in order (its last one sits with the sheet's end)."""
    return [row for row in page.find_all("tr") if "data-kind" in row.attrs]


def entry_texts(row: Element) -> list[str]:
    """A timeline row's 時刻, 経過 and 内容 (not the cell under the field's number and label)."""
    return [
        c.text().strip()
        for c in row.children_where(lambda e: e.tag == "td" and "span" not in e.classes)
    ]


def cell_texts(row: Element) -> list[str]:
    return [c.text().strip() for c in row.children_where(lambda e: e.tag in ("th", "td"))]


def test_the_eight_numbered_rows(page: Element) -> None:
    rows = sheet_rows(page)
    assert [cell_texts(r)[0] for r in rows.values()] == [str(n) for n in range(1, 9)]
    labels = [r.find("th", class_="label").children[0] for r in rows.values()]
    assert labels == [
        "日時",
        "対応者",
        "対応方法",
        "相手の情報",
        "内容",
        "対応",
        "今後の対応",
        "その他",
    ]
    assert rows["staff"].find("small").text() == "所属・職・氏名"
    values = {
        key: row.find("td", class_="value").text().strip()
        for key, row in rows.items()
        if key != "timeline"  # its entries are rows of their own (test below)
    }
    assert values["datetime"] == "令和8年4月1日（水）09:00:00〜09:33:15（33分15秒）"
    assert values["staff"] == "市民課 主事 山田 太郎"
    assert values["party"] == "男性・60代くらい"
    assert values["content"] == "手続の即日完了を要求"
    assert values["followup"] == "" and values["other"] == ""  # empty fields stay blank


def test_method_row_marks_the_channel_used(page: Element) -> None:
    options = sheet_rows(page)["method"].find_all("span", class_="option")
    assert [o.text() for o in options] == ["来庁", "電話", "メール", "SNS", "外で対応"]
    assert [o.text() for o in options if "selected" in o.classes] == ["電話"]


def test_timeline_rows_in_order(page: Element, phone: list[Event]) -> None:
    head = cell_texts(sheet_rows(page)["timeline"])
    assert head == ["6", "対応時系列で記載", "時刻", "経過", "内容"]
    rows = [entry_texts(r) for r in timeline_rows(page)]
    assert len(rows) == len(phone) - 1  # the sheet save itself is not a timeline row
    assert rows[0] == ["09:00:00", "0:00:00", "対応開始（電話・目安30分）"]
    assert ["09:20:00", "0:20:00", "予告：目安時間まで残り10分"] in rows
    assert ["09:30:00", "0:30:00", "目安時間（30分）に到達"] in rows
    assert ["09:30:00", "0:30:00", "ステップ：毅然とした警告"] in rows
    assert ["09:05:00", "0:05:00", "行為の記録：暴言"] in rows
    assert ["09:05:00", "0:05:00", "メモ：大声で同じ主張を繰り返す"] in rows
    assert ["09:32:10", "0:32:10", "録音の障害（マイクが外れた・欠落3.5秒）"] in rows
    assert rows[-1] == ["09:33:15", "0:33:15", "対応終了"]
    times = page.find("table", class_="timeline").find_all("time")
    assert times[0].attrs["datetime"] == "2026-04-01T09:00:00+09:00"


def test_checklist_has_its_17_rows_with_answers(page: Element, policy: Policy) -> None:
    table = page.find("table", class_="checklist")
    header = cell_texts(table.find("thead").find("tr"))
    assert header == ["No.", "項目", "該当する場合に☑", "備考"]
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == 17
    cells = [cell_texts(r) for r in rows]
    assert [c[0] for c in cells] == [str(n) for n in range(1, 18)]
    assert rows[4].find("td", class_="item").children[0] == policy.checklist[4].text
    assert rows[4].find("small").text() == policy.checklist[4].example
    assert [c[0] for c in cells if c[2] == "☑"] == ["7", "9", "17"]
    assert all(c[2] in ("☑", "☐") for c in cells)
    assert cells[6][3] == "大声で威圧" and cells[8][3] == "" and cells[16][3] == "通話録音あり"


def test_checklist_prints_on_its_own_a4_page(page: Element) -> None:
    pages = page.find("main").children_where(lambda e: e.tag == "section")
    assert [("record-sheet" in p.classes, "checklist-page" in p.classes) for p in pages] == [
        (True, False),
        (False, True),
    ]
    style = page.find("style").text()
    assert re.search(r"@page\s*{\s*size:\s*A4", style)
    assert re.search(r"\.page \+ \.page\s*{\s*break-before:\s*page", style)


def test_self_contained(page: Element) -> None:
    assert page.find_all("script") == [] and page.find_all("link") == []
    assert not [e for e in page.iter() if "src" in e.attrs or "href" in e.attrs]
    style = page.find("style").text()
    assert "url(" not in style and "@import" not in style
    assert "Noto Sans CJK JP" in style and "Yu Gothic" in style and "sans-serif" in style
    assert page.find("html").attrs["lang"] == "ja"


def test_footer_names_the_profile_and_no_markers_on_a_real_session(page: Element) -> None:
    footers = page.find_all("footer")
    assert len(footers) == 2  # one per printed page
    assert "見本市「カスタマーハラスメント対策マニュアル（試験用）」" in footers[0].text()
    assert FOLDER in footers[0].text()
    text = page.text()
    assert "研修（訓練）記録" not in text and "中断された対応" not in text


def test_drill_and_interrupted_are_marked(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    start_session(policy, sink, clock, ChannelId.COUNTER, drill=True, speed=60)
    clock.advance(30)
    sink.append(Ended(t=1800, at=clock.now(), reason="interrupted"))
    page = parse_html(render_sheet(record_of(sink.events, policy)))
    banners = [b.text() for b in page.find_all("p", class_="banner")]
    # on both pages; ended, never saved: its sheet can still be finished (lifecycle.unfinished)
    assert banners == ["研修（訓練）記録", "中断された対応", "記録シート未完成"] * 2
    markers = [m.text() for m in page.find("footer").find_all("span", class_="marker")]
    assert markers == ["研修（訓練）記録・時計 ×60", "中断された対応"]


def test_a_session_never_ended_says_so(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    start_session(policy, sink, clock)
    page = parse_html(render_sheet(record_of(sink.events, policy)))
    assert page.find("p", class_="interrupted").text() == "中断された対応（終了の記録なし）"


ODD = {
    "script": "<script>alert('x')</script>",
    "break_out": "</td></tr></tbody></table><h1>偽</h1>",
    "entity": "&amp; &lt; \" '",
    "controls": "a\x00b\x1b[31mc\x07d\x7fe\x85f",
    "emoji": "😡🙇‍♂️👨‍👩‍👧",
    "rtl": "مرحبا \u202eevil\u202c שלום",
    "surrogate": "x\udc80y",
    "lines": "一行目\r\n二行目\r三行目",
}


@pytest.fixture
def odd_page(policy: Policy, clock: ManualClock) -> tuple[Element, str]:
    sink = ListSink()
    session = start_session(policy, sink, clock, ChannelId.OTHER)
    for text in ODD.values():
        session.add_note(text)
    session.end()
    session.save_sheet(
        fields={"party": ODD["script"], "content": ODD["rtl"], "other": ODD["break_out"]},
        checklist=[],
        staff=STAFF,
        method="<b>窓口外</b>",
    )
    html = render_sheet(record_of(sink.events, policy))
    return parse_html(html), html


def notes_on(page: Element) -> list[str]:
    return [r.find("bdi").text() for r in timeline_rows(page) if r.attrs["data-kind"] == "note"]


def test_markup_in_text_is_printed_not_run(odd_page: tuple[Element, str]) -> None:
    page, html = odd_page
    assert page.find_all("script") == []
    assert [h.text() for h in page.find_all("h1")] == ["カスタマーハラスメント対応記録シート"]
    assert len(sheet_rows(page)) == 8
    notes = notes_on(page)
    assert notes[0] == "メモ：" + ODD["script"]
    assert notes[1] == "メモ：" + ODD["break_out"]
    assert notes[2] == "メモ：" + ODD["entity"]
    assert sheet_rows(page)["party"].find("bdi").text() == ODD["script"]
    selected = [o.text() for o in page.find_all("span", class_="option") if "selected" in o.classes]
    assert selected == ["<b>窓口外</b>"]
    assert "<script>alert" not in html


def test_odd_characters_survive_visibly(odd_page: tuple[Element, str]) -> None:
    page, html = odd_page
    notes = notes_on(page)
    assert notes[3] == "メモ：a␀b␛[31mc␇d␡e\ufffdf"  # control pictures, C1 replaced
    assert notes[4] == "メモ：" + ODD["emoji"]
    assert notes[5] == "メモ：" + ODD["rtl"]  # kept, but isolated in <bdi>
    assert notes[6] == "メモ：x\ufffdy"
    assert notes[7] == "メモ：一行目\n二行目\n三行目"
    assert sheet_rows(page)["content"].find("bdi").text() == ODD["rtl"]
    html.encode("utf-8")  # no lone surrogate left to break the file
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html)


def test_very_long_note(policy: Policy, clock: ManualClock) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock)
    long_text = "長い" * 50_000
    session.add_note(long_text)
    page = parse_html(render_sheet(record_of(sink.events, policy)))
    assert notes_on(page) == ["メモ：" + long_text]


def test_saved_file_is_the_rendered_sheet(
    tmp_path: Path, policy: Policy, clock: ManualClock
) -> None:
    folder = create_session_folder(tmp_path, clock.now(), "DESK-07")
    with Journal.create(folder.journal) as journal:
        run_phone_session(policy, journal, clock)
    record = save_record_and_sheet(folder, policy)
    assert folder.sheet.read_text(encoding="utf-8") == render_sheet(record)
    page = parse_html(folder.sheet.read_text(encoding="utf-8"))
    assert folder.name in page.find("title").text()
    assert len(sheet_rows(page)) == 8


@pytest.mark.parametrize("name", bundled_profile_names())
def test_every_bundled_profile_prints_its_sheet(name: str, clock: ManualClock) -> None:
    policy = load_policy(name).policy
    sink = ListSink()
    run_phone_session(policy, sink, clock)
    page = parse_html(render_sheet(record_of(sink.events, policy)))
    rows = sheet_rows(page)
    assert list(rows) == [f.id for f in sorted(policy.sheet_fields, key=lambda f: f.no)]
    assert len(rows) == 8
    labels = [r.find("th", class_="label").children[0] for r in rows.values()]
    assert labels[0] == "日時" and labels[2] == "対応方法"
    checklist = page.find("table", class_="checklist").find("tbody").find_all("tr")
    assert [r.find("td", class_="item").children[0] for r in checklist] == [
        item.text for item in policy.checklist
    ]
    assert len(checklist) == 17
    first_step = policy.channel(ChannelId.PHONE).ladder[0].title
    timeline = " ".join(row.text() for row in timeline_rows(page))
    assert f"ステップ：{first_step}" in timeline
    assert policy.profile.municipality in page.find("footer").text()


def test_withdrawn_entries_struck_through_with_the_time_of_withdrawal(
    policy: Policy, clock: ManualClock
) -> None:
    sink = ListSink()
    session = start_session(policy, sink, clock)
    clock.advance(60)
    session.go_immediate()  # a mis-pressed x …
    clock.advance(7)
    session.withdraw_last()  # … taken back 7 s later
    session.add_note("住所を確認")
    session.end()
    page = parse_html(render_sheet(record_of(sink.events, policy)))
    by_kind = {row.attrs["data-kind"]: row for row in timeline_rows(page)}
    struck = by_kind["immediate"].find("del")
    assert struck.text().strip() == "即時対応（暴力・危険）に切替"
    assert "09:01:07に取り消し" in by_kind["immediate"].text()
    assert by_kind["withdrawn"].text().endswith("取り消し：即時対応（暴力・危険）に切替")
    assert by_kind["note"].find_all("del") == []  # what stands is not struck
    record = record_of(sink.events, policy)
    row = next(r for r in record.sheet.timeline if r.kind == "immediate")
    assert row.withdrawn_clock == "09:01:07" and row.withdrawn_at is not None


def test_the_contact_and_the_after_care_apart(nanyo: Policy, clock: ManualClock) -> None:
    """After ステップ3 切電 the sheet's 日時 gives the call's time and the after-care's apart, and
    record.json keeps both (read back from its bytes)."""
    from kasuhara_timer.session.clock import SessionClock
    from kasuhara_timer.session.desk import DeskSession

    sink = ListSink()
    session = DeskSession.start(nanyo, ChannelId.PHONE, SessionClock(clock), sink)
    clock.advance(30 * 60)
    session.tick()
    for _ in range(3):  # ステップ1, 2, 3 (the limit has arrived: each is taken)
        clock.advance(60)
        session.take_next_step()
    assert session.state.contact_ended is not None
    clock.advance(4 * 60 + 7)
    session.end()
    record = Record.model_validate_json(record_of(sink.events, nanyo).to_json_bytes())
    assert record.session.contact_seconds == 33 * 60
    assert record.session.aftercare_seconds == 4 * 60 + 7
    assert record.session.duration_seconds == 37 * 60 + 7
    assert record.session.contact_ended_at is not None
    rows = sheet_rows(parse_html(render_sheet(record)))
    when = cell_texts(rows["datetime"])[-1]
    assert "09:00:00〜09:33:00（通話33分0秒）、事後の対応〜09:37:07（4分7秒）" in when
    timeline = [row.text for row in record.sheet.timeline]
    assert (
        timeline.index("通話終了（ここから事後の対応）")
        == timeline.index("ステップ：ステップ3 切電の実施") + 1
    )
