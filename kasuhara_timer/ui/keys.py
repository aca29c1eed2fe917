"""Key bindings in the interface language, with ids so an office can remap them, and keys that
work with the Japanese IME on.

Textual reads `BINDINGS` once per class, but the language is chosen when the app starts. So the
`BINDINGS` of our screens carry catalog keys as descriptions and tooltips (``key.next``,
``key.next.tip``) and each screen translates its bindings when it is created.

The IME is on at a Japanese desk most of the time. Then a key reaches the app only when the IME
commits it (Enter), and as what the IME made of it: 「１」 for 1, 「ｎ」 for n, 「え」 for e. So
`ImeKeys` turns every such character back into the ASCII key it was typed as before any binding
looks at it (not in a text field: there the IME's text is what the clerk means, except for
the keys of a `KeyedInput`, such as the idle screen's 1/2/3 that start a session whatever has
focus), and says once 「日本語入力がオンです」. It knows nothing of the bindings, so it works
for whatever keys a screen has. For keys the IME never touches, `IME_FREE_KEYS` gives the
desk's one-key actions a second, hidden key (function keys other than F1 and F11, Ctrl
combinations); an office changes them with the ``<id>.alt`` binding ids in config.toml's
[keymap].
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, ClassVar

from textual import events
from textual.app import App, ReturnType
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.widgets import Input, TextArea

from kasuhara_timer.i18n import Translator

IME_FREE_KEYS: Mapping[str, str] = {
    "desk.start_phone": "f2",
    "desk.start_counter": "f3",
    "desk.start_other": "f4",
    "desk.next": "ctrl+n",
    "desk.immediate": "ctrl+x",
    "desk.note": "ctrl+l",
    "desk.tag_picker": "ctrl+t",
    "desk.end": "ctrl+e",
    "desk.recording_pause": "ctrl+r",
    "desk.recording_resume": "ctrl+r",
    "desk.help": "ctrl+g",
    "desk.join": "ctrl+y",
    "desk.handover": "ctrl+o",
    "desk.contacts": "f6",
    "desk.guidance": "f7",
}
"""The desk's keymap of IME-free alternatives: binding id → a second key (hidden in the footer).

Not F1 (help in many terminals) nor F11 (Windows Terminal's full screen), nor Ctrl+H/J/M/I/[
(the terminal sends them as Backspace, Enter, Tab and Escape). In the note field Ctrl+E, Ctrl+X
and Ctrl+L keep the field's own meaning; Escape leaves the field first."""

_KANA_KEYS = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o", "ん": "n",
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "ン": "n",
    "ｱ": "a", "ｲ": "i", "ｳ": "u", "ｴ": "e", "ｵ": "o", "ﾝ": "n",
    "ー": "-", "ｰ": "-", "。": ".", "｡": ".", "、": ",", "､": ",", "・": "/", "･": "/",
    "「": "[", "」": "]", "｢": "[", "｣": "]", "￥": "\\", "〜": "~", "”": '"', "’": "'",
    "\u3000": " ",
}  # fmt: skip
"""What a romaji IME makes of one key on its own: a vowel or n as kana, punctuation as its
Japanese form. Consonants stay letters (full-width, which `ime_ascii` folds)."""


def translate(binding: Binding, tr: Translator) -> Binding:
    """`binding` with a catalog-key description and tooltip put into words."""
    return replace(
        binding,
        description=tr(binding.description)
        if binding.description.startswith("key.")
        else binding.description,
        tooltip=tr(binding.tooltip) if binding.tooltip.startswith("key.") else binding.tooltip,
    )


def localize(node: DOMNode, tr: Translator, extra: Iterable[Binding] = ()) -> None:
    """Translate `node`'s bindings in place and add `extra` ones (built at run time), and the
    IME-free second keys of `IME_FREE_KEYS`.

    Textual offers no public setter for a node's bindings; `_bindings` is the map it reads.
    """
    bindings = [translate(binding, tr) for _key, binding in node._bindings]
    bindings += extra
    node._bindings = BindingsMap([*bindings, *ime_free_bindings(bindings)])


def ime_ascii(character: str | None) -> str | None:
    """The ASCII character a full-width or IME-made `character` was typed as; None when it is
    ASCII already or not a key's character (a kanji, a control key)."""
    if character is None or len(character) != 1 or character.isascii():
        return None
    if character in _KANA_KEYS:
        return _KANA_KEYS[character]
    if "\uff01" <= character <= "\uff5e":  # full-width ASCII: ！ … ～, digits and letters
        return chr(ord(character) - 0xFEE0)
    return None


def key_character(key: str) -> str | None:
    """The character of a key named after it ("fullwidth_question_mark" → "？"), else None;
    Textual names keys so, and some drivers send them without their character."""
    if len(key) == 1:
        return key
    try:
        return unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return None


def ascii_key(character: str) -> str:
    """Textual's key name of an ASCII character: "n", "1", "question_mark", "space"."""
    if character.isalnum():
        return character
    if character == " ":
        return "space"
    return unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")


def ime_free_bindings(
    bindings: Iterable[Binding], keymap: Mapping[str, str] = IME_FREE_KEYS
) -> list[Binding]:
    """A hidden second binding (id ``<id>.alt``) for each of `bindings` named in `keymap`."""
    return [
        replace(binding, key=keymap[binding.id], show=False, id=f"{binding.id}.alt")
        for binding in bindings
        if binding.id is not None and binding.id in keymap
    ]


class ImeKeys(App[ReturnType]):
    """An app whose keys work with the IME on: see the module's docstring.

    `ime_words` says the hint in the app's language (set it in `__init__`).
    """

    ime_words: Translator = Translator()
    ime_on: bool = False
    """The last typed character came through the IME (the hint has been shown)."""

    IME_HINT_SECONDS: ClassVar[float] = 8

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            event = self._through_ime(event)
        await super().on_event(event)

    def _through_ime(self, event: events.Key) -> events.Key:
        ascii_character = ime_ascii(event.character or key_character(event.key))
        focused = self.focused
        if isinstance(focused, Input | TextArea):
            keys = focused.keys if isinstance(focused, KeyedInput) else frozenset()
            if ascii_character is None or ascii_character not in keys:
                return event  # text: the IME's Japanese is what is meant
        elif ascii_character is None:
            if event.character is not None and event.character.isascii() and event.is_printable:
                self.ime_on = False  # typed directly: the IME is off now
            return event
        if not self.ime_on:
            self.ime_on = True
            self.notify(self.ime_words("ime.on"), timeout=self.IME_HINT_SECONDS)
        translated = events.Key(ascii_key(ascii_character), ascii_character)
        translated.set_sender(self)
        return translated


class KeyedInput(Input):
    """A text field in which a few characters are the screen's keys, never text: typed directly
    or committed by the IME (「１」 for 1), they reach the screen's (priority) bindings.

    Textual drops an ancestor's binding for any key a focused Input may consume, priority or
    not, so the field itself must say it leaves these keys alone.
    """

    def __init__(self, *args: Any, keys: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = frozenset(keys)
        """The ASCII characters that act as keys here."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character is not None and (ime_ascii(character) or character) in self.keys:
            return False
        return super().check_consume_key(key, character)
