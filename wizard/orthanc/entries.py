"""How Orthanc reads the entries of DicomModalities and OrthancPeers, in either of their forms."""

from __future__ import annotations

from wizard.orthanc.options import MODALITY_PERMISSIONS


def normal_modality(entry) -> dict | None:
    """A DicomModalities entry as an object with Orthanc's defaults (every Allow* is true)."""
    allow = {option: True for option, _ in MODALITY_PERMISSIONS.values()}
    if isinstance(entry, list) and len(entry) >= 3:
        entry = {"AET": entry[0], "Host": entry[1], "Port": entry[2]}
    if not isinstance(entry, dict):
        return None
    port = entry.get("Port")
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    return {**allow, **entry, "Port": port}


def normal_peer(entry) -> dict | None:
    """An OrthancPeers entry as an object: [Url, Username, Password] or with "URL" for "Url"."""
    if isinstance(entry, list) and entry:
        return dict(zip(("Url", "Username", "Password"), entry))
    if not isinstance(entry, dict):
        return None
    return {("Url" if k == "URL" else k): v for k, v in entry.items()}
