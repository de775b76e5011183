"""YAML scalars written as text: a string rendered in a chosen style (plain, single or double
quoted, literal block) only when YAML reads it back as that very string; otherwise in the next
style that does. Compose reads `$` in its own files as interpolation, so text bound for a compose
file has it doubled first (`compose_text`)."""

from __future__ import annotations

import json

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

STYLES = ("plain", "'", '"')


def compose_text(text: str) -> str:
    """A value as written in a compose file so that compose's interpolation gives `text` back."""
    return text.replace("$", "$$")


def render(text: str, style: str | None = None, indent: str = "") -> str:
    """`text` as a YAML scalar in `style` ("plain", "'", '"', "|") when it reads back exactly,
    else single quotes, else double quotes (which can hold anything). `indent` is the indentation
    of a literal block's lines."""
    order = [style] if style in STYLES or style == "|" else []
    order += [s for s in ("plain", "'", '"') if s not in order]
    for candidate in order:
        written = _written(text, candidate, indent)
        if written is not None and reads_as(written, text):
            return written
    raise AssertionError(f"no YAML scalar for {text!r}")  # double quotes escape everything


def _written(text: str, style: str, indent: str) -> str | None:
    if style == "plain":
        return text if text and "\n" not in text else None
    if style == "'":
        return "'" + text.replace("'", "''") + "'" if "\n" not in text else None
    if style == "|":
        if not text.endswith("\n") or text.endswith("\n\n") or text.startswith((" ", "\n")):
            return None
        return "|\n" + "".join(indent + line + "\n" if line else "\n" for line in text[:-1].split("\n"))
    return _double(text)


def _double(text: str) -> str:
    """JSON's string syntax is YAML's double-quoted style, but YAML also folds on tabs and reads a
    few more escapes: JSON's `\\/`-free output with non-ASCII kept reads back the same."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\L").replace("\u2029", "\\P")


def reads_as(written: str, text: str) -> bool:
    """Whether `key: <written>` is read as the string `text` (not a number, bool or null) by YAML
    1.2 and by YAML 1.1, which Debian's docker-compose (PyYAML) speaks: there `yes`, `on` and
    `12:30` are no text."""
    source = "key: " + written + ("" if written.endswith("\n") else "\n")
    return all(_loaded(source, version) == text for version in ((1, 1), (1, 2)))


def _loaded(source: str, version: tuple[int, int]):
    loader = YAML(typ="safe", pure=True)
    loader.version = version
    try:
        data = loader.load(source)
    except YAMLError:
        return None
    value = data.get("key") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def style_of(node) -> str:
    """The style of a composed scalar node as `render` names it."""
    return {None: "plain", "'": "'", '"': '"', "|": "|", ">": '"'}.get(getattr(node, "style", None), "plain")
