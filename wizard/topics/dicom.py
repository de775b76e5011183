"""DICOM: enablement, AET and port, called-AET and host checks, per-modality permissions, TLS."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import ip_address, ip_network

from wizard import checks
from wizard.orthanc.document import is_placeholder
from wizard.orthanc.entries import normal_modality
from wizard.orthanc.options import MODALITY_PERMISSIONS
from wizard.topics import dicom_store, network
from wizard.topics.base import Answers, Build, Finding, Question, Step, put_entries, read_pairs, setting, sh
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Facts, Rule

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
             "only stores, a viewer finds and moves. What is not allowed is refused. A modality that "
             "stores may be limited to kinds (CT, MR, US..., or SOP classes): from Orthanc 1.13.0 a "
             "generated ReceivedCStoreInstanceFilter refuses any other kind and the modality is told. "
             "Older releases cannot: their filter either stores what it refuses or drops an image while "
             "answering Success (silent data loss).", when=_on),
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
    if dicom["modalities_in_database"]:
        build.warn("DicomModalitiesInDatabase is true: Orthanc ignores the DicomModalities of its files and uses "
                   "the modalities of its database, so none are written and their permissions are not changed; "
                   "review them with GET /modalities?expand" + (" (the profile's modalities were not written)"
                                                                if dicom["modalities"] else ""))
    else:
        build.set("DicomModalities", {m["name"]: _modality(m, build) for m in dicom["modalities"]})
    for warning in checks.shared_aets(dicom):
        build.warn(warning)
    if dicom["tls"]["enabled"]:
        build.set("DicomTlsEnabled", True)
        for answer, option in TLS.items():
            build.set(option, dicom["tls"][answer])
        build.set("DicomTlsRemoteCertificateRequired", dicom["tls"]["remote_certificate_required"])
    dicom_store.apply(answers, build)


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
    steps = [replace(firewall, stage="firewall")]
    if dicom["tls"]["enabled"]:
        tls, user = dicom["tls"], answers["service"]["user"]
        steps.append(Step("Put the DICOM TLS certificates in place",
                          "Orthanc refuses to start when one of them is missing; the private key must "
                          "be readable by the service user only. Each modality needs Orthanc's "
                          "certificate, and its own must be in the trusted bundle.",
                          (f"openssl x509 -in {sh(tls['certificate'])} -noout -subject -enddate",
                           f"chown {user} {sh(tls['private_key'])} && chmod 0400 {sh(tls['private_key'])}",
                           f"openssl verify -CAfile {sh(tls['trusted_certificates'])} {sh(tls['trusted_certificates'])}"),
                          stage="certificate"))
    if exposed and not dicom["tls"]["enabled"]:
        steps.append(Step("Keep DICOM traffic on a trusted network",
                          "Without DICOM TLS images and AETs cross the network in clear: use it "
                          "only inside the site network or through a VPN or SSH tunnel.",
                          (f"ss -ltnp | grep ':{dicom['port']}'",), stage="after"))
    return steps + dicom_store.checklist(answers)


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
    if not welcome and dicom["modalities_in_database"]:
        return _database_step(answers), True
    if not welcome:
        if not addresses:
            return Step(f"Close DICOM port {port} to other machines",
                        "No modality is declared and unknown AETs are refused: no other machine needs "
                        "the port, and a closed port keeps Orthanc's DICOM parser out of reach (tools "
                        "on this host still use 127.0.0.1).",
                        (f"ufw deny {port}/tcp",)), False
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


def _database_step(answers: Answers) -> Step:
    """The modalities live in Orthanc's database: their addresses come from its REST API."""
    port, http = answers["dicom"]["port"], answers["network"]["http_port"]
    admins = [u["name"] for u in answers["authentication"]["users"] if u["role"] == "admin"]
    login = f"-su {sh(admins[0])} " if admins and answers["authentication"]["enabled"] else "-s "
    return Step(f"Open DICOM port {port} to the modalities of Orthanc's database only",
                "DicomModalitiesInDatabase is true: Orthanc uses the modalities registered through its REST "
                "API, not those of its files, so only Orthanc can say which addresses need the port.",
                (f"curl {login}{sh(f'http://127.0.0.1:{http}/modalities?expand')}  # each modality's Host",
                 f"ufw allow from ADDRESS to any port {port} proto tcp  # once for each modality's Host",
                 *network.firewall_rules(port, ["ADDRESS"])[1:]))


def _is_ip(host: str) -> bool:
    try:
        ip_address(host)
        return True
    except ValueError:
        return False


SOURCES = {"dicom.enabled": "DicomServerEnabled", "dicom.aet": "DicomAet", "dicom.port": "DicomPort",
           "dicom.check_called_aet": "DicomCheckCalledAet", "dicom.check_modality_host": "DicomCheckModalityHost",
           **{f"dicom.{answer}": option for answer, option in ALWAYS_ALLOW.items()},
           "dicom.modalities": "DicomModalities", "dicom.modalities_in_database": "DicomModalitiesInDatabase",
           "dicom.accepted_sop_classes": "AcceptedSopClasses",
           "dicom.tls.enabled": "DicomTlsEnabled",
           **{f"dicom.tls.{answer}": option for answer, option in TLS.items()},
           "dicom.tls.remote_certificate_required": "DicomTlsRemoteCertificateRequired"}


def read(config: dict) -> Answers:
    plain = {answer: key for answer, key in SOURCES.items()
             if answer not in ("dicom.modalities", "dicom.accepted_sop_classes")}
    answers = read_pairs(config, plain)
    if accepted := dicom_store.read(config):
        answers.setdefault("dicom", {}).update(accepted["dicom"])
    if answers.get("dicom", {}).get("modalities_in_database"):
        return answers  # Orthanc ignores the file's modalities
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


DICOM = SECURING + "#securing-the-dicom-server"
_ANY = ("is on: any machine that reaches the DICOM port, with any AET, may {}. And while one DicomAlwaysAllow* "
        "switch is on, Orthanc accepts every association and judges each command alone. The DICOM port has no "
        "password and listens on every interface. The documentation: list the modalities instead.")
_DOES = {"always_allow_echo": ("OH-DICOM-001", "medium", "C-ECHO", "check that an Orthanc answers there"),
         "always_allow_store": ("OH-DICOM-002", "high", "C-STORE", "store instances into the archive (forged "
                                "studies, a full disk)"),
         "always_allow_find": ("OH-DICOM-003", "high", "C-FIND", "search the archive: patient names, identifiers, studies"),
         "always_allow_find_worklist": ("OH-DICOM-004", "medium", "worklist C-FIND", "read the scheduled patients"),
         "always_allow_get": ("OH-DICOM-005", "high", "C-GET", "retrieve every image"),
         "always_allow_move": ("OH-DICOM-006", "medium", "C-MOVE", "make Orthanc send images to a declared modality")}
ALWAYS_ALLOW_RULES = {
    ALWAYS_ALLOW[answer]: Rule(id_, severity, f"{command} from unknown AETs", f"{ALWAYS_ALLOW[answer]} " + _ANY.format(does),
                               doc=DICOM, sets=(f"dicom.{answer}=false",))
    for answer, (id_, severity, command, does) in _DOES.items()}
NO_HOST_CHECK = Rule(
    "OH-DICOM-007", "medium", "Modality addresses not checked",
    "With DicomCheckModalityHost false, a declared modality's AET is accepted from any address: AETs are "
    "not secrets, so anyone who knows one gets that modality's rights. The documentation: set it to true, "
    "with IP addresses only.", doc=DICOM, sets=("dicom.check_modality_host=true",))
NO_CALLED_AET_CHECK = Rule(
    "OH-DICOM-008", "low", "Called AET not checked",
    "With DicomCheckCalledAet false Orthanc answers whatever AET a client calls it by: scanners need not "
    "know it. The documentation: consider setting it to true.", doc=DICOM, sets=("dicom.check_called_aet=true",))
HOST_NAME = Rule(
    "OH-DICOM-009", "medium", "Modality given by host name while the host check is on",
    "With DicomCheckModalityHost true Orthanc compares the client's IP address with Host as strings: a host "
    "name never matches, so the modality is always refused (and the check tempts one to switch it off).",
    doc=DICOM, fix="give the modality's IP address as Host")
ALL_COMMANDS = Rule(
    "OH-DICOM-010", "medium", "Modality allowed every command",
    "A DicomModalities entry in array form ([AET, Host, Port]) allows every command: echo, store, find, get, "
    "move and storage commitment. The documentation: allow each modality only the commands it needs.",
    doc=DICOM, fix="write the entry as an object with AllowEcho, AllowStore... (apply --config does)")
MODALITIES_IN_DATABASE = Rule(
    "OH-DICOM-011", "medium", "Modalities kept in the database",
    "With DicomModalitiesInDatabase true the DicomModalities of the files are ignored: modalities are added "
    "and changed at run time through PUT /modalities/{id} (an attacker registers its own AET), and no file "
    "shows who may talk to Orthanc.",
    doc=BOOK + "users/configuration.html", fix="set DicomModalitiesInDatabase to false and list the modalities in DicomModalities")
RULES = (*ALWAYS_ALLOW_RULES.values(), NO_HOST_CHECK, NO_CALLED_AET_CHECK, HOST_NAME, ALL_COMMANDS, MODALITIES_IN_DATABASE,
         *dicom_store.RULES)
_ON_BY_DEFAULT = ("DicomAlwaysAllowEcho", "DicomAlwaysAllowStore")


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if setting(config, "DicomServerEnabled", True) is False:
        return []
    found = [rule.found(option, f"{option} is on" + ("" if option in config else " (Orthanc's default)"),
                        current=True, recommended=False)
             for option, rule in ALWAYS_ALLOW_RULES.items() if setting(config, option, option in _ON_BY_DEFAULT)]
    modalities = config.get("DicomModalities")
    modalities = modalities if isinstance(modalities, dict) else {}
    in_database = setting(config, "DicomModalitiesInDatabase", False) is True
    if in_database:
        found.append(MODALITIES_IN_DATABASE.found("DicomModalitiesInDatabase", "modalities are managed through the "
                                                  "REST API, not the files", current=True, recommended=False))
    host_check = setting(config, "DicomCheckModalityHost", False)
    if not host_check:
        found.append(NO_HOST_CHECK.found("DicomCheckModalityHost", "a modality's AET is accepted from any address",
                                         current=host_check, recommended=True,
                                         severity=None if modalities or in_database else "low"))
    if not setting(config, "DicomCheckCalledAet", False):
        found.append(NO_CALLED_AET_CHECK.found("DicomCheckCalledAet", "associations to any called AET are accepted",
                                               current=False, recommended=True))
    for name, entry in modalities.items() if not in_database else ():  # ignored by Orthanc: nothing to judge
        found += _modality_findings(name, entry, host_check is True)
    return found + dicom_store.findings(config, facts)


def _modality_findings(name: str, entry, host_check: bool) -> list[Finding]:
    key, path, found = f"DicomModalities.{name}", ("DicomModalities", name), []
    if isinstance(entry, list):
        found.append(ALL_COMMANDS.found(key, f"modality {name!r} is in array form, which allows every command",
                                        path=path))
    host = (normal_modality(entry) or {}).get("Host")
    if host_check and isinstance(host, str) and not is_placeholder(host) and not _is_ip(host):
        found.append(HOST_NAME.found(key, f"modality {name!r} is given as {host!r}: Orthanc never accepts it while "
                                     "DicomCheckModalityHost is on", path=path, current=host))
    return found
