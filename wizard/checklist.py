"""CHECKLIST.md: the manual steps left, tailored to the answers, each with why and commands.

A sequence with no outage: each step has a stage (topics.base.STAGES) and they come in that order.
Until the restart, Orthanc runs on the configuration it started with, and nothing before it
interrupts service: the certificates, the proxy (tested, and live when Orthanc already asks a
login), the clients moved to it, every firewall rule, then the firewall turned on once, right
after the last rule; the restart says how long service stops; what needs the new files in use (a
login, what a stranger gets) is checked right after it.
"""

from __future__ import annotations

import os

from wizard.topics import TOPICS
from wizard.topics.base import STAGES, Answers, Step
from wizard.topics.network import ENABLE


def render(answers: Answers, warnings: list[str], run: str = "new", folder: str | os.PathLike | None = None) -> str:
    """The checklist of a run (topics.base.RUNS): a step declared for other runs is left out.
    `folder` is where the run's files are written: the commands name it, absolute."""
    placed = {**answers, "service": {**answers["service"], "written_to": os.path.abspath(folder or "orthanc-hardened")}}
    lines = ["# Hardening checklist for Orthanc", "",
             "Written by orthanc-harden for Orthanc " + answers["orthanc_version"] + ". "
             "These steps cannot be done by a configuration file; do them in order, as root. Until the "
             "restart step, Orthanc keeps running on the configuration it started with: no step before it "
             "interrupts service.", ""]
    steps = [step for topic in TOPICS for step in topic.checklist(placed) if not step.runs or run in step.runs]
    steps.append(verification(placed))
    steps = firewall_on(in_stages(steps))
    return markdown(lines, steps, warnings)


def in_stages(steps: list[Step]) -> list[Step]:
    """The steps in the order of their stages, in the topics' order within one (a stable sort)."""
    return sorted(steps, key=lambda step: STAGES.index(step.stage))


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
              "for a moment, and SSH is allowed too, or the session running these commands is cut (on a host "
              "where ufw is on already, each rule took effect as it was added, its allows before its deny). A "
              "port denied here is closed to other machines from now on: its clients moved in the steps above.",
              (*ENABLE, "ufw status numbered  # each port's allows come before its deny"), stage="firewall")
    return [*steps[:last + 1], on, *steps[last + 1:]]


def verification(answers: Answers) -> Step:
    """The restart on the new files, the one step that interrupts service, then a login that must
    work (each topic's `login_checks`) and what a stranger gets (`stranger_checks`); each command's
    comment says the answer to expect (the tests run them on the real Orthanc)."""
    checks = [line for topic in TOPICS for kind in ("login_checks", "stranger_checks")
              for line in getattr(topic, kind, lambda _: [])(answers)]
    proxied = answers["network"]["http_enabled"] and answers["https"]["mode"] == "reverse-proxy"
    return Step("Restart Orthanc on the new files (a few seconds without service), then check a login and "
                "what a stranger gets",
                "Orthanc reads its configuration only when it starts: this is the one step that interrupts "
                "service, for the seconds Orthanc takes to stop and start again (a large database takes "
                "longer): requests in flight fail, clients retry. Everything the new files need is in place "
                "already." + (" nginx is reloaded after it, in case the proxy step left it as it was." if proxied
                              else "") + " A login that works, a refused anonymous request and a refused "
                "unknown AET show that the new files are the ones in use. These run on this host, against "
                "Orthanc itself: neither the proxy nor the firewall is in the way.",
                ("systemctl restart orthanc && systemctl --no-pager status orthanc | head -3",
                 *(["systemctl reload nginx  # no interruption"] if proxied else []), *checks),
                stage="restart")
