"""The footer: the keys that work here, drawn as one line of text.

Textual's Footer recomposes one widget per key at every focus change, which measured ~100 ms
per topic switch here; this bar updates one line instead.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.show_keys)
        self.show_keys(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show_keys(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        text, seen = Text(no_wrap=True, overflow="crop"), set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            text.append(f" {self.app.get_key_display(binding)} ", style="bold" if enabled else "dim")
            text.append(f"{binding.description} ", style="" if enabled else "dim")
        self.update(text)
