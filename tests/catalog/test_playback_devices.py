"""The player without an output device (logic, with a fake socket; test_real_playback.py does
the same through real PortAudio): the position still moves, playing waits for a device and
resumes from where it was, a device lost mid-play is waited for and played on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter
from kasuhara_timer.catalog.playback import Player
from kasuhara_timer.catalog.recordings import Recording, find_recording, pcm_chunks
from kasuhara_timer.store.folders import SessionFolder
from tests.support.factory import JST, RATE
from tests.support.review_fakes import WAIT, PluggableOutput

RETRY = 0.05


@pytest.fixture
def counting(tmp_path: Path) -> Recording:
    """Four seconds whose every sample says where it is (its frame number, modulo 32768)."""
    folder = SessionFolder(tmp_path / "session", drill=False)
    folder.audio.mkdir(parents=True)
    fmt = SegmentFormat(samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(JST))
    writer = SegmentWriter(folder.audio, 1, fmt)
    writer.write((np.arange(4 * RATE) % 32768).astype("<i2").tobytes())
    writer.close()
    recording = find_recording(folder)
    assert recording is not None
    return recording


def first_frame(data: bytes) -> int:
    return int(np.frombuffer(data[:2], dtype="<i2")[0])


def wait_until(player: Player, what: str, test: object) -> None:
    import time

    deadline = time.monotonic() + WAIT
    while not test(player.state):  # type: ignore[operator]
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.01)


def test_without_a_device_the_position_moves_and_play_waits(counting: Recording) -> None:
    socket = PluggableOutput(plugged=False)
    player = Player(counting, socket, retry_seconds=RETRY)
    assert player.wait_probed(WAIT)
    state = player.state
    assert state.unavailable and state.error == PluggableOutput.ERROR and not state.waiting
    player.seek(2.0)
    player.skip(-0.5)
    assert player.state.position == 1.5
    player.play()
    assert player.state.waiting and player.state.playing
    socket.wait_attempts(3)  # it keeps looking
    player.skip(0.5)  # still moves while waiting
    assert player.state.position == 2.0 and not socket.chunks
    socket.plug()
    wait_until(player, "played on", lambda s: not s.unavailable and s.position > 2.0)
    assert first_frame(socket.chunks[0]) == 2 * RATE  # from where it was, not from the start
    assert socket.chunks[0] == next(pcm_chunks(counting, 2.0))
    player.close()


def test_a_device_lost_mid_play_is_waited_for_and_played_on(counting: Recording) -> None:
    socket = PluggableOutput(plugged=True, gated=True)
    player = Player(counting, socket, retry_seconds=RETRY)
    player.play()
    socket.allow(4)  # a second: four quarter-second chunks
    wait_until(player, "played a second", lambda s: s.position >= 1.0)
    socket.unplug()
    socket.allow()  # a write already past the device's check goes through; the next one fails
    wait_until(player, "noticed", lambda s: s.waiting)
    socket.gated = False
    stopped = player.state.position
    heard = b"".join(socket.chunks)
    assert len(heard) == round(stopped * RATE) * 2  # the position is what the device took
    assert player.state.error == PluggableOutput.ERROR  # its retries find no device
    socket.plug()
    wait_until(player, "finished", lambda s: s.finished and not s.playing)
    assert len(socket.opened) == 2  # a new stream, the same player: nothing reopened by hand
    after = socket.opened[1].chunks
    assert first_frame(after[0]) == round(stopped * RATE) % 32768
    joined = np.frombuffer(heard + b"".join(after), dtype="<i2")
    assert np.array_equal(joined, (np.arange(4 * RATE) % 32768).astype("<i2"))  # no gap, no repeat
    assert not player.state.unavailable and player.state.error == ""
    player.close()


def test_pausing_while_waiting_stops_looking(counting: Recording) -> None:
    socket = PluggableOutput(plugged=False)
    player = Player(counting, socket, retry_seconds=RETRY)
    player.play()
    socket.wait_attempts(2)
    player.pause()
    assert not player.state.waiting and player.state.unavailable
    import time

    tries = socket.attempts
    time.sleep(RETRY * 6)
    assert socket.attempts <= tries + 1  # at most the try that was under way
    socket.plug()
    time.sleep(RETRY * 4)
    assert not socket.opened  # nothing plays until asked again
    player.play()
    wait_until(player, "playing", lambda s: not s.unavailable and s.position > 0)
    player.close()
