"""Orthanc's security-relevant options: JSON type and the first release that reads them.

Source: reference/orthanc-facts.md §1 (Orthanc's source and NEWS). An option newer than the
target release is left out of what we write, with a warning, because older releases ignore it
silently and the admin would believe it protects them.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.versions import Version, parse


@dataclass(frozen=True)
class Option:
    type: type | tuple[type, ...]
    since: Version
    note: str = ""


def _o(kind, since: str, note: str = "") -> Option:
    return Option(kind, parse(since), note)


OPTIONS: dict[str, Option] = {
    "StorageDirectory": _o(str, "0.1.0"),
    "HttpServerEnabled": _o(bool, "0.7.3"),
    "HttpPort": _o(int, "0.1.0"),
    "HttpBindAddresses": _o(list, "1.12.10"),
    "RemoteAccessAllowed": _o(bool, "0.2.0"),
    "AuthenticationEnabled": _o(bool, "0.2.0"),
    "RegisteredUsers": _o(dict, "0.2.0"),
    "LuaScripts": _o(list, "0.5.0"),
    "Plugins": _o(list, "0.8.0"),  # a missing folder is only logged; a missing library stops 1.12.7
    "SslEnabled": _o(bool, "0.2.0"),
    "SslCertificate": _o(str, "0.2.0"),
    "SslMinimumProtocolVersion": _o(int, "1.8.2"),
    "HttpDescribeErrors": _o(bool, "0.9.4"),
    "OrthancExplorerEnabled": _o(bool, "1.8.2"),
    "WebDavEnabled": _o(bool, "1.8.0"),
    "WebDavDeleteAllowed": _o(bool, "1.8.0"),
    "WebDavUploadAllowed": _o(bool, "1.8.0"),
    "ExecuteLuaEnabled": _o(bool, "1.5.8"),
    # Upstream added it in 1.12.0; Debian backported it to its 1.10.1 (CVE-2023-33466), and
    # an unknown key is ignored silently, so writing it for 1.10.1 protects Debian and costs
    # nothing elsewhere (the Lua filter blocks /export for non-admins anyway).
    "RestApiWriteToFileSystemEnabled": _o(bool, "1.10.1", "honoured by upstream 1.12.0 and later and by Debian 12's "
                                             "1.10.1 (a backport); an upstream 1.10 or 1.11 ignores it"),
    "DeidentifyLogs": _o(bool, "1.8.2"),
    "LimitFindResults": _o(int, "0.8.0"),
    "LimitFindInstances": _o(int, "0.8.0"),
    "OverwriteInstances": _o((bool, str), "1.4.2"),
    "HttpsVerifyPeers": _o(bool, "0.9.4"),
    "HttpsCACertificates": _o(str, "0.9.4"),
    "OrthancPeers": _o((dict,), "0.1.0"),
    "DicomServerEnabled": _o(bool, "0.7.3"),
    "DicomAet": _o(str, "0.1.0"),
    "DicomPort": _o(int, "0.1.0"),
    "DicomCheckCalledAet": _o(bool, "0.2.0"),
    "DicomCheckModalityHost": _o(bool, "1.3.0"),
    "DicomAlwaysAllowEcho": _o(bool, "1.3.1"),
    "DicomAlwaysAllowStore": _o(bool, "1.3.0"),
    "DicomAlwaysAllowFind": _o(bool, "1.9.0"),
    "DicomAlwaysAllowFindWorklist": _o(bool, "1.10.0"),
    "DicomAlwaysAllowGet": _o(bool, "1.9.0"),
    "DicomAlwaysAllowMove": _o(bool, "1.9.7"),
    "DicomModalities": _o(dict, "0.1.0"),
    # The storage SOP classes the SCP accepts (wildcards * and ?), NEWS of 1.12.6.
    "AcceptedSopClasses": _o(list, "1.12.6"),
    # NEWS of 1.5.0: modalities and peers may be kept in the database (changed through REST).
    "DicomModalitiesInDatabase": _o(bool, "1.5.0"),
    "OrthancPeersInDatabase": _o(bool, "1.5.0"),
    "DicomTlsEnabled": _o(bool, "1.9.0"),
    "DicomTlsCertificate": _o(str, "1.9.0"),
    "DicomTlsPrivateKey": _o(str, "1.9.0"),
    "DicomTlsTrustedCertificates": _o(str, "1.9.0"),
    "DicomTlsRemoteCertificateRequired": _o(bool, "1.9.3"),
}

# Per-modality permission keys (object form of DicomModalities), by the profile's name.
MODALITY_PERMISSIONS: dict[str, tuple[str, str]] = {
    "echo": ("AllowEcho", "1.5.0"),
    "find": ("AllowFind", "1.5.0"),
    "find_worklist": ("AllowFindWorklist", "1.10.0"),
    "get": ("AllowGet", "1.5.0"),
    "move": ("AllowMove", "1.5.0"),
    "store": ("AllowStore", "1.5.0"),
    "storage_commitment": ("AllowStorageCommitment", "1.6.0"),
}
