"""Look at a running Orthanc from outside, as a stranger: the few requests and associations probe makes.

Only the host the admin names is contacted, and nothing beyond this list is tried: two anonymous
GETs, one GET with the well-known login orthanc:orthanc (only when anonymous is refused), one
GET with certificate verification on an https:// URL, and on the DICOM port two associations
of an unknown AET (each with one C-ECHO) and one TLS handshake.
"""

from __future__ import annotations

from wizard.probe import dicom, rest
from wizard.probe.rules import Observed

STRANGER = "NOT-A-MODALITY"  # a calling AET no site declares
WRONG_CALLED = "NOT-THIS-AET"


def look(site: rest.Site, dicom_at: tuple[str, int] | None, aet: str) -> Observed:
    anonymous = rest.get(site, "/system")
    explorer = well_known = verified = None
    if anonymous.status is not None:
        explorer = rest.get(site, "/app/explorer.html")
        if anonymous.status != 200:
            well_known = rest.get(site, "/system", login=rest.WELL_KNOWN)
        if site.scheme == "https":
            verified = rest.get(site, "/system", verify=True)
    stranger = wrong = tls = None
    if dicom_at is not None:
        host, port = dicom_at
        stranger = dicom.echo(host, port, STRANGER, aet)
        if stranger.outcome != "unreachable":
            wrong = dicom.echo(host, port, STRANGER, WRONG_CALLED if aet != WRONG_CALLED else "NOT-ORTHANC")
            tls = dicom.speaks_tls(host, port) if stranger.outcome == "aborted" else False
    return Observed(site, anonymous, explorer, well_known, verified, dicom_at, stranger, wrong, tls)


def version(seen: Observed) -> str | None:
    """The release /system shows to the stranger, anonymously or with the well-known login."""
    return rest.version(seen.anonymous) or (rest.version(seen.well_known) if seen.well_known else None)
