"""Attacks by an insider who can write the data folder but holds no one else's key.

Each trial does to a real signed, sealed session what the attack does, then runs the real
`kasuhara-timer verify --all`, which must exit 1 and name what changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kasuhara_timer.audio.archive import ffmpeg_executable
from kasuhara_timer.cli import main
from kasuhara_timer.config import Retention
from kasuhara_timer.desk.staff_memory import JsonStaffBook
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.integrity.checkpoints import SignedCheckpoints
from kasuhara_timer.integrity.holds import place_hold
from kasuhara_timer.integrity.ledger import ledger_path, read_ledgers
from kasuhara_timer.integrity.retention import apply_purge, plan_purge
from kasuhara_timer.integrity.seal import file_sha256, seal_session
from kasuhara_timer.locations import state_dir
from kasuhara_timer.review.views import plain
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.session.events import NoteAdded
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import GENESIS_HASH, encode_line, line_hash, read_journal
from kasuhara_timer.trust.keys import desk_signer
from tests.support.sessions import RATE, desk_key, finished_session, nanyo, written_at
from tests.support.tally import Tally

JST = timezone(timedelta(hours=9))


def judge(tally: Tally, kind: str, status: int, output: str, *phrases: str) -> None:
    """Count the attack as caught when verify exits 1 naming every phrase; then assert it."""
    caught = status == 1 and all(phrase in output for phrase in phrases)
    tally.record(kind, survived=caught, lost=0 if caught else 1, unit="missed", label="caught")
    assert caught, output


def judge_kept(tally: Tally, kind: str, kept: bool) -> None:
    """Count an attack on retention as caught when the session is kept for a supervisor."""
    tally.record(kind, survived=kept, lost=0 if kept else 1, unit="missed", label="caught")


def verify_all() -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--lang", "en", "verify", "--all"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def rechain(folder: SessionFolder, edit: dict[str, str]) -> None:
    """What a 60-line script with the product's own functions does: edit events, re-chain,
    rebuild record and sheet, re-seal."""
    events = list(read_journal(folder.journal).events)
    lines, prev = [], GENESIS_HASH
    for seq, event in enumerate(events, start=1):
        if isinstance(event, NoteAdded):
            event = event.model_copy(update={"text": edit.get(event.text, event.text)})
        line = encode_line(seq, prev, event)
        lines.append(line)
        prev = line_hash(line)
    folder.journal.write_bytes(b"".join(line + b"\n" for line in lines))
    save_record_and_sheet(folder, nanyo())
    seal_session(folder, clock=ManualClock())


def another_recording(target: Path, seconds: float) -> None:
    """A different recording of the same length and format, encoded by the real ffmpeg."""
    noise = np.random.default_rng(99).integers(-3000, 3000, int(seconds * RATE), dtype=np.int16)
    command = [ffmpeg_executable(), "-y", "-loglevel", "error", "-f", "s16le"]
    command += ["-ar", str(RATE), "-ac", "1", "-i", "pipe:0", str(target)]
    subprocess.run(command, input=noise.astype("<i2").tobytes(), check=True)


def test_an_untouched_signed_folder_verifies_intact(tmp_path: Path, clock: ManualClock) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    [ledger] = read_ledgers(data)
    assert [e.what for e in ledger.entries] == ["start", "close"]
    assert ledger.entries[-1].lines == len(folder.journal.read_bytes().splitlines())

    status, output = verify_all()

    assert status == 0, output
    assert "1 signed by a desk key, 0 unsigned, 1 ledger(s)" in output
    assert "No supervisor key is configured" in output


def test_truncation_with_derived_files_removed_is_caught(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock)
    lines = folder.journal.read_bytes().splitlines(keepends=True)
    folder.journal.write_bytes(b"".join(lines[:5]))
    for name in ("record.json", "sheet.html", "seal.json"):
        (folder.path / name).unlink()

    status, output = verify_all()

    judge(
        tally,
        "attack: journal cut back, derived files removed",
        status,
        output,
        "it was cut back after it was signed",
        "shorter than its desk wrote: 5 line(s)",
    )


def test_a_deleted_session_folder_is_reported_from_the_ledger(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    finished_session(data, clock)
    shutil.rmtree(folder.path)

    status, output = verify_all()

    judge(
        tally,
        "attack: session folder deleted",
        status,
        output,
        f"sessions/{folder.name}: missing: the ledger of desk",
    )


def test_rechaining_with_the_products_own_functions_is_caught(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock)
    rechain(folder, {"同じ主張を繰り返す": "穏やかに話していた"})

    status, output = verify_all()

    judge(
        tally,
        "attack: re-chained with the product's functions",
        status,
        output,
    )
    assert "journal line 1 is not the one the desk signed" not in output  # line 1 unchanged
    assert "is not the one the desk signed" in output


def test_rechaining_and_deleting_the_checkpoints_is_caught_by_the_ledger(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock)
    rechain(folder, {"同じ主張を繰り返す": "穏やかに話していた"})
    (folder.path / "checkpoints.jsonl").unlink()

    status, output = verify_all()

    judge(
        tally,
        "attack: re-chained, checkpoints deleted",
        status,
        output,
        "unsigned, though the ledger of desk",
        "is not the one the ledger of desk",
    )


def test_an_edited_or_cut_ledger_is_reported(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    finished_session(data, clock)
    path = ledger_path(data, desk_key(data).key_id)
    lines = path.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[0])
    record["at"] = "2019-01-01T09:00:00+09:00"
    path.write_bytes(json.dumps(record, ensure_ascii=False).encode() + b"\n" + b"".join(lines[1:]))

    status, output = verify_all()

    judge(
        tally,
        "attack: ledger edited",
        status,
        output,
        "signature does not match: changed after signing",
    )


def test_a_session_stripped_of_its_signatures_is_caught_by_its_desks_habit(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    finished_session(data, clock)
    clock.advance(3600)
    later, _ = finished_session(data, clock)
    (later.path / "checkpoints.jsonl").unlink()
    path = ledger_path(data, desk_key(data).key_id)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2]))  # the later session's lines cut off the ledger

    status, output = verify_all()

    judge(
        tally,
        "attack: signatures and ledger lines stripped",
        status,
        output,
        "unsigned, though desk DESK-07 signs every session since",
    )


def test_the_witness_catches_a_change_made_with_the_desks_own_key(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    assert verify_all()[0] == 0  # the supervisor's PC witnesses the folder

    # the desk account itself rewrites its session and re-signs everything with its own key
    rechain(folder, {"同じ主張を繰り返す": "穏やかに話していた"})
    (folder.path / "checkpoints.jsonl").unlink()
    ledger_path(data, desk_key(data).key_id).unlink()
    lines = folder.journal.read_bytes().splitlines()
    signer = SignedCheckpoints(folder.journal, desk_key(data), clock)
    signer._seq, signer._head = len(lines), line_hash(lines[-1])
    signer.closed()

    status, output = verify_all()

    judge(
        tally,
        "attack: rewritten with the desk's own key",
        status,
        output,
        "changed after it was witnessed (witnessed ",
        f"ledgers/{desk_key(data).key_id}.jsonl: changed after it was witnessed",
    )


def test_a_fake_purge_line_for_a_held_session_explains_nothing(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock, audio=True)
    place_hold(data, folder.name, "開示請求", clock=clock)
    for name in ("recording.flac", "recording.opus"):
        (folder.audio / name).unlink()
    with (data / "purge-log.jsonl").open("a", encoding="utf-8") as log:
        log.write(
            json.dumps(
                {
                    "at": clock.now().isoformat(),
                    "user": "kacho",
                    "session": folder.name,
                    "stage": "audio",
                    "reason": "retention",
                    "files": [{"path": "audio/recording.flac", "bytes": 1, "sha256": "x"}],
                }
            )
            + "\n"
        )

    status, output = verify_all()

    judge(
        tally,
        "attack: fake purge line, held audio deleted",
        status,
        output,
        "audio/recording.flac: missing",
        "purge-log.jsonl line 1: not signed: explains no deletion",
    )


def test_a_signed_purge_of_a_held_session_is_not_allowed(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock, audio=True)
    place_hold(data, folder.name, "開示請求", clock=clock)
    clock.advance(400 * 86400)
    plan = plan_purge(data, Retention(audio_days=90, flagged_years=1), clock.now())
    assert plan.actions == ()  # the product itself keeps it
    # an insider forces it: the plan of an unheld copy, applied to the held session
    hold = data / "holds" / f"{folder.name}.json"
    kept = hold.read_bytes()
    hold.unlink()
    apply_purge(
        data, plan_purge(data, Retention(audio_days=90, flagged_years=1), clock.now()), clock=clock
    )
    hold.write_bytes(kept)

    status, output = verify_all()

    judge(
        tally,
        "attack: purge forced past a hold",
        status,
        output,
        "was under a hold when it was purged",
    )


def test_edited_and_cut_logs_are_reported(tmp_path: Path, clock: ManualClock, tally: Tally) -> None:
    data = tmp_path / "data"
    finished_session(data, clock)
    assert verify_all()[0] == 0  # logs a verify line, witnessed
    assert verify_all()[0] == 0
    log = data / "access-log.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(lines[0])  # the later lines cut off: no chain can show that

    status, output = verify_all()

    judge(
        tally,
        "attack: access log cut and edited",
        status,
        output,
        "access-log.jsonl: cut back or rewritten after it was witnessed",
    )

    log.write_bytes(lines[0].replace(b'"verify"', b'"view"') + b"".join(lines[1:]))
    status, output = verify_all()
    judge(
        tally,
        "attack: access log cut and edited",
        status,
        output,
        "signature does not match: changed after signing: not attributable",
    )


def test_a_swapped_flac_with_its_file_hashes_fixed_is_caught_by_its_sound(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock, audio=True, signed=False)
    old_flac = folder.audio / "recording.flac"
    old_sha, old_size = file_sha256(old_flac), old_flac.stat().st_size
    another_recording(old_flac, seconds=3.5)
    new_sha, new_size = file_sha256(old_flac), old_flac.stat().st_size
    # every hash that names the file is fixed: journal (re-chained), record, manifest, seal
    for path in (folder.journal, folder.record, folder.path / "audio" / "recording.json"):
        text = path.read_text(encoding="utf-8")
        text = text.replace(old_sha, new_sha).replace(f'"bytes":{old_size}', f'"bytes":{new_size}')
        text = text.replace(f'"bytes": {old_size}', f'"bytes": {new_size}')
        path.write_text(text, encoding="utf-8")
    rechain(folder, {})

    status, output = verify_all()

    judge(
        tally,
        "attack: FLAC swapped, file hashes fixed",
        status,
        output,
        "audio/recording.flac: its sound is not the recording the recorder journaled",
    )


def test_a_wrong_pc_clock_never_lets_purge_delete_a_fresh_session(
    tmp_path: Path, tally: Tally
) -> None:
    data = tmp_path / "data"
    wrong = ManualClock()
    wrong.set_wall(datetime(2019, 4, 1, 9, 0, tzinfo=JST))
    folder, _ = finished_session(data, wrong)
    now = datetime.now(UTC)
    for path in folder.path.rglob("*"):  # the files were really written minutes ago
        os.utime(path, (now.timestamp(), now.timestamp()))

    plan = plan_purge(data, Retention(record_years=5, flagged_years=5), now)

    assert plan.actions == ()
    [kept] = plan.kept
    tally.record(
        "attack: wrong PC clock, then purge",
        survived="its dates disagree with the file system" in kept.reason,
        lost=0 if "its dates disagree with the file system" in kept.reason else 1,
        unit="missed",
        label="caught",
    )
    assert "its dates disagree with the file system" in kept.reason


def test_a_tampered_session_is_never_purged_automatically(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    folder.sheet.write_text("<html>書き換え</html>", encoding="utf-8")
    written_at(folder, clock)
    clock.advance(10 * 366 * 86400)

    plan = plan_purge(data, Retention(record_years=3, flagged_years=5), clock.now())

    assert plan.actions == ()
    [kept] = plan.kept
    tally.record(
        "attack: tampered session offered to purge",
        survived=kept.reason.startswith("verify cannot vouch for it (sheet.html:"),
        lost=0 if kept.reason.startswith("verify cannot vouch for it (sheet.html:") else 1,
        unit="missed",
        label="caught",
    )
    assert kept.reason.startswith("verify cannot vouch for it (sheet.html:")


def test_a_spoofed_user_never_names_who_exported(
    tmp_path: Path, clock: ManualClock, tally: Tally, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    own = desk_signer(state_dir())
    monkeypatch.setenv("USER", "kacho")
    monkeypatch.setenv("LOGNAME", "kacho")

    result = CliRunner().invoke(
        main, ["export", folder.name, "--format", "json", "--out", str(tmp_path / "out")]
    )

    [entry] = [e for e in read_access_log(data).entries if e.action == "export"]
    named = entry.user == own.name and "kacho" not in entry.user
    signed = entry.signer is not None and entry.signer.key_id == own.key_id
    tally.record(
        "attack: $USER spoofed for an export",
        survived=result.exit_code == 0 and named and signed,
        unit="missed",
        label="caught",
    )
    assert result.exit_code == 0, result.output
    assert named and signed


HOSTILE = "\x1b]0;PWNED\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u202e"


def test_escape_sequences_in_names_and_notes_never_reach_the_terminal(
    tmp_path: Path, clock: ManualClock, tally: Tally
) -> None:
    data = tmp_path / "data"
    folder, _ = finished_session(data, clock)
    hostile = folder.path.with_name(folder.name + HOSTILE)
    folder.path.rename(hostile)
    (data / "sessions" / f"x{HOSTILE}").mkdir()
    staff = state_dir() / "staff.json"
    staff.parent.mkdir(parents=True, exist_ok=True)
    staff.write_text(json.dumps({"name": f"山田{HOSTILE}"}), encoding="utf-8")

    _status, output = verify_all()
    cells = [str(cell) for cell in plain(f"note {HOSTILE}", hostile.name)]
    staff_name = JsonStaffBook(staff).load().name

    shown = [output, *cells, staff_name]
    clean = all(not any(ch in text for ch in "\x1b\x07\x9b\u202e") for text in shown)
    visible = "␛]0;PWNED␇" in output and "<U+202E>" in output
    tally.record(
        "attack: escape sequences in folder names, notes, staff.json",
        survived=clean and visible,
        unit="missed",
        label="caught",
    )
    assert clean, shown
    assert visible
