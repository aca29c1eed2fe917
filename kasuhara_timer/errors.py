"""Errors a user can act on: each names the file and what is wrong, and never shows a traceback."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem with the user's input or environment, printed as a message with exit status 2."""

    exit_code = 2

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)
