"""The DICOMweb and CORS requests of the HTTP stranger: each asks something no site can answer
with patient data (a made-up patient ID, an upload with no part, a preflight), and only its status
and headers are judged.

STOW-RS is proven open by a POST, not a GET or OPTIONS: QIDO-RS and STOW-RS share the path
/dicom-web/studies, and a filter or proxy may let GETs through and refuse POSTs. The POST is a
multipart/related body with no part at all, so nothing can be stored: Orthanc checks the login
(401) and the filter (403) first, and its STOW-RS handler answers 200 with empty sequences
(measured on 1.10.1 and 1.13.0, nothing stored).
"""

from __future__ import annotations

from urllib.parse import quote

from wizard.probe.rest import Answer, Site, get, request

BOUNDARY = "orthanc-harden-probe-empty"


def configured_root(values: dict | None) -> str | None:
    """The Root a configuration gives the DICOMweb plugin (Debian's dicomweb.json), if any."""
    section = (values or {}).get("DicomWeb")
    root = section.get("Root") if isinstance(section, dict) else None
    return root if isinstance(root, str) and root.startswith("/") else None


def qido(where: Site, patient_id: str) -> Answer:
    return get(where, f"{where.dicom_web}/studies?PatientID={quote(patient_id)}", headers={"Accept": "application/dicom+json"})


def stow_empty(where: Site) -> Answer:
    content_type = f'multipart/related; type="application/dicom"; boundary={BOUNDARY}'
    return request(where, "POST", f"{where.dicom_web}/studies", {"Content-Type": content_type, "Accept": "application/dicom+json"},
                   body=f"--{BOUNDARY}--\r\n".encode())


def preflight(where: Site, origin: str) -> Answer:
    """What a browser asks, without credentials, before a page of another origin sends a login."""
    return request(where, "OPTIONS", "/system", {"Origin": origin, "Access-Control-Request-Method": "GET",
                                                 "Access-Control-Request-Headers": "authorization"})


def handled(answer: Answer | None) -> bool:
    """Whether the request got past the login and the filter to a handler (404: not served, 405: no such method)."""
    return answer is not None and answer.status is not None and answer.status not in (401, 403, 404, 405) \
        and answer.status < 500


def credentialed_origin(answer: Answer | None, origin: str) -> str | None:
    """"*" or "reflected" when the answer lets origin read it with credentials, else None."""
    if answer is None or answer.headers.get("access-control-allow-credentials", "").strip().lower() != "true":
        return None
    allowed = answer.headers.get("access-control-allow-origin", "").strip()
    return "*" if allowed == "*" else "reflected" if allowed == origin else None
