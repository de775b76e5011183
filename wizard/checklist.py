"""CHECKLIST.md: the manual steps left, tailored to the answers, each with why and commands."""

from __future__ import annotations

from wizard.topics import TOPICS
from wizard.topics.base import Answers, Step


def render(answers: Answers, warnings: list[str], run: str = "new") -> str:
    """The checklist of a run (topics.base.RUNS): a step declared for other runs is left out."""
    lines = ["# Hardening checklist for Orthanc", "",
             "Written by orthanc-harden for Orthanc " + answers["orthanc_version"] + ". "
             "These steps cannot be done by a configuration file; do them in order, as root.", ""]
    steps = [step for topic in TOPICS for step in topic.checklist(answers) if not step.runs or run in step.runs]
    steps.append(verification(answers))
    for number, step in enumerate(steps, 1):
        lines += [f"## {number}. {step.title}", "", step.why, ""]
        if step.commands:
            lines += ["```sh", *step.commands, "```", ""]
    if warnings:
        lines += ["## Warnings from this run", "", *(f"- {w}" for w in warnings), ""]
    return "\n".join(lines)


def verification(answers: Answers) -> Step:
    """The last step: restart Orthanc on the new files, then see what a stranger gets: each
    topic's `stranger_checks`, whose comments say the answer to expect (the tests run them on
    the real Orthanc)."""
    checks = [line for topic in TOPICS for line in getattr(topic, "stranger_checks", lambda _: [])(answers)]
    return Step("Restart Orthanc and check what a stranger gets",
                "Orthanc reads its configuration only when it starts. A refused anonymous request and a "
                "refused unknown AET show that the new files are the ones in use.",
                ("systemctl restart orthanc && systemctl --no-pager status orthanc | head -3", *checks))
