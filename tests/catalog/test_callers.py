"""Repeat contacts: how many times and when a caller was answered before."""

from __future__ import annotations

from pathlib import Path

from kasuhara_timer.catalog.callers import previous_contacts
from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.policy.models import Policy
from tests.support.corpus import at
from tests.support.factory import Script, make_session


def test_previous_contacts_match_labels_typed_differently(index: SessionIndex) -> None:
    contacts = previous_contacts(
        index, "佐藤090-1234"
    )  # typed 佐藤 090-1234 and 佐藤０９０１２３４
    assert [c.folder[:13] for c in contacts] == ["20260402-1000", "20260401-0900"]
    latest = contacts[0]
    assert (latest.method_label, latest.staff_name, latest.minutes) == ("来庁", "鈴木 花子", 5.0)
    assert contacts[1].limit_reached and contacts[1].furthest_step == "ステップ3 切電の実施"


def test_only_contacts_before_the_session_being_started(index: SessionIndex) -> None:
    before = previous_contacts(index, "佐藤 ０９０ １２３４", before=at(4, 2, 10))
    assert [c.folder[:13] for c in before] == ["20260401-0900"]
    assert previous_contacts(index, "佐藤 090-1234", before=at(4, 1, 9)) == []


def test_blank_labels_and_strangers_have_no_history(index: SessionIndex) -> None:
    assert previous_contacts(index, "  ") == []
    assert previous_contacts(index, "田中") == []
    assert previous_contacts(index, "さとう") == []  # readings are not guessed


def test_from_the_data_folder_the_index_is_refreshed_first(
    data_dir: Path, nanyo: Policy, tmp_path: Path
) -> None:
    assert len(previous_contacts(data_dir, "佐藤 090-1234")) == 2
    make_session(data_dir, nanyo, Script(start=at(6, 1, 9), minutes=3, caller="佐藤 090-1234"))
    assert len(previous_contacts(data_dir, "佐藤 090-1234")) == 3
    assert previous_contacts(data_dir, "佐藤 090-1234", drill=True) == []


def test_repeat_callers_are_listed(index: SessionIndex) -> None:
    (caller,) = index.repeat_callers()
    assert caller.caller in ("佐藤 090-1234", "佐藤０９０１２３４")
    assert (caller.contacts, caller.first, caller.last) == (
        2,
        "2026-04-01 09:00",
        "2026-04-02 10:00",
    )
    assert caller.total_minutes == 50
