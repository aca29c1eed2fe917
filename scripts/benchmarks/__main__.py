"""`scripts/bench [PART...]`: run the benchmarks and print each figure against its baseline."""

from __future__ import annotations

import argparse
import importlib

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
    args = parser.parse_args()
    unknown = sorted(set(args.parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    for part in args.parts or list(PARTS):
        print(f"== {part}", flush=True)
        for result in importlib.import_module(PARTS[part]).run():
            print(result.line(), flush=True)


main()
