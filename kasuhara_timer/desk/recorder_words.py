"""The recorder's reasons in the desk's language, before they reach the journal and the sheet.

The audio package explains itself in plain English sentences (`no audio from pulse for 2.1 s`).
The banner, the timeline and the printed sheet are read by Japanese staff and supervisors, so
the desk journals each reason in its interface language: every sentence the recorder can say
is matched here and re-worded with the same facts (device, seconds, the system's own error).
A sentence not matched (a future one) is kept as the recorder said it, never dropped.
"""

from __future__ import annotations

import re
import sys

from kasuhara_timer.audio.devices import WINDOWS_MIC_ACCESS
from kasuhara_timer.i18n import Translator

_CHOICES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^the default input device(?: of (?P<api>.+))?$"), "既定の入力装置{api}"),
    (re.compile(r"^input device '(?P<name>.*)'(?: \((?P<api>.+)\))?$"), "入力装置「{name}」{api}"),
)
"""How the configured microphone is named in `DeviceNotFound` messages."""

_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (
            r"^recording is turned off in the settings$",
            "設定で録音がオフになっています（config.toml の [audio] enabled）",
        ),
        (
            r"^the sounddevice package is not installed \((?P<error>.*)\);"
            r" reinstall kasuhara-timer$",
            "録音用の部品 sounddevice がありません。kasuhara-timer を入れ直してください（{error}）",
        ),
        (
            r"^the PortAudio library is missing \((?P<error>.*)\); install it with (?P<how>.*)$",
            "録音に必要な PortAudio ライブラリがありません。{how} で入れてください（{error}）",
        ),
        (
            r"^no microphone \(input device\) was found; .*$",
            "マイク（入力装置）が見つかりません。"
            "接続して `kasuhara-timer devices` で確認してください",
        ),
        (
            r"^cannot use the audio folder (?P<folder>.+?): (?P<error>.*)$",
            "録音フォルダ {folder} を使えません（{error}）",
        ),
        (
            r"^input overflow: the sound system dropped audio$",
            "音声の取りこぼし（サウンドシステムが音声を捨てました）",
        ),
        (
            r"^cannot open the microphone: (?P<choice>.+) is not connected"
            r" \(inputs seen: (?P<seen>.*)\)$",
            "マイクを開けません。{choice}が接続されていません（見つかった入力：{seen}）",
        ),
        (r"^cannot open the microphone: (?P<error>.*)$", "マイクを開けません（{error}）"),
        (r"^cannot write the recording: (?P<error>.*)$", "録音を書き込めません（{error}）"),
        (
            r"^the sound system stopped the stream from (?P<device>.*)$",
            "マイク「{device}」からの録音がサウンドシステムによって止められました",
        ),
        (
            r"^no audio from (?P<device>.*) within (?P<seconds>[\d.]+) s of opening it$",
            "マイク「{device}」を開いてから{seconds}秒たっても音声が届きません",
        ),
        (
            r"^no audio from (?P<device>.*) for (?P<seconds>[\d.]+) s$",
            "マイク「{device}」から{seconds}秒間、音声が届いていません",
        ),
        (
            r"^(?P<device>.*) delivered (?P<received>\d+) of (?P<expected>\d+) expected frames$",
            "マイク「{device}」からの音声が足りません（{expected}フレーム中{received}）",
        ),
        (
            r"^only digital silence from (?P<device>.*) for (?P<seconds>[\d.]+) s"
            r" \(unplugged or muted\?\)$",
            "マイク「{device}」から{seconds}秒間まったくの無音です（外れたか、ミュートの可能性）",
        ),
        (
            r"^the recorder failed unexpectedly: (?P<error>.*)$",
            "録音の処理で予期しないエラーが起きました（{error}）",
        ),
        (
            r"^the recorder did not finish in time; the audio on disk is kept as it is$",
            "録音の終了処理が時間内に終わりませんでした（録音ファイルはそのまま残します）",
        ),
    )
)


_WINDOWS_MIC_ACCESS = (
    "Windows の「設定」>「プライバシーとセキュリティ」>「マイク」で「マイクへのアクセス」と"
    "「デスクトップ アプリがマイクにアクセスできるようにする」がオンか確かめてください"
)
"""On Windows the privacy switch makes a microphone silent or unopenable for desktop apps."""

_MIC_PROBLEMS = re.compile(r"^(no microphone|cannot open the microphone|only digital silence)")

_UNNAMED_DEVICE = "the microphone"
"""What the recorder calls a stream whose device has no label."""


def recorder_words(detail: str, tr: Translator, platform: str = sys.platform) -> str:
    """`detail` as the desk shows and journals it: re-worded in Japanese, as said in English;
    on Windows a microphone problem also says where the privacy switch is."""
    words = _reworded(detail, tr)
    if platform == "win32" and _MIC_PROBLEMS.match(detail):
        hint = _WINDOWS_MIC_ACCESS if tr.lang == "ja" else WINDOWS_MIC_ACCESS
        return f"{words}。{hint}" if tr.lang == "ja" else f"{words} ({hint})"
    return words


def _reworded(detail: str, tr: Translator) -> str:
    if tr.lang != "ja" or not detail:
        return detail
    for pattern, words in _REASONS:
        match = pattern.match(detail)
        if match is not None:
            values = match.groupdict()
            if "choice" in values:
                values["choice"] = _choice(values["choice"])
            if values.get("seen") == "none":
                values["seen"] = "なし"
            if values.get("device") == _UNNAMED_DEVICE:
                values["device"] = "マイク"
            return words.format(**values).replace("マイク「マイク」", "マイク")
    return detail


def _choice(choice: str) -> str:
    for pattern, words in _CHOICES:
        match = pattern.match(choice)
        if match is not None:
            api = match.group("api")
            values = {**match.groupdict(), "api": f"（{api}）" if api else ""}
            return words.format(**values)
    return choice
