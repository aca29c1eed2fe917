"""Atomic writes: the old file or the new, never a mix, and never a stray temporary file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from kasuhara_timer.store.atomic import write_atomic
from kasuhara_timer.store.errors import StoreError, StoreProblem


def test_replaces_the_file_privately(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    target.write_text("old")
    write_atomic(target, "新しい".encode())
    assert target.read_text(encoding="utf-8") == "新しい"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "record.json"
    target.write_text("old")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreError) as caught:
        write_atomic(target, b"new")
    assert caught.value.reason is StoreProblem.DISK_FULL
    assert "record.json" in str(caught.value) and "disk is full" in str(caught.value)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        write_atomic(tmp_path / "gone" / "sheet.html", b"x")
    assert "sheet.html" in str(caught.value)
