"""What every benchmark returns: a figure, and the baseline it is compared with in the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure; `ratio` is value ÷ baseline (None when there is no baseline)."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""

    @property
    def ratio(self) -> float | None:
        """value ÷ baseline, the figure to watch across machines."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def line(self) -> str:
        """One printable line."""
        text = f"{self.name}: {self.value:.4g} {self.unit}"
        if self.ratio is not None:
            text += f" = {self.ratio:.2f}× {self.baseline_name} ({self.baseline:.4g} {self.unit})"
        return text
