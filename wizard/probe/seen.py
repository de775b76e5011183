"""What the stranger saw, and the made-up names it used: random for each run, so that no site can
have listed them (a modality's AET, a patient ID, a web origin)."""

from __future__ import annotations

import ipaddress
import secrets
import socket
from dataclasses import dataclass

from wizard.probe.dicom import Association
from wizard.probe.rest import Answer, Site


@dataclass(frozen=True)
class Strangers:
    calling: str  # the calling AET of every association
    called: str  # the called AET of the dicom-ping association
    patient_id: str  # what C-FIND and QIDO-RS look for
    origin: str  # the Origin of the CORS requests

    @classmethod
    def random(cls) -> Strangers:
        tag = secrets.token_hex(4).upper()
        return cls(f"OHP-{tag}", f"OHQ-{secrets.token_hex(4).upper()}", f"OH-PROBE-NONE-{secrets.token_hex(8)}",
                   f"https://oh-probe-{tag.lower()}.invalid")


@dataclass(frozen=True)
class Observed:
    """Everything the stranger saw; None where it did not look (or could not)."""

    site: Site
    anonymous: Answer  # GET /system, no credentials, with the made-up Origin
    explorer: Answer | None = None  # GET /app/explorer.html, no credentials
    well_known: Answer | None = None  # GET /system as orthanc:orthanc (only when anonymous is refused)
    verified: Answer | None = None  # https: GET /system with certificate verification
    qido: Answer | None = None  # GET /dicom-web/studies?PatientID=<none>, no credentials
    stow: Answer | None = None  # POST /dicom-web/studies, an empty multipart body, no credentials
    preflight: Answer | None = None  # OPTIONS /system as a browser's CORS preflight from the made-up Origin
    dicom: tuple[str, int] | None = None
    stranger: Association | None = None  # C-ECHO, an unknown calling AET to the right called AET
    any_called: Association | None = None  # C-ECHO, an unknown calling AET to a random called AET (dicom-ping)
    default_called: Association | None = None  # C-ECHO to ORTHANC (the stranger's, when --aet is ORTHANC)
    find: Association | None = None  # C-FIND, an unknown calling AET, a patient ID that cannot exist
    dicom_tls: bool | None = None
    strangers: Strangers | None = None

    @property
    def http_answers(self) -> bool:
        return self.anonymous.status is not None

    @property
    def dicom_answers(self) -> bool:
        return self.stranger is not None and self.stranger.outcome != "unreachable"

    @property
    def implementation(self) -> Association | None:
        """The first accepted association (it names the peer's implementation)."""
        return next((a for a in (self.stranger, self.any_called, self.default_called, self.find)
                     if a is not None and a.accepted and a.version_name), None)


def loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False
