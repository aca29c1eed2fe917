"""The survey's tables: figures checked against ones computed by hand."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.cli import main
from kasuhara_timer.report.csv_file import report_csv, write_report_csv
from kasuhara_timer.report.render import bar, render_report
from kasuhara_timer.report.source import report_from_index
from kasuhara_timer.report.tables import (
    NO_TAG,
    Report,
    SessionFacts,
    build_report,
    duration_band,
    hours_minutes,
    month_label,
)


def fact(day: int, minutes: float, section: str = "市民課", channel: str = "電話",
         behaviours: tuple[str, ...] = (), staff: str = "A") -> SessionFacts:  # fmt: skip
    return SessionFacts(
        day=date(2026, 4 if day <= 30 else 5, day if day <= 30 else day - 30),
        minutes=minutes,
        section=section,
        channel=channel,
        behaviours=behaviours,
        staff=staff,
        limit_reached=minutes >= 30,
        immediate=False,
        ended=True,
    )


def rows(report: Report, table: str) -> list[tuple[str, int]]:
    return [(row.label, row.count) for row in report.table(table).rows]


@pytest.mark.parametrize(
    ("minutes", "band"),
    [(0, "10分未満"), (9.99, "10分未満"), (10, "10分以上30分未満"), (29.9, "10分以上30分未満"),
     (30, "30分以上60分未満"), (59.99, "30分以上60分未満"), (60, "60分以上"), (600, "60分以上")],
)  # fmt: skip
def test_duration_bands_follow_the_survey(minutes: float, band: str) -> None:
    assert duration_band(minutes) == band


def test_hand_computed_tables() -> None:
    facts = [
        fact(1, 5, behaviours=("暴言",)),
        fact(2, 25, "税務課", "来庁", ("暴言", "長時間の拘束"), staff="B"),
        fact(3, 45, behaviours=("長時間の拘束",)),
        fact(31, 90, "福祉課", "メール", staff="C"),
        fact(32, 9.5, ""),
    ]
    report = build_report(facts, date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    assert (report.sessions, report.staff, report.limit_reached) == (5, 3, 2)
    assert report.total_minutes == 174.5
    assert rows(report, "duration") == [
        ("10分未満", 2), ("10分以上30分未満", 1), ("30分以上60分未満", 1), ("60分以上", 1),
    ]  # fmt: skip
    assert rows(report, "behaviour") == [("暴言", 2), ("長時間の拘束", 2), (NO_TAG, 2)]
    assert rows(report, "section") == [
        ("市民課", 2),
        ("福祉課", 1),
        ("税務課", 1),
        ("（未入力）", 1),
    ]
    assert rows(report, "channel") == [
        ("電話", 3), ("来庁", 1), ("メール", 1), ("SNS", 0), ("外で対応", 0),
    ]  # fmt: skip
    assert rows(report, "month") == [("2026年4月", 3), ("2026年5月", 2)]
    under_ten = report.table("duration").rows[0]
    assert (under_ten.share, under_ten.minutes, under_ten.average_minutes) == (0.4, 14.5, 7.25)


def test_an_empty_period_has_empty_tables() -> None:
    report = build_report([])
    assert report.sessions == 0
    assert [row.count for row in report.table("duration").rows] == [0, 0, 0, 0]
    assert report.table("month").rows == ()


def test_report_of_the_corpus(index: SessionIndex) -> None:
    """Real sessions of the corpus: 45, 5, 12, 70, 3, 31 (interrupted) and 2 (unfinished) min."""
    report = report_from_index(index)
    assert (report.sessions, report.staff, report.limit_reached, report.immediate) == (7, 4, 3, 1)
    assert (report.unfinished, report.unreadable, report.total_minutes) == (1, 0, 168)
    assert rows(report, "duration") == [
        ("10分未満", 3), ("10分以上30分未満", 1), ("30分以上60分未満", 2), ("60分以上", 1),
    ]  # fmt: skip
    counted = {label: n for label, n in rows(report, "behaviour") if n}
    assert counted == {
        "精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）": 2,
        "継続的な（繰り返される）、執拗な（しつこい）言動": 1,
        "拘束的な行為（不退去、居座り、監禁）": 1,
        "身体的な攻撃（暴行、傷害）": 1,
        NO_TAG: 3,
    }
    assert rows(report, "section") == [("市民課", 4), ("税務課", 2), ("福祉課", 1)]
    assert rows(report, "channel")[:3] == [("電話", 4), ("来庁", 2), ("メール", 1)]
    assert rows(report, "month") == [("2026年4月", 4), ("2026年5月", 3)]
    behaviours = [label for label, _n in rows(report, "behaviour")]
    assert "土下座の強要" in behaviours, "the profile's behaviours are rows even at 0件"
    may = report_from_index(index, date(2026, 5, 1), date(2026, 5, 31))
    assert (may.sessions, may.total_minutes) == (3, 36)
    drills = report_from_index(index, drill=True)
    assert (drills.sessions, drills.total_minutes) == (1, 10)


def test_unreadable_folders_are_counted_apart(index: SessionIndex, data_dir: Path) -> None:
    (data_dir / "sessions" / "20260415-120000_DESK-09_0000aa").mkdir()
    index.refresh()
    report = report_from_index(index, date(2026, 4, 1), date(2026, 4, 30))
    assert (report.sessions, report.unreadable) == (4, 1)


def test_csv_has_a_bom_and_every_row(index: SessionIndex, tmp_path: Path) -> None:
    report = report_from_index(index)
    path = write_report_csv(report, tmp_path / "report.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0] == ["表", "区分", "件数", "割合(%)", "合計時間(分)", "平均時間(分)"]
    assert ["対応時間", "60分以上", "1", "14.3", "70.0", "70.0"] in lines
    assert ["月別", "2026年5月", "3", "42.9", "36.0", "12.0"] in lines
    assert ["合計", "件数", "7", "", "", ""] in lines
    assert report_csv(report) == raw.decode("utf-8-sig")


def test_terminal_report_has_bars() -> None:
    assert bar(10, 10, width=4) == "████"
    assert bar(1, 2, width=3) == "█▌"
    assert bar(0, 5) == ""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_report(build_report([fact(1, 5), fact(2, 40)])))
    text = console.export_text()
    assert "対応時間" in text and "█" in text and "2件" in text


def test_cli_report_for_a_month_with_csv(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "may.csv"
    result = CliRunner().invoke(
        main, ["--data-dir", str(data_dir), "report", "--month", "2026-05", "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "期間：2026-05-01〜2026-05-31" in result.output
    assert "3件・対応した職員3人" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "--month must be YYYY-MM"),
        (["--month", "2026-05", "--from", "2026-05-01"], "either --month or --from/--to"),
        (["--from", "2026-06-01", "--to", "2026-05-01"], "is after --to"),
    ],
)
def test_cli_report_says_what_is_wrong(data_dir: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), "report", *arguments])
    assert result.exit_code == 2 and message in result.output


def test_empty_months_periods_and_eras() -> None:
    report = build_report(
        [fact(1, 3)], date_from=date(2026, 3, 1), date_to=date(2026, 5, 31), era="reiwa"
    )
    assert rows(report, "month") == [("令和8年3月", 0), ("令和8年4月", 1), ("令和8年5月", 0)]
    assert month_label(2019, 5, "reiwa") == "令和元年5月"
    assert [hours_minutes(m) for m in (3, 60, 168, 0.4)] == ["3分", "1時間", "2時間48分", "0分"]
    text = flat_render(render_report(report))
    assert "合計3分" in text and "合計0.0時間" not in text


def flat_render(renderable: object) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_preset_periods() -> None:
    from kasuhara_timer.report.periods import preset_period

    today = date(2026, 1, 15)
    assert preset_period("this_month", today) == (date(2026, 1, 1), date(2026, 1, 31))
    assert preset_period("last_month", today) == (date(2025, 12, 1), date(2025, 12, 31))
    assert preset_period("this_fiscal_year", today) == (date(2025, 4, 1), date(2026, 3, 31))
    assert preset_period("last_fiscal_year", date(2026, 4, 1)) == (
        date(2025, 4, 1),
        date(2026, 3, 31),
    )
