"""One note per change of a compose edit, true to the diff: what changed, from what to what
(passwords masked), and the file and line that now say it (the line before the edit for what was
removed). A note is finished once the new texts are known: its line is found in them."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wizard.sources.compose.json_edit import ABSENT
from wizard.sources.compose.json_lines import key_lines
from wizard.sources.compose.yaml_text import YamlText

MASK = "********"
PEER_SECRETS = ("Password", "CertificateKeyPassword")


@dataclass
class Note:
    what: str  # the variable, or the file and key path
    change: str  # "false -> true", "removed", "in the secret file ..."
    file: Path | None
    locate: Callable[[str], int | None] | None = None  # the line in the file's new text
    line: int | None = None  # known already (a removal: the line before the edit)

    def finish(self, texts: dict[Path, str]) -> str:
        line = self.line
        if line is None and self.locate is not None and self.file in texts:
            line = self.locate(texts[self.file])
        where = f"{self.file.name}:{line}" if self.file and line else (self.file.name if self.file else "")
        return f"{self.what}: {self.change}" + (f" ({where})" if where else "")

    @staticmethod
    def variable(what: str, path: tuple, old, new, file: Path, service: str, in_compose: bool,
                 name: str | None = None) -> Note:
        """A variable's value (or, `what` naming a key inside it, part of its value) changed."""
        name = name or what
        locate = (lambda text: compose_line(text, service, name)) if in_compose else (lambda text: env_line(text, name))
        change = "removed" if new is ABSENT else f"{shown(path, old)} -> {shown(path, new)}"
        return Note(what, change, file, locate)

    @staticmethod
    def removed(name: str, file: Path | None, line: int | None, why: str = "") -> Note:
        return Note(name, "removed" + (f" ({why})" if why else ""), file, None, line)

    @staticmethod
    def document(file: Path, path: tuple, old, new, old_text: str, why: str = "") -> Note:
        """A key of a JSON file changed (located in the new text) or removed (in the old one)."""
        what = f"{file.name}: {'.'.join(path)}"
        if new is ABSENT:
            return Note(what, "removed" + (f" ({why})" if why else ""), file, None, key_lines(old_text).get(path))
        change = f"{shown(path, old)} -> {shown(path, new)}" + (f" ({why})" if why else "")
        return Note(what, change, file, lambda text: key_lines(text).get(path))

    @staticmethod
    def secret(root: tuple, host: Path, compose: Path, service: str, target: str, new: bool) -> Note:
        change = (f"{'written to the new' if new else 'rewritten in the'} secret file {host.name} (mode 0600), "
                  f"which the generator reads as /run/secrets/{target}")
        return Note(".".join(root), change, compose if new else host,
                    (lambda text: compose_secret_line(text, service, target)) if new else None)


def shown(path: tuple, value) -> str:
    """A value as a note shows it: JSON on one line, "not set" when absent, passwords masked."""
    if value is ABSENT:
        return "not set"
    masked = _masked(path, copy.deepcopy(value))
    return masked if isinstance(masked, str) else json.dumps(masked, ensure_ascii=False)


def _masked(path: tuple, value):
    if path[:1] == ("RegisteredUsers",):
        return {user: MASK for user in value} if len(path) == 1 and isinstance(value, dict) else MASK
    if path[:1] == ("OrthancPeers",) or path[:2] == ("DicomWeb", "Servers"):
        depth = 1 if path[:1] == ("OrthancPeers",) else 2
        if len(path) == depth and isinstance(value, dict):
            return {name: _peer(entry) for name, entry in value.items()}
        return _peer(value) if len(path) == depth + 1 else MASK
    if path and str(path[-1]).endswith(("Password", "Secret")):
        return MASK
    if isinstance(value, dict):
        return {key: _masked((*path, key), inner) for key, inner in value.items()}
    return value


def _peer(entry):
    if isinstance(entry, list):
        return [*entry[:2], *([MASK] * len(entry[2:]))]
    if isinstance(entry, dict):
        return {k: (MASK if k in PEER_SECRETS else v) for k, v in entry.items()}
    return MASK


def compose_line(text: str, service: str, name: str) -> int | None:
    doc = YamlText(text, "compose")
    node = doc.get("services", service, "environment")
    if node is None:
        return None
    if hasattr(node, "value") and isinstance(node.value, list):
        for item in node.value:
            if isinstance(item, tuple) and item[0].value == name:
                return item[0].start_mark.line + 1
            if not isinstance(item, tuple) and str(item.value).split("=", 1)[0] == name:
                return item.start_mark.line + 1
    return None


def compose_secret_line(text: str, service: str, target: str) -> int | None:
    doc = YamlText(text, "compose")
    node = doc.get("services", service, "secrets")
    for item in getattr(node, "value", None) or ():
        written = item.value if not isinstance(item.value, list) else " ".join(
            str(v.value) for _, v in item.value)
        if target in str(written):
            return item.start_mark.line + 1
    return None


def env_line(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*(export\s+)?{re.escape(name)}\s*[=:]", line):
            return number
    return None
