"""CHECKLIST.md: the manual steps left, tailored to the answers, each with why and commands."""

from __future__ import annotations

from wizard.topics import TOPICS
from wizard.topics.base import Answers


def render(answers: Answers, warnings: list[str]) -> str:
    lines = ["# Hardening checklist for Orthanc", "",
             "Written by orthanc-harden for Orthanc " + answers["orthanc_version"] + ". "
             "These steps cannot be done by a configuration file; do them in order, as root.", ""]
    number = 0
    for topic in TOPICS:
        for step in topic.checklist(answers):
            number += 1
            lines += [f"## {number}. {step.title}", "", step.why, ""]
            if step.commands:
                lines += ["```sh", *step.commands, "```", ""]
    if warnings:
        lines += ["## Warnings from this run", "", *(f"- {w}" for w in warnings), ""]
    return "\n".join(lines)
