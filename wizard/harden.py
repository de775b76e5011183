"""The pure core: answers (+ existing configuration) → the files to write, nothing written."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from wizard import __version__, checklist
from wizard.topics import TOPICS
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
    secrets: set[str] = field(default_factory=set)


def plan(answers: Answers, profile_name: str, existing: dict | None = None) -> Plan:
    """Run every topic over the answers. `existing` is the configuration being replaced."""
    build = Build(answers=answers, profile_name=profile_name, existing=existing or {})
    for topic in TOPICS:
        topic.apply(answers, build)
    secret_mode = 0o640 if answers["service"]["group"] else 0o600
    files = {CONFIG_FILE: OutputFile(json.dumps(build.settings, indent=2, ensure_ascii=False) + "\n",
                                     secret_mode, secret=True)}
    files.update({name: OutputFile(text, 0o644) for name, text in build.files.items()})
    files[CHECKLIST_FILE] = OutputFile(checklist.render(answers, build.warnings), 0o644)
    files[ANSWERS_FILE] = OutputFile(saved_answers(answers), 0o644)
    return Plan(files, build.warnings, build.generated, build.secrets)


def saved_answers(answers: Answers) -> str:
    """The effective answers as a profile that reproduces this run, without any secret."""
    saved = copy.deepcopy(answers)
    for entry in saved["authentication"]["users"] + saved["outgoing"]["peers"]:
        if isinstance(entry.get("password"), str):
            entry["password"] = {"keep": True}
    header = (f"// Answers of orthanc-harden {__version__}; secrets are not stored here.\n"
              "// Replay: orthanc-harden apply --preset orthanc-harden.jsonc --out DIR\n")
    return header + json.dumps(saved, indent=2, ensure_ascii=False) + "\n"
