"""Remote scripting: Lua sent over REST, and REST writes to the server's file system."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, flagged, read_pairs
from wizard.topics.base import NO_FACTS, SECURING, Facts, Rule

NAME = "scripting"
TITLE = "Remote Lua and file writes"

QUESTIONS = (
    Question("scripting.execute_lua", "bool", "Allow Lua scripts sent over REST",
             "ExecuteLuaEnabled opens POST /tools/execute-script: any Lua, with os.execute, run as "
             "the service user. That is remote code execution; keep it off. If on, the filter "
             "still gives it to admins only."),
    Question("scripting.write_to_filesystem", "bool", "Allow REST exports to the server's disk",
             "RestApiWriteToFileSystemEnabled lets POST /instances/{id}/export write a file to any "
             "path given in the request (CVE-2023-33466): it can overwrite system files. Keep it off."),
)


def apply(answers: Answers, build: Build) -> None:
    scripting = answers["scripting"]
    build.set("ExecuteLuaEnabled", scripting["execute_lua"])
    build.set("RestApiWriteToFileSystemEnabled", scripting["write_to_filesystem"])


def checklist(answers: Answers) -> list[Step]:
    return []


SOURCES = {"scripting.execute_lua": "ExecuteLuaEnabled",
           "scripting.write_to_filesystem": "RestApiWriteToFileSystemEnabled"}


def read(config: dict) -> Answers:
    return read_pairs(config, SOURCES)


EXECUTE_LUA = Rule(
    "OH-SCRIPT-001", "critical", "Lua scripts sent over REST are run",
    "ExecuteLuaEnabled opens POST /tools/execute-script: any Lua, os.execute included, run as the service "
    "user. The documentation: it can execute any system command on the computer; leave it off.",
    doc=SECURING + "#securing-the-http-server", sets=("scripting.execute_lua=false",))
WRITE_FILES = Rule(
    "OH-SCRIPT-002", "high", "REST exports write to the server's disk",
    "RestApiWriteToFileSystemEnabled lets POST /instances/{id}/export write a file to any path the request "
    "names (CVE-2023-33466): it can overwrite system files, and so lead to code execution.",
    doc=SECURING + "#securing-the-http-server", sets=("scripting.write_to_filesystem=false",))
RULES = (EXECUTE_LUA, WRITE_FILES)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    return flagged(config, (
        (EXECUTE_LUA, "ExecuteLuaEnabled", False,
         "POST /tools/execute-script runs any Lua, os.execute included: remote code execution"),
        (WRITE_FILES, "RestApiWriteToFileSystemEnabled", False,
         "POST /instances/../export can write files anywhere the service user can"),
    ))
