"""Minimal text edits on a parsed configuration: every byte not edited stays as it was."""

from __future__ import annotations

import json
import re

from wizard.orthanc.document import SKIP, Document, Member, Node

_REST_OF_LINE = re.compile(r"[ \t]*(?://[^\n]*)?\r?\n?")


class Editor:
    """Collects replacements on one document's text and applies them together."""

    def __init__(self, doc: Document):
        self.doc, self.text = doc, doc.text
        self.edits: list[tuple[int, int, str]] = []
        self.newline = doc.newline
        self.unit, self.colon = _style(doc)

    def result(self) -> str:
        """The text with every edit applied (and the byte order mark it had)."""
        out, pos = [], 0
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1])):
            assert start >= pos, "overlapping edits"
            out += [self.text[pos:start], text]
            pos = end
        out.append(self.text[pos:])
        return ("\ufeff" if self.doc.bom else "") + "".join(out)

    def replace(self, node: Node, value) -> None:
        self.edits.append((node.start, node.end, self.render(value, self.indent_of(node.start))))

    def add_members(self, obj: Node, pairs: list[tuple[str, object]]) -> None:
        """Add keys at the end of an object, on their own lines when the object spans lines."""
        if not pairs:
            return
        last = obj.members[-1] if obj.members else None
        child = self._child_indent(obj, last.key_start if last else None)
        colon = _separator(self.text, obj.members[0]) if obj.members else None
        entries = [f"{json.dumps(k, ensure_ascii=False)}{colon or self.colon}{self.render(v, child)}"
                   for k, v in pairs]
        self._insert(obj, entries, child, last.node if last else None, last.comma if last else -1)

    def append_items(self, array: Node, values: list) -> None:
        if not values:
            return
        last = array.items[-1] if array.items else None
        child = self._child_indent(array, last.start if last else None)
        entries = [self.render(v, child) for v in values]
        comma = self._comma_after(last) if last else -1
        self._insert(array, entries, child, last, comma)

    def remove_members(self, obj: Node, gone: list[Member]) -> None:
        """Remove members with their own lines; when the last one goes, the comma before it goes too."""
        for member in gone:
            start = member.key_start
            if self._first_on_line(start):
                start = self.text.rfind("\n", 0, start) + 1
            end = member.comma + 1 if member.comma >= 0 else member.node.end
            rest = _REST_OF_LINE.match(self.text, end)
            if rest.group().endswith("\n") and self._first_on_line(member.key_start):
                end = rest.end()
            self.edits.append((start, end, ""))
        removed = {id(m) for m in gone}
        kept = [m for m in obj.members if id(m) not in removed]
        if kept and id(obj.members[-1]) in removed and kept[-1].comma >= 0:
            self.edits.append((kept[-1].comma, kept[-1].comma + 1, ""))

    def render(self, value, indent: str) -> str:
        """JSON for a value whose first line starts at `indent`, in the file's own style."""
        nl, inner = self.newline, indent + self.unit
        if isinstance(value, dict) and value:
            lines = [f"{inner}{json.dumps(k, ensure_ascii=False)}{self.colon}{self.render(v, inner)}"
                     for k, v in value.items()]
            return "{" + nl + ("," + nl).join(lines) + nl + indent + "}"
        if isinstance(value, list) and any(isinstance(v, (dict, list)) and v for v in value):
            lines = [inner + self.render(v, inner) for v in value]
            return "[" + nl + ("," + nl).join(lines) + nl + indent + "]"
        return json.dumps(value, ensure_ascii=False)

    def indent_of(self, pos: int) -> str:
        """The blanks that start the line holding `pos`."""
        line = self.text.rfind("\n", 0, pos) + 1
        end = line
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return self.text[line:end]

    def _first_on_line(self, pos: int) -> bool:
        line = self.text.rfind("\n", 0, pos) + 1
        return not self.text[line:pos].strip(" \t")

    def _child_indent(self, container: Node, sibling: int | None) -> str:
        if sibling is not None and self._first_on_line(sibling):
            return self.indent_of(sibling)
        return self.indent_of(container.start) + self.unit

    def _comma_after(self, node: Node) -> int:
        """The comma following an array's last item, if any (trailing commas pass in jsoncpp)."""
        after = SKIP.match(self.text, node.end).end()
        return after if self.text.startswith(",", after) else -1

    def _insert(self, container: Node, entries: list[str], child: str, last: Node | None, comma: int) -> None:
        """Entries after the last member or item (`comma`: the one after it, or -1)."""
        close = container.end - 1
        nl = self.newline
        if self._first_on_line(close) and self.text.rfind("\n", 0, close) > container.start:
            # Own lines just above the closing bracket, after any comment that ends the block.
            line = self.text.rfind("\n", 0, close) + 1
            self.edits.append((line, line, "".join(f"{child}{e}{',' if i < len(entries) - 1 else ''}{nl}"
                                                   for i, e in enumerate(entries))))
            if last is not None and comma < 0:
                self.edits.append((last.end, last.end, ","))
        elif last is not None:
            at = comma + 1 if comma >= 0 else last.end
            self.edits.append((at, at, ("" if comma >= 0 else ",") + " " + ", ".join(entries)))
        else:
            indent = self.indent_of(container.start)
            self.edits.append((close, close, nl + ("," + nl).join(child + e for e in entries) + nl + indent))


def _style(doc: Document) -> tuple[str, str]:
    """The indentation unit and the key separator of the file (`"Key" : value` in Debian's)."""
    members = doc.root.members
    if not members:
        return "  ", ": "
    first, text = members[0], doc.text
    unit = text[text.rfind("\n", 0, first.key_start) + 1:first.key_start]
    if not unit or unit.strip(" \t"):
        unit = "  "
    return unit, _separator(text, first) or ": "


def _separator(text: str, member: Member) -> str | None:
    """What separates a key from its value, when it is only blanks around the colon."""
    between = text[member.key_end:member.node.start]
    return between if between.strip() == ":" and "\n" not in between else None
