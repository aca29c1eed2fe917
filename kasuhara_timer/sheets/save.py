"""Saving a session's outputs: the sheet first, then record.json as the mark that both are done.

Both are rebuilt from the journal, so saving again (after a later wrap-up save, or after a crash
between the two writes) always gives the same files for the same journal.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import JsonValue

from kasuhara_timer.policy.models import Policy
from kasuhara_timer.sheets.render import write_sheet
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.store.record import Record, record_from_journal, write_record


def save_record_and_sheet(
    folder: SessionFolder, policy: Policy, *, audio: Mapping[str, JsonValue] | None = None
) -> Record:
    """Write sheet.html then record.json (each atomically) from the folder's journal.

    record.json goes last: its `journal.final_hash` matching the journal means the sheet is
    current too (`find_unrecorded` relies on this). Raises `StoreError` naming the file.
    """
    record = record_from_journal(folder, policy, audio=audio)
    write_sheet(folder, record)
    write_record(folder, record)
    return record
