"""Encryption at rest: a closed session's files are age files only its supervisors open.

Round trips through the standard `age` command line both ways (the app's files open with
`age -d`, and a file `age -r` made reads back through the app), the review reading, playing and
exporting an encrypted session in memory, the desk's repeat-contact line from contact.json
alone, and a live session left readable for its recovery.
"""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

from kasuhara_timer.catalog.callers import previous_contacts
from kasuhara_timer.catalog.contacts import CONTACT_FILE, read_contact
from kasuhara_timer.catalog.recordings import find_recording, pcm_chunks
from kasuhara_timer.catalog.sessions import SessionStatus, load_session
from kasuhara_timer.exports import ExportFormat, run_export
from kasuhara_timer.integrity.accesslog import read_access_log
from kasuhara_timer.integrity.seal import CHECKPOINTS_FILE, SEAL_FILE, read_seal
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.lifecycle.encrypting import (
    encrypt_finished,
    encrypt_session,
    is_encrypted_session,
    rewrap_all,
)
from kasuhara_timer.lifecycle.folder_store import FolderSession, FolderSessionStore
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.store import vault
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.journal import Journal
from tests.support.sessions import HOST, begin, finished_session, some_events, write_segment
from tests.support.supervisors import age_decrypt, age_encrypt, needs_age, supervisor


def plaintext_files(folder: SessionFolder) -> dict[str, bytes]:
    return {
        p.relative_to(folder.path).as_posix(): p.read_bytes()
        for p in sorted(folder.path.rglob("*"))
        if p.is_file()
    }


def files_on_disk(data: Path) -> set[Path]:
    """Every file in the data folder and the temporary folder, for "nothing new was written"."""
    return {*data.rglob("*"), *Path(tempfile.gettempdir()).rglob("*")}


@needs_age
def test_every_file_of_a_closed_session_opens_with_age_and_nothing_else_is_left(
    tmp_path: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(tmp_path / "data", clock, audio=True, caller="A-17")
    write_segment(folder, clock, 300.0, 0.5, seed=3)  # a raw segment left beside the archive
    before = plaintext_files(folder)
    boss = supervisor()

    encrypt_session(folder, [boss.recipient], clock=clock)

    after = {p.relative_to(folder.path).as_posix() for p in folder.path.rglob("*") if p.is_file()}
    readable = {name for name in after if not name.endswith(".age")}
    # the desk's signed checkpoints hold only line hashes and signatures: they stay readable
    assert readable == {SEAL_FILE, CONTACT_FILE, CHECKPOINTS_FILE}
    key = boss.identity_file(tmp_path)
    for name, data in before.items():
        if name in (SEAL_FILE, CHECKPOINTS_FILE):
            continue
        assert age_decrypt(key, folder.path / f"{name}.age") == data, name
    assert {"journal.jsonl", "record.json", "sheet.html", "audio/recording.flac"} <= set(before)
    assert "audio/seg-0003.pcm" in before
    contact = (folder.path / CONTACT_FILE).read_text()
    assert "A-17" not in contact and "山田" not in contact and "上の者" not in contact
    seal = read_seal(folder)
    assert seal is not None
    assert {f.path for f in seal.files} == after - {SEAL_FILE, CHECKPOINTS_FILE}


@needs_age
def test_a_file_the_age_tool_encrypted_reads_back_through_the_app(tmp_path: Path) -> None:
    boss = supervisor()
    (tmp_path / "note.txt.age").write_bytes(age_encrypt(boss.recipient, "相談記録".encode()))
    with pytest.raises(StoreError) as locked:
        vault.read_plain(tmp_path / "note.txt")
    assert locked.value.reason is StoreProblem.ENCRYPTED
    vault.unlock([boss.identity.age_identity])
    assert vault.read_plain(tmp_path / "note.txt").decode() == "相談記録"


def test_without_the_identity_nothing_is_readable_and_with_it_everything(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    data = tmp_path / "data"
    folder, record = finished_session(data, clock, audio=True)
    plain_pcm = b"".join(pcm_chunks(find_recording(folder)))  # type: ignore[arg-type]
    boss = supervisor()
    encrypt_session(folder, [boss.recipient], clock=clock)

    locked = load_session(folder)
    assert locked.record is None and locked.status is SessionStatus.UNREADABLE
    unchecked = verify_session(folder)
    assert unchecked.intact and "seal only" in unchecked.notes[0].message
    assert "record.json.age" in unchecked.checked and "record.json" not in unchecked.checked
    assert any("supervisor identity" in problem for problem in locked.problems)
    with pytest.raises(StoreError):
        find_recording(folder)

    vault.unlock([boss.identity.age_identity])
    opened = load_session(folder)
    assert opened.record == record and opened.problems == ()
    checked = verify_session(folder)
    assert checked.intact and checked.findings == ()
    assert {"journal.jsonl", "record.json", "sheet.html", "audio/recording.flac"} <= set(
        checked.checked
    )
    recording = find_recording(folder)
    assert recording is not None and recording.files[0].name == "recording.opus.age"
    assert b"".join(pcm_chunks(recording)) == plain_pcm  # decoded through a pipe, same PCM
    before = files_on_disk(data)
    playing = pcm_chunks(recording, samplerate=8000)  # as the loudness overview reads it
    assert next(playing)
    assert files_on_disk(data) == before  # no plaintext copy, here or in the temp folder
    del playing  # closing the iterator stops ffmpeg
    later = b"".join(pcm_chunks(recording, start=1.0))
    assert 0 < len(later) < len(plain_pcm)

    out = tmp_path / "exports"
    (bundle,) = run_export(data, [opened], ExportFormat.BUNDLE, out).written
    with zipfile.ZipFile(bundle) as archive:
        names = {Path(name).name for name in archive.namelist()}
        flac = archive.read(f"{folder.name}/audio/recording.flac")
    assert {"recording.flac", "recording.opus", "record.json"} <= names
    assert flac.startswith(b"fLaC")


def test_another_supervisor_identity_does_not_open_it(tmp_path: Path, clock: ManualClock) -> None:
    folder, _ = finished_session(tmp_path / "data", clock)
    encrypt_session(folder, [supervisor().recipient], clock=clock)
    vault.unlock([supervisor("佐藤 花子").identity.age_identity])
    with pytest.raises(StoreError) as caught:
        vault.read_plain(folder.record)
    assert "other supervisors" in str(caught.value)


def test_the_desk_still_counts_repeat_contacts_from_the_contact_record(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    first, _ = finished_session(data, clock, caller="Ａ－１７")
    clock.advance(86400)
    finished_session(data, clock, caller="someone else")
    clock.advance(86400)
    encrypt_finished(data, HOST, [supervisor().recipient], clock=clock)
    assert read_contact(first) is not None and is_encrypted_session(first)

    contacts = previous_contacts(data, "a-17")
    assert [c.folder for c in contacts] == [first.name]
    assert (contacts[0].channel, round(contacts[0].minutes)) == ("phone", 5)
    assert contacts[0].staff_name == ""  # the line never showed it, the record keeps none


def test_the_store_encrypts_at_the_close_but_never_a_live_session(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    store = FolderSessionStore(data, HOST, [supervisor().recipient], clock)
    live = store.open(clock.now(), drill=False)
    folder, journal, session = begin(data, clock)
    some_events(session, clock)
    journal.close()
    live.close()  # quitting during a call: no end, nothing sealed
    assert live.folder.journal.exists() and not is_encrypted_session(live.folder)

    done, _ = finished_session(data, clock)
    FolderSession(
        done, Journal.open_for_append(done.journal), [supervisor().recipient], clock
    ).close()
    assert is_encrypted_session(done) and not done.journal.exists()
    assert folder.journal.exists()  # the unfinished one stays for its recovery


@needs_age
def test_rewrap_opens_old_sessions_to_a_new_supervisor_and_logs_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    data = tmp_path / "data"
    old, new = supervisor(), supervisor("新任 次郎")
    folder, _ = finished_session(data, clock, audio=True)
    journal = folder.journal.read_bytes()
    encrypt_session(folder, [old.recipient], clock=clock)
    vault.unlock([old.identity.age_identity])

    [(name, files, problem)] = rewrap_all(data, [old.recipient, new.recipient], clock=clock)

    assert (name, problem) == (folder.name, "") and files >= 5
    assert age_decrypt(new.identity_file(tmp_path), folder.path / "journal.jsonl.age") == journal
    assert age_decrypt(old.identity_file(tmp_path), folder.path / "journal.jsonl.age") == journal
    assert verify_session(folder).intact
    [entry] = read_access_log(data).entries
    assert (entry.action, entry.session) == ("rewrap", folder.name)

    vault.lock()
    vault.unlock([new.identity.age_identity])
    rewrap_all(data, [new.recipient], clock=clock)  # the old supervisor left
    with pytest.raises(subprocess.CalledProcessError):
        age_decrypt(old.identity_file(tmp_path), folder.path / "record.json.age")
    assert load_session(folder).problems == ()
