"""Print the fault suite's JSON tally (written by tests/faults/conftest.py) one line per kind."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.support.tally import Kind, Tally


def main(path: Path) -> int:
    """Print the table; 1 when the report is missing (the suite did not get that far)."""
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        print("no fault report was written (the suite stopped before its summary)")
        return 1
    raw = json.loads(path.read_text(encoding="utf-8"))
    tally = Tally({name: Kind(**kind) for name, kind in raw.items()})
    for line in tally.lines():
        print(line)
    trials = sum(kind.trials for kind in tally.kinds.values())
    survived = sum(kind.survived for kind in tally.kinds.values())
    lost = sum(kind.lost for kind in tally.kinds.values())
    print(f"total: {trials} trials, {survived} survived, {lost} lost")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
