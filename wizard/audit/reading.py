"""A security option written only inside a comment: it looks set, and Orthanc never reads it."""

from __future__ import annotations

import dataclasses
import json
import re

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
RULES = (COMMENTED,)

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


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if facts.files is None:
        return []
    found = []
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
