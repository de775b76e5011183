"""What the profile schema cannot say: uniqueness, IP literals, and insecure combinations.

Each check returns Problems in the same `file: json_path: message` form as schema errors.
"""

from __future__ import annotations

import ipaddress

from wizard import secrets, versions
from wizard.errors import Problem, json_path
from wizard.orthanc import store_policy
from wizard.orthanc.policy import env_name
from wizard.topics.https_nginx import REDIRECT_PORT


def run(answers: dict, name: str) -> list[Problem]:
    found: list[Problem] = []
    for check in (_unique_names, _modality_hosts, _insecure_combinations, _versions, _substitution,
                  _password_lengths, _proxy_paths, _same_ports):
        found.extend(Problem(name, json_path(path), message) for path, message in check(answers))
    found.extend(Problem(name, json_path(path), message) for path, message in store_policy.problems(answers))
    return found


def exposed(answers: dict) -> bool:
    """Clients on other machines can reach the REST API, directly or through the proxy."""
    return answers["network"]["http_enabled"] and answers["network"]["remote_access"]


def _unique_names(answers: dict):
    yield from _duplicates(answers["authentication"]["users"], "name", ("authentication", "users"), "user name")
    yield from _duplicates(answers["dicom"]["modalities"], "name", ("dicom", "modalities"), "modality name")
    yield from _duplicates(answers["outgoing"]["peers"], "name", ("outgoing", "peers"), "peer name")


def _duplicates(items: list[dict], key: str, where: tuple, what: str):
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = item[key]
        if value in seen:
            yield (*where, index, key), f"{what} {value!r} is given twice"
        seen.add(value)


def shared_aets(dicom: dict) -> list[str]:
    """Modalities that share an AET (Orthanc compares AETs case-insensitively by default): Orthanc
    starts with them, and what it then does, as measured on 1.10.1 (tests/integration/test_duplicate_aet.py)."""
    groups: dict[str, list[dict]] = {}
    for modality in dicom["modalities"] if dicom["enabled"] else ():
        groups.setdefault(modality["aet"].strip().upper(), []).append(modality)
    return [_shared_aet(dicom, sorted(group, key=lambda m: m["name"])) for group in groups.values() if len(group) > 1]


def _shared_aet(dicom: dict, group: list[dict]) -> str:
    first, names = group[0], [repr(m["name"]) for m in group]
    said = f"modalities {', '.join(names[:-1])} and {names[-1]} share the AET {first['aet']!r}: "
    if not dicom["check_modality_host"]:
        return said + "Orthanc cannot tell them apart and lets each do only what all of them are allowed"
    if any(value for answer, value in dicom.items() if answer.startswith("always_allow_")):
        return said + ("with an always-allow switch on, Orthanc skips the host check for what all of them "
                       "are allowed: any machine using that AET may do it; give each modality its own AET")
    refused = ", ".join(f"{m['name']!r} ({m['host']})" for m in group[1:])
    return said + (f"Orthanc accepts that AET only from {first['host']}, the host of {first['name']!r} "
                   f"(the first by name), and refuses {refused}; give each modality its own AET")


def _modality_hosts(answers: dict):
    dicom = answers["dicom"]
    if not dicom["check_modality_host"]:
        return
    for index, modality in enumerate(dicom["modalities"]):
        try:
            ipaddress.ip_address(modality["host"])
        except ValueError:
            yield ("dicom", "modalities", index, "host"), (
                f"{modality['host']!r} is not an IP address: with check_modality_host Orthanc "
                "compares the peer's address with this string literally, so a host name never matches")


def _insecure_combinations(answers: dict):
    auth = answers["authentication"]
    if exposed(answers) and not auth["enabled"]:
        yield ("authentication", "enabled"), (
            "remote access without authentication lets anyone on the network read and delete "
            "every study: enable authentication or turn remote access off")
    if exposed(answers) and auth["enabled"] and not auth["users"]:
        yield ("authentication", "users"), (
            "remote access with authentication but no registered user makes Orthanc create the "
            "well-known orthanc:orthanc login (up to 1.12.8): add at least one user")
    if not auth["enabled"] and auth["users"]:
        yield ("authentication", "users"), (
            "users are listed while authentication is off: Orthanc would pass whatever name a "
            "client claims, so the access filter could not trust it; enable authentication")
    if answers["https"]["mode"] == "native" and not answers["network"]["http_enabled"]:
        yield ("https", "mode"), "native HTTPS needs the HTTP server: enable network.http_enabled"


def _versions(answers: dict):
    version = versions.parse(answers["orthanc_version"])
    if answers["https"]["mode"] == "native" and answers["orthanc_build"] == "debian":
        yield ("https", "mode"), (
            "Orthanc as packaged by Debian crashes (SIGSEGV in civetweb, built against OpenSSL 3) at the "
            "first HTTPS request, whatever the release (1.10.1, 1.12.7 and 1.13.0 measured): use https.mode "
            "'reverse-proxy' (nginx terminates TLS, Orthanc stays on 127.0.0.1), or, for an upstream build "
            "(orthancteam Docker image, LSB binary), set orthanc_build 'upstream' (--orthanc-build upstream)")
    if answers["dicom"]["tls"]["enabled"] and version < (1, 9, 0):
        yield ("dicom", "tls", "enabled"), "DICOM TLS needs Orthanc 1.9.0 or later"


def _proxy_paths(answers: dict):
    """nginx reads `$` in ssl_certificate as the start of a variable: no quoting helps. The
    proxy's name is the site's to give: never a placeholder written into a real configuration."""
    if answers["https"]["mode"] != "reverse-proxy":
        return
    if not answers["https"]["server_name"]:
        yield ("https", "server_name"), ("the TLS proxy needs the name clients use to reach this server (its "
                                         "certificate is issued for it): type it in the wizard's Public host "
                                         "name, or give it with --set https.server_name=pacs.your-site.org or "
                                         "in the profile")
    for key in ("certificate", "private_key", "chain"):
        if "$" in answers["https"][key]:
            yield ("https", key), "nginx would read the '$' in this path as a variable: rename the file"


def listening_ports(answers: dict) -> list[tuple[tuple, int, str]]:
    """The TCP ports servers of this host listen on, from the answers: (answer's path, port, server)."""
    network, https, dicom = answers["network"], answers["https"], answers["dicom"]
    found = [(("network", "http_port"), network["http_port"], "the HTTP server")] if network["http_enabled"] else []
    if network["http_enabled"] and https["mode"] == "reverse-proxy":
        found.append((("https", "port"), https["port"], "the TLS proxy"))
        if https["redirect_http"]:
            found.append((("https", "redirect_http"), REDIRECT_PORT, "the proxy's redirect to HTTPS"))
    return found + ([(("dicom", "port"), dicom["port"], "the DICOM server")] if dicom["enabled"] else [])


def _same_ports(answers: dict):
    """Two servers cannot listen on one port: Orthanc (or nginx) stops at start. Said at both answers."""
    ports = listening_ports(answers)
    for path, port, server in ports:
        others = [who for other, number, who in ports if number == port and other != path]
        if others:
            yield path, (f"{server} and {' and '.join(others)} would both listen on port {port}: whichever "
                         "starts second finds it taken and stops; give each its own port")


def _password_lengths(answers: dict):
    for where in (("authentication", "users"), ("outgoing", "peers")):
        for index, entry in enumerate(answers[where[0]][where[1]]):
            if isinstance(entry.get("password"), str) and len(entry["password"].encode("utf-8")) > secrets.MAX_BYTES:
                yield (*where, index, "password"), f"the password is longer than {secrets.MAX_BYTES} UTF-8 bytes"


def _substitution(answers: dict, path: tuple = ()):
    """Orthanc substitutes `${VAR}` anywhere in its files, so such text would not survive."""
    if isinstance(answers, dict):
        for key, value in answers.items():
            yield from _substitution(value, (*path, key))
    elif isinstance(answers, list):
        for index, value in enumerate(answers):
            yield from _substitution(value, (*path, index))
    elif isinstance(answers, str) and "${" in answers and path[-1] != "description" and not _env_user(path, answers):
        shown = "the password" if "password" in path else repr(answers)
        yield path, f"{shown} contains '${{', which Orthanc replaces with an environment variable when it reads the file"


def _env_user(path: tuple, text: str) -> bool:
    """A user name that is a whole `${VAR}`: Orthanc's substitution is the point (a Docker login)."""
    return path[:2] == ("authentication", "users") and path[-1] == "name" and env_name(text) is not None
