"""Entries and items added to or removed from a YAML text's mappings and sequences, written as the
neighbours are: a block collection gains lines at its siblings' indentation after its last value
(before any comment that follows it), a flow collection gains `, item` before its bracket.

A new value is a tree of dicts, lists and strings; a string is the text a scalar must read as,
rendered in the style asked (`yaml_scalars.render`) once its indentation is known."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wizard.sources.compose.yaml_scalars import render
from wizard.sources.compose.yaml_text import YamlText

Tree = str | list | dict


def unit(doc: YamlText) -> str:
    """The document's indentation step: how far the first nested block mapping sits from its key."""
    root = doc.root
    for key, value in getattr(root, "value", []):
        if isinstance(value, MappingNode) and not value.flow_style and value.value:
            step = value.value[0][0].start_mark.column - key.start_mark.column
            if step > 0:
                return " " * step
    return "  "


def step(doc: YamlText, mapping: MappingNode) -> str:
    """How far the block collections held by `mapping` sit from their keys (the document's step
    when it holds none): a file may nest by 4 at the top and by 2 further down."""
    for key, value in mapping.value:
        if isinstance(value, (MappingNode, SequenceNode)) and not value.flow_style and value.value:
            column = value.start_mark.column if isinstance(value, SequenceNode) else value.value[0][0].start_mark.column
            if column > key.start_mark.column:
                return " " * (column - key.start_mark.column)
    return unit(doc)


def add_entry(doc: YamlText, mapping: Node, key: str, value: Tree, style: str | None = None) -> None:
    """`key: value` at the end of `mapping` (block or flow)."""
    if mapping.flow_style:
        _add_flow(doc, mapping, f"{key}: {_flow(value, style)}")
        return
    if not mapping.value:
        raise ValueError("an empty block mapping has no place for an entry")
    indent = " " * mapping.value[0][0].start_mark.column
    lines = _entry_lines(key, value, indent, step(doc, mapping), style)
    if mapping is doc.root:  # a new top-level section goes after everything, trailing comments included
        _add_lines(doc, len(doc.text), lines)
        return
    last_key, last_value = mapping.value[-1]
    _add_lines(doc, doc.content_end(last_value, last_key), lines)


def fill_empty(doc: YamlText, key: ScalarNode, value: Tree, style: str | None = None) -> None:
    """Give `key:`, written with no value, a block value on the lines below it."""
    indent = " " * key.start_mark.column + unit(doc)
    colon = doc.text.index(":", key.end_mark.index) + 1
    lines = _value_lines(value, indent, unit(doc), style)
    _add_lines(doc, colon, lines)


def add_item(doc: YamlText, sequence: SequenceNode, value: Tree, style: str | None = None) -> None:
    if sequence.flow_style:
        _add_flow(doc, sequence, _flow(value, style))
        return
    last = sequence.value[-1]
    prefix = doc.text[doc.line_start(last.start_mark.index):last.start_mark.index]
    if prefix.strip() != "-":
        prefix = " " * sequence.start_mark.column + "- "
    indent = " " * len(prefix)
    if isinstance(value, str):
        lines = [prefix + render(value, style, indent + unit(doc))]
    else:
        inner = _value_lines(value, indent, unit(doc), style)
        lines = [prefix + inner[0][len(indent):], *inner[1:]]
    _add_lines(doc, doc.content_end(last), lines)


def remove_entries(doc: YamlText, mapping: MappingNode, keys: set[str]) -> None:
    pairs = mapping.value
    gone = [i for i, (key, _) in enumerate(pairs) if isinstance(key, ScalarNode) and key.value in keys]
    if mapping.flow_style:
        _remove_flow(doc, [(k.start_mark.index, v.end_mark.index) for k, v in pairs], gone)
        return
    for i in gone:
        key, value = pairs[i]
        doc.remove_lines(key.start_mark.index, doc.content_end(value, key))


def remove_items(doc: YamlText, sequence: SequenceNode, indexes: set[int]) -> None:
    items = sequence.value
    if sequence.flow_style:
        _remove_flow(doc, [(n.start_mark.index, n.end_mark.index) for n in items], sorted(indexes))
        return
    for i in sorted(indexes):
        doc.remove_lines(items[i].start_mark.index, doc.content_end(items[i]))


def _remove_flow(doc: YamlText, spans: list[tuple[int, int]], gone: list[int]) -> None:
    """Items of a flow collection removed with their commas: each up to the next item's start, and
    those after the last kept item from that item's end (so no comma is left dangling)."""
    kept = [i for i in range(len(spans)) if i not in gone]
    last_kept = kept[-1] if kept else -1
    for i in gone:
        if i < last_kept:
            doc.edits.append((spans[i][0], spans[i + 1][0], ""))
    tail = [i for i in gone if i > last_kept]
    if tail:
        start = spans[last_kept][1] if kept else spans[tail[0]][0]
        doc.edits.append((start, spans[tail[-1]][1], ""))


def _add_flow(doc: YamlText, node: Node, text: str) -> None:
    close = node.end_mark.index - 1
    doc.insert(close if not node.value else _end_of_last(node), ("" if not node.value else ", ") + text)


def _end_of_last(node: Node) -> int:
    last = node.value[-1]
    return (last[1] if isinstance(last, tuple) else last).end_mark.index


def _add_lines(doc: YamlText, after: int, lines: list[str]) -> None:
    """Whole lines after the line holding `after` (a text without a final newline gets one)."""
    at = doc.line_end(after)
    lead = doc.newline if at == len(doc.text) and not doc.text.endswith("\n") else ""
    text = "".join(line + "\n" for line in lines)
    doc.insert(at, lead + (text.replace("\n", doc.newline) if doc.newline != "\n" else text))


def _entry_lines(key: str, value: Tree, indent: str, step: str, style: str | None) -> list[str]:
    if isinstance(value, str):
        return [f"{indent}{key}: {render(value, style, indent + step)}".rstrip("\n")]
    return [f"{indent}{key}:", *_value_lines(value, indent + step, step, style)]


def _value_lines(value: Tree, indent: str, step: str, style: str | None) -> list[str]:
    """A dict or list as block lines at `indent`."""
    if isinstance(value, dict):
        return [line for key, inner in value.items() for line in _entry_lines(key, inner, indent, step, style)]
    if isinstance(value, list):
        lines = []
        for item in value:
            inner = _value_lines(item, indent + "  ", step, style) if not isinstance(item, str) else \
                [indent + "  " + render(item, style, indent + "  " + step)]
            lines += [indent + "- " + inner[0][len(indent) + 2:], *inner[1:]]
        return lines
    return [indent + render(value, style, indent)]


def _flow(value: Tree, style: str | None) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v, style)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, style) for v in value) + "]"
    return render(value, style if style != "|" else '"')
