"""Text that wraps Japanese at phrase boundaries (see `ui.wrap`), for lines read aloud."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kasuhara_timer.safetext import terminal_safe
from kasuhara_timer.ui.wrap import wrap


class PhraseText(Widget):
    """Plain text (never markup) wrapped to the widget's width by phrase; style it with CSS."""

    DEFAULT_CSS = """
    PhraseText {
        height: auto;
        width: 1fr;
    }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(
        self, text: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(PhraseText.text, terminal_safe(text, newlines=True))

    def update(self, text: str) -> None:
        """Show `text` (its control characters made visible: it may come from the data folder).

        Text as many lines high as the text it replaces is only repainted: laying the whole
        screen out again for a counter that moves (a progress line) is most of its cost."""
        safe = terminal_safe(text, newlines=True)
        width = self.content_size.width
        if safe == self.text:
            return
        if width and self.text and len(wrap(safe, width)) == len(wrap(self.text, width)):
            self.set_reactive(PhraseText.text, safe)
            self.refresh()
            return
        self.text = safe

    def render(self) -> Content:
        return Content("\n".join(wrap(self.text, self.content_size.width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width)) if self.text else 0
