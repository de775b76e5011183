"""What every topic module declares: questions as data, checklist steps, findings."""

from __future__ import annotations

import os
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
        return f"https://{https['server_name'] or 'localhost'}:{port}"
    return f"http://127.0.0.1:{port}"


def written_to(answers: Answers) -> str:
    """The folder this run wrote its files to, absolute: the checklist's commands name it, so that
    they run from any folder (checklist.render puts it in the answers it hands the topics)."""
    return answers["service"].get("written_to") or os.path.abspath("orthanc-hardened")


def sh(word: str) -> str:
    """A value as one word of a checklist's shell command: a path may hold spaces or `$`."""
    return shlex.quote(word)


@dataclass(frozen=True)
class Step:
    """A manual step of the checklist: why it matters and the exact commands."""

    title: str
    why: str
    commands: tuple[str, ...] = ()
    runs: tuple[str, ...] = ()  # the RUNS it belongs to; () for every run
    stage: str = "prepare"  # one of STAGES: where the checklist puts it, so that no step cuts service


# The checklist's order (checklist.render). Until "restart" Orthanc runs on its old files, and nothing
# before it interrupts service: what the new files need (certificates, the proxy, the firewall's
# rules) is in place and tested first; "after" is what needs the new files in use.
STAGES = ("prepare", "certificate", "proxy", "clients", "firewall", "restart", "after")


# What a run writes: a new configuration, edited copies in another folder, or an edit in place.
RUNS = ("new", "copies", "in place")


SEVERITIES = ("critical", "high", "medium", "low", "info")  # worst first
BOOK = "https://orthanc.uclouvain.be/book/"
SECURING = BOOK + "faq/security.html"  # the Orthanc Book's "Securing Orthanc" page


@dataclass(frozen=True)
class Rule:
    """One check of an existing configuration: a stable ID, why it matters and how to fix it.

    `sets` are the `apply --set` answers that fix it; `fix` says what to do otherwise.
    `needs` names what the rule judges beyond the values ("files", "target", "host"): without
    it the rule is not run, and the audit says so."""

    id: str
    severity: str
    title: str
    why: str
    doc: str = SECURING
    sets: tuple[str, ...] = ()
    fix: str = ""
    needs: str = ""
    scanner: str = ""  # the scanner check that sees the same (probe's rules: SARIF help names it)

    def found(self, key: str, message: str, *, path: tuple | None = None, current=None, recommended=None,
              severity: str | None = None) -> Finding:
        return Finding(self.id, severity or self.severity, key, message, path=(key,) if path is None else path,
                       current=current, recommended=recommended, rule=self)


@dataclass(frozen=True)
class Finding:
    """A weakness of an existing configuration (used by `audit` and the live findings).

    `path` is where it is in the merged configuration (JSON path parts, () when nowhere in
    particular); `file` and `line` are filled in by the audit from the files it read."""

    id: str
    severity: str  # one of SEVERITIES
    key: str
    message: str
    path: tuple = ()
    current: Any = None  # the value Orthanc uses (None: not shown, e.g. a password)
    recommended: Any = None
    rule: Rule | None = None
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Facts:
    """What an audit knows beyond the merged values, None where it does not know: the files
    read (modes, texts, folder), the Orthanc release judged, whether it is Debian's package."""

    files: Any = None  # orthanc.config_files.ConfigSet
    target: versions.Version | None = None
    debian_package: bool | None = None
    deployment: Any = None  # sources.compose.model.Deployment: the compose service that runs Orthanc
    answers: Any = None  # a run's answers (apply, the wizard): the proxy and users' networks the files cannot show


NO_FACTS = Facts()


def readable_by_others(facts: Facts, key: str):
    """The file holding `key` when every local account may read it (mode o+r), else None."""
    holder = facts.files.origin_file(key) if facts.files is not None else None
    return holder if holder is not None and holder.stat.st_mode & 0o004 else None


@dataclass
class Build:
    """What the topics write into: Orthanc settings in order, extra files, warnings."""

    answers: Answers
    profile_name: str
    existing: dict = field(default_factory=dict)
    run: str = "new"  # one of RUNS
    settings: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)
    keep_weak: bool = False  # --keep-weak-passwords: a well-known existing password is not replaced
    rotated: list[str] = field(default_factory=list)  # users whose well-known password was replaced

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
    """Findings for the options that are on: rules are (rule, option, default, message); the
    recommended value is off."""
    return [rule.found(key, message, current=setting(config, key, default), recommended=False)
            for rule, key, default, message in rules if setting(config, key, default)]
