"""What one account does on a shared data folder, run by tests/store/test_shared_folder.py.

``python -m tests.store.shared_child desk HOST``: a recorded, finished, sealed session made by
this desk (encrypted at its close when the config lists supervisors); ``read NAME``: prints
whether this account can read that session; ``review``: the supervisor's index refreshed (its
identity unlocked first when ``KT_IDENTITY`` and ``KT_PASSPHRASE`` are set), every session
read, played and logged, each exported as JSON to ``$HOME/exports``; prints the session names
it read. The data folder, sharing and supervisors come from the account's config.toml.
"""

from __future__ import annotations

import os
import sys


def desk(host: str) -> None:
    """One whole session at desk `host`, as the desk app leaves it (its audio archived)."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.integrity.seal import seal_session
    from kasuhara_timer.lifecycle.encrypting import encrypt_finished
    from kasuhara_timer.session.clock import ManualClock
    from kasuhara_timer.sheets.save import save_record_and_sheet
    from tests.support.sessions import (
        archived_event,
        begin,
        nanyo,
        some_events,
        wrap_up,
        write_segment,
    )

    settings = load_settings()
    data = settings.use_data_dir()
    clock = ManualClock()
    folder, journal, session = begin(data, clock, host=host)
    write_segment(folder, clock, 0.0, 1.0, seed=1)
    some_events(session, clock)
    wrap_up(session)
    journal.append(archived_event(folder, session))
    journal.close()
    save_record_and_sheet(folder, nanyo())
    seal_session(folder, clock=clock)
    problems = encrypt_finished(data, host, settings.trust.keyring().recipients(), clock=clock)
    assert not problems, problems
    print(folder.name)


def read(name: str) -> None:
    """Whether this account can read session `name`: ``readable`` or ``unreadable: why``."""
    from kasuhara_timer.catalog.sessions import load_session
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.store.folders import resolve_session

    loaded = load_session(resolve_session(load_settings().use_data_dir(), name))
    print("readable" if loaded.record is not None else f"unreadable: {loaded.problems}")


def review() -> None:
    """The supervisor reads and exports every session."""
    from pathlib import Path

    from kasuhara_timer.catalog.index import SessionIndex
    from kasuhara_timer.catalog.recordings import find_recording, pcm_chunks
    from kasuhara_timer.catalog.sessions import load_folder
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.exports import ExportFormat, run_export
    from kasuhara_timer.integrity.accesslog import AccessAction, log_access

    data = load_settings().use_data_dir()
    if "KT_IDENTITY" in os.environ:
        from kasuhara_timer.store import vault
        from kasuhara_timer.trust.supervisor import unlock_supervisor

        identity = unlock_supervisor(Path(os.environ["KT_IDENTITY"]), os.environ["KT_PASSPHRASE"])
        vault.unlock([identity.age_identity])
    index = SessionIndex(data)
    index.refresh()
    for row in index.query():
        loaded = load_folder(Path(row.path))
        assert loaded.record is not None, loaded.problems
        log_access(data, AccessAction.LISTEN, row.name, "0")
        recording = find_recording(loaded.folder)
        assert recording is not None and sum(len(c) for c in pcm_chunks(recording)) > 0
        run_export(data, [loaded], ExportFormat.JSON, Path.home() / "exports")
        print(row.name)


if __name__ == "__main__":
    if sys.argv[1] == "desk":
        desk(sys.argv[2])
    elif sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        review()
