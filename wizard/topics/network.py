"""Network exposure: the REST API's port, who may connect, and where Orthanc listens."""

from __future__ import annotations

from wizard.topics.base import Answers, Build, Finding, Question, Step, read_pairs, setting
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Facts, Rule
from wizard.versions import parse

NAME = "network"
TITLE = "Network exposure"

QUESTIONS = (
    Question("network.http_enabled", "bool", "Serve the REST API (HTTP)",
             "Turning the HTTP server off leaves a DICOM-only node: no REST API, no Orthanc "
             "Explorer, no WebDAV. Keep it on unless nothing needs them."),
    Question("network.http_port", "int", "HTTP port",
             "The port of the REST API, Orthanc Explorer and WebDAV (default 8042). A port below "
             "1024 needs root, which the service user must not have.",
             when=lambda a: a["network"]["http_enabled"]),
    Question("network.remote_access", "bool", "Allow access from other machines",
             "Out of the box Orthanc serves only 127.0.0.1. Allowing remote access exposes every "
             "patient's data to the network: it requires authentication, users, and HTTPS (here or "
             "in a reverse proxy). Behind a reverse proxy Orthanc itself still serves loopback only.",
             when=lambda a: a["network"]["http_enabled"]),
    Question("network.allowed_networks", "networks", "Networks allowed through the firewall",
             "CIDR networks (10.0.0.0/8) from which the firewall lets clients reach the HTTP port, "
             "and the DICOM port when Orthanc accepts unknown machines there (otherwise only the "
             "modalities' addresses reach it). Empty: the checklist opens those ports to every address.",
             when=lambda a: a["network"]["remote_access"] or a["dicom"]["enabled"]),
)


def direct_remote(answers: Answers) -> bool:
    """Remote clients talk to Orthanc itself (not through a reverse proxy on this host)."""
    return answers["network"]["remote_access"] and answers["https"]["mode"] != "reverse-proxy"


def apply(answers: Answers, build: Build) -> None:
    network = answers["network"]
    build.set("HttpServerEnabled", network["http_enabled"])
    if not network["http_enabled"]:
        return
    build.set("HttpPort", network["http_port"])
    build.set("RemoteAccessAllowed", direct_remote(answers))
    if not direct_remote(answers) and build.supports("1.12.10"):
        build.set("HttpBindAddresses", ["127.0.0.1"])
    if network["http_port"] < 1024:
        build.warn(f"HTTP port {network['http_port']} is privileged: the service user cannot bind it")


def checklist(answers: Answers) -> list[Step]:
    network = answers["network"]
    if not network["http_enabled"]:
        return []
    steps = []
    if not direct_remote(answers) and parse(answers["orthanc_version"]) < (1, 12, 10):
        steps.append(Step(f"Block port {network['http_port']} from other machines",
                          "Orthanc before 1.12.10 listens on every interface even when it serves "
                          "127.0.0.1 only (other addresses get 401, but the port is reachable): a "
                          "firewall keeps it closed.",
                          (f"ufw deny {network['http_port']}/tcp", "ss -ltnp | grep Orthanc"), stage="firewall"))
    if network["remote_access"]:
        port = answers["https"]["port"] if answers["https"]["mode"] == "reverse-proxy" else network["http_port"]
        steps.append(Step(f"Open TCP port {port} to the allowed networks only",
                          "Every address that can reach the port can try passwords; limit it to the "
                          "networks that need Orthanc.",
                          firewall_rules(port, network["allowed_networks"]), stage="firewall"))
    return steps


# Enabling ufw denies every incoming connection not allowed: keep the SSH session alive first.
# The checklist enables it once, after every firewall step (checklist.firewall_on).
ENABLE = ("ufw allow OpenSSH  # port 22: if sshd listens elsewhere, allow that port instead, or be locked out",
          "ufw enable")


def firewall_rules(port: int, networks: list[str]) -> tuple[str, ...]:
    """The rules that let only `networks` (every address when none) reach `port`; the firewall
    itself is turned on later, once every rule is in (no port the site uses closes meanwhile)."""
    allow = [f"ufw allow from {net} to any port {port} proto tcp" for net in networks]
    return (*(allow or [f"ufw allow {port}/tcp"]), *([f"ufw deny {port}/tcp"] if networks else []))


# Where each answer lives in Orthanc's configuration: import, and messages naming the option.
SOURCES = {"network.http_enabled": "HttpServerEnabled", "network.http_port": "HttpPort",
           "network.remote_access": "RemoteAccessAllowed"}


def read(config: dict) -> Answers:
    return read_pairs(config, SOURCES)


REMOTE_WITHOUT_AUTHENTICATION = Rule(
    "OH-NET-001", "critical", "Remote access without authentication",
    "The REST API gives full read and write access to every study. With RemoteAccessAllowed on and "
    "AuthenticationEnabled false, anyone who reaches the HTTP port can read, change and delete them all. "
    "The documentation: as soon as remote access is granted, set AuthenticationEnabled to true.",
    doc=SECURING + "#securing-the-http-server", sets=("authentication.enabled=true",))
SAME_PORT = Rule(
    "OH-NET-002", "medium", "HTTP and DICOM on the same port",
    "The HTTP server and the DICOM server cannot both listen on one TCP port: Orthanc stops at "
    "startup when the second one finds the port taken.",
    doc=BOOK + "users/configuration.html",
    fix="give the two servers different ports: --set network.http_port=8042 or --set dicom.port=4242")
RULES = (REMOTE_WITHOUT_AUTHENTICATION, SAME_PORT)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    found = []
    if remote_http(config) and authentication_on(config) is False:
        found.append(REMOTE_WITHOUT_AUTHENTICATION.found(
            "AuthenticationEnabled", "remote access is allowed without authentication: anyone on the network "
            "can read and delete every study", current=False, recommended=True))
    http, dicom = setting(config, "HttpPort", 8042), setting(config, "DicomPort", 4242)
    both_on = setting(config, "HttpServerEnabled", True) is not False and setting(config, "DicomServerEnabled", True) is not False
    if both_on and http is not None and http == dicom:
        key = "HttpPort" if "HttpPort" in config else "DicomPort"
        found.append(SAME_PORT.found(key, f"HttpPort and DicomPort are both {http}: Orthanc cannot start",
                                     current=http, recommended=8042 if key == "HttpPort" else 4242))
    return found


def remote_http(config: dict) -> bool:
    """Orthanc serves its REST API to other machines (RemoteAccessAllowed, HTTP server on)."""
    return bool(setting(config, "RemoteAccessAllowed", False)) and setting(config, "HttpServerEnabled", True) is not False


def authentication_on(config: dict):
    """AuthenticationEnabled, or its implicit value: that of RemoteAccessAllowed (since 1.5.8)."""
    return setting(config, "AuthenticationEnabled", setting(config, "RemoteAccessAllowed", False))
