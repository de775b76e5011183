"""The dialog for one user: name, role, the networks it may come from, and its password."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet

from wizard import password_checks
from wizard.flow import parse_networks
from wizard.tui import describe
from wizard.tui.item_screen import ItemScreen
from wizard.tui.widgets.fields import Choices
from wizard.tui.widgets.password import PasswordInput
from wizard.tui.widgets.entry import Entry
from wizard.tui.widgets.marks import Radio


class UserScreen(ItemScreen):
    NOUN = "user"
    FIELDS = ("name", "role", "from", "password")

    def blank(self) -> dict:
        return {"name": "", "role": "read-only", "password": {"generate": True}, "from": []}

    def compose_rows(self) -> ComposeResult:
        spec = self.item.get("password", {"generate": True})
        modes = describe.USER_PASSWORD_MODES + (("keep",) if describe.password_mode(spec) == "keep" else ())
        roles = Choices(*(Radio(role, value=role == self.item["role"]) for role in describe.roles()),
                        compact=True, id="role", classes="inline")
        yield from self.row("name", "Name", Entry(self.item["name"], id="name", compact=True))
        yield from self.row("role", "Role", roles)
        yield from self.row("from", "From networks", Entry(
            ", ".join(self.item.get("from", [])), id="from", compact=True, placeholder="empty: any; e.g. 10.0.0.0/8"))
        yield from self.row("password", "Password", PasswordInput(spec, modes, id="password", rate=self.strength))

    def collect(self) -> dict:
        role = self.query_one("#role", RadioSet).pressed_index
        return {"name": self.query_one("#name", Input).value, "role": describe.roles()[max(role, 0)],
                "password": self.query_one(PasswordInput).spec,  # the schema's order, as a profile has it
                "from": parse_networks(self.query_one("#from", Input).value)}

    def strength(self, password: str) -> str:
        """What is said below a typed password that is taken (a refused one says why above)."""
        rating = password_checks.rate(self.query_one("#name", Input).value, password)
        return "" if rating.refused else f"✓ {rating.said}"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.validate()
