"""Options and values of an existing configuration that the target Orthanc release does not know.

An option the release does not read is ignored without a word (the admin believes it works);
a value it does not know for an enumerated option stops it at startup. Facts: releases.py.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from wizard.errors import json_path
from wizard.orthanc import plugin_sections, proxy_secret, releases
from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.document import is_placeholder
from wizard.versions import Version, parse, show

IGNORED = "ignores it silently"
REFUSED = "refuses to start"
UNREAD_BY_ANY = "no Orthanc release up to"
# Where the keys met at the top level in the wild are read instead (SRC 1.10.1: peers' HttpHeaders in
# OrthancRestModalities.cpp, UseDicomTls in RemoteModalityParameters.cpp, /tools/log-level in
# OrthancRestSystem.cpp; the Worklists plugin's sample).
UNREAD_HINTS = {
    "HttpHeaders": "Orthanc reads HttpHeaders inside an OrthancPeers entry, and the DICOMweb plugin inside "
                   "a DicomWeb.Servers entry, never at the top level",
    "LogLevel": "the log level is set by --verbose or --trace on the command line, or PUT /tools/log-level",
    "Verbosity": "the log level is set by --verbose or --trace on the command line, or PUT /tools/log-level",
    "DicomModalityWorklists": "worklists are served by the Worklists plugin, from its own Worklists section",
    "UseDicomTls": "Orthanc reads UseDicomTls inside a DicomModalities entry, never at the top level",
}
COMMENT_PREFIXES = ("_", "/", "#", "$")  # "_comment", "//", "#note", "$schema": comments written as keys
CUTOFF = 0.78  # RemoteAccessEnabled → RemoteAccessAllowed is 0.79; DicomWeb → DicomAet is 0.75


@dataclass(frozen=True)
class Unknown:
    key: str
    message: str  # what the release does not know, which release knows it, what Orthanc does


def unknown_to(values: dict, target: Version) -> list[Unknown]:
    """Each top-level option of `values` (the effective configuration) that `target` ignores,
    or whose value stops it."""
    found = []
    own_code = None
    for key, value in values.items():
        message = _option(key, target) or _value(key, value, values, target)
        if message and message.startswith(UNREAD_BY_ANY) and isinstance(value, dict):
            own_code = plugin_sections.own_code_may_read(values) if own_code is None else own_code
            if own_code:
                continue  # a section of the admin's own, read by a Python script or a plugin not known here
        if message:
            found.append(Unknown(key, message))
    return found


def warnings(config: ConfigSet, settings: dict, target: str, said: list[str]) -> list[str]:
    """unknown_to for an edit, as `file: json_path: message`. The options written (settings)
    get a known value, and those a warning already leaves out ("X is left out") are not repeated."""
    told = {key for key in config.holders if any(w.startswith(f"{key} is left out") for w in said)}
    return [f"{config.holders[u.key].path}: {json_path((u.key,))}: {u.message}"
            for u in unknown_to({**config.values, **settings}, parse(target))
            if u.key in config.holders and u.key not in settings and u.key not in told]


def _option(key: str, target: Version) -> str | None:
    if releases.knows(key, target) or key == proxy_secret.OPTION:  # the access filter reads the latter
        return None
    release = show(target)
    since = releases.SINCE.get(key)
    if since is not None:
        gone = releases.GONE.get(key)
        if gone is not None and gone <= target:
            return f"no longer read since Orthanc {show(gone)}: Orthanc {release} {IGNORED}"
        hint = releases.HINTS.get(key) or releases.BACKPORTS.get(key, (None, ""))[1]
        return f"new in Orthanc {show(since)}{f' ({hint})' if hint else ''}: Orthanc {release} {IGNORED}"
    if target > releases.NEWEST or releases.of_a_plugin(key):
        return None  # a newer release may read it; a plugin's keys are its own
    guesses = close_options(key)
    if guesses:
        return f"not an Orthanc option (did you mean {' or '.join(guesses)}?): Orthanc {IGNORED}"
    if key.startswith(COMMENT_PREFIXES) or key.lower().rstrip("s") == "comment":
        return None  # a comment written as a key: nobody expects Orthanc to read it
    where = f" ({UNREAD_HINTS[key]})" if key in UNREAD_HINTS else ""
    return f"{UNREAD_BY_ANY} {show(releases.NEWEST)} reads it, nor any plugin known here{where}: Orthanc {IGNORED}"


def _trigrams(word: str) -> set[str]:
    return {word[i:i + 3].lower() for i in range(len(word) - 2)}


def _by_trigram() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for option in releases.SINCE:
        for trigram in _trigrams(option):
            index.setdefault(trigram, set()).add(option)
    return index


_LOWER = {option.lower(): option for option in releases.SINCE}
_BY_TRIGRAM = _by_trigram()


@functools.lru_cache(maxsize=262_144)
def close_options(key: str) -> tuple[str, ...]:
    """The options of any release that `key` looks like a misspelling of (kept: an edit asks for the
    same keys again when it judges what it wrote)."""
    lower = key.lower()
    if lower in _LOWER:
        return (_LOWER[lower],)
    # Only options sharing three letters in a row with the key are compared: a misspelling
    # keeps that much, and a file of 100,000 unknown keys is then read in a fraction of a second.
    near = set().union(*(_BY_TRIGRAM.get(trigram, ()) for trigram in _trigrams(key)))
    return tuple(difflib.get_close_matches(key, sorted(near), n=2, cutoff=CUTOFF))


def _value(key: str, value, values: dict, target: Version) -> str | None:
    enumeration = releases.ENUMERATIONS.get(key)
    if enumeration is None or not isinstance(value, str) or is_placeholder(value):
        return None
    if enumeration.read_unless and values.get(enumeration.read_unless[0]) is enumeration.read_unless[1]:
        return None
    since = enumeration.values.get(value)
    if since is not None and since <= target or since is None and target > releases.NEWEST:
        return None
    release = show(target)
    taken = [f'"{known}"' for known, first in enumeration.values.items() if first <= target]
    takes = ", ".join(taken + [enumeration.also] if enumeration.also else taken)
    where = f"new in Orthanc {show(since)}" if since else f"known by no release up to {show(releases.NEWEST)}"
    return f'"{value}" is {where} (Orthanc {release} takes {takes}): Orthanc {release} {REFUSED}'
