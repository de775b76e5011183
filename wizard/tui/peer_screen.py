"""The dialog for one Orthanc peer: name, URL, and the login it expects, if any."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet

from wizard.tui import describe
from wizard.tui.item_screen import ItemScreen
from wizard.tui.widgets.password import PasswordInput
from wizard.tui.widgets.entry import Entry

MODES = describe.PEER_PASSWORD_MODES  # the order --plain offers too


class PeerScreen(ItemScreen):
    NOUN = "peer"
    FIELDS = ("name", "url", "username", "password")

    def blank(self) -> dict:
        return {"name": "", "url": "https://"}

    def compose_rows(self) -> ComposeResult:
        item = self.item
        spec = item.get("password", {"env": ""})
        modes = MODES + (("keep",) if isinstance(spec, dict) and spec.get("keep") else ())
        yield from self.row("name", "Name", Entry(item["name"], id="name", compact=True, placeholder="e.g. backup"))
        yield from self.row("url", "URL", Entry(item["url"], id="url", compact=True))
        yield from self.row("username", "User", Entry(item.get("username", ""), id="username", compact=True,
                                                      placeholder="empty: no login"))
        yield from self.row("password", "Password", PasswordInput(spec, modes, id="password"))

    def on_mount(self) -> None:
        super().on_mount()
        self._show_password()

    def collect(self) -> dict:
        item = {"name": self.query_one("#name", Input).value, "url": self.query_one("#url", Input).value}
        if username := self.query_one("#username", Input).value:
            item.update(username=username, password=self.query_one(PasswordInput).spec)
        return item

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        self._show_password()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.validate()

    def _show_password(self) -> None:
        shown = bool(self.query_one("#username", Input).value)
        self.query_one(PasswordInput).parent.display = shown  # the whole row
