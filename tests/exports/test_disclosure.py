"""A disclosure bundle of several sessions: every file re-hashed against the cover sheet, the
manifest and SHA256SUMS.txt (and `sha256sum -c`), fields left out said and never silent, the
original evidence untouched, every session access-logged, encrypted sessions read in memory."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer.catalog.sessions import load_folder
from kasuhara_timer.cli import main
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.exports.redaction import OMITTED
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.lifecycle.encrypting import encrypt_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from tests.support.corpus import folder_named
from tests.support.html_tree import Element, parse_html
from tests.support.supervisors import supervisor

LONG = "20260401-0900"
REPEAT = "20260402-1000"
AUDIO = "20260507-0930"
COUNTERPART = "男性・60代くらい"
"""What the corpus's staff wrote in 相手の情報 (tests/support/factory.py)."""


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file below `folder` with its SHA-256: the evidence, to compare before and after."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cover_rows(cover: Element) -> dict[str, tuple[int, str]]:
    """The cover sheet's file table: name → (bytes, SHA-256)."""
    table = cover.find("table", class_="files")
    rows = {}
    for row in table.find("tbody").find_all("tr"):
        name, size, digest = (cell.text().strip() for cell in row.find_all("td"))
        rows[name] = (int(size.replace(",", "")), digest)
    return rows


def disclose(data_dir: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "export", LONG, REPEAT, AUDIO, "--format", "disclosure",
         "--out", str(out), *args],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    return Path(line)


def test_every_file_matches_the_cover_sheet_the_manifest_and_the_sums(
    data_dir: Path, tmp_path: Path
) -> None:
    evidence = tree_hashes(data_dir / "sessions")
    path = disclose(data_dir, tmp_path / "out", "--omit", "相手の情報")
    assert path.name == "disclosure_20260401-20260507_3.zip"
    top = path.stem + "/"
    with zipfile.ZipFile(path) as bundle:
        names = [n.removeprefix(top) for n in bundle.namelist()]
        assert all(n.startswith(top) for n in bundle.namelist())
        content = {name: bundle.read(top + name) for name in names}
    manifest = json.loads(content["manifest.json"])
    cover = parse_html(content["cover.html"].decode())
    listed = cover_rows(cover)
    sums = {
        name: digest
        for digest, name in (
            line.split("  ", 1) for line in content["SHA256SUMS.txt"].decode().splitlines()
        )
    }
    session_files = {f["name"]: f for s in manifest["sessions"] for f in s["files"]}
    # every file of each session, on the cover and in the manifest, with its real hash and size
    assert (
        set(session_files)
        == set(listed)
        == {n for n in names if n.split("/")[0].startswith(("20260401", "20260402", "20260507"))}
    )
    for name, data in content.items():
        digest = hashlib.sha256(data).hexdigest()
        if name != "SHA256SUMS.txt":
            assert sums[name] == digest, name
        if name in session_files:
            assert session_files[name] == {"name": name, "bytes": len(data), "sha256": digest}
            assert listed[name] == (len(data), digest)
    assert manifest["cover"]["sha256"] == hashlib.sha256(content["cover.html"]).hexdigest()
    assert [s["folder"][:13] for s in manifest["sessions"]] == [LONG, REPEAT, AUDIO]
    assert manifest["period"]["start"].startswith("2026-04-01T09:00")
    assert manifest["period"]["end"].startswith("2026-05-07T09:33")
    audio = folder_named(data_dir, AUDIO)
    flac = f"{audio.name}/audio/recording.flac"
    assert content[flac] == (audio / "audio" / "recording.flac").read_bytes()
    # the period and the omission, said on the cover sheet
    facts = {
        row.find("th").text(): row.find("td").text().strip()
        for row in cover.find("table", class_="facts").find_all("tr")
    }
    assert facts["件数"] == "3件"
    assert facts["記録の期間"] == "2026年4月1日 09:00 〜 2026年5月7日 09:33"
    assert cover.find("p", id="omitted").text() == "相手の情報 性別・年齢等"
    assert manifest["omitted_fields"] == [
        {"id": "counterpart", "label": "相手の情報 性別・年齢等", "shown_as": OMITTED}
    ]
    # ... and on every sheet, in the workbook's source record and the record's events
    for session in manifest["sessions"]:
        folder = session["folder"]
        sheet = parse_html(content[f"{folder}/sheet.html"].decode())
        assert sheet.find("tr", **{"data-field": "counterpart"}).text().count(OMITTED) == 1
        assert COUNTERPART not in content[f"{folder}/sheet.html"].decode()
        record = json.loads(content[f"{folder}/record.json"])
        (field,) = [f for f in record["sheet"]["fields"] if f["id"] == "counterpart"]
        assert field["value"] == OMITTED
        saves = [e for e in record["events"] if e["kind"] == "sheet_saved"]
        assert saves and all(e["fields"]["counterpart"] == OMITTED for e in saves)
        assert COUNTERPART not in content[f"{folder}/record.json"].decode()
    # the evidence itself is untouched
    assert tree_hashes(data_dir / "sessions") == evidence
    assert COUNTERPART in (folder_named(data_dir, LONG) / "record.json").read_text()
    # and the access log holds one export per session, before the file, with the omission
    exports = [e for e in read_access_log(data_dir).entries if e.action == "export"]
    assert [e.session[:13] for e in exports] == [LONG, REPEAT, AUDIO]
    assert all(e.detail == f"disclosure:{path} omit=counterpart" for e in exports)


def test_the_workbook_leaves_the_field_out_too(data_dir: Path, tmp_path: Path) -> None:
    import openpyxl

    path = disclose(data_dir, tmp_path / "out", "--omit", "counterpart")
    with zipfile.ZipFile(path) as bundle:
        folder = folder_named(data_dir, LONG).name
        xlsx = tmp_path / "sheet.xlsx"
        xlsx.write_bytes(bundle.read(f"{path.stem}/{folder}/sheet.xlsx"))
    values = [
        str(cell)
        for row in openpyxl.load_workbook(xlsx)["対応記録シート"].iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert OMITTED in values
    assert not any(COUNTERPART in value for value in values)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils' sha256sum")
def test_the_receiver_checks_it_with_sha256sum(data_dir: Path, tmp_path: Path) -> None:
    path = disclose(data_dir, tmp_path / "out")
    with zipfile.ZipFile(path) as bundle:
        bundle.extractall(tmp_path / "received")
    folder = tmp_path / "received" / path.stem
    checked = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS.txt"],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(list(folder.rglob("*.*"))) - 1  # all but the sums
    cover = parse_html((folder / "cover.html").read_text())
    assert cover.find("p", id="omitted").text().startswith("なし")
    (folder / folder_named(data_dir, AUDIO).name / "audio" / "recording.flac").write_bytes(b"x")
    tampered = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS.txt"], cwd=folder, capture_output=True, check=False
    )
    assert tampered.returncode == 1


def test_a_field_the_app_writes_or_no_field_at_all_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    base = ["--data-dir", str(data_dir), "export", LONG, "--format", "disclosure"]
    for field, words in (("staff", "written by the app"), ("住所", "not a sheet field")):
        result = CliRunner().invoke(main, [*base, "--omit", field, "--out", str(tmp_path)])
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output
        assert "counterpart (相手の情報 性別・年齢等)" in result.output or field == "staff"
    result = CliRunner().invoke(main, [*base[:-1], "xlsx", "--omit", "counterpart",
                                       "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2 and "bundle and disclosure" in result.output
    assert not list(tmp_path.glob("*.zip"))
    assert not [e for e in read_access_log(data_dir).entries if e.action == "export"]


def test_a_period_from_the_command_line_is_printed_as_asked(data_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "export", "--format", "disclosure", "--from", "2026-04-01",
         "--to", "2026-04-30", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = Path(result.output.splitlines()[0])
    with zipfile.ZipFile(path) as bundle:
        manifest = json.loads(bundle.read(f"{path.stem}/manifest.json"))
        cover = parse_html(bundle.read(f"{path.stem}/cover.html").decode())
    assert manifest["requested"] == {"from": "2026-04-01", "to": "2026-04-30"}
    facts = {
        row.find("th").text(): row.find("td").text().strip()
        for row in cover.find("table", class_="facts").find_all("tr")
    }
    assert facts["対象期間（指定）"] == "2026年4月1日 〜 2026年4月30日"
    assert all(s["started_at"].startswith("2026-04") for s in manifest["sessions"])
    again = run_export(
        data_dir,
        [load_folder(folder_named(data_dir, LONG))],
        ExportFormat.DISCLOSURE,
        tmp_path,
    ).written
    assert again[0].name == "disclosure_20260401-20260401_1.zip"


def test_an_encrypted_session_is_decrypted_in_memory_into_the_bundle(
    data_dir: Path, tmp_path: Path, clock: ManualClock
) -> None:
    folder = folder_named(data_dir, AUDIO)
    plain = (folder / "audio" / "recording.flac").read_bytes()
    boss = supervisor()
    encrypt_session(load_folder(folder).folder, [boss.recipient], clock=clock)
    assert not (folder / "audio" / "recording.flac").exists()
    evidence = tree_hashes(folder)
    vault.unlock([boss.identity.age_identity])
    sessions = [load_folder(folder_named(data_dir, p)) for p in (LONG, AUDIO)]
    (path,) = run_export(
        data_dir, sessions, ExportFormat.DISCLOSURE, tmp_path, omit=["counterpart"]
    ).written
    with zipfile.ZipFile(path) as bundle:
        flac = bundle.read(f"{path.stem}/{folder.name}/audio/recording.flac")
        manifest = json.loads(bundle.read(f"{path.stem}/manifest.json"))
        record = bundle.read(f"{path.stem}/{folder.name}/record.json").decode()
    assert flac == plain
    (entry,) = [f for s in manifest["sessions"] for f in s["files"] if f["name"].endswith(".flac")]
    assert entry["sha256"] == hashlib.sha256(plain).hexdigest()
    assert OMITTED in record and COUNTERPART not in record
    assert tree_hashes(folder) == evidence


def test_a_draft_of_the_sheet_is_left_out_as_well(data_dir: Path) -> None:
    from kasuhara_timer.exports.redaction import redact, resolve_omissions
    from kasuhara_timer.session.events import SheetDrafted
    from kasuhara_timer.store.record import read_record

    record = read_record(folder_named(data_dir, LONG) / "record.json")
    last = record.events[-1]
    draft = SheetDrafted(t=last.t, at=last.at, fields={"counterpart": "女性・40代", "other": "x"})
    drafted = record.model_copy(update={"events": (*record.events, draft)})
    omitted = redact(drafted, resolve_omissions(["相手の情報"], [drafted]))
    text = omitted.to_json_bytes().decode()
    assert "女性・40代" not in text and COUNTERPART not in text
    (kept,) = [e for e in omitted.events if isinstance(e, SheetDrafted)]
    assert kept.fields == {"counterpart": OMITTED, "other": "x"}
    assert record.events == drafted.events[:-1]  # the record it came from is unchanged


def test_a_folder_that_cannot_be_read_is_named_on_the_cover(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "sessions" / "20260403-120000_DESK-09_0000aa").mkdir()
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(data_dir), "export", "--format", "disclosure", "--from", "2026-04-01",
         "--to", "2026-04-05", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "20260403-120000_DESK-09_0000aa: not exported: journal.jsonl is missing" in (
        result.output
    )
    path = Path(result.output.splitlines()[0])
    with zipfile.ZipFile(path) as bundle:
        manifest = json.loads(bundle.read(f"{path.stem}/manifest.json"))
        cover = parse_html(bundle.read(f"{path.stem}/cover.html").decode())
    assert [s["folder"][:13] for s in manifest["sessions"]] == [LONG, REPEAT]
    (skipped,) = manifest["skipped"]
    assert skipped["folder"] == "20260403-120000_DESK-09_0000aa"
    assert skipped["why"].startswith("journal.jsonl is missing")
    (row,) = cover.find("table", class_="skipped").find("tbody").find_all("tr")
    assert [cell.text() for cell in row.find_all("td")] == [skipped["folder"], skipped["why"]]


def test_a_one_session_bundle_leaves_the_field_out_and_its_readme_says_so(
    data_dir: Path, tmp_path: Path
) -> None:
    loaded = load_folder(folder_named(data_dir, LONG))
    (path,) = run_export(
        data_dir, [loaded], ExportFormat.BUNDLE, tmp_path, omit=["相手の情報"]
    ).written
    with zipfile.ZipFile(path) as bundle:
        prefix = loaded.folder.name + "/"
        readme = bundle.read(prefix + "README.txt").decode()
        sheet = bundle.read(prefix + "sheet.html").decode()
        sums = bundle.read(prefix + "SHA256SUMS.txt").decode().splitlines()
        for line in sums:
            digest, name = line.split("  ")
            assert hashlib.sha256(bundle.read(prefix + name)).hexdigest() == digest
    assert "省略した項目：相手の情報 性別・年齢等" in readme
    assert OMITTED in sheet and COUNTERPART not in sheet
    (entry,) = [e for e in read_access_log(data_dir).entries if e.action == "export"]
    assert entry.detail.endswith(" omit=counterpart")
