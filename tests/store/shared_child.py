"""What one account does on a shared data folder, run by tests/store/test_shared_folder.py.

``python -m tests.store.shared_child desk HOST``: a recorded, finished, sealed session made by
this desk; ``review``: the supervisor's index refreshed, every session read and logged, each
exported as JSON to ``$HOME/exports``; prints the session names it read. The data folder and
the sharing come from the account's config.toml, as in the app.
"""

from __future__ import annotations

import sys


def desk(host: str) -> None:
    """One whole session at desk `host`, as the desk app leaves it (its audio archived)."""
    from kasuhara_timer.config import load_settings
    from kasuhara_timer.integrity.seal import seal_session
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

    data = load_settings().use_data_dir()
    clock = ManualClock()
    folder, journal, session = begin(data, clock, host=host)
    write_segment(folder, clock, 0.0, 1.0, seed=1)
    some_events(session, clock)
    wrap_up(session)
    journal.append(archived_event(folder, session))
    journal.close()
    save_record_and_sheet(folder, nanyo())
    seal_session(folder, clock=clock)
    print(folder.name)


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
    else:
        review()
