"""How the image's generator turns a variable name into a key path, and back.

`ORTHANC__` + words: `__` nests, each `_`-separated word keeps its first character and lowers the
rest (`DICOM_WEB` -> `DicomWeb`), and a few names are exceptions (`ORTHANC__HTTPS_CA_CERTIFICATES`
-> `HttpsCACertificates`, the `PostgreSQL`, `MySQL` and `OHIF` sections). Legacy names map to keys
too, but any of them stops the container."""

from __future__ import annotations

import re

from wizard.sources.compose.facts import facts

PREFIX = "ORTHANC__"
POINTER = "_SECRET"


def is_legacy(name: str) -> bool:
    return name in facts()["legacy"]


def is_setting(name: str) -> bool:
    """A name the generator turns into a key (legacy names included, which also stop it)."""
    return name.startswith(PREFIX) or name in facts()["legacy"] or name in facts()["aliases"]


def is_pointer(name: str) -> bool:
    """Set as a variable, a name ending in `_SECRET` names a file under /run/secrets, never a value."""
    return name.endswith(POINTER)


def word(text: str) -> str:
    """One word as the generator spells it; an empty word fails in the generator (IndexError)."""
    if not text:
        raise IndexError("string index out of range")
    return text[0] + text.lower()[1:]


def tokens(name: str) -> list[str]:
    """The generator's key tokens for a name (before its dotted re-split); ValueError if it is not one."""
    table = {**facts()["legacy"], **facts()["aliases"]}
    if name in table:
        return table[name].split(".")
    for plain, spelled in facts()["section_spellings"].items():
        if name.startswith(plain):
            name = name.replace(plain, spelled)
            break
    if not name.startswith(PREFIX):
        raise ValueError(f"unhandled env-var name: {name}")
    return ["".join(word(part) for part in token.split("_")) for token in name[len(PREFIX):].split("__")]


def key_path(name: str) -> tuple[str, ...]:
    """The key path a variable (or a secret named like one) sets. Past the first key, the generator
    re-splits keys at dots, so a dot in a later word nests once more."""
    found = tokens(name)
    if len(found) == 1:
        return (found[0],)
    return (found[0], *".".join(found[1:]).split("."))


def dotted(name: str) -> str:
    """The key path as the generator prints it in its warnings."""
    return ".".join(tokens(name))


_BOUNDARY = re.compile(r"(?<=[^_])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")


def _spelled(key: str) -> str:
    parts = _BOUNDARY.split(key)
    return "_".join(p.upper() if p[:1].isupper() else p for p in parts)


def variable(path: tuple[str, ...]) -> str:
    """The ORTHANC__ variable that sets this key path (the exceptions' own names first).

    A word that starts in lower case keeps it (`ORTHANC__DICOM_WEB__SERVERS__sample`): the rule
    keeps a word's first character as written. ValueError when no name makes that path (an empty
    key, a key holding `_`, or one whose letters the lowering changes). A name ending in `_SECRET`
    is valid as a secret's name or behind a `..._SECRET` pointer, not as a plain variable
    (`is_pointer`)."""
    path = tuple(path)
    if not path or any(not isinstance(key, str) or not key for key in path):
        raise ValueError(f"no variable sets {path!r}: a key is empty")
    for name, target in facts()["aliases"].items():
        if name.startswith(PREFIX) and tuple(target.split(".")) == path:
            return name
    heads = {"PostgreSQL": "ORTHANC__POSTGRESQL", "MySQL": "ORTHANC__MYSQL", "OHIF": "ORTHANC__OHIF"}
    head = heads.get(path[0]) or PREFIX + _spelled(path[0])
    name = "__".join([head, *(_spelled(key) for key in path[1:])])
    try:
        made = key_path(name)
    except (ValueError, IndexError):
        made = None
    if made != path or is_legacy(name):
        raise ValueError(f"no variable sets {'.'.join(path)}: the generator's naming rule cannot spell it")
    return name
