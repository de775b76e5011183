"""What the compose rules share: where a finding is (the compose line that writes it), what a
variable's value is made of, and the words that name a password."""

from __future__ import annotations

import dataclasses
import re

from wizard.sources.compose.model import Service, Variable
from wizard.topics.base import Finding, Rule

DOCKER_BOOK = "https://orthanc.uclouvain.be/book/users/docker-orthancteam.html"
COMPOSE_DOCS = "https://docs.docker.com/reference/compose-file/services/"
# The last word of a variable name that says its value is a credential (`..._SECRET` is a file pointer).
SECRET_WORDS = {"PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS"}
SECRET_KEYS = {"SECRET", "ACCOUNT", "API", "PRIVATE", "MASTER", "ENCRYPTION", "SIGNING", "SHARED", "CLIENT"}
# A reference compose interpolates: `$$` is a literal dollar, `${NAME...}` and `$NAME` are variables.
_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def at(rule: Rule, file, line: int | None, key: str, message: str, *, current=None, recommended=None,
       severity: str | None = None) -> Finding:
    """A finding placed at a compose (or env_file) line: `key` is the word on that line (a variable,
    a port as written, `image`, `user`, or the service's name when something is missing there)."""
    found = rule.found(key, message, path=(), current=current, recommended=recommended, severity=severity)
    return dataclasses.replace(found, file=str(file), line=line)


def at_variable(rule: Rule, variable: Variable, message: str, **fields) -> Finding:
    return at(rule, variable.file, variable.line, variable.name, message, **fields)


def key_line(service: Service, key: str) -> int:
    """The line of `key:` in the service's mapping (ruamel keeps it), else the service's own line."""
    try:
        return service.node.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return service.line


def references(written: str) -> list[str]:
    """The variables compose interpolates in `written` (`$$` escapes excluded)."""
    return [m.group(1) or m.group(2) for m in _REFERENCE.finditer(written or "") if m.group() != "$$"]


def written_value(variable: Variable) -> str:
    """The value as written, without the `NAME=` of a list item or an env_file line."""
    written = variable.written or ""
    return written[len(variable.name) + 1:] if written.startswith(variable.name + "=") else written


def literal_text(variable: Variable) -> str:
    """What is left of a value once its references are taken out: the part written in clear."""
    return _REFERENCE.sub("", written_value(variable)).strip().strip("'\"")


def is_secret_name(name: str) -> bool:
    """A name whose last word says it holds a credential: ORTHANC__POSTGRESQL__PASSWORD, ORTHANC_PASSWORD,
    ORTHANC__AWS_S3_STORAGE__SECRET_KEY. KEY alone says little (S3's PrefixKey, AccessKey are not
    secret): only a key of the kinds that are (secret, account, API, private, master, encryption)."""
    words = [word for word in re.split(r"_+", name.upper()) if word]
    if not words:
        return False
    if words[-1] == "KEY":
        return len(words) > 1 and words[-2] in SECRET_KEYS
    return words[-1] in SECRET_WORDS


def is_user_name(name: str) -> bool:
    words = re.split(r"_+", name.upper())
    return words[-1] in {"USER", "USERNAME", "LOGIN"}
