"""The fixture data folder the review and report tests read, and the figures expected of it.

Seven real sessions in April and May 2026, one drill, made through the real store API with
predictable folder names (the random suffix is replaced by a counter while they are made), so
snapshots and hand-computed report figures stay the same run after run.
"""

from __future__ import annotations

import itertools
import secrets
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from kasuhara_timer.catalog.index import SessionIndex
from kasuhara_timer.policy.models import ChannelId, Policy
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.folders import SessionFolder
from tests.support.factory import JST, Script, make_session

YAMADA = Staff(name="山田 太郎", section="市民課", title="主事")
SUZUKI = Staff(name="鈴木 花子", section="税務課")
TAKAHASHI = Staff(name="高橋 一郎", section="福祉課")
SASAKI = Staff(name="佐々木 次郎", section="市民課")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A start time in 2026, Japan time."""
    return datetime(2026, month, day, hour, minute, tzinfo=JST)


SCRIPTS: dict[str, Script] = {
    "long_phone": Script(
        start=at(4, 1, 9),
        minutes=45,
        staff=YAMADA,
        caller="佐藤 090-1234",
        tags=("mental_attack", "persistent"),
        notes=("大声で同じ主張を繰り返す", "=SUM(A1) と言った"),
        steps=3,
        content="手続の即日完了を要求",
    ),
    "counter_repeat": Script(
        start=at(4, 2, 10),
        minutes=5,
        channel=ChannelId.COUNTER,
        staff=SUZUKI,
        caller="佐藤０９０１２３４",
        tags=("restraint",),
    ),
    "short_phone": Script(start=at(4, 10, 14), minutes=12, staff=YAMADA),
    "mail": Script(
        start=at(4, 15, 11),
        minutes=70,
        channel=ChannelId.OTHER,
        method="mail",
        staff=TAKAHASHI,
        tags=("mental_attack",),
        steps=2,
    ),
    "immediate_audio": Script(
        start=at(5, 7, 9, 30),
        minutes=3,
        staff=SASAKI,
        tags=("physical_attack",),
        immediate=True,
        audio_seconds=180,
    ),
    "interrupted": Script(
        start=at(5, 20, 16),
        minutes=31,
        channel=ChannelId.COUNTER,
        staff=SUZUKI,
        end="interrupted",
    ),
    "unfinished": Script(start=at(5, 21, 10), minutes=2, staff=YAMADA, end="none"),
    "drill": Script(start=at(4, 3, 10), minutes=10, staff=YAMADA, drill=True),
}
"""Real sessions: minutes 45, 5, 12, 70, 3, 31, 2 (168 in all); one drill of 10."""


def build_corpus(data_dir: Path, policy: Policy) -> dict[str, SessionFolder]:
    """Make every scripted session, with folder suffixes 000001, 000002, … in script order
    (the store names folders with `secrets.token_hex`, replaced here while they are made)."""
    counter = itertools.count(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secrets, "token_hex", lambda _n: f"{next(counter):06x}")
        return {name: make_session(data_dir, policy, script) for name, script in SCRIPTS.items()}


@pytest.fixture(scope="session")
def corpus_master(tmp_path_factory: pytest.TempPathFactory, nanyo: Policy) -> Path:
    """The fixture sessions, made once per test run (never written to by tests)."""
    data = tmp_path_factory.mktemp("corpus") / "data"
    build_corpus(data, nanyo)
    return data


@pytest.fixture
def data_dir(tmp_path: Path, corpus_master: Path) -> Path:
    """A private copy of the corpus, which the test may change."""
    target = tmp_path / "data"
    shutil.copytree(corpus_master, target)
    return target


@pytest.fixture
def index(data_dir: Path, tmp_path: Path) -> SessionIndex:
    """The corpus's index, refreshed."""
    built = SessionIndex(data_dir, tmp_path / "state" / "index.sqlite3")
    built.refresh()
    return built


def folder_named(data_dir: Path, prefix: str) -> Path:
    """The session folder whose name begins with `prefix` (a start time like 20260401-0900)."""
    (found,) = [p for p in (data_dir / "sessions").iterdir() if p.name.startswith(prefix)]
    return found


LONG_CONTENT = (
    "窓口での手続の即日完了を強く要求し、担当者が制度上その日のうちには完了できないことを"
    "繰り返し説明したが納得せず、「上司を出せ」「今すぐやれ」と大声で言い続けた。"
    "他の来庁者が待っている旨を伝えても聞き入れず、約四十分にわたり同じ主張を繰り返した。"
)
"""A 内容 of about 130 characters without a space, as staff really write them."""

LONG_REMARK = (
    "カウンターを叩きながら大声で「お前では話にならない」と繰り返し、周囲の来庁者が振り返った"
)

LONG_SCRIPT = Script(
    start=at(6, 3, 9),
    minutes=40,
    channel=ChannelId.COUNTER,
    staff=Staff(name="長谷川 早紀子", section="子ども家庭支援課", title="主任主事"),
    caller="長い名前の相手 080-0000-1111",
    tags=("mental_attack", "persistent", "restraint"),
    notes=("他の来庁者が待っていると伝えたが、聞き入れず同じ主張を大声で繰り返した",),
    steps=2,
    content=LONG_CONTENT,
    remarks=((7, LONG_REMARK), (8, "四十分間、同じ主張を繰り返した"), (17, "録音あり")),
)
"""One session whose every field is long: for the screens' wrapping (not in the figures)."""


@pytest.fixture
def long_data_dir(data_dir: Path, nanyo: Policy) -> Path:
    """The corpus plus `LONG_SCRIPT` (its folder suffix fixed, for snapshots)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secrets, "token_hex", lambda _n: "0000ff")
        make_session(data_dir, nanyo, LONG_SCRIPT)
    return data_dir
