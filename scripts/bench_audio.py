#!/usr/bin/env python3
"""Audio benchmark: the recorder against `arecord` on the same microphone, and the archiver.

    scripts/with-virtual-mic .venv/bin/python scripts/bench_audio.py [--seconds 20]

Prints ratios and rates, asserts nothing (speed is measured here, never in tests):
- CPU seconds per recorded minute, the recorder vs `arecord` capturing the same virtual
  microphone at the same time;
- frames captured ÷ frames expected for both;
- resident memory at the start and the peak of a longer recording (it must stay flat);
- archive (FLAC + Opus) time and size per recorded hour, extrapolated from a generated file.

Without the virtual microphone (PULSE_SOURCE unset) only the archive part runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

Report = Callable[[str, float, str], None]
"""report(name, value, unit): one measured figure."""

RATE = 16000


def run(
    report: Report,
    *,
    seconds: float = 20.0,
    long_seconds: float = 60.0,
    archive_minutes: float = 3.0,
) -> None:
    """Measure everything that can be measured here and report each figure."""
    if os.environ.get("PULSE_SOURCE") and shutil.which("arecord"):
        with room_noise(seconds + long_seconds + 30):
            capture_against_arecord(report, seconds)
            memory_over_a_long_recording(report, long_seconds)
    else:
        print("(no virtual microphone: run under scripts/with-virtual-mic for capture figures)")
    archive_per_hour(report, archive_minutes)


def capture_against_arecord(report: Report, seconds: float) -> None:
    """Record the same microphone with both for `seconds`; compare CPU and frames."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "arecord.wav"
        arecord = subprocess.Popen(
            [
                "arecord",
                "-q",
                "-D",
                "default",
                "-f",
                "S16_LE",
                "-r",
                str(RATE),
                "-c",
                "1",
                "-d",
                str(round(seconds)),
                str(wav),
            ]
        )
        ours = record_in_child(Path(folder) / "audio", seconds)
        _, status, usage = os.wait4(arecord.pid, 0)
        arecord.returncode = os.waitstatus_to_exitcode(status)
        arecord_cpu = usage.ru_utime + usage.ru_stime
        with wave.open(str(wav)) as recorded:
            arecord_frames = recorded.getnframes()
    minutes = seconds / 60
    report("recorder CPU per recorded minute", ours["cpu"] / minutes, "s")
    report("recorder CPU incl. start-up per minute", ours["cpu_total"] / minutes, "s")
    report("arecord CPU per recorded minute", arecord_cpu / minutes, "s")
    report("CPU ratio recorder / arecord", ours["cpu"] / max(arecord_cpu, 1e-6), "x")
    report("recorder frames captured / expected", ours["frames"] / (ours["span"] * RATE), "")
    report("arecord frames captured / expected", arecord_frames / (round(seconds) * RATE), "")
    report("recorder faults", ours["faults"], "")
    report("recorder first audio after start()", ours["first_audio"], "s")


def memory_over_a_long_recording(report: Report, seconds: float) -> None:
    """Resident memory early and at its peak while recording `seconds`: growth means a leak."""
    with tempfile.TemporaryDirectory() as folder:
        ours = record_in_child(Path(folder) / "audio", seconds)
    report("recorder RSS after 5 s", ours["rss_early"] / 1e6, "MB")
    report("recorder peak RSS", ours["rss_peak"] / 1e6, "MB")
    report("RSS growth per recorded hour", ours["rss_slope"] * 3600 / 1e6, "MB/h")


def record_in_child(audio: Path, seconds: float) -> dict[str, float]:
    """Run the recorder in a fresh process (so its CPU and memory are its own)."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(audio), str(seconds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def child(audio: Path, seconds: float) -> None:
    """The recording process: record, sample its own RSS, print one JSON line."""
    from kasuhara_timer.audio.recorder import Recorder, RecorderReport
    from kasuhara_timer.audio.settings import AudioSettings
    from kasuhara_timer.session.clock import SessionClock, SystemClock

    started = threading.Event()
    reports: list[RecorderReport] = []

    def on_report(change: RecorderReport) -> None:
        reports.append(change)
        if change.state == "started":
            started.set()

    clock = SessionClock(SystemClock())
    recorder = Recorder(audio, AudioSettings(), clock, on_report)
    began = time.monotonic()
    recorder.start()
    started.wait(30)
    first_audio = time.monotonic() - began
    cpu_start = time.process_time()
    span_start = clock.elapsed()
    rss_early = 0
    rss_peak = 0
    samples: list[tuple[float, int]] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(1.0, left))
        rss = resident_bytes()
        samples.append((time.monotonic(), rss))
        rss_peak = max(rss_peak, rss)
        if not rss_early and time.monotonic() - (deadline - seconds) >= 5:
            rss_early = rss
    # Growth: the slope of RSS over the run after its first fifth (allocator warm-up), fitted
    # to every sample, so one page more or less at the end does not read as a leak.
    settled = samples[len(samples) // 5 :]
    slope = 0.0
    if len(settled) >= 3:
        times, sizes = zip(*settled, strict=True)
        slope = float(np.polyfit(np.array(times), np.array(sizes, dtype=float), 1)[0])
    summary = recorder.stop()
    span = clock.elapsed() - span_start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "cpu": time.process_time() - cpu_start,
        "cpu_total": usage.ru_utime + usage.ru_stime,
        "frames": summary.seconds * RATE,
        "span": span,
        "faults": summary.faults,
        "first_audio": first_audio,
        "rss_early": rss_early or rss_peak,
        "rss_peak": rss_peak,
        "rss_slope": slope,
    }
    print(json.dumps(result))


def resident_bytes() -> int:
    """This process's resident set size now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class room_noise:
    """Quiet noise played into the virtual room, so the microphone never hears digital silence."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.folder = tempfile.TemporaryDirectory()
        self.player: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> None:
        path = Path(self.folder.name) / "room.wav"
        noise = np.random.default_rng(0).standard_normal(int(RATE * self.seconds)) * 100
        with wave.open(str(path), "wb") as file:
            file.setnchannels(1)
            file.setsampwidth(2)
            file.setframerate(RATE)
            file.writeframes(noise.astype("<i2").tobytes())
        sink = os.environ.get("PULSE_SINK", "@DEFAULT_SINK@")
        self.player = subprocess.Popen(["paplay", f"--device={sink}", str(path)])

    def __exit__(self, *exc: object) -> None:
        if self.player is not None:
            self.player.kill()
            self.player.wait()
        self.folder.cleanup()


def archive_per_hour(report: Report, minutes: float) -> None:
    """Archive a generated speech-like recording of `minutes`; extrapolate to one hour."""
    from kasuhara_timer.audio.archive import archive
    from kasuhara_timer.audio.segments import SegmentFormat, SegmentWriter

    with tempfile.TemporaryDirectory() as folder:
        audio = Path(folder)
        fmt = SegmentFormat(
            samplerate=RATE, channels=1, started_t=0.0, started_at=datetime.now(UTC)
        )
        writer = SegmentWriter(audio, 1, fmt)
        rng = np.random.default_rng(0)
        for _ in range(round(minutes * 6)):  # ten seconds at a time
            writer.write(speechlike(10.0, rng).tobytes())
        writer.close()
        flac_wall, flac_cpu = flac_only(writer.path)
        began = time.monotonic()
        cpu_began = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = archive(audio)
        wall = time.monotonic() - began
        cpu_end = resource.getrusage(resource.RUSAGE_CHILDREN)
    hours = result.seconds / 3600
    report("FLAC-only encode wall per recorded hour", flac_wall / hours, "s")
    report("FLAC-only encode CPU per recorded hour", flac_cpu / hours, "s")
    if result.flac is None or result.opus is None:
        print("(archive produced no files)")
        return
    report("archive wall time per recorded hour", wall / hours, "s")
    cpu = (cpu_end.ru_utime + cpu_end.ru_stime) - (cpu_began.ru_utime + cpu_began.ru_stime)
    report("archive ffmpeg CPU per recorded hour", cpu / hours, "s")
    report("FLAC size per recorded hour", result.flac.bytes / hours / 1e6, "MB")
    report("Opus size per recorded hour", result.opus.bytes / hours / 1e6, "MB")
    report("raw PCM size per recorded hour", RATE * 2 * 3600 / 1e6, "MB")


def flac_only(pcm: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one plain ffmpeg FLAC encode of `pcm`: the least an archive does."""
    from kasuhara_timer.audio.archive import ffmpeg_executable

    with tempfile.TemporaryDirectory() as folder:
        command = [ffmpeg_executable(), "-nostdin", "-hide_banner", "-loglevel", "error",
                   "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", str(pcm),
                   "-c:a", "flac", str(Path(folder) / "plain.flac")]  # fmt: skip
        began = time.monotonic()
        cpu_began = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True)
        cpu_end = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.monotonic() - began
    cpu = (cpu_end.ru_utime + cpu_end.ru_stime) - (cpu_began.ru_utime + cpu_began.ru_stime)
    return wall, cpu


def speechlike(seconds: float, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    """Voiced syllables with pauses and room noise: compresses roughly like real speech."""
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = 120 + 40 * np.sin(2 * np.pi * 0.3 * t + rng.uniform(0, 6))
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * 4 * t), 0, 1) * (np.sin(2 * np.pi * 0.2 * t) > -0.3)
    noise = rng.standard_normal(len(t)) * 0.003
    return (np.clip(voice * syllables * 0.2 + noise, -1, 1) * 32767).astype(np.int16)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), float(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="capture compared (20)")
    parser.add_argument("--long-seconds", type=float, default=60.0, help="memory run (60)")
    parser.add_argument("--archive-minutes", type=float, default=3.0, help="generated audio (3)")
    args = parser.parse_args()

    def report(name: str, value: float, unit: str) -> None:
        print(f"{name:<42} {value:10.3f} {unit}", flush=True)

    run(
        report,
        seconds=args.seconds,
        long_seconds=args.long_seconds,
        archive_minutes=args.archive_minutes,
    )


if __name__ == "__main__":
    main()
