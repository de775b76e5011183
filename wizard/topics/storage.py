"""Storage: whether a sender may overwrite an instance that is already stored."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, setting, sh
from wizard.topics.base import NO_FACTS, SECURING, Facts, Rule

NAME = "storage"
TITLE = "Storage"

QUESTIONS = (
    Question("storage.overwrite_instances", "bool", "Let new copies overwrite stored instances",
             "With OverwriteInstances on, any modality or user allowed to store can replace an "
             "instance that has the same SOPInstanceUID: a silent way to alter existing studies. "
             "Off keeps the first copy."),
)


def apply(answers: Answers, build: Build) -> None:
    overwrite = answers["storage"]["overwrite_instances"]
    # 1.13.0 turned the option into an enumeration; booleans are still read there.
    build.set("OverwriteInstances", ("Always" if overwrite else "Never") if build.supports("1.13.0") else overwrite)


def checklist(answers: Answers) -> list[Step]:
    store = answers["service"]["storage_dir"]
    return [Step("Keep the storage on an encrypted disk",
                 "The storage folder holds every patient's images in clear: the documentation "
                 "advises disk encryption for on-premises storage.",
                 (f"findmnt -T {sh(store)}", "lsblk -o NAME,TYPE,FSTYPE,MOUNTPOINT  # look for a crypt layer"))]


SOURCES = {"storage.overwrite_instances": "OverwriteInstances"}


def read(config: dict) -> Answers:
    value = config.get("OverwriteInstances")
    if isinstance(value, bool):
        return {"storage": {"overwrite_instances": value}}
    if value in ("Always", "IfChanged", "Never"):  # the enumeration of 1.13.0
        return {"storage": {"overwrite_instances": value != "Never"}}
    return {}


OVERWRITE = Rule(
    "OH-STO-001", "low", "Senders may overwrite stored instances",
    "With OverwriteInstances on, any modality or user allowed to store can replace an instance already "
    "stored under the same SOPInstanceUID: a silent way to alter existing studies. The documentation: "
    "make sure to understand the implications of this option.",
    doc=SECURING + "#general-configuration", sets=("storage.overwrite_instances=false",))
RULES = (OVERWRITE,)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    value = setting(config, "OverwriteInstances", False)
    if value is True or value in ("Always", "IfChanged"):
        return [OVERWRITE.found("OverwriteInstances", "a sender can replace stored instances that have the "
                                "same SOPInstanceUID", current=value, recommended=False)]
    return []
