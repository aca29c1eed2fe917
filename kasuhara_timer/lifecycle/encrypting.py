"""A session closed is encrypted to the office's supervisors; the desk keeps only a contact line.

At the close (the journal released, the record, sheet, archive and seal final) the desk writes
`contact.json` (what the discreet repeat-contact line shows: when, how, how long, and a hash of
the caller label, never the label itself), replaces every other file of the session (journal,
record, sheet, audio archive, raw segments and their descriptions) by its age-encrypted form
(`store.vault`), and seals the folder again over the encrypted files, so `verify` can check them
without a key. From then on the desk account that wrote the session cannot read it.

The live session is never encrypted: crash recovery reads and continues its journal. A close
cut short by a crash is finished at the next start (`encrypt_finished`), file by file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kasuhara_timer.catalog.contacts import CONTACT_FILE, contact_bytes, contact_of
from kasuhara_timer.catalog.query import caller_key
from kasuhara_timer.integrity.seal import (
    SEAL_FILE,
    Seal,
    describe_file,
    read_seal,
    session_files,
)
from kasuhara_timer.lifecycle.unfinished import sheet_unfinished
from kasuhara_timer.session.clock import Clock
from kasuhara_timer.session.events import Ended
from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem
from kasuhara_timer.store.folders import SessionFolder, list_session_folders, sanitize_host
from kasuhara_timer.store.journal import journal_in_use, read_journal
from kasuhara_timer.store.record import read_record
from kasuhara_timer.store.vault import SUFFIX, encrypt_in_place, parse_recipients, reencrypt

KEPT_READABLE = frozenset({SEAL_FILE, CONTACT_FILE})
"""What stays plaintext in an encrypted session: the seal (hashes only) and the contact line."""


def is_encrypted_session(folder: SessionFolder) -> bool:
    """True when the session's files were encrypted at its close."""
    return not folder.journal.exists() and (folder.path / (folder.journal.name + SUFFIX)).exists()


def encrypt_session(folder: SessionFolder, recipients: Sequence[str], *, clock: Clock) -> Seal:
    """Encrypt an ended session's files to `recipients` and seal it again; the new seal.

    Idempotent: files already encrypted are kept. Raises `StoreError` for a session that has
    not ended or whose journal cannot be read (it is left as it is).
    """
    parsed = parse_recipients(recipients)
    if not parsed:
        raise StoreError("no supervisor to encrypt to", folder.path, StoreProblem.MALFORMED)
    previous = read_seal(folder)
    if not is_encrypted_session(folder):
        journal = read_journal(folder.journal)
        if not any(isinstance(event, Ended) for event in journal.events):
            raise StoreError(
                "a session is encrypted only once it has ended",
                folder.journal,
                StoreProblem.MALFORMED,
            )
        final_hash = journal.final_hash
        if folder.record.exists():
            record = read_record(folder.record)
            contact = contact_of(record, folder.drill, caller_key(record.session.caller))
            write_atomic(folder.path / CONTACT_FILE, contact_bytes(contact))
    elif previous is not None:
        final_hash = previous.journal_final_hash
    else:
        raise StoreError("encrypted but never sealed", folder.path, StoreProblem.MALFORMED)
    _remove_leftovers(folder)
    for relative in session_files(folder):
        path = folder.path / relative
        if relative in KEPT_READABLE or path.name.endswith(SUFFIX) or path.name.startswith("."):
            continue
        encrypt_in_place(path, parsed)
    return _reseal(folder, final_hash, previous, clock)


def _remove_leftovers(folder: SessionFolder) -> None:
    """Delete what killed writes left (``.record.json.….tmp``, ``.….age.partial``): never the
    truth, and a temporary copy may hold plaintext that would otherwise outlive the close."""
    for path in folder.path.rglob(".*"):
        if path.is_file() and path.name.endswith((".tmp", ".partial")):
            path.unlink(missing_ok=True)


def rewrap_session(folder: SessionFolder, recipients: Sequence[str], *, clock: Clock) -> int:
    """Encrypt an encrypted session's files again for `recipients` (the office's supervisors
    now); the number of files. Needs an unlocked identity that opens them (`vault.unlock`);
    the plaintext exists only in memory. The seal is renewed over the new files.
    """
    parsed = parse_recipients(recipients)
    if not parsed:
        raise StoreError("no supervisor to encrypt to", folder.path, StoreProblem.MALFORMED)
    previous = read_seal(folder)
    if previous is None or not is_encrypted_session(folder):
        raise StoreError("not an encrypted, sealed session", folder.path, StoreProblem.MALFORMED)
    files = [
        folder.path / relative
        for relative in session_files(folder)
        if relative.endswith(SUFFIX) and "/." not in f"/{relative}"
    ]
    for path in files:
        reencrypt(path, parsed)
    _reseal(folder, previous.journal_final_hash, previous, clock)
    return len(files)


def _reseal(folder: SessionFolder, final_hash: str, previous: Seal | None, clock: Clock) -> Seal:
    """The seal over the session's files as they are now (ciphertext), keeping what the
    earlier seal said of the journal and of purged files."""
    seal = Seal(
        session=folder.name,
        sealed_at=clock.now(),
        journal_final_hash=final_hash,
        files=tuple(describe_file(folder, relative) for relative in session_files(folder)),
        purged=previous.purged if previous is not None else (),
    ).sealed()
    write_atomic(folder.path / SEAL_FILE, seal.to_bytes())
    return seal


def needs_encryption(folder: SessionFolder) -> bool:
    """An ended session (sealed, not open anywhere) with plaintext files left, whose record
    sheet is not waiting to be finished (the desk must read its draft until it is saved)."""
    if folder.journal.exists() and journal_in_use(folder.journal):
        return False
    try:
        seal = read_seal(folder)
    except StoreError:
        return False  # verify reports it; encrypting would hide it
    if seal is None:
        return False
    plain_left = any(
        not (relative in KEPT_READABLE or relative.endswith(SUFFIX))
        for relative in session_files(folder)
    )
    stale_seal = is_encrypted_session(folder) and any(
        not (entry.path in KEPT_READABLE or entry.path.endswith(SUFFIX)) for entry in seal.files
    )  # killed after the last file, before the seal over them
    if stale_seal:
        return True
    return plain_left and not sheet_unfinished(folder)


def encrypt_finished(
    data_dir: Path, host: str, recipients: Sequence[str], *, clock: Clock
) -> list[str]:
    """Encrypt this desk's sealed sessions left with plaintext (a close cut short, or sessions
    from before the office listed its supervisors); one line per session that failed."""
    problems: list[str] = []
    if not recipients:
        return problems
    wanted = sanitize_host(host)
    for folder in list_session_folders(data_dir):
        if folder.host != wanted:
            continue
        try:
            if needs_encryption(folder):
                encrypt_session(folder, recipients, clock=clock)
        except Exception as error:  # one folder never stops the others
            problems.append(f"{folder.name}: {error}")
    return problems


def rewrap_all(
    data_dir: Path, recipients: Sequence[str], *, clock: Clock
) -> list[tuple[str, int, str]]:
    """`rewrap_session` for every encrypted session of `data_dir`, each access-logged first;
    (folder, files, problem) per session ("" when it went well). One that fails (encrypted for
    supervisors the unlocked identity is not among) never stops the others."""
    from kasuhara_timer.integrity.accesslog import AccessAction, log_access

    done: list[tuple[str, int, str]] = []
    detail = f"for {len(recipients)} supervisor(s)"
    for folder in list_session_folders(data_dir):
        if not is_encrypted_session(folder):
            continue
        log_access(data_dir, AccessAction.REWRAP, folder.name, detail, clock=clock)
        try:
            done.append((folder.name, rewrap_session(folder, recipients, clock=clock), ""))
        except StoreError as error:
            done.append((folder.name, 0, str(error)))
    return done
