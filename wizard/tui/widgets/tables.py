"""The list questions (users, modalities, peers): a table, and a dialog to add or edit one item."""

from __future__ import annotations

import copy
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from wizard.topics.base import Question
from wizard.tui import describe
from wizard.tui.confirm_screen import removing
from wizard.tui.messages import Answered, Provided
from wizard.tui.modality_screen import ModalityScreen
from wizard.tui.peer_screen import PeerScreen
from wizard.tui.user_screen import UserScreen
from wizard.tui.widgets.fields import Field

Check = Callable[[int | None, dict, dict[str, str]], dict[str, list[str]]]


class ListField(Field):
    """Items in a table: `a` adds, Enter edits, Delete removes; each change is one Answered."""

    COLUMNS: tuple[str, ...] = ()
    NOUN = "item"
    BINDINGS = [Binding("a", "add", "Add"), Binding("enter", "edit", "Edit", show=True),
                Binding("delete", "remove", "Remove")]

    def __init__(self, question: Question, value, text: str, check: Check) -> None:
        super().__init__(question, copy.deepcopy(value), text)
        self.check = check

    def compose(self) -> ComposeResult:
        yield Label(self.question.title, classes="field-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="control items")
        yield Static("", classes="items-empty")
        with Horizontal(classes="items-buttons"):
            yield Button(f"Add {self.NOUN}", compact=True, classes="add")
            yield Button("Edit", compact=True, classes="edit")
            yield Button("Remove", compact=True, classes="remove")
        yield Static("", classes="field-problems", markup=False)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.COLUMNS)
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.value:
            table.add_row(*self.row(item))
        table.display = bool(self.value)
        self.query_one(".items-empty", Static).update(f"No {self.NOUN} yet: press a to add one.")
        self.query_one(".items-empty").display = not self.value
        if self.value:
            table.move_cursor(row=min(row, len(self.value) - 1))

    def row(self, item: dict) -> tuple[str, ...]:
        raise NotImplementedError

    def dialog(self, item: dict | None, check: Callable[[dict, dict[str, str]], dict[str, list[str]]]):
        raise NotImplementedError

    def selected(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.value else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = next(name for name in ("add", "edit", "remove") if name in event.button.classes)
        getattr(self, f"action_{action}")()

    def action_add(self) -> None:
        self._open(None)

    def action_edit(self) -> None:
        if (index := self.selected()) is not None:
            self._open(index)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.cursor_row)

    def action_remove(self) -> None:
        """Asks first: the row goes with every answer it holds (a typed password, permissions)."""
        if (index := self.selected()) is None or isinstance(self.app.screen, ModalScreen):
            return
        self.app.push_screen(removing(self.NOUN, self.value[index]["name"]),
                             lambda yes: self._remove(index) if yes else None)

    def _remove(self, index: int) -> None:
        del self.value[index]
        self._changed()

    def _open(self, index: int | None) -> None:
        if isinstance(self.app.screen, ModalScreen):  # a key pressed twice: one dialog is enough
            return
        item = None if index is None else self.value[index]
        dialog = self.dialog(item, lambda candidate, provided: self.check(index, candidate, provided))
        self.app.push_screen(dialog, lambda saved: self._saved(index, saved, dialog.given))

    def _saved(self, index: int | None, item: dict | None, given: dict[str, str]) -> None:
        if item is None:
            return
        for name, value in given.items():  # before the answer, which needs them
            self.post_message(Provided(name, value))
        if index is None:
            self.value.append(item)
        else:
            self.value[index] = item
        self._changed()
        self.query_one(DataTable).move_cursor(row=len(self.value) - 1 if index is None else index)

    def _changed(self) -> None:
        self.fill()
        self.post_message(Answered(self.question.id, copy.deepcopy(self.value)))
        self.query_one(DataTable if self.value else ".add").focus()


class UsersField(ListField):
    COLUMNS = ("Name", "Role", "From", "Password")
    NOUN = "user"

    def row(self, item: dict) -> tuple[str, ...]:
        return (item["name"], item["role"], describe.networks(item.get("from", [])),
                describe.password(item.get("password", {"generate": True})))

    def dialog(self, item, check):
        return UserScreen(item, check)


class ModalitiesField(ListField):
    COLUMNS = ("Name", "AET", "Host", "Port", "Allowed")
    NOUN = "modality"

    def row(self, item: dict) -> tuple[str, ...]:
        return (item["name"], item["aet"], item["host"], str(item["port"]),
                ", ".join(item.get("allow", ["echo"])) or "nothing")

    def dialog(self, item, check):
        return ModalityScreen(item, check, describe.stores_offered(self.screen.flow.answers))


class PeersField(ListField):
    COLUMNS = ("Name", "URL", "User", "Password")
    NOUN = "peer"

    def row(self, item: dict) -> tuple[str, ...]:
        password = describe.password(item["password"]) if "password" in item else "-"
        return item["name"], item["url"], item.get("username", "-"), password

    def dialog(self, item, check):
        return PeerScreen(item, check)
