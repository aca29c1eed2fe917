"""Print workbooks to PDF with LibreOffice Calc, headless, as an office without Excel prints them.

One `soffice --convert-to pdf` run converts every file of a call (each sheet of a workbook on its
own pages, with the workbook's page setup: paper, fit to width, print area, header and footer).
Calc missing is a failure, not a skip: scripts/system-deps --tests installs it (Debian
`libreoffice-calc-nogui`, with `fonts-crosextra-carlito` so a column is as wide as in Excel).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

TIMEOUT = 240
"""Seconds for one conversion run (a cold start of Calc takes a few on a busy machine)."""


def soffice_path() -> str:
    """The LibreOffice executable, or the test fails saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice is missing: run scripts/system-deps --tests (libreoffice-calc)")
    return found


def convert_to_pdf(files: Iterable[Path], out_dir: Path) -> dict[Path, Path]:
    """Each workbook printed to `out_dir/<stem>.pdf`; returns workbook → pdf."""
    files = list(files)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "soffice-profile"  # its own profile: no first-start dialogs, no lock
    command = [
        soffice_path(),
        "--headless",
        "--norestore",
        "--nologo",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL
    )
    written = {file: out_dir / f"{file.stem}.pdf" for file in files}
    missing = [str(pdf) for pdf in written.values() if not pdf.is_file()]
    if done.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice did not print {missing or 'every file'} (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    return written
