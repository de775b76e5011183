"""Read a configuration the way Orthanc does: one file, or every `*.json` of a folder, merged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from wizard import jsonc
from wizard.errors import BadInput, Problem, json_path
from wizard.orthanc import document
from wizard.orthanc.document import Document, Member, is_placeholder
from wizard.orthanc import proxy_secret
from wizard.orthanc.options import OPTIONS

MAIN_FILE = "orthanc.json"
# Where a key belongs when no file holds it yet (Debian keeps the passwords apart, 0640).
HOMES = {"RegisteredUsers": "credentials.json", proxy_secret.OPTION: "credentials.json"}
# Secrets orthanc-harden adds live beside the passwords, wherever those are: the file kept private.
BESIDE_USERS = (proxy_secret.OPTION,)


@dataclass
class ConfigFile:
    path: Path
    doc: Document
    stat: os.stat_result
    raw: bytes  # the bytes on disk when the file was read (edits in memory leave them)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ConfigSet:
    """The files Orthanc would read, their merged top-level values, and which file holds each key."""

    path: Path
    folder: Path  # relative paths in the configuration resolve against it
    files: list[ConfigFile]
    values: dict = field(default_factory=dict)
    holders: dict[str, ConfigFile] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The compose service this configuration is generated for (sources.compose); None for files.
    deployment = None

    def with_files(self, files: list[ConfigFile]) -> ConfigSet:
        """The same configuration after some files were edited in memory."""
        return ConfigSet(self.path, self.folder, files)

    @property
    def main(self) -> ConfigFile:
        """Where new keys go: orthanc.json if present, else the first file in sorted order."""
        return next((f for f in self.files if f.name == MAIN_FILE), self.files[0])

    def home(self, key: str) -> ConfigFile:
        if key in BESIDE_USERS and "RegisteredUsers" in self.holders:
            return self.holders["RegisteredUsers"]
        return next((f for f in self.files if f.name == HOMES.get(key)), self.main)

    def where(self, path: tuple) -> str:
        """Where a key of the merged values is set, for a note: `file: $.json.path`."""
        return f"{self.holders[path[0]].path}: {json_path(path)}"

    def host_path(self, path: str) -> Path:
        """Where a path of the configuration is on this host: relative ones resolve against the folder."""
        return Path(path) if Path(path).is_absolute() else self.folder / path

    def file_of(self, path: tuple) -> ConfigFile | None:
        """The file that sets the value at `path` (for a file or a folder: its top-level key's)."""
        return self.holders.get(path[0])

    def origin_file(self, key: str) -> ConfigFile | None:
        """The file whose mode says who may read `key`'s value."""
        return self.holders.get(key)

    def member(self, key: str) -> Member | None:
        """The member Orthanc uses for a top-level key: the last one of the file holding it."""
        holder = self.holders.get(key)
        if holder is None:
            return None
        return [m for m in holder.doc.root.members if m.key == key][-1]


def read(path: Path) -> ConfigSet:
    """Every file Orthanc would read at `path`, checked as Orthanc checks them at startup."""
    if path.is_dir():
        config = ConfigSet(path, path, [_read_file(p) for p in _json_files(path)])
    elif path.exists():
        config = ConfigSet(path, path.parent, [_read_file(path)])
    else:
        raise BadInput(Problem(str(path), "$", "no such file or directory"))
    merge_values(config)
    return config


def sibling_keys(config: ConfigSet) -> dict[str, Path]:
    """For a single file: the keys other *.json files beside it define. Orthanc ignores them
    when given the file, but reads them all when given the folder, as Debian's service does."""
    if config.path.is_dir() or config.deployment is not None:  # a compose service reads only what it mounts
        return {}
    return keys_beside(config.folder, config.path)


def keys_beside(folder: Path, skip: Path) -> dict[str, Path]:
    """The top-level keys of the *.json files of folder but skip, and the file of each."""
    found: dict[str, Path] = {}
    try:
        paths = _json_files(folder)
    except BadInput:
        return found  # none, or an unreadable folder: then nothing is merged with ours either
    for path in paths:
        if path != skip:
            try:
                found.update(dict.fromkeys(_read_file(path).doc.root.value, path))
            except BadInput:
                continue  # not ours to judge
    return found


def _json_files(folder: Path) -> list[Path]:
    # Orthanc reads every regular file whose extension is .json in any case, hidden ones too.
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    except OSError as error:
        raise BadInput(Problem(str(folder), "$", f"cannot be read ({error.strerror})")) from None
    if not found:
        raise BadInput(Problem(str(folder), "$", "holds no *.json file: give the folder Orthanc reads, "
                                                 "or leave out --config to write a new configuration"))
    return found


def _read_file(path: Path) -> ConfigFile:
    raw = jsonc.read_bytes(path)  # BadInput naming the file when unreadable
    text = jsonc.decode(path, raw)
    if raw.startswith(b"\xef\xbb\xbf"):
        text = document.BOM + text  # decoding drops it; keep it to write it back
    return ConfigFile(path, _parse(path, text), path.stat(), raw)


def changed_since_read(config: ConfigSet) -> list[Problem]:
    """The files of `config` that changed on disk since they were read, and the *.json files
    that appeared beside them: an edit planned on the old text must not overwrite the new."""
    why = "changed on disk since orthanc-harden read it: nothing was written"
    problems = []
    for file in config.files:
        try:
            same = file.path.read_bytes() == file.raw
        except OSError:
            same = False
        if not same:
            problems.append(Problem(str(file.path), "$", why))
    if config.path.is_dir():
        known = {file.path for file in config.files}
        try:
            appeared = [p for p in _json_files(config.folder) if p not in known]
        except BadInput as error:
            return problems + error.problems
        problems += [Problem(str(p), "$", "appeared since orthanc-harden read the folder: nothing was written")
                     for p in appeared]
    return problems


def _parse(path: Path, text: str) -> Document:
    try:
        return document.parse(text)
    except document.JsonSyntaxError as error:
        raise BadInput(Problem(str(path), json_path(error.where), str(error))) from None


def reparsed(config: ConfigSet, texts: dict[str, str]) -> ConfigSet:
    """The same files after some were edited in memory (by file name)."""
    files = [ConfigFile(f.path, _parse(f.path, texts[f.name]), f.stat, f.raw) if f.name in texts else f
             for f in config.files]
    result = config.with_files(files)
    merge_values(result)
    return result


def merge_values(config: ConfigSet, typed: bool = True) -> list[Problem]:
    """Fill `values` and `holders` from the files as Orthanc merges them; BadInput on a key two
    files define or, when `typed`, an option of the wrong type (either stops Orthanc). Untyped,
    the type problems are returned for the caller to place (a compose variable's line)."""
    problems, mistyped = [], []
    for file in config.files:
        for where in file.doc.duplicates:
            config.notes.append(f"{file.path}: {json_path(where)}: defined twice in this file; "
                                "Orthanc keeps the last value, and so does orthanc-harden")
        for key, value in file.doc.root.value.items():
            other = config.holders.get(key)
            if other is not None:
                problems.append(Problem(str(file.path), json_path((key,)),
                                        f"is also defined in {other.path}: Orthanc refuses to start when two "
                                        "configuration files define the same key; keep it in one of them"))
            config.holders[key] = file
            config.values[key] = value
            (problems if typed else mistyped).extend(_type_problems(file, key, value))
    if problems:
        raise BadInput(problems)
    return mistyped


def _type_problems(file: ConfigFile, key: str, value) -> list[Problem]:
    """A known option with the wrong JSON type stops Orthanc ("Bad type for a parameter")."""
    option = OPTIONS.get(key)
    if option is None or is_placeholder(value) or has_type(value, option.type):
        return []
    kinds = option.type if isinstance(option.type, tuple) else (option.type,)
    expected = " or ".join(_JSON_NAMES[kind] for kind in kinds)
    return [Problem(str(file.path), json_path((key,)),
                    f"must be {expected}, not {_JSON_NAMES[_kind(value)]} ({value!r}): Orthanc would refuse to start")]


_JSON_NAMES = {bool: "a boolean", int: "an integer", str: "a string", list: "an array", dict: "an object",
               float: "a number with a fraction", type(None): "null"}


def _kind(value) -> type:
    return next(kind for kind in (bool, int, float, str, list, dict, type(None)) if isinstance(value, kind))


def has_type(value, expected) -> bool:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return _kind(value) in kinds
