"""What a stranger got from a running Orthanc, judged: one rule table, as each topic has for audit."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from wizard.probe.dicom import Echo
from wizard.probe.rest import Answer, Site
from wizard.topics import service_user
from wizard.topics.base import BOOK, SECURING, Facts, Finding, Rule
from wizard.versions import parse

HTTP, DICOM = SECURING + "#securing-the-http-server", SECURING + "#securing-the-dicom-server"
ANONYMOUS = Rule(
    "OH-PROBE-001", "critical", "The REST API answers anonymous requests",
    "GET /system answered without credentials: whoever reaches the port can read, change and delete every "
    "study through the REST API (from 127.0.0.1: every account of this host).",
    doc=HTTP, fix="turn authentication on with registered users (orthanc-harden apply --config, any preset)")
WELL_KNOWN_LOGIN = Rule(
    "OH-PROBE-002", "critical", "The well-known login orthanc:orthanc works",
    "Orthanc up to 1.12.8 creates orthanc:orthanc when authentication is on and no user is registered "
    "(Debian's credentials.json ships none): it is the first login every scanner tries.",
    doc=HTTP, fix="register users with strong passwords (orthanc-harden apply --config generates them)")
EXPLORER_OPEN = Rule(
    "OH-PROBE-003", "high", "Orthanc Explorer opens without a login",
    "/app/explorer.html answered without credentials: a full administration interface for anyone who "
    "reaches the port.", doc=HTTP, fix="turn authentication on; on an Internet-facing server turn Explorer off")
CLEAR_HTTP = Rule(
    "OH-PROBE-004", "high", "The REST API is served in clear to other machines",
    "HTTP Basic sends the password with every request and the answers carry patient data: on an address "
    "other machines use, without TLS anyone on the path reads both.",
    doc=SECURING + "#securing-the-http-server", fix="serve 127.0.0.1 only, behind a TLS reverse proxy (https.mode reverse-proxy)")
UNVERIFIED_CERTIFICATE = Rule(
    "OH-PROBE-005", "medium", "The HTTPS certificate does not verify",
    "Clients that cannot check the certificate either refuse it or learn to ignore the warning, and then a "
    "man in the middle reads every password.", doc=BOOK + "faq/https.html",
    fix="use a certificate of a CA the clients trust, issued for the name they use")
UNKNOWN_ECHO = Rule(
    "OH-PROBE-006", "medium", "An unknown AET gets an answer to C-ECHO",
    "DicomAlwaysAllowEcho is on: any machine, with any AET, learns that an Orthanc answers there, and "
    "while one DicomAlwaysAllow* switch is on every association is accepted (DicomAlwaysAllowStore, on by "
    "default, lets it store; the probe never tries).", doc=DICOM, fix="set DicomAlwaysAllowEcho and DicomAlwaysAllowStore to false (--set dicom.always_allow_echo=false)")
UNKNOWN_ASSOCIATION = Rule(
    "OH-PROBE-007", "low", "Associations from unknown AETs are accepted",
    "Orthanc accepted an association from an AET it does not know: one DicomAlwaysAllow* switch is on, so "
    "every association is accepted and each command is judged alone.",
    doc=DICOM, fix="set every DicomAlwaysAllow* to false and list the modalities")
ANY_CALLED_AET = Rule(
    "OH-PROBE-008", "low", "Any called AET is accepted",
    "An association to a wrong called AET was not refused for it: DicomCheckCalledAet is off, so scanners "
    "need not know Orthanc's AET.", doc=DICOM, fix="set DicomCheckCalledAet to true (--set dicom.check_called_aet=true)")
CLEAR_DICOM = Rule(
    "OH-PROBE-009", "medium", "The DICOM port speaks plain DICOM to other machines",
    "Without DICOM TLS images and AETs cross the network in clear, and AETs are all a modality proves.",
    doc=DICOM, fix="DICOM TLS (dicom.tls.enabled, Orthanc 1.9.0 and later), a VPN, or a firewall")
RULES = (ANONYMOUS, WELL_KNOWN_LOGIN, EXPLORER_OPEN, CLEAR_HTTP, UNVERIFIED_CERTIFICATE, UNKNOWN_ECHO,
         UNKNOWN_ASSOCIATION, ANY_CALLED_AET, CLEAR_DICOM)
HTTP_RULES = RULES[:5]
DICOM_RULES = RULES[5:]


@dataclass(frozen=True)
class Observed:
    """Everything the stranger saw; None where it did not look (or could not)."""

    site: Site
    anonymous: Answer  # GET /system, no credentials
    explorer: Answer | None = None  # GET /app/explorer.html, no credentials
    well_known: Answer | None = None  # GET /system as orthanc:orthanc (only when anonymous is refused)
    verified: Answer | None = None  # https: GET /system with certificate verification
    dicom: tuple[str, int] | None = None
    stranger: Echo | None = None  # an unknown calling AET, the right called AET
    wrong_called: Echo | None = None  # an unknown calling AET, a wrong called AET
    dicom_tls: bool | None = None

    @property
    def http_answers(self) -> bool:
        return self.anonymous.status is not None

    @property
    def dicom_answers(self) -> bool:
        return self.stranger is not None and self.stranger.outcome != "unreachable"


def loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False


def findings(seen: Observed, version: str | None) -> list[Finding]:
    found = _http(seen) if seen.http_answers else []
    if seen.dicom_answers:
        found += _dicom(seen)
    if version is not None:
        found += service_user.findings({}, Facts(target=parse(version)))
    return found


def _http(seen: Observed) -> list[Finding]:
    local = loopback(seen.site.host)
    severity = "high" if local else None  # from this host: every local account, not the world
    found = []
    if seen.anonymous.status == 200:
        found.append(ANONYMOUS.found("GET /system", f"{seen.site.url}/system answered 200 without credentials",
                                     path=(), current=200, recommended=401, severity=severity))
    if seen.well_known is not None and seen.well_known.status == 200:
        found.append(WELL_KNOWN_LOGIN.found("GET /system", f"{seen.site.url}/system answered 200 to orthanc:orthanc",
                                            path=(), current=200, recommended=401, severity=severity))
    if seen.explorer is not None and seen.explorer.status == 200:
        found.append(EXPLORER_OPEN.found("GET /app/explorer.html", "Orthanc Explorer answered 200 without credentials",
                                         path=(), current=200, recommended=401))
    if seen.site.scheme == "http" and not local:
        found.append(CLEAR_HTTP.found(seen.site.url, f"{seen.site.host} is not a loopback address and the API "
                                      "answers over plain HTTP", path=(), current="http", recommended="https"))
    if seen.verified is not None and seen.verified.status is None:
        found.append(UNVERIFIED_CERTIFICATE.found(seen.site.url, f"the certificate does not verify: {seen.verified.error}",
                                                  path=()))
    return found


def _dicom(seen: Observed) -> list[Finding]:
    host, port = seen.dicom
    where, found = f"DICOM {host}:{port}", []
    if seen.stranger.outcome == "success":
        found.append(UNKNOWN_ECHO.found(where, "C-ECHO from an unknown AET succeeded", path=(),
                                        current="success", recommended="rejected"))
    elif seen.stranger.outcome == "refused":
        found.append(UNKNOWN_ASSOCIATION.found(where, "the association of an unknown AET was accepted (its C-ECHO "
                                               "was refused)", path=(), current="accepted", recommended="rejected"))
    wrong = seen.wrong_called
    if wrong is not None and wrong.outcome in ("success", "refused"):
        found.append(ANY_CALLED_AET.found(where, "an association to a wrong called AET was accepted", path=(),
                                          current="accepted", recommended="rejected"))
    if seen.stranger.outcome in ("success", "refused", "rejected") and not loopback(host):
        found.append(CLEAR_DICOM.found(where, f"{host} is not a loopback address and answers plain DICOM", path=(),
                                       current="plain DICOM", recommended="DICOM TLS"))
    return found
