"""Audio: the recorder against arecord on the same virtual microphone, memory, archive cost.

The measuring itself lives in scripts/bench_audio.py (also runnable alone with its own options);
this adapts its figures to the common report. The CPU figure is given as a ratio to arecord.
"""

from __future__ import annotations

from scripts import bench_audio
from scripts.benchmarks.common import Result


def run() -> list[Result]:
    """The audio figures; capture figures only under scripts/with-virtual-mic."""
    results: list[Result] = []
    bench_audio.run(lambda name, value, unit: results.append(Result(name, value, unit)))
    return results
