"""Key bindings in the interface language, with ids so an office can remap them.

Textual reads `BINDINGS` once per class, but the language is chosen when the app starts. So the
`BINDINGS` of our screens carry catalog keys as descriptions and tooltips (``key.next``,
``key.next.tip``) and each screen translates its bindings when it is created.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from kasuhara_timer.i18n import Translator


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
    """Translate `node`'s bindings in place and add `extra` ones (built at run time).

    Textual offers no public setter for a node's bindings; `_bindings` is the map it reads.
    """
    bindings = [translate(binding, tr) for _key, binding in node._bindings]
    node._bindings = BindingsMap([*bindings, *extra])
