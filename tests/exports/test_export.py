"""Exports, read back with the library that reads each format: openpyxl, csv (BOM), zipfile,
json, and the record reader itself."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import soundfile
from click.testing import CliRunner

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.cli import main
from kasuhara_timer.exports import ExportFormat, run_export, select_sessions
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.policy.models import Policy
from kasuhara_timer.store.record import Record, read_record
from kasuhara_timer.store.signoff import SIGNOFF, append_signoff
from tests.support.corpus import at, folder_named
from tests.support.factory import RATE, Script, make_session

LONG = "20260401-0900"
AUDIO = "20260507-0930"


def export(data_dir: Path, prefix: str, fmt: ExportFormat, out: Path) -> Path:
    loaded = load_folder(folder_named(data_dir, prefix))
    (path,) = run_export(data_dir, [loaded], fmt, out).written
    return path


def texts_of(row: tuple[object, ...]) -> list[str]:
    """A spreadsheet row's values as text ('' for an empty cell)."""
    return ["" if value is None else str(value) for value in row]


def record_of(data_dir: Path, prefix: str) -> Record:
    return read_record(folder_named(data_dir, prefix) / "record.json")


def test_xlsx_has_the_sheet_layout_and_the_checklist_on_its_own_sheet(
    data_dir: Path, tmp_path: Path
) -> None:
    path = export(data_dir, LONG, ExportFormat.XLSX, tmp_path / "out")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["対応記録シート", "チェックリスト", "時系列"]
    sheet = book["対応記録シート"]
    assert sheet["A1"].value == "カスタマーハラスメント対応記録シート"
    rows = {
        int(str(row[0])): texts_of(row)
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[0], int)
    }
    assert sorted(rows) == list(range(1, 9))
    assert rows[1][1] == "日時" and rows[1][2].startswith(
        "令和8年4月1日（水）09:00:00〜09:35:00（通話"
    )
    assert rows[1][2].endswith("事後の対応〜09:45:00（10分0秒）")
    assert rows[2][2] == "市民課 主事 山田 太郎"
    assert "【電話】" in rows[3][2] and "【来庁】" not in rows[3][2]
    assert rows[4][2] == "男性・60代くらい"
    assert rows[5][2] == "手続の即日完了を要求"
    assert rows[6][2:5] == ["時刻", "経過", "内容"]
    texts = [row[4] for row in sheet.iter_rows(values_only=True) if row[0] is None and row[4]]
    timeline = record_of(data_dir, LONG).sheet.timeline
    assert texts == [row.text for row in timeline]
    note_cell = next(c for c in sheet["E"] if c.value == "メモ：=SUM(A1) と言った")
    assert note_cell.data_type == "s"  # a note is never turned into a formula
    checklist = list(book["チェックリスト"].iter_rows(min_row=3, values_only=True))
    assert checklist[0] == ("No.", "項目", "例", "該当", "備考")
    assert len(checklist) == 1 + 17
    item7 = next(row for row in checklist if row[0] == 7)
    assert (item7[3], item7[4]) == ("☑", "大声で威圧")
    assert next(row for row in checklist if row[0] == 1)[3] == "☐"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert {c.font.name for row in sheet.iter_rows() for c in row if c.value} == {"游ゴシック"}
    times = book["時系列"]
    first = times["A2"].value
    assert isinstance(first, datetime), "a real Excel date and time, not ISO text"
    assert first == timeline[0].at.replace(tzinfo=None, microsecond=0)
    assert times["A2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_xlsx_of_an_interrupted_session_says_so(data_dir: Path, tmp_path: Path) -> None:
    path = export(data_dir, "20260520-1600", ExportFormat.XLSX, tmp_path)
    sheet = openpyxl.load_workbook(path)["対応記録シート"]
    assert "中断された対応" in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_html_is_the_printable_sheet(data_dir: Path, tmp_path: Path) -> None:
    html = export(data_dir, LONG, ExportFormat.HTML, tmp_path).read_text(encoding="utf-8")
    assert '<h1 id="sheet-title">カスタマーハラスメント対応記録シート</h1>' in html
    assert "手続の即日完了を要求" in html and "checklist-title" in html


def test_json_is_the_record(data_dir: Path, tmp_path: Path) -> None:
    path = export(data_dir, LONG, ExportFormat.JSON, tmp_path)
    assert read_record(path) == record_of(data_dir, LONG)


def test_json_of_an_unfinished_session_is_built_from_its_journal(
    data_dir: Path, tmp_path: Path
) -> None:
    path = export(data_dir, "20260521-1000", ExportFormat.JSON, tmp_path)
    record = read_record(path)
    assert record.session.end_reason is None and record.session.duration_seconds == 120


def test_csv_of_a_period_opens_in_excel(data_dir: Path, tmp_path: Path) -> None:
    chosen = select_sessions(
        data_dir, [], date_from=at(4, 1, 0).date(), date_to=at(4, 30, 0).date()
    )
    (path,) = run_export(data_dir, chosen, ExportFormat.CSV, tmp_path, csv_name="april.csv").written
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["フォルダ"][:13] for row in rows] == [
        "20260401-0900",
        "20260402-1000",
        "20260410-1400",
        "20260415-1100",
    ]
    first = rows[0]
    assert first["対応者"] == "山田 太郎" and first["対応時間(分)"] == "45.0"
    assert first["目安到達"] == "はい" and first["相手の識別"] == "佐藤 090-1234"
    assert first["内容 相手の主張等"] == "手続の即日完了を要求"
    assert first["状態"] == "終了" and first["研修"] == "いいえ"
    assert rows[3]["対応方法"] == "メール"
    assert {row["課長確認"] for row in rows} == {"未確認"}


def test_csv_says_the_sign_off_and_the_problems_in_japanese(data_dir: Path, tmp_path: Path) -> None:
    signed = folder_named(data_dir, "20260410-1400")
    append_signoff(data_dir, signed.name, kind=SIGNOFF, at=at(6, 1, 9), reviewer="課長 森",
                   user="mori", host="PC-1", comment="対応適切", journal="", sign=None)  # fmt: skip
    broken = folder_named(data_dir, "20260415-1100")
    (broken / "record.json").write_text("{", encoding="utf-8")
    chosen = select_sessions(
        data_dir, [], date_from=at(4, 1, 0).date(), date_to=at(4, 30, 0).date()
    )
    (path,) = run_export(data_dir, chosen, ExportFormat.CSV, tmp_path).written
    rows = {row["フォルダ"][:13]: row for row in csv.DictReader(
        io.StringIO(path.read_text(encoding="utf-8-sig")))}  # fmt: skip
    assert rows["20260410-1400"]["課長確認"].startswith("確認済み　課長 森　2026-06-01 09:00")
    assert rows["20260410-1400"]["課長確認"].endswith("対応適切")
    assert rows["20260415-1100"]["問題"].startswith("record.json：JSONとして正しくありません")


def test_csv_guards_against_formulas(data_dir: Path, tmp_path: Path, nanyo: Policy) -> None:
    folder = make_session(
        data_dir, nanyo, Script(start=at(6, 1, 9), minutes=2, content='=HYPERLINK("x")')
    )
    (path,) = run_export(data_dir, [load_folder(folder.path)], ExportFormat.CSV, tmp_path).written
    (row,) = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    assert row["内容 相手の主張等"] == '\'=HYPERLINK("x")'


def test_bundle_holds_sheet_timeline_audio_and_checksums(data_dir: Path, tmp_path: Path) -> None:
    path = export(data_dir, AUDIO, ExportFormat.BUNDLE, tmp_path)
    folder = folder_named(data_dir, AUDIO)
    with zipfile.ZipFile(path) as bundle:
        prefix = folder.name + "/"
        names = {name.removeprefix(prefix) for name in bundle.namelist()}
        assert names == {
            "sheet.html", "sheet.xlsx", "record.json", "timeline.csv", "README.txt",
            "audio/recording.flac", "audio/recording.opus", "audio/recording.json",
            "SHA256SUMS.txt",
        }  # fmt: skip
        sums = bundle.read(prefix + "SHA256SUMS.txt").decode().splitlines()
        for line in sums:
            digest, name = line.split("  ")
            assert hashlib.sha256(bundle.read(prefix + name)).hexdigest() == digest
        original = (folder / "audio" / "recording.flac").read_bytes()
        assert bundle.read(prefix + "audio/recording.flac") == original
        timeline = bundle.read(prefix + "timeline.csv").decode("utf-8-sig")
        assert "即時対応" in timeline
        assert json.loads(bundle.read(prefix + "record.json"))["session"]["folder"] == folder.name
        assert bundle.getinfo(prefix + "audio/recording.flac").compress_type == zipfile.ZIP_STORED


def test_bundle_of_raw_segments_encodes_a_flac(
    data_dir: Path, tmp_path: Path, nanyo: Policy
) -> None:
    folder = make_session(data_dir, nanyo, Script(start=at(6, 1, 9), minutes=1, audio_seconds=30))
    for name in ("recording.flac", "recording.opus", "recording.json"):
        (folder.audio / name).unlink()
    _restore_segment(folder.audio, seconds=30)
    path = export(data_dir, "20260601-0900", ExportFormat.BUNDLE, tmp_path)
    with zipfile.ZipFile(path) as bundle:
        flac = bundle.read(f"{folder.name}/audio/recording.flac")
    samples, rate = soundfile.read(io.BytesIO(flac), dtype="int16")
    assert (rate, len(samples)) == (RATE, 30 * RATE)


def test_every_export_is_in_the_access_log(data_dir: Path, tmp_path: Path) -> None:
    export(data_dir, LONG, ExportFormat.XLSX, tmp_path)
    entries = read_access_log(data_dir).entries
    assert [(e.action, e.session[:13]) for e in entries] == [("export", LONG)]
    assert entries[0].detail.startswith("xlsx:") and entries[0].detail.endswith(".xlsx")


def test_cli_exports_sessions_by_name_or_period(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    base = ["--data-dir", str(data_dir), "export"]
    result = runner.invoke(main, [*base, LONG, AUDIO, "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.xlsx"))) == 2
    result = runner.invoke(main, [*base, "--format", "csv", "--from", "2026-05-01",
                                  "--to", "2026-05-31", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "sessions_2026-05-01_2026-05-31.csv").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["20270101", "--format", "json"], "no session named '20270101'"),
        (["2026", "--format", "json"], "matches 8 sessions"),
        (["--format", "json"], "name at least one session, or give a period"),
    ],
)
def test_cli_export_says_what_is_wrong(
    data_dir: Path, tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        main, ["--data-dir", str(data_dir), "export", *arguments, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_cli_skips_an_unreadable_folder_of_a_period_and_says_so(
    data_dir: Path, tmp_path: Path
) -> None:
    (data_dir / "sessions" / "20260403-120000_DESK-09_0000aa").mkdir()
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "export", "--format", "html", "--from", "2026-04-03",
         "--to", "2026-04-03", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "20260403-120000_DESK-09_0000aa: not exported: journal.jsonl is missing" in (
        result.output
    )


def _restore_segment(audio: Path, seconds: int) -> None:
    """Raw segments as the recorder leaves them before the archive (the archive deleted them)."""
    import numpy as np

    from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter

    sidecar = audio / "seg-0001.json"
    fmt = SegmentFormat.model_validate_json(sidecar.read_bytes())
    sidecar.unlink()
    writer = SegmentWriter(audio, 1, fmt)
    tone = np.sin(np.arange(seconds * RATE) * 0.05) * 8000
    writer.write(tone.astype("<i2").tobytes())
    writer.close()
