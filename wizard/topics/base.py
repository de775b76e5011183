"""What every topic module declares: questions as data, checklist steps, findings."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any, Callable

from wizard import versions
from wizard.orthanc.config_files import has_type
from wizard.orthanc.document import is_placeholder
from wizard.orthanc.options import OPTIONS

Answers = dict[str, Any]

# Question kinds, mapped to widgets or prompts by the front ends (never by the core).
KINDS = ("bool", "int", "text", "choice", "networks", "users", "modalities", "peers")


@dataclass(frozen=True)
class Question:
    """One answer of the profile, addressed by its dotted id (`dicom.check_called_aet`)."""

    id: str
    kind: str
    title: str
    help: str
    choices: tuple[str, ...] = ()
    when: Callable[[Answers], bool] | None = None

    def shown(self, answers: Answers) -> bool:
        return self.when is None or bool(self.when(answers))


def client_url(answers: Answers) -> str:
    """Where clients reach the REST API: the proxy, Orthanc's own HTTPS, or plain HTTP on
    127.0.0.1 (a server without TLS is meant for this host)."""
    https, port = answers["https"], answers["network"]["http_port"]
    if https["mode"] == "reverse-proxy":
        return f"https://{https['server_name']}:{https['port']}"
    if https["mode"] == "native":
        return f"https://{https['server_name']}:{port}"
    return f"http://127.0.0.1:{port}"


def sh(word: str) -> str:
    """A value as one word of a checklist's shell command: a path may hold spaces or `$`."""
    return shlex.quote(word)


@dataclass(frozen=True)
class Step:
    """A manual step of the checklist: why it matters and the exact commands."""

    title: str
    why: str
    commands: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A weakness of an existing configuration (used by `audit` and the live findings)."""

    id: str
    severity: str  # "high", "medium", "low"
    key: str
    message: str


@dataclass
class Build:
    """What the topics write into: Orthanc settings in order, extra files, warnings."""

    answers: Answers
    profile_name: str
    existing: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> versions.Version:
        return versions.parse(self.answers["orthanc_version"])

    def supports(self, since: str | versions.Version) -> bool:
        return self.version >= (versions.parse(since) if isinstance(since, str) else since)

    def set(self, key: str, value) -> None:
        """Set an Orthanc option, or leave it out (with a warning) if the target is too old."""
        option = OPTIONS[key]
        if self.supports(option.since):
            self.settings[key] = value
        else:
            self.warn(f"{key} is left out: it needs Orthanc {versions.show(option.since)}, "
                      f"the target is {self.answers['orthanc_version']}")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def get(answers: Answers, dotted: str):
    value = answers
    for part in dotted.split("."):
        value = value[part]
    return value


def put(answers: Answers, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    node = answers
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def put_entries(answers: Answers, dotted: str, section, read_one: Callable[[str, Any], dict | None]) -> None:
    """A list answer from an Orthanc section of named entries (DicomModalities, OrthancPeers),
    read entry by entry; an entry `read_one` leaves as written (None) is not an answer."""
    found = [e for e in (read_one(n, v) for n, v in section.items()) if e] if isinstance(section, dict) else []
    if found:
        put(answers, dotted, found)


def setting(config: dict, key: str, default):
    """An Orthanc option's value, its default when absent, or None when unknown (`${VAR}`)."""
    if key not in config:
        return default
    value = config[key]
    if isinstance(value, str) and "${" in value:
        return None
    return value


def read_pairs(config: dict, sources: dict[str, str]) -> Answers:
    """Partial answers from options holding a plain value of their type (a `${VAR}` cannot be judged)."""
    answers: Answers = {}
    for answer, key in sources.items():
        value = config.get(key)
        if key in config and not is_placeholder(value) and has_type(value, OPTIONS[key].type):
            put(answers, answer, value)
    return answers


def flagged(config: dict, rules) -> list[Finding]:
    """Findings for the options that are on: rules are (id, severity, option, default, message)."""
    return [Finding(id_, severity, key, message) for id_, severity, key, default, message in rules
            if setting(config, key, default)]
