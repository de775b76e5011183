"""Finding and parsing a compose file: ruamel.yaml round trip (comments, order and quoting kept for
writing back), with the line of every key and item."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from wizard.errors import BadInput, Problem
from wizard.jsonc import read_text

# docker compose v2's order of preference in a folder.
NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def locate(path: Path) -> Path:
    """The compose file itself, or the first of NAMES in a folder."""
    if path.is_dir():
        for name in NAMES:
            if (path / name).is_file():
                return path / name
        raise BadInput(Problem(str(path), "$", f"no compose file here (looked for {', '.join(NAMES)})"))
    return path


def parse(path: Path):
    """(text, round-trip document); malformed YAML is bad input naming the line and column."""
    text = read_text(path)
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "$"
        raise BadInput(Problem(str(path), place, f"malformed YAML: {error.problem or error.context}")) from None
    except YAMLError as error:
        raise BadInput(Problem(str(path), "$", f"malformed YAML: {error}")) from None
    if not hasattr(document, "items"):
        raise BadInput(Problem(str(path), "$", "a compose file is a mapping (services:, volumes:, ...)"))
    return text, document


def key_line(mapping, key) -> int:
    """1-based line of `key` in a mapping, looking through `<<:` merges; else the mapping's own line."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        pass
    for _, merged in getattr(mapping, "merge", ()):
        if key in merged:
            return key_line(merged, key)
    return line_of(mapping)


def item_line(sequence, index: int, default: int) -> int:
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return default


def line_of(node, default: int = 1) -> int:
    try:
        return node.lc.line + 1
    except AttributeError:
        return default
