"""The generator's merge of one source into the configuration, with each key's origin.

A dict merges into a dict key by key; anything else replaces the key (or, for defaults, is kept
only where the key is missing). The operations are Python's own, so a dict merged into a text or a
number fails here as it fails in the generator (a TypeError that stops the container)."""

from __future__ import annotations

from collections.abc import Callable

from wizard.sources.compose.facts import message
from wizard.sources.compose.model import Origin


class Merger:
    def __init__(self, warnings: list[str]):
        self.config: dict = {}
        self.origins: dict[tuple, Origin] = {}
        self.sources: dict[str, str] = {}  # dotted path -> the generator's source label
        self.warnings = warnings  # the run's log, in order

    def merge(self, second: dict, label: str, origin: Origin | Callable[[tuple], Origin],
              overwrite: bool = True) -> None:
        """Merge as the generator does; `origin` is one Origin or gives one per key path (a file's lines)."""
        self._merge(self.config, second, label, origin if callable(origin) else (lambda path: origin), (), overwrite)

    def _merge(self, first, second, label, origin_of, path, overwrite) -> None:
        for key, value in second.items():
            here = (*path, key)
            if isinstance(value, dict) and key in first:
                self._merge(first[key], value, label, origin_of, here, overwrite)
                continue
            if key in first:
                if not overwrite:
                    continue
                dotted = ".".join(here)
                before = self.sources.get(dotted)
                self.warnings.append(message("overwritten_from", path=dotted, before=before, source=label)
                                     if before else message("overwritten", path=dotted, source=label))
            first[key] = value
            self.sources[".".join(here)] = label
            self.claim(here, value, origin_of)

    def claim(self, path: tuple, value, origin: Origin | Callable[[tuple], Origin]) -> None:
        """`path` and everything under it now come from `origin` (what was under it before is gone)."""
        if path in self.origins:
            for old in [p for p in self.origins if len(p) > len(path) and p[: len(path)] == path]:
                del self.origins[old]
        self._own(path, value, origin if callable(origin) else (lambda path: origin))

    def _own(self, path: tuple, value, origin_of) -> None:
        self.origins[path] = origin_of(path)
        if isinstance(value, dict):
            for key, inner in value.items():
                self._own((*path, key), inner, origin_of)


def nested(path: tuple, value) -> dict:
    """`{"A": {"B": value}}` for the path ("A", "B")."""
    for key in reversed(path[1:]):
        value = {key: value}
    return {path[0]: value}
