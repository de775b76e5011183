"""What verify checks: the configuration in DIR, the answers saved beside it, and each user's password."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard import profile, secrets, sources
from wizard.errors import BadInput, Problem
from wizard.orthanc.policy import resolved

ANSWERS_FILE = "orthanc-harden.jsonc"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class Login:
    """How a user of the answers logs in from here: a password, or why there is none."""

    name: str  # the name Orthanc knows (a `${VAR}` name resolved)
    password: str | None
    missing: str = ""  # with no password: why it cannot be checked
    failure: str = ""  # with no password: why this is a failure rather than a gap
    unproven: str = ""  # with the configuration's own password: why it proves nothing about a change by hand
    configured: str | None = None  # the configuration's own password, judged weak or not whatever was handed over


@dataclass(frozen=True)
class Target:
    folder: Path
    values: dict  # the merged top-level values, as Orthanc reads them
    answers: dict  # the saved answers, every default filled in
    logins: dict[str, Login]  # by the user's name in the answers
    notes: tuple[str, ...] = ()  # what could not be run as the deployment has it (a compose image's own paths)


def read(path: Path, secrets_file: Path | None = None, environ: Mapping[str, str] | None = None,
         service: str | None = None) -> Target:
    """DIR as `apply` left it (a configuration folder or a compose deployment); BadInput (exit 2)
    names what is missing or broken."""
    if not path.exists():
        raise BadInput(Problem(str(path), "$", "no such file or directory"))
    folder = (path if path.is_dir() else path.parent).resolve()  # "." or a relative DIR: staged elsewhere
    answers_path = folder / ANSWERS_FILE
    if not answers_path.is_file():
        raise BadInput(Problem(str(answers_path), "$", "no saved answers here: verify checks what "
                                                       "`orthanc-harden apply` wrote (run it first, or name its folder)"))
    config = sources.read(path, service)
    values, notes = _runnable(config)
    raw, _ = profile.load(str(answers_path))
    answers = profile.effective(raw)
    beside = folder / secrets.HANDED_FILE
    secrets_file = secrets_file or (beside if beside.is_file() else None)
    handed = secrets.read_handed(secrets_file) if secrets_file else {}
    registered = values.get("RegisteredUsers")
    env = os.environ if environ is None else environ
    logins = {user["name"]: login(user, registered if isinstance(registered, dict) else {}, handed, env,
                                  secrets_file or beside)
              for user in answers["authentication"]["users"]}
    return Target(folder, values, answers, logins, tuple(notes))


def _runnable(config) -> tuple[dict, list[str]]:
    """What this host's Orthanc runs: the values as read, or a compose service's generated
    configuration with its container paths mapped to the mounted host files."""
    if not sources.is_compose(config):
        return config.values, []
    from wizard.sources.compose import runnable
    return runnable.on_host(config.deployment)


def login(user: dict, registered: dict, handed: dict[str, str], environ: Mapping[str, str],
          handed_at: Path | None = None) -> Login:
    """The password to check a user with: its variable's value for `{"env": NAME}`, else the one
    handed over (the wizard's file beside the configuration, or apply's --secrets-file), else the
    configuration's own, which proves only that the user can log in, not that the password is the
    one handed over."""
    name, spec = resolved(user["name"]), user["password"]
    if isinstance(spec, dict) and "env" in spec:
        value = environ.get(spec["env"])
        if not value:
            return Login(name, None, f"its password is the value of ${spec['env']}, which is not set here")
        return Login(name, value)
    stored = registered.get(user["name"])
    configured = substitute(stored, environ) if isinstance(stored, str) else None
    if user["name"] in handed:
        return Login(name, handed[user["name"]], configured=configured)
    if configured is None:
        return Login(name, None, failure=f"{user['name']} is not in RegisteredUsers: it cannot log in")
    where = f"{handed_at} does not name it" if handed_at and handed_at.is_file() else f"no {handed_at or secrets.HANDED_FILE}"
    return Login(name, configured, configured=configured,
                 unproven=f"password not proven: {where}, so it was checked with the configuration's own, which a "
                          "change by hand would pass too (give the passwords handed over with --secrets-file)")


def substitute(text: str, environ: Mapping[str, str]) -> str:
    """`${VAR}` and `${VAR:-default}` replaced as Orthanc replaces them when it reads its files."""
    return _VARIABLE.sub(lambda m: environ.get(m.group(1)) or (m.group(2) or "").strip("\"'"), text)
