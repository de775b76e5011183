"""CHECKLIST.md: the manual steps left, tailored to the answers, each with why and commands."""

from __future__ import annotations

from wizard.topics import TOPICS
from wizard.topics.base import Answers, Step, sh
from wizard.topics.dicom import ALWAYS_ALLOW


def render(answers: Answers, warnings: list[str]) -> str:
    lines = ["# Hardening checklist for Orthanc", "",
             "Written by orthanc-harden for Orthanc " + answers["orthanc_version"] + ". "
             "These steps cannot be done by a configuration file; do them in order, as root.", ""]
    steps = [step for topic in TOPICS for step in topic.checklist(answers)] + [verification(answers)]
    for number, step in enumerate(steps, 1):
        lines += [f"## {number}. {step.title}", "", step.why, ""]
        if step.commands:
            lines += ["```sh", *step.commands, "```", ""]
    if warnings:
        lines += ["## Warnings from this run", "", *(f"- {w}" for w in warnings), ""]
    return "\n".join(lines)


def verification(answers: Answers) -> Step:
    """The last step: restart Orthanc on the new files, then see what a stranger gets. Each
    check's comment says the answer to expect (the tests run them on the real Orthanc)."""
    network, dicom = answers["network"], answers["dicom"]
    commands = ["systemctl restart orthanc && systemctl --no-pager status orthanc | head -3"]
    if network["http_enabled"] and answers["authentication"]["enabled"]:
        commands.append(f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{network['http_port']}/system"
                        "  # 401: no request without a login")
    if dicom["enabled"] and not any(dicom[answer] for answer in ALWAYS_ALLOW):
        expected = ("Association Request Failed (plain DICOM is refused: TLS only)" if dicom["tls"]["enabled"]
                    else "Association Rejected (echoscu: apt-get install dcmtk)")
        commands.append(f"echoscu -v -aet NOT-A-MODALITY -aec {sh(dicom['aet'])} 127.0.0.1 {dicom['port']}"
                        f"  # {expected}")
    return Step("Restart Orthanc and check what a stranger gets",
                "Orthanc reads its configuration only when it starts. A refused anonymous request and a "
                "refused unknown AET show that the new files are the ones in use.", tuple(commands))
