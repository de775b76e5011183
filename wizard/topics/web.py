"""Web surface: WebDAV, Orthanc Explorer and error details."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, client_url, flagged, read_pairs, setting
from wizard.topics import network
from wizard.topics.authentication import local_url
from wizard.topics.base import NO_FACTS, SECURING, Facts, Rule

NAME = "web"
TITLE = "Web surface"

_http = lambda a: a["network"]["http_enabled"]  # noqa: E731

QUESTIONS = (
    Question("network.webdav", "bool", "WebDAV share",
             "WebDAV exposes the whole archive as a network drive at /webdav/, uploads included by "
             "default. The documentation says to disable it on an exposed server.", when=_http),
    Question("network.explorer", "bool", "Orthanc Explorer",
             "The built-in web UI (/app/explorer.html) is a full administration interface. The "
             "documentation says to disable it on Internet-facing servers and to build a "
             "higher-level application instead (it has no CSRF protection).", when=_http),
    Question("network.describe_errors", "bool", "Detailed error replies",
             "When on, errors come back with a JSON body that can include internal details such as "
             "Lua error text. Off gives empty bodies: keep it off on an exposed server.", when=_http),
)


def apply(answers: Answers, build: Build) -> None:
    network = answers["network"]
    if not network["http_enabled"]:
        return
    build.set("WebDavEnabled", network["webdav"])
    # Even when WebDAV is on, writes go through the REST API where the filter checks the role.
    build.set("WebDavUploadAllowed", False)
    build.set("WebDavDeleteAllowed", False)
    build.set("OrthancExplorerEnabled", network["explorer"])
    build.set("HttpDescribeErrors", network["describe_errors"])
    if network["remote_access"] and network["explorer"]:
        build.warn("Orthanc Explorer stays on for remote clients: it has no CSRF protection")


def checklist(answers: Answers) -> list[Step]:
    if answers["network"]["remote_access"] and answers["network"]["explorer"]:
        return [Step("Use Orthanc Explorer from trusted browsers only",
                     "Orthanc Explorer has no protection against cross-site request forgery: a "
                     "malicious page opened by a logged-in admin can act as that admin. Log out "
                     f"(close the browser) after each session and never browse elsewhere meanwhile. "
                     f"It is at {client_url(answers)}/app/explorer.html; the last step checks it asks a login.",
                     _framing(answers), stage="after")]
    return []


def _framing(answers: Answers) -> tuple[str, ...]:
    """What keeps another site from framing Orthanc Explorer (clickjacking): the proxy's header."""
    if answers["https"]["mode"] == "reverse-proxy":
        return ("nginx -T 2>/dev/null | grep 'X-Frame-Options'  # SAMEORIGIN: no other site may frame Orthanc Explorer",)
    return ("# Orthanc sends no X-Frame-Options itself: another site may frame Orthanc Explorer; the TLS proxy "
            "(https.mode reverse-proxy) adds it",)


def stranger_checks(answers: Answers) -> list[str]:
    """For the checklist's last step, on this host: Orthanc Explorer asks a login."""
    network = answers["network"]
    if not (network["http_enabled"] and network["explorer"] and answers["authentication"]["enabled"]):
        return []
    return [f"curl -s -o /dev/null -w '%{{http_code}}\\n' {local_url(answers)}/app/explorer.html"
            "  # 401: Orthanc Explorer asks a login"]


SOURCES = {"network.webdav": "WebDavEnabled", "network.explorer": "OrthancExplorerEnabled",
           "network.describe_errors": "HttpDescribeErrors"}


def read(config: dict) -> Answers:
    return read_pairs(config, SOURCES)


HTTP = SECURING + "#securing-the-http-server"
WEBDAV = Rule(
    "OH-WEB-001", "low", "WebDAV on",
    "WebDAV (on by default) shows the whole archive as a network drive at /webdav/, another way in "
    "beside the REST API. The documentation: consider turning it off (WebDavEnabled false).",
    doc=HTTP, sets=("network.webdav=false",))
WEBDAV_UPLOAD = Rule(
    "OH-WEB-002", "medium", "WebDAV uploads on a remote server",
    "WebDavUploadAllowed is on by default: every logged-in client may write files into the archive "
    "through /webdav/, besides what the REST API allows.",
    doc=HTTP, sets=("network.webdav=false",), fix="apply --config writes WebDavUploadAllowed false")
ERROR_DETAILS = Rule(
    "OH-WEB-003", "low", "Error details on a remote server",
    "HttpDescribeErrors (on by default) answers errors with a JSON body that can hold internal details, "
    "the text of Lua errors included.", doc=HTTP, sets=("network.describe_errors=false",))
EXPLORER = Rule(
    "OH-WEB-004", "low", "Orthanc Explorer on a remote server",
    "Orthanc Explorer is a full administration interface with no protection against cross-site request "
    "forgery; the documentation advises turning it off on a server reachable from the Internet.",
    doc=HTTP, sets=("network.explorer=false",))
RULES = (WEBDAV, WEBDAV_UPLOAD, ERROR_DETAILS, EXPLORER)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if setting(config, "HttpServerEnabled", True) is False:
        return []
    webdav = setting(config, "WebDavEnabled", True)
    if not network.remote_http(config):
        return [WEBDAV.found("WebDavEnabled", "WebDAV is on", current=webdav, recommended=False)] if webdav else []
    found = [WEBDAV.found("WebDavEnabled", "WebDAV is on for a remotely reachable server", current=webdav,
                          recommended=False, severity="medium")] if webdav else []
    if webdav:
        found += flagged(config, [(WEBDAV_UPLOAD, "WebDavUploadAllowed", True, "remote clients may upload through WebDAV")])
    return found + flagged(config, [
        (ERROR_DETAILS, "HttpDescribeErrors", True, "error replies describe internal details"),
        (EXPLORER, "OrthancExplorerEnabled", True, "Orthanc Explorer is served to other machines")])
