"""Where the Orthanc container's passwords are: written in clear in the compose file or beside it,
printed to the logs by the start-up script, or left empty by an unset `${VAR}`."""

from __future__ import annotations

import json
import re

from wizard.sources.compose import names
from wizard.sources.compose.model import Deployment, Variable
from wizard.sources.compose.rules_base import DOCKER_BOOK, at_variable, is_secret_name, is_user_name, references
from wizard.sources.compose.rules_base import written_value
from wizard.topics.base import Finding, Rule

SECRETS_DOC = "https://docs.docker.com/compose/how-tos/use-secrets/"
VERBOSE = Rule(
    "OH-DOCKER-005", "medium", "Start-up script prints the configuration, passwords included",
    "With VERBOSE_STARTUP (or the deprecated BUNDLE_DEBUG) set to true or to nothing, the image's start-up "
    "script logs every step and then the whole configuration it generated: RegisteredUsers' passwords, "
    "the database's password and every other secret go to `docker compose logs`, to every log collector "
    "and to whoever may read the container's logs.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix="remove VERBOSE_STARTUP and BUNDLE_DEBUG (or set them to false) once start-up works")
INLINE = Rule(
    "OH-DOCKER-006", "high", "Password written in the compose file",
    "A password in `environment:` is in clear in the compose file (often in a repository, and copied with "
    "it), in `docker inspect` for whoever may use Docker, and in every process's environment in the "
    "container. The image reads a secret file instead: `NAME_SECRET=<secret>` or a secret named like the "
    "variable. One in `.env` or an env_file is still in clear in the project folder.",
    needs="deployment",
    doc=SECRETS_DOC,
    fix="move it to a secret file (mode 0600, outside the repository) mounted with `secrets:`, and point "
        "the variable at it: ORTHANC__POSTGRESQL__PASSWORD_SECRET=<secret name> (the users: "
        "ORTHANC__REGISTERED_USERS_SECRET, the file holding their JSON object)")
EMPTY = Rule(
    "OH-DOCKER-007", "high", "User or password left empty by an unset variable",
    "Compose replaces an unset `${VAR}` with an empty string (with a warning nobody reads at `up`): a "
    "registered user gets an empty password, which logs in with nothing but the user's name (curl -u "
    "name:), or a database login gets no password.",
    needs="deployment",
    doc="https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/",
    fix="set the variable, or make compose refuse to start without it: ${VAR:?must be set}")
RULES = (VERBOSE, INLINE, EMPTY)

SECRET_KEY_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def findings(deployment: Deployment) -> list[Finding]:
    env = deployment.service.environment.values()
    return ([f for v in env for f in verbose(v)] + [f for v in env for f in inline(deployment, v)]
            + [f for v in env for f in empty(v)])


def verbose(variable: Variable) -> list[Finding]:
    """The generator's test: defined, and empty or exactly `true` (`True` or `1` do not count)."""
    if variable.name not in ("VERBOSE_STARTUP", "BUNDLE_DEBUG") or variable.value not in ("", "true"):
        return []
    shown = variable.value or "(empty)"
    return [at_variable(VERBOSE, variable, f"{variable.name}={shown}: the start-up script prints the generated "
                        "configuration, passwords included, to the container's log", current=variable.value,
                        recommended="false")]


def credentials(variable: Variable) -> list[tuple[str, str, str]]:
    """(where, kind, text) for each user name and password the variable's value carries: the
    generator's settings by their key path, any other name (read by `${VAR}` in a mounted JSON file)
    by its own."""
    if names.is_pointer(variable.name) or variable.value is None:
        return []
    if variable.name == "ORTHANC_PASSWORD":
        return [("RegisteredUsers.orthanc", "password", variable.value)]
    path = _path(variable.name)
    try:
        value = json.loads(variable.value) if path is not None else variable.value
    except ValueError:
        value = variable.value
    if isinstance(value, (dict, list)):
        return list(_walk(value, path))
    where = ".".join(path) if path else variable.name
    if path and len(path) == 2 and path[0] == "RegisteredUsers":  # ORTHANC__REGISTERED_USERS__<NAME>
        return [(where, "user", path[1]), (where, "password", variable.value)]
    if is_secret_name(variable.name) and not is_path(variable.value):
        return [(where, "password", variable.value)]
    if is_user_name(variable.name):
        return [(where, "user", variable.value)]
    return []


def is_path(text: str) -> bool:
    """A file's path (DicomTlsPrivateKey, SslCertificate): not a secret itself."""
    return text.startswith(("/", "./", "../"))


def _path(name: str) -> tuple[str, ...] | None:
    """The key path the name sets, or means (ORTHANC_ with one underscore: ignored, but meant)."""
    if name == "ORTHANC_JSON":
        return ()
    if name.startswith("ORTHANC_") and not name.startswith(names.PREFIX):
        name = names.PREFIX + name[len("ORTHANC_"):]
    if not names.is_setting(name):
        return None
    try:
        return names.key_path(name)
    except (ValueError, IndexError):
        return None


def _walk(node, path: tuple):
    if path[-1:] == ("RegisteredUsers",) and isinstance(node, dict):
        for user, password in node.items():
            yield f"RegisteredUsers.{user}", "user", user
            if isinstance(password, str):
                yield f"RegisteredUsers.{user}", "password", password
        return
    if len(path) >= 2 and path[-2] in ("OrthancPeers", "Servers") and isinstance(node, list) and len(node) >= 3:
        if all(isinstance(item, str) for item in node[1:3]):
            yield ".".join(path), "user", node[1]
            yield ".".join(path), "password", node[2]
        return
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        where = (*path, str(key))
        if isinstance(child, str) and isinstance(key, str):
            spelled = SECRET_KEY_WORDS.sub("_", key).upper()
            if is_secret_name(spelled) and not is_path(child):
                yield ".".join(where), "password", child
            elif is_user_name(spelled):
                yield ".".join(where), "user", child
        else:
            yield from _walk(child, where)


def inline(deployment: Deployment, variable: Variable) -> list[Finding]:
    """Passwords of the value written in clear: in the compose file (high), in .env or an env_file (medium).
    One taken from the environment of `docker compose up` is not in any file: no finding."""
    passwords = [(where, text) for where, kind, text in credentials(variable)
                 if kind == "password" and text and text not in ("true", "false", "null")]
    written, refs = written_value(variable), references(variable.written)
    in_compose = variable.file == deployment.file
    clear = [where for where, text in passwords if text in written]
    dotenv = [where for where, text in passwords if text not in written
              and any(text in deployment.dotenv.get(ref, "") for ref in refs)]
    pointer = f"{variable.name}_SECRET" if variable.name.startswith(names.PREFIX) else None
    instead = f" ({pointer}=<secret> reads it from a secret file instead)" if pointer else ""
    if clear:
        where = "the compose file" if in_compose else f"{variable.file.name} (env_file)"
        return [at_variable(INLINE, variable, f"{variable.name}: {_listed(clear)} written in clear in {where}"
                            + instead, severity=None if in_compose else "medium", recommended=pointer)]
    if dotenv:
        return [at_variable(INLINE, variable, f"{variable.name}: {_listed(dotenv)} taken from .env, in clear in "
                            "the project folder" + instead, severity="medium", recommended=pointer)]
    return []


def _listed(wheres: list[str]) -> str:
    return ("the password of " if len(wheres) == 1 else "the passwords of ") + ", ".join(dict.fromkeys(wheres))


def empty(variable: Variable) -> list[Finding]:
    """A user name or a password that an unset or empty `${VAR}` made empty."""
    if not variable.unset or variable.value is None:
        return []
    blank = [f"{'user name' if kind == 'user' else 'password'} of {where}" for where, kind, text in
             credentials(variable) if not text.strip()]
    if not blank and variable.value.strip() == "" and (is_secret_name(variable.name) or is_user_name(variable.name)):
        blank = [variable.name]
    if not blank:
        return []
    unset = ", ".join(f"${{{name}}}" for name in variable.unset)
    tail = ": the generator then creates no user" if variable.name == "ORTHANC_PASSWORD" else ""
    return [at_variable(EMPTY, variable, f"{unset} is unset or empty: {variable.name} leaves the "
                        f"{', '.join(dict.fromkeys(blank))} empty{tail}")]
