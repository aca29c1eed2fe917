"""What every desk screen shares: typed access to the app, its setup and its words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual.screen import Screen

from kasuhara_timer.desk.setup import DeskSetup
from kasuhara_timer.i18n import Translator

if TYPE_CHECKING:
    from kasuhara_timer.desk.app import DeskApp

ResultT = TypeVar("ResultT")


class DeskScreen(Screen[ResultT], Generic[ResultT]):
    """A screen of the desk app."""

    @property
    def desk(self) -> DeskApp:
        """The running desk app."""
        return cast("DeskApp", self.app)

    @property
    def setup(self) -> DeskSetup:
        """The policy, clock, store and settings the app was built with."""
        return self.desk.setup

    @property
    def tr(self) -> Translator:
        """The interface's words in the chosen language."""
        return self.desk.tr
