"""Look at a running Orthanc from outside, as a stranger: the few requests and associations probe makes.

Only the host the admin names is contacted, and nothing beyond this list is tried. Over HTTP: GET
/system anonymously (with a made-up Origin) and /app/explorer.html, one GET /system with the
well-known login orthanc:orthanc (only when anonymous is refused), one GET with certificate
verification on an https:// URL, a QIDO-RS search for a patient ID that cannot exist, an empty
STOW-RS POST and a CORS preflight (web.py). On the DICOM port, all from a random calling AET: a
C-ECHO to the right AET, one to a random called AET (nmap's dicom-ping), one to ORTHANC when that
is not the right one (dicom-brute's first guess), a C-FIND for the patient ID that cannot exist
(when the first association was accepted: a rejected AET would be rejected again), and a TLS
handshake when plain DICOM is refused.
"""

from __future__ import annotations

from wizard.probe import dicom, rest, web
from wizard.probe.seen import Observed, Strangers

DEFAULT_AET = "ORTHANC"


def look(site: rest.Site, dicom_at: tuple[str, int] | None, aet: str, strangers: Strangers | None = None) -> Observed:
    strangers = strangers or Strangers.random()
    anonymous = rest.get(site, "/system", headers={"Origin": strangers.origin})
    http = {}
    if anonymous.status is not None:
        http = {"explorer": rest.get(site, "/app/explorer.html"), "qido": web.qido(site, strangers.patient_id),
                "stow": web.stow_empty(site), "preflight": web.preflight(site, strangers.origin)}
        if anonymous.status != 200:
            http["well_known"] = rest.get(site, "/system", login=rest.WELL_KNOWN)
        if site.scheme == "https":
            http["verified"] = rest.get(site, "/system", verify=True)
    return Observed(site, anonymous, **http, **_dicom(dicom_at, aet, strangers), strangers=strangers)


def _dicom(dicom_at: tuple[str, int] | None, aet: str, strangers: Strangers) -> dict:
    if dicom_at is None:
        return {}
    host, port = dicom_at
    stranger = dicom.echo(host, port, strangers.calling, aet)
    seen = {"dicom": dicom_at, "stranger": stranger}
    if stranger.outcome == "aborted":  # DICOM TLS only, or not DICOM at all: nothing more to ask in clear
        return {**seen, "dicom_tls": dicom.speaks_tls(host, port)}
    if stranger.outcome == "unreachable":
        return seen
    seen["any_called"] = dicom.echo(host, port, strangers.calling, strangers.called)
    seen["default_called"] = stranger if aet == DEFAULT_AET else dicom.echo(host, port, strangers.calling, DEFAULT_AET)
    if stranger.accepted:  # a rejected stranger would be rejected again, before any C-FIND
        seen["find"] = dicom.find(host, port, strangers.calling, aet, strangers.patient_id)
    return {**seen, "dicom_tls": False}


def version(seen: Observed) -> str | None:
    """The release /system shows to the stranger, anonymously or with the well-known login, else the
    one the DICOM association names (when it names an Orthanc release)."""
    shown = rest.version(seen.anonymous) or (rest.version(seen.well_known) if seen.well_known else None)
    named = seen.implementation
    return shown or (dicom.named_release(named.version_name) if named else None)
