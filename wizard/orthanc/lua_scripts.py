"""LuaScripts: list our filter once, and never override another script's filter silently."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.errors import BadInput, Problem, json_path
from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.document import is_placeholder
from wizard.notes import Note

# A definition at the start of a line: `-- function IncomingHttpRequestFilter` is a comment.
_DEFINES_FILTER = re.compile(r"^[ \t]*(?:function[ \t]+IncomingHttpRequestFilter\b"
                             r"|IncomingHttpRequestFilter[ \t]*=)", re.MULTILINE)


def listed(config: ConfigSet, ours: str, replace: bool, notes: list[str], warnings: list[str]) -> list:
    """The LuaScripts to write: the existing ones, with ours after every other filter."""
    current = config.values.get("LuaScripts")
    scripts = list(current) if isinstance(current, list) else []
    mine = [i for i, s in enumerate(scripts) if _is_ours(config.folder, s, ours)]
    # Orthanc keeps the IncomingHttpRequestFilter of the last script loaded.
    after = mine[-1] if mine else -1
    filters = [(i, s) for i, s in enumerate(scripts) if i not in mine and _defines_filter(config.folder, s, warnings)]
    rivals = [(i, s) for i, s in filters if i > after]
    if rivals and not replace:
        index, script = rivals[-1]
        raise BadInput(Problem(str(config.holders["LuaScripts"].path), json_path(("LuaScripts", index)),
                               f"{script} already defines IncomingHttpRequestFilter, and Orthanc keeps only the "
                               f"filter of the last script loaded: adding {ours} would replace it. Put its rules "
                               "in the profile's users and roles, or run again with --replace-filter (the script "
                               "stays listed and its other callbacks keep working)"))
    for _, script in rivals:
        notes.append(Note("replaced", f"the access filter of {script}: {ours} is now loaded after it, so Orthanc "
                                      "uses orthanc-harden's IncomingHttpRequestFilter (its other callbacks still run)"))
    if mine and not rivals:
        return scripts
    return [s for i, s in enumerate(scripts) if i not in mine] + [ours]


def _resolve(folder: Path, script: str) -> Path:
    # Relative paths resolve against the configuration's folder, as Orthanc resolves them.
    return Path(script) if Path(script).is_absolute() else folder / script


def _is_ours(folder: Path, script, ours: str) -> bool:
    return isinstance(script, str) and (script == ours or _resolve(folder, script) == folder / ours)


def _defines_filter(folder: Path, script, warnings: list[str]) -> bool:
    if not isinstance(script, str) or is_placeholder(script):
        return False
    path = _resolve(folder, script)
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError as error:
        warnings.append(f"LuaScripts lists {script}, which cannot be read ({error.strerror}): Orthanc will "
                        "not start without it, and if it defines IncomingHttpRequestFilter it must come "
                        "before orthanc-security.lua")
        return False
    return bool(_DEFINES_FILTER.search(text))
