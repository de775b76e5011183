"""CHECKLIST.md: the manual steps left, tailored to the answers, each with why and commands.

In order, and none depends on a later one: the firewall's rules come from each topic, and it is
turned on once, right after the last of them, when every port the site uses is allowed; what
needs the new files in use (a login, what a stranger gets) is checked in the last step, after
the restart.
"""

from __future__ import annotations

from wizard.topics import TOPICS
from wizard.topics.base import Answers, Step
from wizard.topics.network import ENABLE


def render(answers: Answers, warnings: list[str], run: str = "new") -> str:
    """The checklist of a run (topics.base.RUNS): a step declared for other runs is left out."""
    lines = ["# Hardening checklist for Orthanc", "",
             "Written by orthanc-harden for Orthanc " + answers["orthanc_version"] + ". "
             "These steps cannot be done by a configuration file; do them in order, as root.", ""]
    steps = [step for topic in TOPICS for step in topic.checklist(answers) if not step.runs or run in step.runs]
    steps = firewall_on(steps)
    steps.append(verification(answers))
    return markdown(lines, steps, warnings)


def markdown(heading: list[str], steps: list[Step], warnings: list[str]) -> str:
    """A checklist's text: its heading lines, the numbered steps with their commands, the warnings."""
    lines = list(heading)
    for number, step in enumerate(steps, 1):
        lines += [f"## {number}. {step.title}", "", step.why, ""]
        if step.commands:
            lines += ["```sh", *step.commands, "```", ""]
    if warnings:
        lines += ["## Warnings from this run", "", *(f"- {w}" for w in warnings), ""]
    return "\n".join(lines)


def _firewall(step: Step) -> bool:
    return any(command.startswith("ufw ") for command in step.commands)


def firewall_on(steps: list[Step]) -> list[Step]:
    """The steps, with the firewall turned on once, right after the last step that adds a rule:
    ufw then denies every port not allowed, so every allow is in place before (no outage)."""
    last = max((index for index, step in enumerate(steps) if _firewall(step)), default=None)
    if last is None:
        return steps
    ports = sorted({word.split("/")[0] for step in steps for command in step.commands if command.startswith("ufw ")
                    for word in command.split("  #")[0].split()[2:] if word.split("/")[0].isdigit()}, key=int)
    on = Step("Turn the firewall on",
              "Once on, ufw refuses every incoming connection no rule allows. The rules of the steps above "
              f"(ports {', '.join(ports)}) are all in place first, so that no port the site uses closes even "
              "for a moment, and SSH is allowed too, or the session running these commands is cut.",
              (*ENABLE, "ufw status numbered  # each port's allows come before its deny"))
    return [*steps[:last + 1], on, *steps[last + 1:]]


def verification(answers: Answers) -> Step:
    """The last step: restart Orthanc on the new files, then a login that must work (each topic's
    `login_checks`) and what a stranger gets (`stranger_checks`); each command's comment says the
    answer to expect (the tests run them on the real Orthanc)."""
    checks = [line for topic in TOPICS for kind in ("login_checks", "stranger_checks")
              for line in getattr(topic, kind, lambda _: [])(answers)]
    return Step("Restart Orthanc, then check a login and what a stranger gets",
                "Orthanc reads its configuration only when it starts. A login that works, a refused "
                "anonymous request and a refused unknown AET show that the new files are the ones in use. "
                "These run on this host, against Orthanc itself: neither the proxy nor the firewall is in "
                "the way.",
                ("systemctl restart orthanc && systemctl --no-pager status orthanc | head -3", *checks))
