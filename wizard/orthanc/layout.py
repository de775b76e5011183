"""How a configuration is laid out at a place in its text: indentation and key separators.

Files mix styles (the top level indented by 4 and nesting by 2, tabs, `"Key" : value` beside
`"Key": value`), so text inserted somewhere follows what surrounds that place, not one style
taken from the top of the file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from wizard.orthanc.document import Document, Node

DEFAULT_UNIT, DEFAULT_COLON = "  ", ": "
# A line that starts with a comment: its indentation is where the commented-out entries sit.
_COMMENT_LINE = re.compile(r"^([ \t]*)(?://|/\*)", re.MULTILINE)


class Layout:
    def __init__(self, doc: Document):
        self.text, self.root = doc.text, doc.root
        self._parents: dict[int, Node] | None = None
        self._file_unit: str | None = None
        self._units: dict[int, str] = {}  # by id(node): a file may get many insertions in one place
        self._colons: dict[int, str] = {}

    def indent_of(self, pos: int) -> str:
        """The blanks that start the line holding `pos`."""
        line = self.text.rfind("\n", 0, pos) + 1
        end = line
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return self.text[line:end]

    def first_on_line(self, pos: int) -> bool:
        line = self.text.rfind("\n", 0, pos) + 1
        return not self.text[line:pos].strip(" \t")

    def child_indent(self, container: Node, sibling: int | None) -> str:
        """Where a new member or item starts: beside its siblings when they are on their own lines,
        beside the comments of an empty container (Debian's DicomModalities), else one unit in."""
        if sibling is not None and self.first_on_line(sibling):
            if len(set(self._sibling_steps(container))) <= 1:
                return self.indent_of(sibling)
            # Siblings disagree (a block hand-edited to 5 spaces in a 4-space file): the enclosing
            # object's own step, not whichever sibling happens to be last.
            return self.indent_of(container.start) + self._agreed_step(container)
        if sibling is None:
            comments = _COMMENT_LINE.findall(self.text, container.start + 1, container.end - 1)
            if comments:
                return comments[-1]
        return self.indent_of(container.start) + self.unit(container)

    def unit(self, node: Node) -> str:
        """The nesting step near node: a child's indentation minus its container's, from the nearest
        container whose children are on their own lines. The top level is asked last: its
        indentation is often not the step the file nests by (4 at the top, 2 below)."""
        if id(node) not in self._units:
            near = (self._step(c) for c in self._near(node) if c is not self.root)
            self._units[id(node)] = next(filter(None, near), None) or self._whole_file_unit()
        return self._units[id(node)]

    def _whole_file_unit(self) -> str:
        if self._file_unit is None:
            steps = (self._step(c) for c in _containers(self.root) if c is not self.root)
            self._file_unit = next(filter(None, steps), None) or self._step(self.root) or DEFAULT_UNIT
        return self._file_unit

    def colon(self, node: Node) -> str:
        """The key separator of the nearest object that has one made of blanks around ':'."""
        if id(node) not in self._colons:
            near = (self._separator(c) for c in self._near(node))
            self._colons[id(node)] = next(filter(None, near), None) or next(
                filter(None, map(self._separator, _containers(self.root))), DEFAULT_COLON)
        return self._colons[id(node)]

    def _near(self, node: Node) -> Iterator[Node]:
        """node, the containers it holds (the last first: nearest the end, where text is added),
        then its ancestors from the nearest."""
        yield node
        yield from (child for child in reversed(_children(node)) if _children(child))
        parent = self._parent(node)
        while parent is not None:
            yield parent
            parent = self._parent(parent)

    def _parent(self, node: Node) -> Node | None:
        if self._parents is None:
            self._parents = {id(child): c for c in _containers(self.root) for child in _children(c)}
        return self._parents.get(id(node))

    def _step(self, container: Node) -> str | None:
        base = self.indent_of(container.start)
        for start in _starts(container):
            if self.first_on_line(start):
                indent = self.indent_of(start)
                return indent[len(base):] if indent.startswith(base) and len(indent) > len(base) else None
        return None

    def _sibling_steps(self, container: Node) -> list[str | None]:
        """Each child's indentation beyond its container's (None: not deeper), for children on their own lines."""
        base = self.indent_of(container.start)
        indents = (self.indent_of(start) for start in _starts(container) if self.first_on_line(start))
        return [i[len(base):] if i.startswith(base) and len(i) > len(base) else None for i in indents]

    def _agreed_step(self, container: Node) -> str:
        """The step most of the container's children take; on a tie, the one most children of the
        whole file take (a 4-space file with one 5-space block: 4)."""
        ranked = Counter(filter(None, self._sibling_steps(container))).most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        whole = Counter(step for c in _containers(self.root) for step in self._sibling_steps(c) if step)
        tied = {step for step, count in ranked if count == ranked[0][1]} if ranked else set()
        for step, _ in whole.most_common():
            if not tied or step in tied:
                return step
        return self._whole_file_unit()

    def _separator(self, container: Node) -> str | None:
        for member in container.members or ():
            between = self.text[member.key_end:member.node.start]
            if between.strip() == ":" and "\n" not in between:
                return between
        return None


def _children(node: Node) -> list[Node]:
    if node.members is not None:
        return [m.node for m in node.members]
    return node.items or []


def _starts(container: Node) -> list[int]:
    if container.members is not None:
        return [m.key_start for m in container.members]
    return [item.start for item in container.items or ()]


def _containers(root: Node) -> Iterator[Node]:
    """Every object and array, in text order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.members is not None or node.items is not None:
            yield node
            stack.extend(reversed(_children(node)))
