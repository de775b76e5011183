"""The dialog for one DICOM modality: name, AET, address, port, the commands it may use and the
kinds of objects it may store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Checkbox, Input

from wizard.orthanc.sop_classes import parse_text
from wizard.tui import describe
from wizard.tui.item_screen import ItemScreen
from wizard.tui.widgets.entry import Entry
from wizard.tui.widgets.marks import Box


class ModalityScreen(ItemScreen):
    NOUN = "modality"
    FIELDS = ("name", "aet", "host", "port", "allow", "stores")

    def __init__(self, item: dict | None, check, stores: bool = True) -> None:
        """`stores`: the kinds it may store are offered (Orthanc 1.13.0 and later: before, only refused)."""
        super().__init__(item, check)
        self.stores = stores or "stores" in self.item  # one already given is shown, with its refusal
        if not self.stores:
            self.FIELDS = self.FIELDS[:-1]

    def blank(self) -> dict:
        return {"name": "", "aet": "", "host": "", "port": 104, "allow": ["echo"]}

    def compose_rows(self) -> ComposeResult:
        item = self.item
        yield from self.row("name", "Name", Entry(item["name"], id="name", compact=True, placeholder="e.g. ct1"))
        yield from self.row("aet", "AET", Entry(item["aet"], id="aet", compact=True, placeholder="e.g. CT1"))
        yield from self.row("host", "IP address", Entry(item["host"], id="host", compact=True,
                                                        placeholder="e.g. 10.0.0.10"))
        yield from self.row("port", "Port", Entry(str(item["port"]), id="port", compact=True,
                                                  restrict=r"[0-9]*"))
        allowed = item.get("allow", ["echo"])
        boxes = Grid(*(Box(command, command in allowed, id=f"allow-{command}", compact=True)
                       for command in describe.commands()), id="allow", classes="commands")
        yield from self.row("allow", "May use", boxes)
        if self.stores:
            yield from self.row("stores", "May store", Entry(", ".join(item.get("stores", [])), id="stores",
                                                             compact=True,
                                                             placeholder="any kind; or e.g. CT, MR, CTImageStorage"))

    def collect(self) -> dict:
        text = {key: self.query_one(f"#{key}", Input).value for key in ("name", "aet", "host", "port")}
        port = int(text["port"]) if text["port"].isdigit() else text["port"]
        allow = [c for c in describe.commands() if self.query_one(f"#allow-{c}", Checkbox).value]
        stores = parse_text(self.query_one("#stores", Input).value) if self.stores else []
        return {"name": text["name"], "aet": text["aet"], "host": text["host"], "port": port, "allow": allow,
                **({"stores": stores} if stores else {})}

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.validate()
