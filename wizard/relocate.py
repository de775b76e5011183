"""A problem of an answer read from the configuration, named by the file and option it came from."""

from __future__ import annotations

import json
import re

from wizard.errors import Problem, json_path
from wizard.orthanc.config_files import ConfigSet
from wizard.topics.base import get

HINT = (" (read from the existing configuration: correct it there, or answer it again in the wizard, the profile "
        "or --set)")


def problem(problem: Problem, raw: dict, from_config: set, config: ConfigSet, lists: dict[str, str],
            keys: dict[str, str]) -> Problem:
    """A problem of an imported answer, named by the file and option it came from."""
    parts = _parse_path(problem.path)
    dotted = ".".join(parts[:2])
    if dotted in lists and len(parts) > 2 and isinstance(parts[2], int):
        name = get(raw, dotted)[parts[2]].get("name")
        if (dotted, name) in from_config:
            key = lists[dotted]
            place = (key, name, *_field(config.values[key][name], parts[3:]))
            return Problem(_file(config, place), json_path(place), problem.message + _hint(parts))
    for end in range(len(parts), 0, -1):
        dotted = ".".join(str(p) for p in parts[:end])
        if dotted in from_config:
            key = keys[dotted]
            return Problem(_file(config, (key,)), json_path((key,)), problem.message + _hint(parts))
    return problem


def _file(config: ConfigSet, place: tuple) -> str:
    """The file that sets `place`: for a compose service the mounted or copied file, or the compose
    file of its variable, not the configuration the image's generator makes of them."""
    holder = config.file_of(place) or config.holders[place[0]]
    return str(holder.path)


def _field(entry, rest: list) -> tuple:
    """The place of a modality's field in either form: ("Host",) or (1,)."""
    fields = {"aet": ("AET", 0), "host": ("Host", 1), "port": ("Port", 2)}
    if not rest or rest[0] not in fields:
        return ()
    name, index = fields[rest[0]]
    return (index,) if isinstance(entry, list) else (name,)


def _hint(parts: list) -> str:
    if parts[-1:] == ["host"]:
        return (" (read from the existing configuration: give the modality's IP address there, or add "
                "--set dicom.check_modality_host=false to the same command to check AETs only)")
    return HINT


def _parse_path(path: str) -> list:
    return [int(i) if i else (name or json.loads(f'"{quoted}"'))
            for name, i, quoted in re.findall(r"\.(\w+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]", path)]

