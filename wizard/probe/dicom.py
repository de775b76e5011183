"""A DICOM stranger: one association with one presentation context, one command, a release (PS3.8).

Enough to see what an unknown AET gets from a DICOM port, with nothing but the standard
library (no DCMTK, no pynetdicom): a C-ECHO, or a C-FIND whose matches are counted and never
read. Nothing is ever stored. The A-ASSOCIATE-AC names the peer's implementation (class UID and
version name, PS3.7 D.3.3.2), as the scanners read it.
"""

from __future__ import annotations

import re
import socket
import ssl
import struct
from dataclasses import dataclass

from wizard.probe import dimse, pdu

TIMEOUT = 5.0
# A-ASSOCIATE-RJ reasons given by the service user (PS3.8 9.3.4), and presentation context results (9.3.3.2).
REASONS = {1: "no reason given", 2: "application context not supported", 3: "calling AE title not recognized",
           7: "called AE title not recognized"}
CONTEXT_RESULTS = {1: "user rejection", 2: "no reason", 3: "abstract syntax not supported",
                   4: "transfer syntaxes not supported"}


@dataclass(frozen=True)
class Association:
    """What one association attempt got: "success" (the command answered 0x0000), "refused" (the
    association was accepted, the command was not), "rejected" (A-ASSOCIATE-RJ, with its reason),
    "aborted" (the peer hung up or aborted before accepting), or "unreachable" (no connection).
    `version_name` and `class_uid` are the peer's implementation, from an accepted association;
    `matches` counts a C-FIND's pending answers (their identifiers are never read)."""

    outcome: str
    detail: str = ""
    version_name: str = ""
    class_uid: str = ""
    matches: int = 0

    @property
    def accepted(self) -> bool:
        return self.outcome in ("success", "refused")


def echo(host: str, port: int, calling: str, called: str) -> Association:
    return _converse(host, port, calling, called, dimse.VERIFICATION, dimse.echo())


def find(host: str, port: int, calling: str, called: str, patient_id: str) -> Association:
    """A Patient Root C-FIND for one patient ID (give one that cannot exist)."""
    return _converse(host, port, calling, called, dimse.PATIENT_ROOT_FIND, dimse.find(patient_id))


def _converse(host: str, port: int, calling: str, called: str, abstract: str, message) -> Association:
    try:
        sock = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError as error:
        return Association("unreachable", error.strerror or str(error))
    with sock:
        try:
            sock.sendall(pdu.associate_request(calling, called, abstract))
            kind, body = pdu.read_pdu(sock)
            if kind == 0x03:
                reason = body[3] if len(body) >= 4 else 0
                return Association("rejected", REASONS.get(reason, f"reason {reason}"))
            if kind != 0x02:
                return Association("aborted", f"PDU type {kind:#04x} instead of an association answer")
            result, version_name, class_uid = pdu.accept_items(body)
            if result:
                _release(sock)
                return Association("refused", f"presentation context refused: {CONTEXT_RESULTS.get(result, result)}",
                                   version_name, class_uid)
            sock.sendall(dimse.pdata(pdu.CONTEXT, message))
            status, matches = _final_status(sock)
            _release(sock)
            if status == 0:
                return Association("success", "", version_name, class_uid, matches)
            detail = "aborted after the association" if status is None else f"status {status:#06x}"
            return Association("refused", detail, version_name, class_uid, matches)
        except (OSError, ValueError) as error:
            return Association("aborted", str(error) or type(error).__name__)


def _final_status(sock: socket.socket) -> tuple[int | None, int]:
    """The first non-pending Status answered, and how many pending ones came before it
    (None: the peer aborted or released instead)."""
    command, matches = b"", 0
    while True:
        kind, body = pdu.read_pdu(sock)
        if kind != 0x04:
            return None, matches
        for control, fragment in dimse.pdvs(body):
            if not control & dimse.COMMAND:
                continue  # a match's identifier: skipped unread
            command += fragment
            if control & dimse.LAST:
                status, command = dimse.status(command), b""
                if status not in dimse.PENDING:
                    return status, matches
                matches += 1


def _release(sock: socket.socket) -> None:
    sock.sendall(b"\x05\x00" + struct.pack(">I", 4) + b"\x00" * 4)  # A-RELEASE-RQ


def speaks_tls(host: str, port: int) -> bool | None:
    """Whether the port completes (or answers with a TLS alert) a TLS handshake; None if unreachable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        sock = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError:
        return None
    try:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            tls.do_handshake()
            return True
    except ssl.SSLError as error:
        return "ALERT" in str(error).upper()  # a TLS server that refuses us still speaks TLS
    except OSError:
        return False
    finally:
        sock.close()


def named_release(version_name: str) -> str | None:
    """The Orthanc release an Implementation Version Name names ("ORTHANC_1.12.4"), if any; Debian's
    builds name the DCMTK they link instead (OFFIS_DCMTK_367 on 1.10.1, _370 on 1.13.0: measured)."""
    found = re.fullmatch(r"ORTHANC[ _-]?V?(\d+)\.(\d+)\.(\d+)", version_name.strip().upper())
    return ".".join(found.groups()) if found else None


def toolkit(version_name: str) -> str | None:
    """"DCMTK 3.6.7" for OFFIS_DCMTK_367."""
    found = re.fullmatch(r"OFFIS_DCMTK_(\d)(\d)(\d+)", version_name.strip())
    return f"DCMTK {'.'.join(found.groups())}" if found else None
