"""LuaScripts: list our filter once, and never override another script's filter silently."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from wizard.errors import BadInput, Problem, json_path
from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.document import is_placeholder
from wizard.notes import Note

HTTP_FILTER = "IncomingHttpRequestFilter"
# What a rival definition of each callback ours may define replaces, and where its rules belong.
_REPLACED = {HTTP_FILTER: ("access filter", "in the profile's users and roles"),
             "ReceivedCStoreInstanceFilter": ("store filter", "in the profile's modalities (stores)")}


@cache
def _definition(callback: str) -> re.Pattern:
    # A definition at the start of a line: `-- function IncomingHttpRequestFilter` is a comment.
    return re.compile(rf"^[ \t]*(?:function[ \t]+{callback}\b|{callback}[ \t]*=)", re.MULTILINE)


def defined(text: str) -> tuple[str, ...]:
    """The callbacks watched here that a Lua text defines (what our generated file holds)."""
    return tuple(callback for callback in _REPLACED if _definition(callback).search(text))


def listed(config: ConfigSet, ours: str, replace: bool, notes: list[str], warnings: list[str],
           callbacks: tuple[str, ...] = (HTTP_FILTER,)) -> list:
    """The LuaScripts to write: the existing ones, with ours after every other filter of the
    callbacks ours defines."""
    current = config.values.get("LuaScripts")
    scripts = list(current) if isinstance(current, list) else []
    mine = [i for i, s in enumerate(scripts) if _is_ours(config, s, ours)]
    rivals = []
    for number, callback in enumerate(callbacks):
        # Orthanc keeps the callback of the last script loaded: one listed before ours was replaced
        # by an earlier run, if ours already defined it then.
        after = mine[-1] if mine and _ours_defines(config, scripts[mine[-1]], callback) else -1
        filters = [(i, s) for i, s in enumerate(scripts)
                   if i not in mine and _defines_filter(config, s, warnings if number == 0 else [], callback)]
        rivals += [(i, s, callback) for i, s in filters if i > after]
    if rivals and not replace:
        index, script, callback = rivals[-1]
        raise BadInput(Problem(str(config.holders["LuaScripts"].path), json_path(("LuaScripts", index)),
                               f"{script} already defines {callback}, and Orthanc keeps only the "
                               f"filter of the last script loaded: adding {ours} would replace it. Put its rules "
                               f"{_REPLACED[callback][1]}, or run again with --replace-filter (the script "
                               "stays listed and its other callbacks keep working)"))
    for _, script, callback in rivals:
        notes.append(Note("replaced", f"the {_REPLACED[callback][0]} of {script}: {ours} is now loaded after it, "
                                      f"so Orthanc uses orthanc-harden's {callback} (its other callbacks still run)"))
    if mine and not rivals:
        return scripts
    return [s for i, s in enumerate(scripts) if i not in mine] + [ours]


def _resolve(config: ConfigSet, script: str) -> Path:
    # Relative paths resolve against the configuration's folder, as Orthanc resolves them; a
    # compose service's container paths against the host files mounted there.
    return config.host_path(script)


def _is_ours(config: ConfigSet, script, ours: str) -> bool:
    return isinstance(script, str) and (script == ours or _resolve(config, script) == config.host_path(ours))


def _ours_defines(config: ConfigSet, script: str, callback: str) -> bool:
    """Whether our file, as an earlier run wrote it, defines the callback (unreadable: only the
    access filter, which every earlier run wrote)."""
    try:
        return bool(_definition(callback).search(_resolve(config, script).read_text("utf-8", errors="replace")))
    except OSError:
        return callback == HTTP_FILTER


def _defines_filter(config: ConfigSet, script, warnings: list[str], callback: str = HTTP_FILTER) -> bool:
    if not isinstance(script, str) or is_placeholder(script):
        return False
    path = _resolve(config, script)
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError as error:
        warnings.append(f"LuaScripts lists {script}, which cannot be read ({error.strerror}): Orthanc will "
                        "not start without it, and if it defines IncomingHttpRequestFilter it must come "
                        "before orthanc-security.lua")
        return False
    return bool(_definition(callback).search(text))
