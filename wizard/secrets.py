"""Passwords: generated once, read from the environment, kept, or given literally."""

from __future__ import annotations

import os
import string
from secrets import choice  # the standard library's, made for this (PEP 506)

from wizard.errors import BadInput, Problem

# Letters and digits only: nothing that JSON, Orthanc's `${VAR}` substitution, a shell or
# HTTP Basic authentication could misread. 24 of 62 symbols give about 143 bits of entropy.
LENGTH = 24
CHARSET = string.ascii_letters + string.digits
MAX_BYTES = 72  # bcrypt's limit: what a proxy or a later hash could silently truncate


def generate() -> str:
    return "".join(choice(CHARSET) for _ in range(LENGTH))


def resolve(spec, existing: str | None, where: tuple[str, str]) -> tuple[str, str]:
    """The password for a spec, and how it was obtained: generated, env, kept or literal.

    `where` is (file, json_path) for error messages. A generated password is made only when
    none exists yet, so that a second identical run changes nothing.
    """
    if isinstance(spec, str):
        return check(spec, where), "literal"
    if spec.get("generate"):
        return (existing, "kept") if existing else (generate(), "generated")
    if spec.get("keep"):
        if existing is None:
            raise BadInput(Problem(*where, "'keep' asks for the existing password, but there is none"))
        return existing, "kept"
    name = spec["env"]
    value = os.environ.get(name)
    if not value:
        raise BadInput(Problem(*where, f"the environment variable {name} is not set or empty"))
    return check(value, where, f"the value of {name}"), "env"


def check(value: str, where: tuple[str, str], what: str = "the password") -> str:
    if not value.strip():
        raise BadInput(Problem(*where, f"{what} is only spaces: Orthanc would take it as it is, and nobody has to guess it"))
    if len(value.encode("utf-8")) > MAX_BYTES:
        raise BadInput(Problem(*where, f"{what} is longer than {MAX_BYTES} UTF-8 bytes"))
    if "${" in value:
        raise BadInput(Problem(*where, f"{what} contains '${{', which Orthanc would replace from the environment"))
    return value
