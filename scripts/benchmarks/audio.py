"""Audio: the recorder against arecord on the same virtual microphone, memory, archive cost.

The measuring itself lives in scripts/bench_audio.py (also runnable alone with its own options);
this turns its figures into ratios against the baselines measured beside them: arecord for the
capture, a plain FLAC encode of the same audio for the archive. Short by default (15 s capture,
30 s memory run, 3 minutes archived); `--long` records 60 s against arecord, 10 minutes for
memory and archives a whole hour.
"""

from __future__ import annotations

from scripts import bench_audio
from scripts.benchmarks.common import Result


def run(long: bool = False) -> list[Result]:
    """The audio figures; capture figures only under scripts/with-virtual-mic."""
    got: dict[str, float] = {}
    seconds, memory, archived = (60.0, 600.0, 60.0) if long else (15.0, 30.0, 3.0)
    bench_audio.run(
        lambda name, value, _unit: got.__setitem__(name, value),
        seconds=seconds,
        long_seconds=memory,
        archive_minutes=archived,
    )
    results: list[Result] = []
    if "recorder CPU per recorded minute" in got:
        results += [
            Result(
                "recorder CPU per recorded minute",
                got["recorder CPU per recorded minute"],
                "s",
                got["arecord CPU per recorded minute"],
                "arecord on the same microphone",
            ),
            Result(
                "recorder frames captured / expected",
                got["recorder frames captured / expected"],
                "",
                got["arecord frames captured / expected"],
                "arecord's",
            ),
            Result("recorder faults", got["recorder faults"], ""),
            Result("first audio after the recorder starts", got[FIRST], "s"),
            Result(f"RSS growth per recorded hour ({memory:.0f} s run)", got[GROWTH], "MB/h"),
            Result("recorder peak RSS", got["recorder peak RSS"], "MB"),
        ]
    results += [
        Result(
            f"archive (FLAC + Opus) wall per recorded hour ({archived:g} min archived)",
            got["archive wall time per recorded hour"],
            "s",
            got["FLAC-only encode wall per recorded hour"],
            "a plain FLAC encode of the same audio",
        ),
        Result(
            "archive ffmpeg CPU per recorded hour",
            got["archive ffmpeg CPU per recorded hour"],
            "s",
            got["FLAC-only encode CPU per recorded hour"],
            "a plain FLAC encode of the same audio",
        ),
        Result(
            "Opus size per recorded hour",
            got["Opus size per recorded hour"],
            "MB",
            got["raw PCM size per recorded hour"],
            "raw PCM",
        ),
    ]
    return results


FIRST = "recorder first audio after start()"
GROWTH = "RSS growth per recorded hour"
