"""Surgical edits of a YAML text: nodes are located by ruamel.yaml's composer (exact spans), and
each edit replaces, removes or inserts whole lines or one node's span, so that every byte not
edited (comments, quoting, indentation, blank lines, other services) stays as it was. ruamel's own
dumper re-flows long lines and normalises indentation: it is never used to write."""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wizard.errors import BadInput, Problem


class YamlText:
    """A YAML text, its node tree, and the edits collected on it (applied together by `result`)."""

    def __init__(self, text: str, file: str):
        self.text, self.file = text, file
        self.edits: list[tuple[int, int, str]] = []
        try:
            self.root = YAML().compose(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            raise BadInput(Problem(file, f"line {mark.line + 1}, column {mark.column + 1}",
                                   f"malformed YAML: {error.problem}")) from None
        except YAMLError as error:
            raise BadInput(Problem(file, "$", f"malformed YAML: {error}")) from None
        self.newline = "\r\n" if "\r\n" in text else "\n"

    # --- finding ---------------------------------------------------------------------------------

    def entry(self, mapping: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
        """The (key, value) nodes of `key` written in `mapping` itself (not through a `<<` merge)."""
        if not isinstance(mapping, MappingNode):
            return None
        found = [pair for pair in mapping.value if isinstance(pair[0], ScalarNode) and pair[0].value == key]
        return found[-1] if found else None

    def get(self, *path) -> Node | None:
        node = self.root
        for part in path:
            if isinstance(part, int):
                node = node.value[part] if isinstance(node, SequenceNode) and part < len(node.value) else None
            else:
                pair = self.entry(node, part)
                node = pair[1] if pair else None
            if node is None:
                return None
        return node

    def service_entry(self, service: str, key: str) -> tuple[ScalarNode, Node] | None:
        """The service's own `key` entry, refused when editing it would change what else reads it:
        a value another part of the file reaches through a YAML alias, or a key the service only
        takes through a `<<:` merge (a key written beside it would hide the whole merged value)."""
        mapping = self.get("services", service)
        where = f"services.{service}.{key}"
        if mapping is None or not isinstance(mapping, MappingNode):
            raise BadInput(Problem(self.file, f"services.{service}", "is not a mapping"))
        pair = self.entry(mapping, key)
        if pair is None:
            if any(k.tag.endswith(":merge") and self._holds(v, key) for k, v in mapping.value):
                raise BadInput(Problem(self.file, where, "comes from a `<<:` merge: write it in the service "
                                                         "itself first"))
            return None
        if self._elsewhere(pair[1], mapping):
            raise BadInput(Problem(self.file, where, "is shared through a YAML anchor with another part of the "
                                                     "file: give the service its own copy first"))
        return pair

    def _holds(self, node: Node, key: str) -> bool:
        nodes = node.value if isinstance(node, SequenceNode) else [node]
        return any(self.entry(n, key) is not None for n in nodes)

    def _elsewhere(self, target: Node, owner: Node) -> bool:
        """Whether `target` is reachable from the document without passing through `owner`."""
        seen: set[int] = set()

        def walk(node: Node) -> bool:
            if node is owner or id(node) in seen:
                return False
            seen.add(id(node))
            if node is target:
                return True
            children = node.value if isinstance(node, SequenceNode) else (
                [part for pair in node.value for part in pair] if isinstance(node, MappingNode) else [])
            return any(walk(child) for child in children)

        return walk(self.root)

    # --- spans -----------------------------------------------------------------------------------

    def content_end(self, node: Node, key: Node | None = None) -> int:
        """Where `node`'s own text ends: a block scalar without its trailing blank lines, a block
        collection at its last value (not at the comments or blanks that follow it)."""
        if isinstance(node, ScalarNode):
            if node.start_mark.index == node.end_mark.index and key is not None:  # `key:` and no value
                return self.text.index(":", key.end_mark.index) + 1
            span = self.text[node.start_mark.index:node.end_mark.index]
            return node.start_mark.index + len(span.rstrip() if node.style in ("|", ">") else span)
        if node.flow_style or not node.value:
            return node.end_mark.index
        if isinstance(node, MappingNode):
            last_key, last_value = node.value[-1]
            return self.content_end(last_value, last_key)
        return self.content_end(node.value[-1])

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """The index after the newline of the line holding `index` (or the text's end)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def indent_at(self, index: int) -> str:
        start = self.line_start(index)
        return re.match(r"[ \t]*", self.text[start:]).group()

    # --- edits -----------------------------------------------------------------------------------

    def replace(self, node: Node, text: str) -> None:
        """The node's text replaced; a block scalar's span is its lines, its last newline included."""
        start, end = node.start_mark.index, node.end_mark.index
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            end = self.line_end(self.content_end(node))
            text += "" if text.endswith("\n") else self.newline
        self.edits.append((start, end, text))

    def remove_lines(self, start: int, end: int) -> None:
        """Remove the whole lines from the one holding `start` to the one holding `end - 1`; lines
        that are only a comment stay, and so does a comment ending the last line (on its own line)."""
        first, last = self.line_start(start), self.line_end(max(start, end - 1))
        kept = []
        for line in self.text[first:last].splitlines(keepends=True):
            if line.strip().startswith("#"):
                kept.append(line)
        tail = self._trailing_comment(max(start, end - 1))
        if tail:
            kept.append(self.indent_at(start) + tail + self.newline)
        self.edits.append((first, last, "".join(kept)))

    def _trailing_comment(self, index: int) -> str | None:
        """A `# comment` after the YAML on the line of `index`, found by the composer's own token."""
        line_text = self.text[self.line_start(index):self.line_end(index)].rstrip("\r\n")
        match = re.search(r"\s#.*$", line_text[index - self.line_start(index):])
        return match.group().strip() if match else None

    def insert(self, index: int, text: str) -> None:
        self.edits.append((index, index, text))

    def result(self) -> str:
        out, pos = [], 0
        for start, end, text in sorted(self.edits, key=_order):
            if start < pos:
                raise AssertionError(f"overlapping YAML edits in {self.file}")
            out += [self.text[pos:start], text]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _order(edit: tuple[int, int, str]) -> tuple:
    """Edits in text order; lines inserted at one place go deepest first (an entry of a nested
    block before a new key of the block holding it, which follows it)."""
    start, end, text = edit
    first = text.lstrip("\r\n")
    return start, end, -(len(first) - len(first.lstrip(" "))) if start == end else 0
