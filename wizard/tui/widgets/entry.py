"""A text input whose editing keys act in the order they are typed.

Textual's Input inserts a printable key itself, but lets every other key (Backspace, Delete,
Ctrl+U, the arrows, Enter) bubble up to the app, which then runs the input's binding. Keys that
arrive in one burst (a fast typist, a paste of keystrokes, tmux send-keys) were so applied out of
order: with the text selected, "Backspace 8 0 4 3" gave 804, the Backspace run after the digits.
Here the input runs its own bindings as the keys come, in its own queue.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class Entry(Input):
    async def _on_key(self, event: events.Key) -> None:
        bindings = [] if event.is_printable else self._bindings.key_to_bindings.get(event.key, [])
        if bindings:
            event.stop()
            event.prevent_default()
            self._restart_blink()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)
