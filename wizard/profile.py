"""Profiles: load a preset or file, validate it against the schema, fill the hardened defaults."""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from wizard import checks, jsonc, resources
from wizard.errors import BadInput, Problem, json_path

PRESET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

FORMATS = FormatChecker()


@FORMATS.checks("cidr", raises=ValueError)
def _is_cidr(value) -> bool:
    return not isinstance(value, str) or bool(ipaddress.ip_network(value, strict=True))


@FORMATS.checks("ipv4-cidr", raises=ValueError)
def _is_ipv4_cidr(value) -> bool:
    return not isinstance(value, str) or bool(ipaddress.IPv4Network(value, strict=True))


@cache
def schema() -> dict:
    return json.loads(resources.schema_path("profile.schema.json").read_text("utf-8"))


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FORMATS)


def locate(preset: str) -> Path:
    """A shipped preset's file by name, else the path given."""
    if PRESET_NAME.match(preset) and resources.preset_path(preset).is_file():
        return resources.preset_path(preset)
    path = Path(preset)
    if not path.exists() and PRESET_NAME.match(preset):
        known = ", ".join(resources.preset_names())
        raise BadInput(Problem(preset, "$", f"no such preset or file (shipped presets: {known})"))
    return path


def load(preset: str) -> tuple[dict, str]:
    """Read a profile and validate it whole; returns (raw profile, file name for messages)."""
    raw, name = read(preset)
    problems = validate(raw, name)
    if problems:
        raise BadInput(problems)
    return raw, name


def read(preset: str) -> tuple[dict, str]:
    """Read a profile and check it against the schema only: what needs the whole picture (the
    answers of --set, the configuration edited) is judged by `validate` once they are laid on.
    A profile that `"extends"` a preset or another profile is laid over it, key by key."""
    raw, name = _read(preset, ())
    problems = schema_problems(raw, name)
    if problems:
        raise BadInput(problems)
    return raw, name


def _read(preset: str, seen: tuple[Path, ...]) -> tuple[dict, str]:
    path = locate(preset)
    name = str(path)
    raw = jsonc.load(path)
    base = raw.get("extends") if isinstance(raw, dict) else None
    if base is None:
        return raw, name
    if not isinstance(base, str):
        raise BadInput(Problem(name, "$.extends", "must name a preset or a profile file"))
    base_path = locate(base) if PRESET_NAME.match(base) else (path.parent / base)
    if base_path.resolve() in seen or base_path.resolve() == path.resolve():
        raise BadInput(Problem(name, "$.extends", f"{base!r} extends this profile again (a loop)"))
    under, _ = _read(str(base_path), (*seen, path.resolve()))
    problems = schema_problems(under, str(base_path))
    if problems:
        raise BadInput(problems)
    return overlay(under, {k: v for k, v in raw.items() if k != "extends"}), name


def overlay(under: dict, over: dict) -> dict:
    """`over` laid on `under`: objects merged key by key, anything else (lists too) replaced."""
    merged = copy.deepcopy(under)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = overlay(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def validate(raw, name: str) -> list[Problem]:
    """Every problem of a profile, schema first, then what the schema cannot say."""
    problems = schema_problems(raw, name)
    if problems:
        return problems
    return sorted(checks.run(effective(raw), name))


def schema_problems(raw, name: str) -> list[Problem]:
    """What the schema alone says of a (partial) profile."""
    return sorted(_problem(error, name) for error in validator().iter_errors(raw))


def _problem(error, name: str) -> Problem:
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = _closest(error.context)
    message = _message(error)
    if "password" in error.absolute_path:  # never echo a secret, whatever its (wrong) type
        message = message.replace(repr(error.instance), "the password")
    return Problem(name, json_path(error.absolute_path), message)


def _closest(errors):
    """The branch of a oneOf that the value came closest to: the deepest, most specific error."""
    generic = ("type", "required", "additionalProperties")
    return max(errors, key=lambda e: (len(e.relative_path), e.validator not in generic))


def _message(error) -> str:
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and custom:
        return f"{error.instance!r}: {custom}"
    if error.validator == "format":
        return _format_message(error.instance)
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{error.message} (allowed: {allowed})"
    return error.message


def _format_message(value: str) -> str:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return f"{value!r} is not a network in CIDR notation such as 10.0.0.0/8"
    if network.version == 6 and "/" in value:
        return f"{value!r}: Orthanc's HTTP filter sees IPv4 addresses only; give an IPv4 network"
    return f"{value!r} has host bits set: did you mean {network}?"


def defaults() -> dict:
    """The hardened answers: what an empty profile means."""
    return fill_defaults({})


def effective(raw: dict) -> dict:
    """The profile with every default filled in (a new object; raw is not changed)."""
    return fill_defaults(copy.deepcopy(raw))


def fill_defaults(instance: dict) -> dict:
    filled = _fill(schema(), instance)
    for dotted, source in _followers():
        section, key = dotted.split(".")
        if isinstance(filled.get(section), dict) and key not in filled[section]:
            filled[section][key] = _at(filled, source)
    return filled


@cache
def _followers() -> tuple[tuple[str, str], ...]:
    """(answer, answer it follows): a key whose default is another answer's value (the schema's
    x-default-from), such as authentication.search_and_zips, on where Orthanc Explorer is on."""
    return tuple((f"{name}.{key}", node["x-default-from"]) for name, section in schema()["properties"].items()
                 for key, node in resolve(section).get("properties", {}).items() if "x-default-from" in node)


def _at(answers: dict, dotted: str):
    for part in dotted.split("."):
        answers = answers[part]
    return copy.deepcopy(answers)


def resolve(node: dict) -> dict:
    """A schema node with its $ref followed (to the schema's $defs)."""
    while "$ref" in node:
        node = schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _fill(node: dict, value):
    node = resolve(node)
    if isinstance(value, dict) and "properties" in node:
        for key, sub in node["properties"].items():
            sub_resolved = resolve(sub)
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            elif key not in value and "default" in sub_resolved:
                value[key] = copy.deepcopy(sub_resolved["default"])
            if key in value:
                value[key] = _fill(sub, value[key])
    elif isinstance(value, list) and "items" in node:
        value[:] = [_fill(node["items"], item) for item in value]
    return value
