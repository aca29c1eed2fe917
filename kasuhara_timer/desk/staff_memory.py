"""The staff member's name and section, remembered between sessions in a small JSON file.

The file lives in `locations.state_dir()` (local to the PC, never in a shared data folder).
It is a convenience, not a record: a missing or unreadable file means "ask again", never an
error that would keep the desk from starting a session.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pydantic import ValidationError

from kasuhara_timer import locations
from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.session.events import Staff
from kasuhara_timer.store.atomic import own_private_dir, write_atomic

STAFF_FILE = "staff.json"
COLLEAGUES_FILE = "colleagues.json"
COLLEAGUES_KEPT = 12
"""Colleagues remembered for the join and hand-over dialog, the latest first."""

log = logging.getLogger(__name__)


class JsonStaffBook:
    """A `StaffBook` kept in one JSON file, written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls) -> JsonStaffBook:
        """The book in this PC's state folder."""
        return cls(locations.state_dir() / STAFF_FILE)

    def load(self) -> Staff:
        """The remembered staff member, or a blank one."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return _shown_safely(Staff.model_validate(data))
        except FileNotFoundError:
            return Staff()
        except (OSError, ValueError, ValidationError) as error:  # asked again, and logged
            log.warning("the remembered staff member cannot be read: %s: %s", self.path, error)
            return Staff()

    def save(self, staff: Staff) -> None:
        """Remember `staff` (the folder is created when missing)."""
        own_private_dir(self.path.parent)
        text = json.dumps(staff.model_dump(), ensure_ascii=False, indent=2)
        write_atomic(self.path, text.encode("utf-8"))


class JsonColleagueBook:
    """Colleagues who joined or took over sessions on this PC, for picking them again."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._memory: list[Staff] = []

    @classmethod
    def default(cls) -> JsonColleagueBook:
        """The book in this PC's state folder."""
        return cls(locations.state_dir() / COLLEAGUES_FILE)

    def load(self) -> list[Staff]:
        """The remembered colleagues, the latest first (none when the file cannot be read)."""
        if self.path is None:
            return list(self._memory)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [_shown_safely(Staff.model_validate(item)) for item in data]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError, ValidationError) as error:
            log.warning("the remembered colleagues cannot be read: %s: %s", self.path, error)
            return []

    def remember(self, staff: Staff) -> None:
        """Put `staff` first; never raises (a convenience, not a record)."""
        kept = [staff, *(s for s in self.load() if s != staff)][:COLLEAGUES_KEPT]
        if self.path is None:
            self._memory = kept
            return
        try:
            own_private_dir(self.path.parent)
            text = json.dumps([s.model_dump() for s in kept], ensure_ascii=False, indent=2)
            write_atomic(self.path, text.encode("utf-8"))
        except (OSError, ValueError) as error:
            log.warning("the colleagues cannot be remembered: %s: %s", self.path, error)


def _shown_safely(staff: Staff) -> Staff:
    """A remembered staff member whose text cannot drive the terminal (`safetext`): the file
    is the account's own, but anything that can write it must not reach the screen raw."""
    return staff.model_copy(
        update={
            name: terminal_safe(value)
            for name, value in staff.model_dump().items()
            if isinstance(value, str)
        }
    )
