"""DICOM: enablement, AET and port, called-AET and host checks, per-modality permissions, TLS."""

from __future__ import annotations

from ipaddress import ip_address, ip_network

from wizard.orthanc.document import is_placeholder
from wizard.orthanc.entries import normal_modality
from wizard.orthanc.options import MODALITY_PERMISSIONS
from wizard.topics import network
from wizard.topics.base import Answers, Build, Finding, Question, Step, put_entries, read_pairs, setting, sh

NAME = "dicom"
TITLE = "DICOM"

_on = lambda a: a["dicom"]["enabled"]  # noqa: E731
_tls = lambda a: a["dicom"]["enabled"] and a["dicom"]["tls"]["enabled"]  # noqa: E731

# Profile answer → Orthanc option for the "accept from unknown AETs" switches.
ALWAYS_ALLOW = {
    "always_allow_echo": "DicomAlwaysAllowEcho",
    "always_allow_store": "DicomAlwaysAllowStore",
    "always_allow_find": "DicomAlwaysAllowFind",
    "always_allow_find_worklist": "DicomAlwaysAllowFindWorklist",
    "always_allow_get": "DicomAlwaysAllowGet",
    "always_allow_move": "DicomAlwaysAllowMove",
}
TLS = {"certificate": "DicomTlsCertificate", "private_key": "DicomTlsPrivateKey",
       "trusted_certificates": "DicomTlsTrustedCertificates"}

QUESTIONS = (
    Question("dicom.enabled", "bool", "Run the DICOM server",
             "The DICOM port (C-STORE, C-FIND, C-MOVE...) has no passwords: only AETs and "
             "addresses. The documentation says to disable it on cloud servers unless it sits "
             "behind a VPN or an SSH tunnel. Orthanc always listens on every interface."),
    Question("dicom.aet", "text", "Orthanc's AET", "The called AET modalities must use (1 to 16 characters).", when=_on),
    Question("dicom.port", "int", "DICOM port", "The port of the DICOM server (default 4242).", when=_on),
    Question("dicom.check_called_aet", "bool", "Refuse associations to another AET",
             "DicomCheckCalledAet rejects associations whose called AET is not Orthanc's: "
             "it stops scanners that try every AET.", when=_on),
    Question("dicom.check_modality_host", "bool", "Check each modality's IP address",
             "DicomCheckModalityHost accepts a modality's AET only from its registered IP address, "
             "so knowing an AET is not enough. Orthanc compares the strings literally: give IP "
             "addresses, never host names.", when=_on),
    *(Question(f"dicom.{answer}", "bool", f"Accept {answer[13:].replace('_', ' ')} from unknown AETs",
               f"{option}: when on, any AET may ask this of Orthanc, and the association itself is "
               "accepted for everyone. Keep every one off and list your modalities instead.", when=_on)
      for answer, option in ALWAYS_ALLOW.items()),
    Question("dicom.modalities", "modalities", "Modalities and what each may do",
             "Each modality (name, AET, IP address, port) gets only the commands it needs: a CT "
             "only stores, a viewer finds and moves. What is not allowed is refused.", when=_on),
    Question("dicom.tls.enabled", "bool", "DICOM over TLS",
             "From Orthanc 1.9.0 the DICOM port can require TLS: then neither images nor AETs "
             "cross the network in clear, and with client certificates a stolen AET is useless.", when=_on),
    Question("dicom.tls.certificate", "text", "TLS certificate (PEM)", "Orthanc's DICOM certificate, used as server and as client (absolute path: Orthanc "
             "1.10.1 does not resolve relative DICOM TLS paths).", when=_tls),
    Question("dicom.tls.private_key", "text", "TLS private key (PEM)", "The private key of that certificate, in its own file (unlike SslCertificate); "
             "readable by the service user only.", when=_tls),
    Question("dicom.tls.trusted_certificates", "text", "Trusted peers (PEM bundle)",
             "The certificates (or their CAs) of the modalities Orthanc trusts; Orthanc 1.10.1 "
             "refuses to start without this file.", when=_tls),
    Question("dicom.tls.remote_certificate_required", "bool", "Require a client certificate",
             "Refuses TLS clients that show no trusted certificate: without it any client that "
             "speaks TLS may associate, and only the AET checks remain.", when=_tls),
)


def apply(answers: Answers, build: Build) -> None:
    dicom = answers["dicom"]
    build.set("DicomServerEnabled", dicom["enabled"])
    if not dicom["enabled"]:
        if dicom["modalities"]:
            build.warn("DICOM is disabled: the modalities are written for Orthanc's own C-STORE/C-MOVE only")
    build.set("DicomAet", dicom["aet"])
    build.set("DicomPort", dicom["port"])
    build.set("DicomCheckCalledAet", dicom["check_called_aet"])
    build.set("DicomCheckModalityHost", dicom["check_modality_host"])
    for answer, option in ALWAYS_ALLOW.items():
        build.set(option, dicom[answer])
    build.set("DicomModalities", {m["name"]: _modality(m, build) for m in dicom["modalities"]})
    if dicom["tls"]["enabled"]:
        build.set("DicomTlsEnabled", True)
        for answer, option in TLS.items():
            build.set(option, dicom["tls"][answer])
        build.set("DicomTlsRemoteCertificateRequired", dicom["tls"]["remote_certificate_required"])


def _modality(modality: dict, build: Build) -> dict:
    entry = {"AET": modality["aet"], "Host": modality["host"], "Port": modality["port"]}
    for permission, (option, since) in MODALITY_PERMISSIONS.items():
        allowed = permission in modality["allow"]
        if build.supports(since):
            entry[option] = allowed
        elif allowed:
            build.warn(f"modality {modality['name']!r}: {option} needs Orthanc {since}")
    return entry


def checklist(answers: Answers) -> list[Step]:
    dicom = answers["dicom"]
    if not dicom["enabled"]:
        return []
    firewall, exposed = _firewall_step(answers)
    steps = [firewall]
    if dicom["tls"]["enabled"]:
        tls, user = dicom["tls"], answers["service"]["user"]
        steps.append(Step("Put the DICOM TLS certificates in place",
                          "Orthanc refuses to start when one of them is missing; the private key must "
                          "be readable by the service user only. Each modality needs Orthanc's "
                          "certificate, and its own must be in the trusted bundle.",
                          (f"openssl x509 -in {sh(tls['certificate'])} -noout -subject -enddate",
                           f"chown {user} {sh(tls['private_key'])} && chmod 0400 {sh(tls['private_key'])}",
                           f"openssl verify -CAfile {sh(tls['trusted_certificates'])} {sh(tls['trusted_certificates'])}")))
    if exposed and not dicom["tls"]["enabled"]:
        steps.append(Step("Keep DICOM traffic on a trusted network",
                          "Without DICOM TLS images and AETs cross the network in clear: use it "
                          "only inside the site network or through a VPN or SSH tunnel.",
                          (f"ss -ltnp | grep ':{dicom['port']}'",)))
    return steps


def stranger_checks(answers: Answers) -> list[str]:
    """A command for the checklist's last step, with the answer to expect after '  # '."""
    dicom = answers["dicom"]
    if not dicom["enabled"] or any(dicom[answer] for answer in ALWAYS_ALLOW):
        return []
    expected = ("Association Request Failed (plain DICOM is refused: TLS only)" if dicom["tls"]["enabled"]
                else "Association Rejected (echoscu: apt-get install dcmtk)")
    return [f"echoscu -v -aet NOT-A-MODALITY -aec {sh(dicom['aet'])} 127.0.0.1 {dicom['port']}  # {expected}"]


def _firewall_step(answers: Answers) -> tuple[Step, bool]:
    """Who the firewall lets reach the DICOM port: the modalities' addresses, and the allowed
    networks only when Orthanc itself lets unknown machines in (an always-allow switch, or no
    host check); with neither a modality nor such a switch, nobody. Also: whether any other
    machine reaches the port."""
    dicom, port = answers["dicom"], answers["dicom"]["port"]
    hosts = {m["host"]: m["name"] for m in dicom["modalities"]}
    addresses = sorted((ip_address(h) for h in hosts if _is_ip(h)), key=lambda a: (a.version, a))
    named = [f"# modality {name} is given as {host}: allow its address too "
             f"(ufw allow from ADDRESS to any port {port} proto tcp)" for host, name in hosts.items() if not _is_ip(host)]
    welcome = [answer.removeprefix("always_allow_").replace("_", "-") for answer in ALWAYS_ALLOW if dicom[answer]]
    if not dicom["check_modality_host"]:
        welcome.append("any command from any machine using a declared AET (the host check is off)")
    if not welcome:
        if not addresses:
            return Step(f"Close DICOM port {port} to other machines",
                        "No modality is declared and unknown AETs are refused: no other machine needs "
                        "the port, and a closed port keeps Orthanc's DICOM parser out of reach (tools "
                        "on this host still use 127.0.0.1).",
                        (f"ufw deny {port}/tcp", *network.ENABLE)), False
        return Step(f"Open DICOM port {port} to the modalities only",
                    "Orthanc's DICOM server listens on every interface and has no bind-address option; "
                    "the host check already refuses other machines, and the firewall keeps them from "
                    "reaching the DICOM parser at all.",
                    network.firewall_rules(port, [str(a) for a in addresses])), True
    networks = [ip_network(n) for n in answers["network"]["allowed_networks"]]
    outside = [str(a) for a in addresses if not any(a in net for net in networks)]
    sources = [str(n) for n in networks] + outside
    where = "the allowed networks and the modalities" if networks else "every address"
    return Step(f"Open DICOM port {port} to {where}",
                f"Orthanc accepts unknown machines on this port ({', '.join(welcome)}) and AETs are not "
                "secrets: only the firewall limits who can use it. Orthanc's DICOM server listens on "
                "every interface and has no bind-address option.",
                (*named, *network.firewall_rules(port, sources))), True


def _is_ip(host: str) -> bool:
    try:
        ip_address(host)
        return True
    except ValueError:
        return False


SOURCES = {"dicom.enabled": "DicomServerEnabled", "dicom.aet": "DicomAet", "dicom.port": "DicomPort",
           "dicom.check_called_aet": "DicomCheckCalledAet", "dicom.check_modality_host": "DicomCheckModalityHost",
           **{f"dicom.{answer}": option for answer, option in ALWAYS_ALLOW.items()},
           "dicom.modalities": "DicomModalities", "dicom.tls.enabled": "DicomTlsEnabled",
           **{f"dicom.tls.{answer}": option for answer, option in TLS.items()},
           "dicom.tls.remote_certificate_required": "DicomTlsRemoteCertificateRequired"}


def read(config: dict) -> Answers:
    plain = {answer: key for answer, key in SOURCES.items() if answer != "dicom.modalities"}
    answers = read_pairs(config, plain)
    for answer in TLS:  # the profile takes absolute paths only
        path = answers.get("dicom", {}).get("tls", {}).get(answer)
        if path is not None and not path.startswith("/"):
            del answers["dicom"]["tls"][answer]
    put_entries(answers, "dicom.modalities", config.get("DicomModalities"), _read_modality)
    return answers


def _read_modality(name: str, entry) -> dict | None:
    """A modality in array form (Orthanc allows it everything) or object form; None (left as
    written) when a field is not a plain value."""
    entry = normal_modality(entry)
    if entry is None or not all(isinstance(entry.get(k), str) and not is_placeholder(entry[k]) for k in ("AET", "Host")):
        return None
    if not isinstance(entry["Port"], int) or isinstance(entry["Port"], bool):
        return None
    allow = [answer for answer, (option, _) in MODALITY_PERMISSIONS.items() if entry.get(option) is not False]
    return {"name": name, "aet": entry["AET"], "host": entry["Host"], "port": entry["Port"], "allow": allow}


def findings(config: dict) -> list[Finding]:
    if setting(config, "DicomServerEnabled", True) is False:
        return []
    found = [Finding(f"always-allow-{option[16:].lower()}", "medium", option,
                     f"{option} lets any AET do this (the association is then accepted for everyone)")
             for option in ALWAYS_ALLOW.values()
             if setting(config, option, option in ("DicomAlwaysAllowEcho", "DicomAlwaysAllowStore"))]
    if not setting(config, "DicomCheckModalityHost", False):
        found.append(Finding("no-host-check", "low", "DicomCheckModalityHost",
                             "a modality's AET is accepted from any address"))
    modalities = config.get("DicomModalities")
    for name, entry in (modalities.items() if isinstance(modalities, dict) else ()):
        if isinstance(entry, list):
            found.append(Finding("modality-all-permissions", "medium", f"DicomModalities.{name}",
                                 f"modality {name!r} is in array form, which allows every command"))
    return found
