"""`verify` says a session is intact, or exactly which file no longer matches and how."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from kasuhara_timer.cli import main
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.integrity.commands import describe_report
from kasuhara_timer.integrity.seal import read_seal, seal_session
from kasuhara_timer.integrity.verify import Severity, VerifyReport, verify_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import NoteAdded
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal
from kasuhara_timer.ui.wrap import wrap
from tests.support.sessions import finished_session


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> SessionFolder:
    """One finished, recorded (archived with the real ffmpeg) and sealed session, made once."""
    data = tmp_path_factory.mktemp("recorded") / "data"
    folder, _ = finished_session(data, ManualClock(), audio=True)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def session(recorded: SessionFolder, data_dir: Path) -> SessionFolder:
    """A copy of the recorded session the test may damage."""
    target = data_dir / "sessions" / recorded.name
    shutil.copytree(recorded.path, target)
    return SessionFolder(target, drill=False)


def problems(report: VerifyReport) -> list[str]:
    return [str(finding) for finding in report.problems]


def test_a_finished_recorded_sealed_session_is_intact_and_every_file_was_checked(
    session: SessionFolder,
) -> None:
    report = verify_session(session)

    assert report.intact, problems(report)
    files = {p.relative_to(session.path).as_posix() for p in session.path.rglob("*") if p.is_file()}
    assert files >= {
        "journal.jsonl",
        "record.json",
        "sheet.html",
        "seal.json",
        "audio/recording.flac",
        "audio/recording.opus",
        "audio/recording.json",
    }
    assert set(report.checked) == files
    assert report.notes == ()


def test_an_unsealed_session_is_checked_against_its_record_and_says_so(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock, seal=False)

    report = verify_session(folder)

    assert report.intact, problems(report)
    assert {"journal.jsonl", "record.json", "sheet.html"} <= set(report.checked)
    assert [f.file for f in report.notes] == ["seal.json"]


def test_an_edited_middle_line_of_the_journal_is_named_with_its_line(
    session: SessionFolder,
) -> None:
    lines = session.journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace("同じ主張".encode(), "違う主張".encode())
    session.journal.write_bytes(b"\n".join(lines))

    report = verify_session(session)

    assert not report.intact
    assert "journal.jsonl line 4: hash chain broken" in "\n".join(problems(report))
    assert any(f.file == "journal.jsonl" and "sealed" in f.message for f in report.problems)


def test_an_edited_last_line_is_caught_by_the_records_final_hash(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock, seal=False)
    data = folder.journal.read_bytes()
    folder.journal.write_bytes(data.replace(b'"no":7,"checked":true', b'"no":7,"checked":false'))

    report = verify_session(folder)

    assert problems(report) == [
        "journal.jsonl: its last line does not match the hash record.json holds "
        "(journal.final_hash): the journal was changed after the record was written",
        "checkpoints.jsonl: journal line 6 is not the one the desk signed "
        "(2026-04-01T09:05:00+09:00): the journal was changed or re-chained after it was signed",
    ]


def test_a_record_older_than_the_journal_is_reported_as_out_of_date(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, record = finished_session(data_dir, clock, seal=False)
    with Journal.open_for_append(folder.journal) as journal:
        journal.append(NoteAdded(t=999.0, at=clock.now(), text="後から追記"))

    report = verify_session(folder)

    problem, signed = report.problems
    assert "1 line(s) after the desk's final signed checkpoint" in signed.message
    assert problem.file == "record.json"
    assert "1 event(s) were journaled after it was written" in problem.message
    assert f"up to line {record.journal.entries}" in problem.message


def test_an_edited_record_names_the_field_that_differs(session: SessionFolder) -> None:
    data = json.loads(session.record.read_text(encoding="utf-8"))
    data["session"]["staff"]["name"] = "別人"
    session.record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")

    report = verify_session(session)

    found = "\n".join(problems(report))
    assert "record.json: does not match a rebuild from the journal at session.staff.name" in found
    assert "record.json: changed after the session was sealed" in found


def test_an_edited_sheet_is_caught(session: SessionFolder) -> None:
    text = session.sheet.read_text(encoding="utf-8")
    session.sheet.write_text(text.replace("山田 太郎", "山田 花子"), encoding="utf-8")

    report = verify_session(session)

    assert "sheet.html: does not match the sheet rendered again from the journal" in problems(
        report
    )


def test_a_changed_audio_file_is_caught_by_the_records_sha256(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock, audio=True, seal=False)
    flac = folder.audio / "recording.flac"
    data = bytearray(flac.read_bytes())
    data[len(data) // 2] ^= 0x01
    flac.write_bytes(bytes(data))

    report = verify_session(folder)

    assert problems(report) == [
        "audio/recording.flac: SHA-256 differs from record.json's: changed after it was archived",
        "audio/recording.flac: its sound is not the recording the recorder journaled (the "
        "decoded samples' SHA-256 differs from pcm_sha256)",
    ]


def test_the_records_audio_section_is_checked_against_the_journal(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock, audio=True, seal=False)
    data = json.loads(folder.record.read_text(encoding="utf-8"))
    data["audio"]["faults"] = 0 if data["audio"]["faults"] else 1
    folder.record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")

    report = verify_session(folder)

    assert problems(report) == [
        "record.json: does not match a rebuild from the journal at audio.faults"
    ]


def test_a_missing_audio_file_is_a_problem_unless_it_was_purged(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock, audio=True, seal=False)
    (folder.audio / "recording.opus").unlink()

    report = verify_session(folder)

    assert problems(report) == ["audio/recording.opus: missing: record.json holds its SHA-256"]


def test_a_file_added_after_sealing_and_a_damaged_seal_are_reported(
    session: SessionFolder,
) -> None:
    (session.audio / "extra.wav").write_bytes(b"RIFF")
    assert "audio/extra.wav: added after the session was sealed" in problems(
        verify_session(session)
    )
    seal_path = session.path / "seal.json"
    seal_path.write_bytes(seal_path.read_bytes().replace(b'  "session"', b' "session"'))
    assert "seal.json: seal damaged: its bytes are not as they were written" in problems(
        verify_session(session)
    )


def test_sealing_an_unfinished_session_is_refused(data_dir: Path, clock: ManualClock) -> None:
    from kasuhara_timer.store.errors import StoreError
    from tests.support.sessions import begin

    folder, journal, _ = begin(data_dir, clock)
    journal.close()
    with pytest.raises(StoreError, match="has not ended"):
        seal_session(folder, clock=clock)
    assert read_seal(folder) is None
    report = verify_session(folder)
    assert report.intact and report.notes[0].severity is Severity.NOTE


def test_cli_verify_one_session_prints_intact_and_logs_the_access(
    session: SessionFolder, data_dir: Path
) -> None:
    result = CliRunner().invoke(main, ["--lang", "en", "verify", session.name[:15]])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{session.name}: intact (")
    assert (
        "Not encrypted" in result.stderr and "anyone who can read the data folder" in result.stderr
    )
    [entry] = read_access_log(data_dir).entries
    assert (entry.action, entry.session) == ("verify", session.name)


def test_cli_verify_all_exits_1_and_shows_what_does_not_match(
    session: SessionFolder, data_dir: Path, clock: ManualClock
) -> None:
    other, _ = finished_session(data_dir, clock)
    text = other.sheet.read_text(encoding="utf-8")
    other.sheet.write_text(text + "<!-- -->", encoding="utf-8")

    result = CliRunner().invoke(main, ["--lang", "en", "verify", "--all"])

    assert result.exit_code == 1, result.output
    assert f"{other.name}: NOT INTACT" in result.output
    assert "  ✗ sheet.html: changed after the session was sealed" in result.output
    assert f"{session.name}: intact" in result.output
    assert result.stdout.rstrip().endswith("2 sessions: 1 intact, 1 not intact")
    assert len(read_access_log(data_dir).entries) == 2


def test_cli_verify_in_japanese_and_without_a_session(session: SessionFolder) -> None:
    result = CliRunner().invoke(main, ["verify", session.name])
    assert result.exit_code == 0 and "改変・破損なし" in result.output

    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 2
    assert "セッション名を指定するか --all" in result.output
    assert "Traceback" not in result.output

    result = CliRunner().invoke(main, ["verify", "29990101"])
    assert result.exit_code == 2 and "no session named '29990101'" in result.output


def test_cli_verify_words_its_findings_in_japanese_and_english_with_lang_en(
    session: SessionFolder, data_dir: Path
) -> None:
    text = session.sheet.read_text(encoding="utf-8")
    session.sheet.write_text(text.replace("山田 太郎", "山田 花子"), encoding="utf-8")

    japanese = CliRunner().invoke(main, ["verify", session.name[:15]])
    english = CliRunner().invoke(main, ["--lang", "en", "verify", session.name[:15]])

    assert japanese.exit_code == english.exit_code == 1
    assert "  ✗ sheet.html：封印の後に変更されています（SHA-256が違います）" in japanese.stdout
    assert "  ✗ sheet.html: changed after the session was sealed (SHA-256 differs)" in (
        english.stdout
    )
    assert "changed after" not in japanese.stdout


def test_verify_findings_fold_to_the_terminal_under_their_mark(
    session: SessionFolder,
) -> None:
    lines = session.journal.read_bytes().splitlines(keepends=True)
    session.journal.write_bytes(b"".join(lines[:-1]))  # the last line cut back

    report = verify_session(session)
    text = describe_report(report, "ja", wrap, 40)

    findings = text.splitlines()[1:]  # under the session's verdict line
    assert all(cell_len(line) <= 40 for line in findings), text
    folded = [line for line in findings if not line.lstrip().startswith(("✗", "注記"))]
    assert folded and all(line.startswith("    ") for line in folded)
    whole = "".join(line.strip() for line in findings)
    assert "署名の後に切り詰められました" in whole
