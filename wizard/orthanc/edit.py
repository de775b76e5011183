"""Minimal text edits on a parsed configuration: every byte not edited stays as it was."""

from __future__ import annotations

import json
import re

from wizard.orthanc.document import SKIP, Document, Member, Node
from wizard.orthanc.layout import Layout

_REST_OF_LINE = re.compile(r"[ \t]*(?://[^\n]*)?\r?\n?")


class Editor:
    """Collects replacements on one document's text and applies them together."""

    def __init__(self, doc: Document):
        self.doc, self.text = doc, doc.text
        self.edits: list[tuple[int, int, str]] = []
        self.newline = doc.newline
        self.layout = Layout(doc)

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
        self.edits.append((node.start, node.end, self.render(value, self.layout.indent_of(node.start), node)))

    def add_members(self, obj: Node, pairs: list[tuple[str, object]]) -> None:
        """Add keys at the end of an object, on their own lines when the object spans lines."""
        if not pairs:
            return
        last = obj.members[-1] if obj.members else None
        colon = self.layout.colon(obj)
        entries = [(json.dumps(k, ensure_ascii=False) + colon, v) for k, v in pairs]
        self._insert(obj, entries, last.key_start if last else None, last.node if last else None,
                     last.comma if last else -1)

    def append_items(self, array: Node, values: list) -> None:
        if not values:
            return
        last = array.items[-1] if array.items else None
        comma = self._comma_after(last) if last else -1
        self._insert(array, [("", v) for v in values], last.start if last else None, last, comma)

    def remove_members(self, obj: Node, gone: list[Member]) -> None:
        """Remove members with their own lines; when the last one goes, the comma before it goes too."""
        for member in gone:
            start = member.key_start
            if self.layout.first_on_line(start):
                start = self.text.rfind("\n", 0, start) + 1
            end = member.comma + 1 if member.comma >= 0 else member.node.end
            rest = _REST_OF_LINE.match(self.text, end)
            if rest.group().endswith("\n") and self.layout.first_on_line(member.key_start):
                end = rest.end()
            self.edits.append((start, end, ""))
        removed = {id(m) for m in gone}
        kept = [m for m in obj.members if id(m) not in removed]
        if kept and id(obj.members[-1]) in removed and kept[-1].comma >= 0:
            self.edits.append((kept[-1].comma, kept[-1].comma + 1, ""))

    def render(self, value, indent: str, near: Node) -> str:
        """JSON for a value whose first line starts at `indent`, nested and separated as the text
        near `near` is."""
        return _render(value, indent, self.layout.unit(near), self.layout.colon(near), self.newline)

    def _comma_after(self, node: Node) -> int:
        """The comma following an array's last item, if any (trailing commas pass in jsoncpp)."""
        after = SKIP.match(self.text, node.end).end()
        return after if self.text.startswith(",", after) else -1

    def _insert(self, container: Node, entries: list[tuple[str, object]], sibling: int | None,
                last: Node | None, comma: int) -> None:
        """Entries (key and separator, value) after the last member or item (`sibling`: where it
        starts; `comma`: the one after it, or -1)."""
        close, nl = container.end - 1, self.newline
        own_lines = self.layout.first_on_line(close) and self.text.rfind("\n", 0, close) > container.start
        if last is not None and not own_lines:
            # On the line of the closing bracket, after the siblings: one line, as they are.
            colon = self.layout.colon(container)
            text = ", ".join(p + json.dumps(v, ensure_ascii=False, separators=(", ", colon)) for p, v in entries)
            at = comma + 1 if comma >= 0 else last.end
            self.edits.append((at, at, ("" if comma >= 0 else ",") + " " + text))
            return
        child = self.layout.child_indent(container, sibling)
        lines = [child + p + self.render(v, child, container) for p, v in entries]
        if own_lines:
            # Own lines just above the closing bracket, after any comment that ends the block.
            line = self.text.rfind("\n", 0, close) + 1
            self.edits.append((line, line, ("," + nl).join(lines) + nl))
            if last is not None and comma < 0:
                self.edits.append((last.end, last.end, ","))
        else:
            indent = self.layout.indent_of(container.start)
            self.edits.append((close, close, nl + ("," + nl).join(lines) + nl + indent))


def _render(value, indent: str, unit: str, colon: str, nl: str) -> str:
    inner = indent + unit
    if isinstance(value, dict) and value:
        lines = [f"{inner}{json.dumps(k, ensure_ascii=False)}{colon}{_render(v, inner, unit, colon, nl)}"
                 for k, v in value.items()]
        return "{" + nl + ("," + nl).join(lines) + nl + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) and v for v in value):
        lines = [inner + _render(v, inner, unit, colon, nl) for v in value]
        return "[" + nl + ("," + nl).join(lines) + nl + indent + "]"
    return json.dumps(value, ensure_ascii=False)
