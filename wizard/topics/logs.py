"""Logs: keep patient data out of them."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, read_pairs, setting
from wizard.topics.base import BOOK, NO_FACTS, Facts, Rule

NAME = "logs"
TITLE = "Logs"

QUESTIONS = (
    Question("logs.deidentify", "bool", "De-identify DICOM queries in the logs",
             "DeidentifyLogs removes patient data from the C-FIND, C-GET and C-MOVE queries that "
             "Orthanc logs (from 1.8.2). TRACE-level logs are never de-identified."),
)


def apply(answers: Answers, build: Build) -> None:
    build.set("DeidentifyLogs", answers["logs"]["deidentify"])


def checklist(answers: Answers) -> list[Step]:
    user, group = answers["service"]["user"], answers["service"]["group"]
    return [Step("Keep logs private and out of TRACE level",
                 "Logs can hold patient names and identifiers; TRACE logs of DICOM traffic are not "
                 "de-identified, so never run the service with --trace.",
                 (f"install -d -o {user} -g {group} -m 0750 /var/log/orthanc",
                  "systemctl cat orthanc | grep ExecStart  # no --trace, no --verbose"))]


SOURCES = {"logs.deidentify": "DeidentifyLogs"}


def read(config: dict) -> Answers:
    return read_pairs(config, SOURCES)


IDENTIFIED_LOGS = Rule(
    "OH-LOG-001", "low", "Patient data in the logs",
    "With DeidentifyLogs false, the C-FIND, C-GET and C-MOVE queries Orthanc logs keep patient names and "
    "identifiers: anyone who reads the logs reads them too.",
    doc=BOOK + "users/configuration.html", sets=("logs.deidentify=true",))
RULES = (IDENTIFIED_LOGS,)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if setting(config, "DeidentifyLogs", True) is False:
        return [IDENTIFIED_LOGS.found("DeidentifyLogs", "DICOM queries are logged with patient data",
                                      current=False, recommended=True)]
    return []
