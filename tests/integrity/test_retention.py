"""Retention: `purge` deletes what the rule says (audio first, the record later), logs what,
when and why, and never touches a held, open, unfinished or damaged session."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from kasuhara_timer.cli import main
from kasuhara_timer.config import Retention, load_settings
from kasuhara_timer.errors import UserError
from kasuhara_timer.integrity.accesslog import access_history
from kasuhara_timer.integrity.holds import place_hold, read_hold, release_hold
from kasuhara_timer.integrity.retention import (
    PURGING_PREFIX,
    PurgeStage,
    add_years,
    apply_purge,
    plan_purge,
    read_purge_log,
)
from kasuhara_timer.integrity.seal import file_sha256, read_seal, seal_session
from kasuhara_timer.integrity.verify import verify_session
from kasuhara_timer.session.clock import ManualClock
from kasuhara_timer.sheets.save import save_record_and_sheet
from kasuhara_timer.store.folders import SessionFolder, list_session_folders
from kasuhara_timer.trust.supervisor import generate_supervisor
from tests.support.sessions import (
    archived_event,
    begin,
    finished_session,
    nanyo,
    some_events,
    wrap_up,
    write_segment,
    written_at,
)

RULE = Retention(audio_days=90, flagged_years=5, record_years=3)

KACHO = generate_supervisor("kacho").signer
A = generate_supervisor("a").signer
B = generate_supervisor("b").signer


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def unflagged_session(data_dir: Path, clock: ManualClock) -> SessionFolder:
    """A routine call with a recording: nothing tagged at the end, no step taken."""
    folder, journal, session = begin(data_dir, clock)
    write_segment(folder, clock, 0.0, 1.0)
    clock.advance(60)
    session.add_note("住所変更の問い合わせ")
    wrap_up(session)
    journal.append(archived_event(folder, session))
    journal.close()
    save_record_and_sheet(folder, nanyo())
    seal_session(folder, clock=clock)
    written_at(folder, clock)
    return folder


def test_without_a_rule_nothing_is_ever_purged(data_dir: Path, clock: ManualClock) -> None:
    finished_session(data_dir, clock)
    clock.advance(50 * 365 * 86400)

    plan = plan_purge(data_dir, Retention(), clock.now())

    assert not plan.rule_set and plan.actions == () and plan.kept == ()


def test_unflagged_audio_goes_after_audio_days_and_the_session_still_verifies(
    data_dir: Path, clock: ManualClock
) -> None:
    folder = unflagged_session(data_dir, clock)
    flac = folder.audio / "recording.flac"
    flac_sha = file_sha256(flac)
    clock.advance(89 * 86400)
    assert plan_purge(data_dir, RULE, clock.now()).actions == ()
    clock.advance(2 * 86400)

    plan = plan_purge(data_dir, RULE, clock.now())

    [action] = plan.actions
    assert action.stage is PurgeStage.AUDIO and action.folder == folder
    assert set(action.files) == {"audio/recording.flac", "audio/recording.opus"}
    assert (
        "unflagged session ended 2026-04-01" in action.reason and "audio_days = 90" in action.reason
    )
    assert flac.exists()  # planning deletes nothing

    [outcome] = apply_purge(data_dir, plan, clock=clock, signer=KACHO)

    assert outcome.error == ""
    assert not flac.exists() and not (folder.audio / "recording.opus").exists()
    assert (folder.audio / "recording.json").exists()  # the description of what was recorded
    assert folder.record.exists() and folder.journal.exists()
    [entry], problems = read_purge_log(data_dir)
    assert problems == []
    assert (entry.user, entry.session, entry.stage) == ("kacho", folder.name, "audio")
    assert {(f.path, f.sha256) for f in entry.files} >= {("audio/recording.flac", flac_sha)}
    assert [a.action for a in access_history(data_dir, folder.name)] == ["purge"]
    seal = read_seal(folder)
    assert seal is not None and {p.path for p in seal.purged} == set(action.files)
    report = verify_session(folder)
    assert report.intact, report.problems
    assert any("purged 2026-" in note.message for note in report.notes)
    assert plan_purge(data_dir, RULE, clock.now()).actions == ()  # done once


def test_the_whole_session_goes_after_record_years(data_dir: Path, clock: ManualClock) -> None:
    folder = unflagged_session(data_dir, clock)
    clock.advance(3 * 366 * 86400)

    plan = plan_purge(data_dir, RULE, clock.now())
    [action] = plan.actions
    assert action.stage is PurgeStage.SESSION
    assert "journal.jsonl" in action.files and "audio/recording.flac" in action.files

    assert [o.error for o in apply_purge(data_dir, plan, clock=clock)] == [""]

    assert not folder.path.exists()
    assert list(folder.path.parent.iterdir()) == []
    [entry], _ = read_purge_log(data_dir)
    assert entry.stage == "session" and "records are kept 3 years" in entry.reason


def test_a_flagged_session_is_kept_flagged_years(data_dir: Path, clock: ManualClock) -> None:
    folder, _ = finished_session(data_dir, clock)  # a behaviour was tagged: flagged
    clock.advance(4 * 366 * 86400)
    assert plan_purge(data_dir, RULE, clock.now()).actions == ()
    clock.advance(366 * 86400)

    [action] = plan_purge(data_dir, RULE, clock.now()).actions

    assert action.stage is PurgeStage.SESSION and action.folder == folder
    assert "flagged session" in action.reason and "kept 5 years" in action.reason


def test_held_open_unfinished_and_damaged_sessions_are_kept_with_the_reason(
    data_dir: Path, clock: ManualClock
) -> None:
    held, _ = finished_session(data_dir, clock)
    damaged, _ = finished_session(data_dir, clock)
    lines = damaged.journal.read_bytes().split(b"\n")
    damaged.journal.write_bytes(b"\n".join([lines[0], lines[2], *lines[3:]]))
    unfinished, journal, session = begin(data_dir, clock)
    some_events(session, clock)
    journal.close()
    place_hold(data_dir, held.name, "情報公開請求 R8-12", clock=clock, signer=KACHO)
    clock.advance(10 * 366 * 86400)

    plan = plan_purge(data_dir, RULE, clock.now())

    assert plan.actions == ()
    reasons = {kept.folder.name: kept.reason for kept in plan.kept}
    assert reasons[held.name] == "held by kacho since 2026-04-01: 情報公開請求 R8-12"
    assert "journal damaged (line 2" in reasons[damaged.name]
    assert reasons[unfinished.name] == "not ended: resume or close it at its desk first"


def test_a_hold_placed_after_the_plan_stops_the_deletion(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock)
    clock.advance(6 * 366 * 86400)
    plan = plan_purge(data_dir, RULE, clock.now())
    place_hold(data_dir, folder.name, "訴訟", clock=clock)

    [outcome] = apply_purge(data_dir, plan, clock=clock)

    assert "held since the plan was made" in outcome.error
    assert folder.path.exists() and read_purge_log(data_dir)[0] == []


def test_a_purge_interrupted_mid_deletion_is_finished_next_time(
    data_dir: Path, clock: ManualClock
) -> None:
    folder, _ = finished_session(data_dir, clock)
    hidden = folder.path.with_name(PURGING_PREFIX + folder.name)
    folder.path.rename(hidden)  # the purge died right after moving it aside
    assert list_session_folders(data_dir) == []  # never listed as a half session

    [action] = plan_purge(data_dir, RULE, clock.now()).actions
    assert action.reason == "finishing a purge that was interrupted"
    apply_purge(data_dir, plan_purge(data_dir, RULE, clock.now()), clock=clock)

    assert not hidden.exists()


def test_holds_are_placed_released_and_logged(data_dir: Path, clock: ManualClock) -> None:
    folder, _ = finished_session(data_dir, clock)
    with pytest.raises(UserError, match="needs a reason"):
        place_hold(data_dir, folder.name, "  ", clock=clock)
    hold, placed = place_hold(data_dir, folder.name, "開示請求", clock=clock, signer=A)
    again, placed_again = place_hold(data_dir, folder.name, "別件", clock=clock, signer=B)
    assert placed and not placed_again and again == hold

    released = release_hold(data_dir, folder.name, "請求が取り下げられた", clock=clock, signer=A)

    assert released == hold and read_hold(data_dir, folder.name) is None
    history = access_history(data_dir, folder.name)
    assert [(e.action, e.detail) for e in history] == [
        ("hold", "開示請求"),
        ("release", "請求が取り下げられた"),
    ]


def test_a_damaged_hold_file_still_holds(data_dir: Path, clock: ManualClock) -> None:
    folder, _ = finished_session(data_dir, clock)
    place_hold(data_dir, folder.name, "理由", clock=clock)
    path = data_dir / "holds" / f"{folder.name}.json"
    path.write_bytes(path.read_bytes()[:10])
    clock.advance(6 * 366 * 86400)

    [kept] = plan_purge(data_dir, RULE, clock.now()).kept

    assert kept.folder == folder and "is damaged" in kept.reason


def test_cli_purge_is_a_dry_run_unless_applied(data_dir: Path, tmp_path: Path) -> None:
    config = "[retention]\naudio_days = 1\nflagged_years = 1\nrecord_years = 1\n"
    (tmp_path / "config.toml").write_text(config)
    long_ago = ManualClock(wall=datetime(2020, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))))
    folder, _ = finished_session(data_dir, long_ago)  # the CLI purges by the real clock
    runner = CliRunner()

    dry = runner.invoke(main, ["--lang", "en", "purge"])

    assert dry.exit_code == 0, dry.output
    assert f"would delete session  {folder.name}" in dry.output
    assert "Dry run: nothing was deleted" in dry.output and folder.path.exists()

    hold = runner.invoke(main, ["--lang", "en", "hold", folder.name, "--reason", "監査"])
    assert hold.exit_code == 0 and f"held {folder.name} (reason: 監査)" in hold.output
    kept = runner.invoke(main, ["--lang", "en", "purge", "--apply"])
    assert f"kept  {folder.name}: held by" in kept.output and folder.path.exists()

    release = runner.invoke(
        main, ["--lang", "en", "hold", folder.name, "--release", "--reason", "監査終了"]
    )
    assert release.exit_code == 0 and f"released {folder.name}" in release.output
    applied = runner.invoke(main, ["--lang", "en", "purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert f"deleted session  {folder.name}" in applied.output and not folder.path.exists()


def test_cli_purge_without_a_rule_says_so(data_dir: Path, clock: ManualClock) -> None:
    finished_session(data_dir, clock)
    result = CliRunner().invoke(main, ["purge"])
    assert result.exit_code == 0
    assert "保存期間の規則が設定されていません" in result.output


def test_cli_hold_needs_a_reason_and_an_existing_session(data_dir: Path) -> None:
    result = CliRunner().invoke(main, ["hold", "20260401"])
    assert result.exit_code == 2 and "--reason" in result.output
    result = CliRunner().invoke(main, ["hold", "20260401", "--reason", "x"])
    assert result.exit_code == 2 and "no session named" in result.output


def test_a_retention_rule_keeping_the_record_shorter_than_the_audio_is_refused(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[retention]\naudio_days = 800\nrecord_years = 1\n", encoding="utf-8")

    with pytest.raises(UserError) as raised:
        load_settings(config)

    message = str(raised.value)
    assert str(config) in message and "line 1: retention" in message
    assert "record_years must keep the record at least as long as audio_days" in message


def test_a_leap_day_session_is_purged_on_the_28th() -> None:
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    assert add_years(leap, 1) == leap.replace(year=2029, day=28)
