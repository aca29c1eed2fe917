"""Playback through the real sound path: PortAudio → ALSA → a private PulseAudio.

Run under `scripts/with-virtual-mic` (skipped otherwise): the review's player plays a tone into
the default output (the virtual room), and `parec` listening to the room must hear that tone.
"""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.catalog.playback import Player, PlayerState, sounddevice_output
from kasuhara_timer.catalog.recordings import Recording, find_recording
from kasuhara_timer.i18n import Lang
from kasuhara_timer.review.screens.session import SessionScreen
from kasuhara_timer.review.widgets.player import PlayerPanel
from kasuhara_timer.store.folders import SessionFolder
from kasuhara_timer.ui.phrase_text import PhraseText
from tests.support.audio import WAIT, needs_virtual_mic, plug_room, room_sink, room_unplugged
from tests.support.factory import JST, RATE
from tests.support.review_pilot import open_session, review_app, settle

pytestmark = [pytest.mark.audio, needs_virtual_mic]

TONE_HZ = 1000


def test_the_player_is_heard_in_the_room(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path / "session", drill=False)
    folder.audio.mkdir(parents=True)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    writer = SegmentWriter(folder.audio, 1, fmt)
    t = np.arange(3 * RATE) / RATE
    writer.write((np.sin(2 * np.pi * TONE_HZ * t) * 0.5 * 32767).astype("<i2").tobytes())
    writer.close()
    recording = find_recording(folder)
    assert recording is not None

    heard = tmp_path / "heard.raw"
    finished = threading.Event()

    def changed(state: PlayerState) -> None:
        if state.finished:
            finished.set()

    with heard.open("wb") as sink:
        listener = subprocess.Popen(
            ["parec", f"--device={room_sink()}.monitor", "--raw", "--format=s16le",
             f"--rate={RATE}", "--channels=1"],
            stdout=sink,
        )  # fmt: skip
        try:
            player = Player(recording, sounddevice_output, on_change=changed)
            player.play()
            assert finished.wait(WAIT), "playback never finished"
            player.close()
        finally:
            listener.terminate()
            listener.wait()
    samples = np.frombuffer(heard.read_bytes(), dtype="<i2").astype(np.float64) / 32768
    assert len(samples) > RATE, "the room heard less than a second"
    spectrum = np.abs(np.fft.rfft(samples))
    peak_hz = np.argmax(spectrum) * RATE / len(samples)
    assert abs(peak_hz - TONE_HZ) < 20
    assert np.sqrt(np.mean(samples**2)) > 0.05


def tones(tmp_path: Path, *parts: tuple[float, int]) -> Recording:
    """A raw recording of tones: (seconds, Hz) after one another."""
    folder = SessionFolder(tmp_path / "tones", drill=False)
    folder.audio.mkdir(parents=True)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    writer = SegmentWriter(folder.audio, 1, fmt)
    for seconds, hz in parts:
        t = np.arange(int(seconds * RATE)) / RATE
        writer.write((np.sin(2 * np.pi * hz * t) * 0.5 * 32767).astype("<i2").tobytes())
    writer.close()
    recording = find_recording(folder)
    assert recording is not None
    return recording


def listen(heard: Path) -> subprocess.Popen[bytes]:
    """Record what the room hears into `heard` (raw s16le at RATE)."""
    return subprocess.Popen(
        ["parec", f"--device={room_sink()}.monitor", "--raw", "--format=s16le",
         f"--rate={RATE}", "--channels=1"],
        stdout=heard.open("wb"),
    )  # fmt: skip


def energy_at(samples: np.ndarray[Any, Any], hz: int) -> float:
    """The share of the signal's energy within 20 Hz of `hz`."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / RATE)
    return float(spectrum[np.abs(freqs - hz) < 20].sum() / spectrum.sum())


def wait_state(player: Player, what: str, test: Any) -> PlayerState:
    deadline = time.monotonic() + WAIT
    while not test(state := player.state):
        assert time.monotonic() < deadline, f"never {what}: {state}"
        time.sleep(0.02)
    return state


def test_without_a_device_jumps_move_and_playing_starts_when_one_returns(tmp_path: Path) -> None:
    # one second at 500 Hz, then two at 1000 Hz: played from 1.0, the room hears no 500 Hz
    recording = tones(tmp_path, (1.0, 500), (2.0, 1000))
    heard = tmp_path / "heard.raw"
    with room_unplugged():
        player = Player(recording, sounddevice_output, retry_seconds=0.2)
        assert player.wait_probed(WAIT)
        state = player.state
        assert state.unavailable and state.error  # PortAudio's own words, for the detail
        assert "RawOutputStream" in state.error or "device" in state.error
        player.seek(2.0)
        player.skip(-1.0)
        assert player.state.position == 1.0
        player.play()
        time.sleep(0.6)  # it looks again, and again
        state = player.state
        assert state.waiting and state.position == 1.0 and not state.finished
    listener = listen(heard)  # the room is back (room_unplugged plugged it in)
    try:
        wait_state(player, "played to the end", lambda s: s.finished and not s.playing)
        assert not player.state.unavailable and player.state.error == ""
        time.sleep(0.3)
    finally:
        listener.terminate()
        listener.wait()
        player.close()
    samples = np.frombuffer(heard.read_bytes(), dtype="<i2").astype(np.float64) / 32768
    assert np.sqrt(np.mean(samples**2)) > 0.05, "the room heard nothing"
    assert energy_at(samples, 1000) > 0.5
    assert energy_at(samples, 500) < 0.01  # resumed from the position, not from the start


def test_a_device_lost_while_playing_is_waited_for_and_played_on(tmp_path: Path) -> None:
    recording = tones(tmp_path, (6.0, 1000))
    heard = tmp_path / "heard.raw"
    player = Player(recording, sounddevice_output, retry_seconds=0.2)
    try:
        player.play()
        wait_state(player, "played a second", lambda s: s.position >= 1.0)
        with room_unplugged():
            lost = wait_state(player, "noticed the loss", lambda s: s.waiting)
            assert lost.error and lost.position < 6.0
            time.sleep(0.5)
            assert player.state.position == lost.position  # nothing plays, nothing is skipped
        listener = listen(heard)
        try:
            wait_state(player, "played to the end", lambda s: s.finished and not s.playing)
            time.sleep(0.3)
        finally:
            listener.terminate()
            listener.wait()
    finally:
        player.close()
        plug_room()
    samples = np.frombuffer(heard.read_bytes(), dtype="<i2").astype(np.float64) / 32768
    assert len(samples) > RATE and energy_at(samples, 1000) > 0.5


async def test_the_review_says_so_in_japanese_or_english_and_plays_on(
    data_dir: Path, tmp_path: Path
) -> None:
    cases: list[tuple[Lang, str, str, str]] = [
        (
            "ja",
            "■ 再生できません（出力装置なし）",
            "▶ 出力装置を待っています",
            "詳細（PortAudio）：",
        ),
        (
            "en",
            "■ Cannot play (no output device)",
            "▶ Waiting for an output device",
            "Detail (PortAudio): ",
        ),
    ]
    for lang, cannot, waiting, detail in cases:
        app = review_app(data_dir, tmp_path / lang, output=sounddevice_output, lang=lang)
        before = {t for t in threading.enumerate() if t.name == "review-player"}
        with room_unplugged():
            async with app.run_test(size=(80, 24)) as pilot:
                await open_session(pilot, "20260507-0930")
                screen = app.screen
                assert isinstance(screen, SessionScreen)
                panel = screen.query_one(PlayerPanel)
                assert panel.player is not None and panel.player.wait_probed(WAIT)
                await settle(pilot)
                status = str(screen.query_one("#player-status").render())
                problem = screen.query_one("#player-problem", PhraseText).text
                assert status.startswith(cannot), status
                assert detail in problem and "Error" in problem.split(detail)[1]
                assert "Error" not in status  # PortAudio's words only as the detail
                await pilot.press("right", "right")
                await pilot.pause()
                assert "0:00:20 / 0:03:00" in str(screen.query_one("#player-status").render())
                await pilot.press("space")
                await pilot.pause()
                assert str(screen.query_one("#player-status").render()).startswith(waiting)
                assert "0:00:20" in screen.query_one("#player-problem", PhraseText).text
                plug_room()
                player = panel.player
                wait_state(player, "played on", lambda s: not s.unavailable and s.position > 20)
                await pilot.pause()
                panel.show_state()
                assert "▶" in str(screen.query_one("#player-status").render())
                assert screen.query_one("#player-problem", PhraseText).text == ""
                await pilot.press("escape")
                await pilot.pause()
        # This screen's player (not an earlier test's) ends with the screen; its last block
        # may still be playing when the screen is gone.
        ours = [t for t in threading.enumerate() if t.name == "review-player" and t not in before]
        for thread in ours:
            thread.join(WAIT)
        assert not any(t.is_alive() for t in ours), "the session's player outlived its screen"
