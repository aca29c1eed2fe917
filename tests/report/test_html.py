"""The printable report: HTML with SVG charts of 表2–表4, printed to PDF by headless Chromium
and read back with PDFium (every figure and label on paper, a chart never split over pages, the
period and page number on every page, nothing told by colour: the pages render in grey only),
written by the `report` command beside the CSV."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.report.charts import fold
from kasuhara_timer.report.html_file import report_html
from kasuhara_timer.report.tables import Report, SessionFacts, build_report
from tests.support.chromium import print_to_pdf
from tests.support.html_tree import parse_html
from tests.support.pdf import read_pdf

BEHAVIOURS = (
    "身体的な攻撃（暴行、傷害）",
    "精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）",
    "継続的な（繰り返される）、執拗な（しつこい）言動",
    "拘束的な行為（不退去、居座り、監禁）",
    "土下座の強要",
    "SNS投稿",
    "金銭補償の要求",
)
SECTIONS = ("市民課", "福祉課", "市民生活部市民課窓口サービス係（本庁舎一階総合窓口）", "税務課")


def _report(count: int) -> Report:
    """`count` sessions over April–June: some behaviours never tagged (0 rows), long labels."""
    pick = random.Random(count)
    facts = [
        SessionFacts(
            day=date(2026, 4 + i % 3, 1 + i % 28),
            minutes=pick.uniform(2, 95),
            section=pick.choice(SECTIONS),
            channel=pick.choice(("電話", "来庁")),
            behaviours=tuple(pick.sample(BEHAVIOURS[:4], pick.randint(0, 2))),
            staff=f"職員{i % 6}",
            limit_reached=i % 3 == 0,
            immediate=i % 7 == 0,
            ended=True,
        )
        for i in range(count)
    ]
    return build_report(
        facts, date_from=date(2026, 4, 1), date_to=date(2026, 6, 30), behaviours=BEHAVIOURS
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Report, Path]]:
    out = tmp_path_factory.mktemp("report")
    reports = {"forty": _report(40), "none": _report(0)}
    files = {}
    for name, report in reports.items():
        files[name] = out / f"{name}.html"
        files[name].write_text(report_html(report), encoding="utf-8")
    pdfs = print_to_pdf(files.values(), out)
    return {name: (reports[name], pdfs[files[name]]) for name in reports}


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", ["forty", "none"])
def test_every_figure_and_label_is_printed_and_no_chart_is_split(
    printed: dict[str, tuple[Report, Path]], name: str
) -> None:
    report, pdf = printed[name]
    pages = read_pdf(pdf)
    for table_id in ("section", "duration", "behaviour"):
        table = report.table(table_id)
        (page,) = [p for p in pages if _title(table_id) in p.flat]  # its heading: one page
        text = page.flat  # the chart is on its heading's page, whole
        for row in table.rows:
            assert f"{row.count}件{row.share * 100:.1f}%" in text, (table_id, row.label)
            for line in fold(row.label):
                assert squeezed(line) in text, (table_id, line)
    assert f"{report.sessions}件・対応した職員{report.staff}人" in pages[0].flat


def _title(table_id: str) -> str:
    return {"section": "表2職場", "duration": "表3対応時間", "behaviour": "表4行為類型"}[table_id]


def test_the_period_and_page_number_are_on_every_page(
    printed: dict[str, tuple[Report, Path]],
) -> None:
    _, pdf = printed["forty"]
    pages = read_pdf(pdf)
    assert len(pages) >= 2
    for page in pages:
        footer = page.below(page.height - 45)
        assert "対応記録の集計期間：2026-04-01〜2026-06-30" in footer.flat
        assert footer.flat.endswith(f"{page.number}/{len(pages)}")


def test_printed_in_grey_it_loses_nothing(printed: dict[str, tuple[Report, Path]]) -> None:
    """No colour at all on the printed pages (hatching and words carry every bar), and the
    bars are really drawn: dark pixels in each chart's band."""
    _, pdf = printed["forty"]
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            pixels = page.render(scale=1).to_numpy().astype(int)[..., :3]
            spread = pixels.max(axis=2) - pixels.min(axis=2)
            assert spread.max() <= 8, "a coloured pixel"
    finally:
        document.close()
    html = parse_html(report_html(printed["forty"][0]))
    charts = html.find_all("svg", class_="chart")
    assert [c.attrs["data-table"] for c in charts] == ["section", "duration", "behaviour"]
    for chart in charts:
        bars = chart.find_all("rect", class_="bar")
        assert bars and all(b.attrs["fill"].startswith("url(#hatch-") for b in bars)
        assert all(b.attrs["stroke"] == "#000" for b in bars)
        hatch = chart.find("pattern").find("line")
        assert hatch.attrs["stroke"] == "#000"


def test_zero_rows_are_charted_with_their_figure(printed: dict[str, tuple[Report, Path]]) -> None:
    html = report_html(printed["forty"][0])
    chart = parse_html(html).find("svg", data_table="behaviour")
    figures = [t.text() for t in chart.find_all("text", class_="figure")]
    assert figures[-3:] == ["0件 0.0%"] * 2 + [figures[-1]]  # SNS投稿, 金銭補償の要求: 0
    assert len(figures) == len(BEHAVIOURS) + 1  # every behaviour and （行為の記録なし）


def test_labels_fold_between_phrases_without_a_closing_mark_first() -> None:
    lines = fold("精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）")
    assert "".join(lines) == "精神的な攻撃（脅迫、中傷、名誉棄損、侮辱、暴言）"
    assert len(lines) == 2 and not any(line[0] in "、）" for line in lines)
    assert fold("市民課") == ["市民課"]
    long = "あ" * 40
    assert "".join(fold(long)) == long and all(len(line) <= 15 for line in fold(long))


def test_cli_writes_the_html_beside_the_csv(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(data_dir),
            "report",
            "--month",
            "2026-05",
            "--csv",
            str(out / "may.csv"),
            "--html",
            str(out / "may.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("may.csv", "may.html"):
        assert str((out / name).absolute()) in result.output, "the full path is said"
    html = (out / "may.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<svg class="chart"', html)) == 3
    assert "期間：2026-05-01〜2026-05-31" in html and "3件・対応した職員3人" in html


def test_cli_says_which_file_it_could_not_write(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "may.html"
    result = CliRunner().invoke(
        main, ["--data-dir", str(data_dir), "report", "--month", "2026-05", "--html", str(target)]
    )
    assert result.exit_code == 2 and str(target) in result.output
    assert "Traceback" not in result.output
