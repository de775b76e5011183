"""The new texts of one compose edit, gathered before anything is written: the compose file's
text edits (one `YamlText`), the service's variables to set or remove, and the whole new texts
of the other files (env_files, mounted JSON files, secret files) with the mode each must have."""

from __future__ import annotations

from pathlib import Path

from wizard.sources.compose.model import Deployment
from wizard.sources.compose.yaml_text import YamlText


class Texts:
    def __init__(self, deployment: Deployment):
        self.deployment = deployment
        self.compose = YamlText(deployment.text, str(deployment.file))
        self.files: dict[Path, str] = {}
        self.old: dict[Path, str | None] = {}
        self.modes: dict[Path, int] = {}
        self.sets: dict[str, str] = {}  # the service's variables to set (their text in the container)
        self.removes: set[str] = set()
        self.notes: list = []

    def settle(self) -> None:
        """Apply the compose edits collected so far and read the text again, so that a later edit
        sees what they added (a second secret goes into the `secrets:` the first one created)."""
        self.compose = YamlText(self.compose.result(), self.compose.file)

    def text(self, path: Path) -> str | None:
        """The file's text as this edit leaves it so far (None: it does not exist)."""
        if path in self.files:
            return self.files[path]
        if path not in self.old:
            self.old[path] = path.read_bytes().decode("utf-8") if path.is_file() else None
        return self.old[path]

    def write(self, path: Path, text: str, mode: int | None = None) -> None:
        self.text(path)
        self.files[path] = text
        if mode is not None:
            self.modes[path] = mode
