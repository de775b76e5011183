"""An edit that changes only what its --set answers change: `apply --config PATH --set KEY=VALUE`
without --preset, which the audit's fix lines print, so that a fix changes that finding's option
and nothing else (no hardening of the rest, no new user, no filter the answers do not ask for).

What an answer changes is found by building the same edit with that answer at another value:
the Orthanc options and files that then differ are the answer's; everything else is left as the
configuration has it."""

from __future__ import annotations

import copy

from wizard import harden
from wizard.orthanc.config_files import ConfigSet
from wizard.topics import questions
from wizard.topics.authentication import LUA_FILE
from wizard.topics.base import Answers, Build, get, put

_ABSENT = object()


def dotted(given: dict, prefix: str = "") -> list[str]:
    """The answers given with --set, by dotted id (a list, such as the users, is one answer)."""
    found = []
    for key, value in given.items():
        name = f"{prefix}{key}"
        found += dotted(value, name + ".") if isinstance(value, dict) else [name]
    return found


def baseline(answers: Answers, ids: list[str], profile_name: str, existing: dict, keep_weak: bool,
             run: str) -> tuple[Build, dict]:
    """The same edit with each given answer at another value, and the existing values the run then
    starts from: the passwords that build makes (a weak one rotated, a missing one generated) taken
    as existing, so that both hold the same ones unless the answers are about the users."""
    other = copy.deepcopy(answers)
    choices = {question.id: question.choices for question in questions()}
    for name in ids:
        put(other, name, _another(get(answers, name), choices.get(name, ())))
    base = harden.build(other, profile_name, existing, keep_weak=keep_weak, run=run)
    users = base.settings.get("RegisteredUsers")
    return base, ({**existing, "RegisteredUsers": users} if isinstance(users, dict) else existing)


def _another(value, choices: tuple[str, ...]):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [] if value else [None]
    return next((choice for choice in choices if choice != value), f"{value}-other")


def restrict(result: Build, base: Build, config: ConfigSet) -> None:
    """Keep in result only the settings and files that differ from the baseline's: the access filter
    only where Orthanc reads it (listed already, or by this edit); the passwords it made are handed
    over only when the users themselves change."""
    result.settings = {key: value for key, value in result.settings.items()
                       if base.settings.get(key, _ABSENT) != value}
    read = _filter_listed(config) or "LuaScripts" in result.settings
    result.files = {name: text for name, text in result.files.items()
                    if base.files.get(name) != text and (name != LUA_FILE or read)}
    if "RegisteredUsers" not in result.settings:
        result.generated, result.rotated = {}, []


def _filter_listed(config: ConfigSet) -> bool:
    scripts = config.values.get("LuaScripts")
    return isinstance(scripts, list) and any(isinstance(script, str) and config.host_path(script) == config.host_path(LUA_FILE)
                                             for script in scripts)
