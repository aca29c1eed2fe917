"""The fault suite's scoreboard: per kind of fault, trials run, survived, and data lost.

Every trial records its outcome here *before* the test asserts, so a failing trial is counted
too. `conftest.py` prints the table at the end of the run and, when `KASUHARA_FAULTS_REPORT`
names a file, writes it there as JSON for `scripts/faults`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Kind:
    """The trials of one kind of fault."""

    trials: int = 0
    survived: int = 0
    lost: int = 0
    """Items of data lost (acknowledged events missing, changes verify missed…)."""
    unit: str = "events"
    notes: list[str] = field(default_factory=list)
    label: str = "survived"
    """What a good trial is called: "survived" for faults, "caught" for attacks."""


@dataclass
class Tally:
    """Every kind of fault tried in this run."""

    kinds: dict[str, Kind] = field(default_factory=dict)

    def record(
        self,
        kind: str,
        *,
        survived: bool,
        lost: int = 0,
        unit: str = "events",
        note: str = "",
        label: str = "survived",
    ) -> None:
        """Count one trial of `kind` (`label` "caught" for an attack)."""
        entry = self.kinds.setdefault(kind, Kind(unit=unit, label=label))
        entry.trials += 1
        entry.survived += int(survived)
        entry.lost += lost
        if note and note not in entry.notes:
            entry.notes.append(note)

    def note(self, kind: str, note: str, unit: str = "events") -> None:
        """Attach a note (a measured bound) to a kind, replacing an earlier one with its prefix."""
        entry = self.kinds.setdefault(kind, Kind(unit=unit))
        prefix = note.split(":")[0]
        entry.notes = [n for n in entry.notes if n.split(":")[0] != prefix] + [note]

    def lines(self) -> list[str]:
        """One line per kind of fault."""
        width = max((len(name) for name in self.kinds), default=0)
        out = []
        for name, kind in sorted(self.kinds.items()):
            line = (
                f"{name:<{width}}  trials {kind.trials:>4}  {kind.label:>8} {kind.survived:>4}  "
                f"lost {kind.lost} {kind.unit}"
            )
            if kind.notes:
                line += f"  ({'; '.join(kind.notes)})"
            out.append(line)
        return out

    def write(self, path: Path) -> None:
        """Save as JSON for scripts/faults."""
        path.write_text(
            json.dumps({name: asdict(kind) for name, kind in self.kinds.items()}, indent=2),
            encoding="utf-8",
        )


TALLY = Tally()
"""The run's tally (one pytest process)."""
