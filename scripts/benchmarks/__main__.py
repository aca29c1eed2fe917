"""`scripts/bench [PART...] [--long]`: each figure printed against its baseline (same run).

Every figure is a ratio against a baseline measured in the same run on the same machine, so a
busy or slow machine moves both alike: on a shared machine, read the ratios, not the seconds.
The default is short (a few minutes on 2 cores); `--long` adds the 10-minute recording, the
one-hour archive and 100,000 sessions.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import time

PARTS = {
    "desk": "scripts.benchmarks.desk",
    "review": "scripts.benchmarks.review",
    "audio": "scripts.benchmarks.audio",
    "board": "scripts.benchmarks.board",
    "privacy": "scripts.benchmarks.privacy",
}


def main() -> None:
    """Run the chosen parts (all by default) and print their results."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("parts", nargs="*", help=f"parts to run: {', '.join(PARTS)} (default all)")
    parser.add_argument("--long", action="store_true", help="the long figures too (~30 min)")
    args = parser.parse_args()
    unknown = sorted(set(args.parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    for part in args.parts or list(PARTS):
        print(f"== {part}", flush=True)
        began = time.monotonic()
        run = importlib.import_module(PARTS[part]).run
        takes_long = "long" in inspect.signature(run).parameters
        for result in run(long=args.long) if takes_long else run():
            print(result.line(), flush=True)
        print(f"({part}: {time.monotonic() - began:.0f} s)", flush=True)


main()
