"""What a stranger got from a running Orthanc: the probe's rule table (judged in probe/judge.py), each
rule naming the scanner check that sees the same, for SARIF's help and the README."""

from __future__ import annotations

from wizard.topics.base import BOOK, SECURING, Rule

HTTP, DICOM = SECURING + "#securing-the-http-server", SECURING + "#securing-the-dicom-server"
DICOMWEB = BOOK + "plugins/dicomweb.html"
ANONYMOUS = Rule(
    "OH-PROBE-001", "critical", "The REST API answers anonymous requests",
    "GET /system answered without credentials: whoever reaches the port can read, change and delete every "
    "study through the REST API (from 127.0.0.1: every account of this host).",
    doc=HTTP, fix="turn authentication on with registered users (orthanc-harden apply --config, any preset)",
    scanner="Orthanc's /system read anonymously, as the newer dicom-ping revision and web scanners do")
WELL_KNOWN_LOGIN = Rule(
    "OH-PROBE-002", "critical", "The well-known login orthanc:orthanc works",
    "Orthanc up to 1.12.8 creates orthanc:orthanc when authentication is on and no user is registered "
    "(Debian's credentials.json ships none): it is the first login every scanner tries.",
    doc=HTTP, fix="register users with strong passwords (orthanc-harden apply --config generates them)",
    scanner="web scanners' default-login checks (one well-known login)")
EXPLORER_OPEN = Rule(
    "OH-PROBE-003", "high", "Orthanc Explorer opens without a login",
    "/app/explorer.html answered without credentials: a full administration interface for anyone who "
    "reaches the port.", doc=HTTP, fix="turn authentication on; on an Internet-facing server turn Explorer off",
    scanner="web scanners' open administration pages")
CLEAR_HTTP = Rule(
    "OH-PROBE-004", "high", "The REST API is served in clear to other machines",
    "HTTP Basic sends the password with every request and the answers carry patient data: on an address "
    "other machines use, without TLS anyone on the path reads both.",
    doc=SECURING + "#securing-the-http-server", fix="serve 127.0.0.1 only, behind a TLS reverse proxy (https.mode reverse-proxy)",
    scanner="TLS scanners: no TLS on the service port")
UNVERIFIED_CERTIFICATE = Rule(
    "OH-PROBE-005", "medium", "The HTTPS certificate does not verify",
    "Clients that cannot check the certificate either refuse it or learn to ignore the warning, and then a "
    "man in the middle reads every password.", doc=BOOK + "faq/https.html",
    fix="use a certificate of a CA the clients trust, issued for the name they use",
    scanner="TLS scanners: certificate chain or name not trusted")
UNKNOWN_ECHO = Rule(
    "OH-PROBE-006", "medium", "An unknown AET gets an answer to C-ECHO",
    "DicomAlwaysAllowEcho is on: any machine, with any AET, learns that an Orthanc answers there, and "
    "while one DicomAlwaysAllow* switch is on every association is accepted (DicomAlwaysAllowStore, on by "
    "default, lets it store; the probe never tries).", doc=DICOM, fix="set DicomAlwaysAllowEcho and DicomAlwaysAllowStore to false (--set dicom.always_allow_echo=false)",
    scanner="a full DICOM ping (DCMTK echoscu); nmap dicom-ping stops at the association")
UNKNOWN_ASSOCIATION = Rule(
    "OH-PROBE-007", "low", "Associations from unknown AETs are accepted",
    "Orthanc accepted an association from an AET it does not know: one DicomAlwaysAllow* switch is on, so "
    "every association is accepted and each command is judged alone.",
    doc=DICOM, fix="set every DicomAlwaysAllow* to false and list the modalities",
    scanner="nmap dicom-ping: \"DICOM Service Provider discovered!\"")
ANY_CALLED_AET = Rule(
    "OH-PROBE-008", "low", "Any called AET is accepted",
    "An association from a random calling AET to a random called AET was accepted: DicomCheckCalledAet is "
    "off and an unknown AET is let in, so scanners need know nothing of this server.",
    doc=DICOM, fix="set DicomCheckCalledAet to true and every DicomAlwaysAllow* to false (--set dicom.check_called_aet=true)",
    scanner="nmap dicom-ping: \"config: Any AET is accepted (Insecure)\"")
CLEAR_DICOM = Rule(
    "OH-PROBE-009", "medium", "The DICOM port speaks plain DICOM to other machines",
    "Without DICOM TLS images and AETs cross the network in clear, and AETs are all a modality proves.",
    doc=DICOM, fix="DICOM TLS (dicom.tls.enabled, Orthanc 1.9.0 and later), a VPN, or a firewall",
    scanner="nmap dicom-ping answering at all (plain DICOM, no TLS)")
DEFAULT_CALLED_AET = Rule(
    "OH-PROBE-010", "low", "Orthanc's AET is the default ORTHANC",
    "Scanners guess the called AET as a password (nmap dicom-brute), and ORTHANC, Orthanc's default, is the "
    "first guess for an Orthanc; Orthanc's own rejection reasons ('calling AE title not recognized' instead of "
    "'called AE title not recognized') confirm it even to an AET it refuses.",
    doc=DICOM, fix="give DicomAet a name of the site's own (--set dicom.aet=...) and tell the modalities",
    scanner="nmap dicom-brute: \"Called Application Entity Title:ORTHANC - Valid credentials\"")
UNKNOWN_FIND = Rule(
    "OH-PROBE-011", "high", "An unknown AET may search the archive (C-FIND)",
    "A Patient Root C-FIND from an AET Orthanc does not know, for a patient ID that cannot exist, answered "
    "success: DicomAlwaysAllowFind is on, so any machine lists patients, studies and their IDs.",
    doc=DICOM, fix="set DicomAlwaysAllowFind to false (--set dicom.always_allow_find=false) and list the modalities that search",
    scanner="a Patient Root query (DCMTK findscu -P) after nmap dicom-ping found the port")
QIDO_OPEN = Rule(
    "OH-PROBE-012", "high", "QIDO-RS searches answer without a login",
    "GET /dicom-web/studies for a patient ID that cannot exist answered without credentials: any client "
    "lists the studies, with names, IDs and birth dates, through DICOMweb.",
    doc=DICOMWEB, fix="turn authentication on (orthanc-harden apply --config, any preset)",
    scanner="DICOMweb scanners: unauthenticated QIDO-RS search (GET /dicom-web/studies)")
STOW_OPEN = Rule(
    "OH-PROBE-013", "high", "STOW-RS accepts uploads without a login",
    "An empty multipart POST to /dicom-web/studies (nothing that could be stored) reached the STOW-RS handler "
    "without credentials: anyone can add studies to real patients, or send files that crash the parser.",
    doc=DICOMWEB, fix="turn authentication on and give uploads to the uploader role only (any preset)",
    scanner="DICOMweb scanners: unauthenticated STOW-RS (POST /dicom-web/studies)")
CORS_CREDENTIALS = Rule(
    "OH-PROBE-014", "medium", "CORS lets other web sites use the API with its users' logins",
    "An answer to a made-up Origin carried Access-Control-Allow-Credentials: true with "
    "Access-Control-Allow-Origin * (browsers refuse the pair; the next 'fix' is usually the one below) or "
    "echoing that Origin (high: any page a logged-in user opens reads the archive with the user's login).",
    doc=HTTP, fix="drop the CORS headers at the proxy, or allow only the viewer's own origin",
    scanner="web scanners' CORS misconfiguration checks (origin * or reflected, with credentials)")
IMPLEMENTATION = Rule(
    "OH-PROBE-015", "info", "The DICOM port names its implementation",
    "An accepted association carries the Implementation Class UID and Version Name (PS3.7 D.3.3.2): "
    "Debian's Orthanc names the DCMTK it was built with, not its own release.",
    doc=DICOM, fix="refuse unknown AETs (every DicomAlwaysAllow* false): a rejected association names nothing",
    scanner="the newer nmap dicom-ping revision's vendor/version lines, nmap -sV")
RULES = (ANONYMOUS, WELL_KNOWN_LOGIN, EXPLORER_OPEN, CLEAR_HTTP, UNVERIFIED_CERTIFICATE, QIDO_OPEN, STOW_OPEN,
         CORS_CREDENTIALS, UNKNOWN_ECHO, UNKNOWN_ASSOCIATION, ANY_CALLED_AET, CLEAR_DICOM, DEFAULT_CALLED_AET,
         UNKNOWN_FIND, IMPLEMENTATION)
HTTP_RULES = RULES[:8]
DICOM_RULES = RULES[8:]
