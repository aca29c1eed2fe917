"""A microphone problem on a Windows desk points at Windows' privacy switch, never at apt-get."""

from __future__ import annotations

from kasuhara_timer.audio.devices import microphone_help, portaudio_install_hint
from kasuhara_timer.desk.recorder_words import recorder_words
from kasuhara_timer.i18n import Translator

SILENT = "only digital silence from Mic (MME) for 5 s (unplugged or muted?)"
NO_MIC = (
    "no microphone (input device) was found; connect one, then check it with"
    " `kasuhara-timer devices`"
)


def test_windows_points_at_the_privacy_switch() -> None:
    assert "Privacy & security > Microphone" in microphone_help("win32")
    assert "Let desktop apps access your microphone" in microphone_help("win32")
    assert "apt-get" not in portaudio_install_hint("win32")
    assert "apt-get" in portaudio_install_hint("linux")
    assert "arecord" in microphone_help("linux")


def test_the_desk_adds_the_windows_hint_in_its_language() -> None:
    ja = recorder_words(SILENT, Translator("ja"), platform="win32")
    assert ja.startswith("マイク「Mic (MME)」から5秒間まったくの無音です")
    assert "「プライバシーとセキュリティ」>「マイク」" in ja
    en = recorder_words(NO_MIC, Translator("en"), platform="win32")
    assert en.startswith(NO_MIC) and "Let desktop apps access your microphone" in en


def test_linux_and_other_reasons_get_no_windows_hint() -> None:
    assert "プライバシー" not in recorder_words(SILENT, Translator("ja"), platform="linux")
    overflow = "input overflow: the sound system dropped audio"
    assert "プライバシー" not in recorder_words(overflow, Translator("ja"), platform="win32")
