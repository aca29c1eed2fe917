"""The desk PC's settings: one typed model read from `config.toml`, overridden by the CLI.

Who reads what: the CLI loads `Settings` once and hands it to the desk app, the review app and the
commands. The file lives at `locations.config_file()` (`KASUHARA_CONFIG_FILE` swaps it in tests);
a missing file means defaults, a malformed one is a `UserError` naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kasuhara_timer import locations
from kasuhara_timer.audio.settings import AudioSettings
from kasuhara_timer.trust.settings import TrustSettings


class Retention(BaseModel):
    """How long sessions are kept: the office's rule, applied by `kasuhara-timer purge`.

    Unset (the default) keeps everything: nothing is deleted until the office writes its own
    rule. A session is *flagged* when the staff member took any step (ladder or immediate path)
    or a behaviour tag was still set at the end; drills are never flagged. A supervisor's hold
    (`kasuhara-timer hold`) keeps a session whatever this says.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    audio_days: int | None = Field(
        default=None, ge=1, description="Days the audio of an unflagged session is kept."
    )
    flagged_years: int | None = Field(
        default=None, ge=1, description="Years the audio and record of a flagged session are kept."
    )
    record_years: int | None = Field(
        default=None,
        ge=1,
        description="Years any session's record (journal, record.json, sheet) is kept.",
    )

    @model_validator(mode="after")
    def _record_outlives_audio(self) -> Retention:
        if self.audio_days and self.record_years and self.record_years * 365 < self.audio_days:
            raise ValueError(
                "record_years must keep the record at least as long as audio_days keeps the audio"
            )
        return self


class HelpSettings(BaseModel):
    """The silent call for help (`h` at the desk) and the supervisors' live board."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    call: str = Field(
        default="",
        description="Who is called, shown with each request (e.g. 係長・所管課長).",
    )
    force_polling: bool = Field(
        default=False,
        description="The board polls the data folder instead of waiting for change notices "
        "(needed on SMB/NFS shares, where notices do not arrive).",
    )
    poll_ms: int = Field(
        default=500, ge=100, le=5000, description="How often the board polls when it polls."
    )


class Access(BaseModel):
    """Which supervisors may listen and export ([access]); reviewing, holding and purging need
    any supervisor listed in [trust]. Applies only when supervisors are configured."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    listen: tuple[str, ...] | None = Field(
        default=None,
        description="Supervisors (names or key ids) who may play recordings; unset: all of them.",
    )
    export: tuple[str, ...] | None = Field(
        default=None,
        description="Supervisors (names or key ids) who may export copies; unset: all of them.",
    )


class Settings(BaseModel):
    """Settings of one desk PC. Every field has a safe default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: str = Field(
        default="nanyo", description="Bundled profile name or path of the office's own profile."
    )
    lang: Literal["ja", "en"] = Field(default="ja", description="Interface language.")
    data_dir: Path | None = Field(
        default=None, description="Session data folder; may be a shared network folder."
    )
    era: Literal["western", "reiwa"] = Field(
        default="western", description="Years in reports: western (2026年) or reiwa (令和8年)."
    )
    bell: bool = Field(
        default=False,
        description="Bell at pre-warnings and the limit; off by default so callers hear nothing.",
    )
    drill_speed: float = Field(
        default=30.0, gt=0, le=3600, description="Clock speed of drills unless --speed says."
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description='Office key remapping: binding id → keys, e.g. {"desk.next" = "f8"}.',
    )
    retention: Retention = Field(
        default_factory=Retention, description="How long sessions are kept (purge)."
    )
    audio: AudioSettings = Field(
        default_factory=AudioSettings, description="Recording the desk microphone ([audio])."
    )
    trust: TrustSettings = Field(
        default_factory=TrustSettings,
        description="The supervisors' public keys the office trusts ([trust]).",
    )
    access: Access = Field(
        default_factory=Access, description="Who may listen and export ([access])."
    )
    sharing: Literal["private", "group"] = Field(
        default="private",
        description=(
            "Who may open what the app creates in the data folder: 'private' (this account"
            " only: folders 0700, files 0600) or 'group' (an office's shared folder used by"
            " several desk accounts and the supervisors: folders 2770 inheriting the data"
            " folder's group, files 0660; no one outside the group)."
        ),
    )
    help: HelpSettings = Field(
        default_factory=HelpSettings, description="Calling for help and the live board ([help])."
    )

    def resolved_data_dir(self, override: Path | None = None) -> Path:
        """The data folder: CLI override, else this config, else the environment or the default."""
        return locations.data_dir(override or self.data_dir)

    def use_data_dir(self, override: Path | None = None) -> Path:
        """The data folder, with this office's sharing declared for what is created in it."""
        from kasuhara_timer.store.atomic import share_with_group

        folder = self.resolved_data_dir(override)
        if self.sharing == "group":
            share_with_group(folder)
        return folder


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path` (default: the config file); defaults when the file is absent."""
    from kasuhara_timer.tomlfile import load_toml_model

    path = path or locations.config_file()
    if not path.exists():
        return Settings()
    return load_toml_model(path, Settings)
