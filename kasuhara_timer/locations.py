"""Where things live on disk, in one place (platformdirs), overridable for tests and offices.

`KASUHARA_DATA_DIR` (or `--data-dir`) moves the session data, e.g. to a shared network folder;
`KASUHARA_CONFIG_FILE` points at another config file. The review index and the staff member's
remembered details are local to each PC even when the data folder is shared.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import (
    user_config_path,
    user_data_path,
    user_documents_path,
    user_state_path,
)

APP_NAME = "kasuhara-timer"


def data_dir(override: Path | None = None) -> Path:
    """The folder that holds session folders (shared by desks if an office wants)."""
    if override is not None:
        return override
    env = os.environ.get("KASUHARA_DATA_DIR")
    return Path(env) if env else user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The config file of this PC."""
    env = os.environ.get("KASUHARA_CONFIG_FILE")
    return Path(env) if env else user_config_path(APP_NAME, appauthor=False) / "config.toml"


def state_dir() -> Path:
    """Local, per-PC state: remembered staff details, the review index."""
    env = os.environ.get("KASUHARA_STATE_DIR")
    return Path(env) if env else user_state_path(APP_NAME, appauthor=False)


def exports_dir() -> Path:
    """Where exports go unless the reviewer picks another folder: the user's Documents, in a
    folder of the app's own (``KASUHARA_EXPORT_DIR`` moves it), so a file is found where people
    look and never lands in whatever folder the review was started from."""
    env = os.environ.get("KASUHARA_EXPORT_DIR")
    return Path(env) if env else user_documents_path() / "カスハラ対応の記録"


def sessions_dir(data: Path, drill: bool = False) -> Path:
    """Real sessions and drills are kept in separate folders so drills never mix with records."""
    return data / ("drills" if drill else "sessions")
