"""What Orthanc does not read though the files seem to say it: a security option written only
inside a comment, a misspelled option, an option or a value the target release does not know, an
option no release reads, a plugin's section whose plugin is not loaded."""

from __future__ import annotations

import dataclasses
import json
import re

from wizard.audit import plugin_checks
from wizard.orthanc import release_check, releases
from wizard.orthanc.config_files import has_type
from wizard.orthanc.options import OPTIONS
from wizard.topics import network
from wizard.topics.base import BOOK, NO_FACTS, Facts, Finding, Rule

COMMENTED = Rule(
    "OH-FILE-001", "medium", "Security option set only inside a comment",
    "Orthanc skips // and /* */ comments: an option written inside one (a line edited in a commented-out "
    "sample block, a line commented out to try something) is not set, and Orthanc uses its default, "
    "whatever the line says.",
    doc=BOOK + "users/configuration.html", fix="write the option outside the comment, or delete the line",
    needs="files")
MISSPELLED = Rule(
    "OH-FILE-002", "medium", "Misspelled option",
    "Orthanc ignores an option it does not know without a word: a misspelled key (LuaScript, "
    "RemoteAccessEnabled) leaves the setting it was meant for at its default.",
    doc=BOOK + "users/configuration.html", fix="spell the option as the message says")
UNKNOWN_OPTION = Rule(
    "OH-FILE-003", "medium", "Option the target release does not read",
    "An option newer than the release (or one it stopped reading) is ignored without a word: the admin "
    "believes it protects the server, and it does nothing there.",
    doc=BOOK + "users/configuration.html", fix="upgrade Orthanc, or remove the option and reach the same end "
                                                "another way", needs="target")
UNKNOWN_VALUE = Rule(
    "OH-FILE-004", "medium", "Value the target release does not know",
    "An enumerated option with a value the release does not know stops Orthanc at startup.",
    doc=BOOK + "users/configuration.html", fix="use a value the release takes (the message lists them)",
    needs="target")
UNREAD = Rule(
    "OH-FILE-005", "low", "Option no Orthanc release reads",
    "A top-level key that is neither an option of any Orthanc release nor a known plugin's section "
    "(LogLevel, DicomModalityWorklists, a top-level HttpHeaders) is ignored without a word: whatever it "
    "was meant to do, Orthanc does not do it.",
    doc=BOOK + "users/configuration.html",
    fix="remove it, or write the option Orthanc documents for it; if a plugin of yours reads it, waive it")
NO_PLUGIN = Rule(
    "OH-FILE-006", "info", "Plugin section whose plugin is not loaded",
    "A plugin's section (PostgreSQL, DicomWeb, Worklists…) is read by that plugin only: when Plugins does "
    "not load it, Orthanc ignores the whole section, and the database, storage or service it describes "
    "is not used.",
    doc=BOOK + "plugins.html",
    fix="add the plugin's library (or its folder) to Plugins and install its package, or remove the section")
RULES = (COMMENTED, MISSPELLED, UNKNOWN_OPTION, UNKNOWN_VALUE, UNREAD, NO_PLUGIN)

# What Orthanc uses when a boolean or integer security option is absent (orthanc-facts.md §1).
DEFAULTS = {
    "HttpServerEnabled": True, "HttpPort": 8042, "RemoteAccessAllowed": False, "SslEnabled": False,
    "SslMinimumProtocolVersion": 4, "HttpDescribeErrors": True, "OrthancExplorerEnabled": True,
    "WebDavEnabled": True, "WebDavDeleteAllowed": False, "WebDavUploadAllowed": True, "ExecuteLuaEnabled": False,
    "RestApiWriteToFileSystemEnabled": False, "DeidentifyLogs": True, "LimitFindResults": 0,
    "LimitFindInstances": 0, "OverwriteInstances": False, "HttpsVerifyPeers": True, "DicomServerEnabled": True,
    "DicomPort": 4242, "DicomCheckCalledAet": False, "DicomCheckModalityHost": False,
    "DicomAlwaysAllowEcho": True, "DicomAlwaysAllowStore": True, "DicomAlwaysAllowFind": False,
    "DicomAlwaysAllowFindWorklist": False, "DicomAlwaysAllowGet": False, "DicomAlwaysAllowMove": False,
    "DicomTlsEnabled": False, "DicomTlsRemoteCertificateRequired": True,
}
# Lines of Orthanc's own sample configuration that sit inside comments: nobody set them.
SAMPLE = {("AuthenticationEnabled", False)}
# A string (skipped whole, so that "http://" is not a comment), or a comment.
_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_ASSIGNED = re.compile(r'"([A-Za-z0-9]+)"\s*:\s*(true|false|-?[0-9]+)\b')
# The user list written only inside a comment: no user is set. (Orthanc's own sample comments out
# AcceptedSopClasses and others as examples: only the users are the mistake this rule exists for.)
_LISTED = re.compile(r'"(RegisteredUsers)"\s*:\s*\{')


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    return _unread(config, facts) + plugin_checks.without_plugin(config, facts, NO_PLUGIN) + _commented(config, facts)


def _unread(config: dict, facts: Facts) -> list[Finding]:
    """release_check's verdicts; without a target release only misspellings (judged against the
    newest release known) are said."""
    found = []
    said = {key for _, key in facts.deployment.generated.unknown} if facts.deployment is not None else set()
    for unknown in release_check.unknown_to(config, facts.target or releases.NEWEST):
        if unknown.key in said:
            continue  # a compose variable the generator turned into it: said at its line (OH-DOCKER-008)
        if unknown.message.endswith(release_check.REFUSED):
            rule = UNKNOWN_VALUE
        elif unknown.key in releases.SINCE:
            rule = UNKNOWN_OPTION
        elif unknown.message.startswith(release_check.UNREAD_BY_ANY):
            rule = UNREAD
        else:
            rule = MISSPELLED
        if facts.target is not None or rule in (MISSPELLED, UNREAD):
            found.append(rule.found(unknown.key, f"{unknown.key}: {unknown.message}", current=config[unknown.key]))
    return found


def _commented(config: dict, facts: Facts) -> list[Finding]:
    if facts.files is None:
        return []
    found, listed = [], set()
    for file in facts.files.files:
        text = file.doc.text
        for token in _TOKEN.finditer(text):
            if token.group().startswith('"'):
                continue
            for match in _ASSIGNED.finditer(token.group()):
                finding = _judge(config, match.group(1), json.loads(match.group(2)))
                if finding is not None:
                    line = text.count("\n", 0, token.start() + match.start()) + 1
                    found.append(dataclasses.replace(finding, file=str(file.path), line=line))
            for match in _LISTED.finditer(token.group()):
                key = match.group(1)
                if key not in config and key not in listed:
                    listed.add(key)
                    line = text.count("\n", 0, token.start() + match.start()) + 1
                    found.append(dataclasses.replace(COMMENTED.found(
                        key, f'"{key}" is only inside a comment: it is not set, and Orthanc has none', path=()),
                        file=str(file.path), line=line))
    return found


def _judge(config: dict, key: str, value) -> Finding | None:
    option = OPTIONS.get(key)
    if option is None or key in config or (key, value) in SAMPLE or not has_type(value, option.type):
        return None
    used = network.authentication_on(config) if key == "AuthenticationEnabled" else DEFAULTS.get(key)
    shown = json.dumps(value)
    if used == value:  # nothing lost today, but the file says something Orthanc does not read
        return COMMENTED.found(key, f'"{key}": {shown} is only inside a comment: it is not set, though Orthanc\'s '
                               "default gives the same today", path=(), current=used, recommended=value, severity="low")
    return COMMENTED.found(key, f'"{key}": {shown} is only inside a comment: it is not set, and Orthanc uses '
                           f"{json.dumps(used)}", path=(), current=used, recommended=value)
