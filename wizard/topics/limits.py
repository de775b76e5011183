"""Find limits: how many results one search may return."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, read_pairs, setting
from wizard.topics.base import NO_FACTS, SECURING, Facts, Rule

NAME = "limits"
TITLE = "Find limits"

QUESTIONS = (
    Question("limits.find_results", "int", "Most results of one search",
             "LimitFindResults caps patient, study and series searches (REST /tools/find and "
             "C-FIND). 0 means unlimited, which lets one request enumerate and load the whole "
             "archive; the documentation suggests 100."),
    Question("limits.find_instances", "int", "Most instances of one search",
             "LimitFindInstances is the same cap for instance-level searches (suggested: 100)."),
)


def apply(answers: Answers, build: Build) -> None:
    build.set("LimitFindResults", answers["limits"]["find_results"])
    build.set("LimitFindInstances", answers["limits"]["find_instances"])


def checklist(answers: Answers) -> list[Step]:
    version = tuple(int(p) for p in answers["orthanc_version"].split("."))
    if (1, 12, 5) <= version < (1, 12, 11) and answers["dicom"]["enabled"]:
        return [Step("Upgrade to 1.12.11 for C-FIND limits",
                     "Orthanc 1.12.5 to 1.12.10 ignore the find limits for DICOM C-FIND.",
                     ("Orthanc --version",), stage="after")]
    return []


SOURCES = {"limits.find_results": "LimitFindResults", "limits.find_instances": "LimitFindInstances"}


def read(config: dict) -> Answers:
    # 0 is Orthanc's "unlimited"; the profile has no such value, so the hardened default applies.
    answers = {k: v for k, v in read_pairs(config, SOURCES).get("limits", {}).items() if v > 0}
    return {"limits": answers} if answers else {}


_WHY = ("is 0 by default, which means unlimited: one search can return and load the whole archive, and "
        "many of them make Orthanc unresponsive. The documentation: never 0; 100 is a good compromise.")
UNLIMITED_RESULTS = Rule("OH-LIM-001", "low", "Unlimited patient, study and series searches",
                         "LimitFindResults " + _WHY, doc=SECURING + "#general-configuration",
                         sets=("limits.find_results=100",))
UNLIMITED_INSTANCES = Rule("OH-LIM-002", "low", "Unlimited instance searches",
                           "LimitFindInstances " + _WHY, doc=SECURING + "#general-configuration",
                           sets=("limits.find_instances=100",))
RULES = (UNLIMITED_RESULTS, UNLIMITED_INSTANCES)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    return [rule.found(key, f"{key} is 0 (unlimited): one search can return the whole archive",
                       current=0, recommended=100)
            for rule, key in ((UNLIMITED_RESULTS, "LimitFindResults"), (UNLIMITED_INSTANCES, "LimitFindInstances"))
            if setting(config, key, 0) == 0]
