"""The pure core: answers (+ existing configuration) → the files to write, nothing written."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from wizard import __version__, checklist, residual
from wizard.orthanc import proxy_secret
from wizard.topics import TOPICS
from wizard.topics.https_nginx import NGINX_FILE
from wizard.topics.base import Answers, Build

CONFIG_FILE = "orthanc.json"
CHECKLIST_FILE = "CHECKLIST.md"
ANSWERS_FILE = "orthanc-harden.jsonc"  # not *.json: Orthanc merges every *.json of its folder


@dataclass(frozen=True)
class OutputFile:
    text: str
    mode: int
    secret: bool = False


@dataclass
class Plan:
    """Everything one run would write, and what to tell the user about it."""

    files: dict[str, OutputFile] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what an edit kept, hardened or tightened
    owners: dict[str, tuple[int, int]] = field(default_factory=dict)  # in-place edits: (uid, gid) to keep
    findings: list = field(default_factory=list)  # what the audit's rules still find in what is written


def build(answers: Answers, profile_name: str, existing: dict | None = None, keep_weak: bool = False,
          run: str = "new") -> Build:
    """Run every topic over the answers: the Orthanc settings and the extra files they make.
    `run` says what is written (topics.base.RUNS): an edit keeps some options as they are."""
    result = Build(answers=answers, profile_name=profile_name, existing=existing or {}, keep_weak=keep_weak,
                   run=run)
    for topic in TOPICS:
        topic.apply(answers, result)
    return result


def plan(answers: Answers, profile_name: str, existing: dict | None = None, out_dir=None) -> Plan:
    """A new configuration, written to out_dir (the checklist names it). `existing` is the
    configuration being replaced."""
    result = build(answers, profile_name, existing)
    secret_mode = 0o640 if answers["service"]["group"] else 0o600
    files = {CONFIG_FILE: OutputFile(json.dumps(result.settings, indent=2, ensure_ascii=False) + "\n",
                                     secret_mode, secret=True)}
    files.update({name: OutputFile(text, private_mode(name, 0o644)) for name, text in result.files.items()})
    files.update(reports(answers, result, out_dir))
    plan = Plan(files, result.warnings, result.generated)
    plan.findings = residual.of(json.loads(files[CONFIG_FILE].text), answers)
    return plan


def private_mode(name: str, mode: int) -> int:
    """A written file's mode: the nginx file holds the proxy's secret, for root only."""
    return proxy_secret.FILE_MODE if name == NGINX_FILE else mode


def reports(answers: Answers, result: Build, out_dir=None) -> dict[str, OutputFile]:
    """The files written beside the configuration into out_dir: the checklist and the answers."""
    return {CHECKLIST_FILE: OutputFile(checklist.render(answers, result.warnings, result.run, out_dir), 0o644),
            ANSWERS_FILE: OutputFile(saved_answers(answers), 0o644)}


def saved_answers(answers: Answers) -> str:
    """The effective answers as a profile that reproduces this run, without any secret."""
    saved = copy.deepcopy(answers)
    for entry in saved["authentication"]["users"] + saved["outgoing"]["peers"]:
        if isinstance(entry.get("password"), str):
            entry["password"] = {"keep": True}
    header = (f"// Answers of orthanc-harden {__version__}; secrets are not stored here.\n"
              "// Replay: orthanc-harden apply --preset orthanc-harden.jsonc --out DIR\n")
    return header + json.dumps(saved, indent=2, ensure_ascii=False) + "\n"
