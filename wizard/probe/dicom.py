"""A DICOM stranger: one association with a Verification context, one C-ECHO, a release (PS3.8).

Enough to see what an unknown AET gets from a DICOM port, with nothing but the standard
library (no DCMTK, no pynetdicom). Nothing is ever stored or asked of the archive.
"""

from __future__ import annotations

import socket
import ssl
import struct
from dataclasses import dataclass

VERIFICATION = "1.2.840.10008.1.1"
IMPLICIT_LITTLE = "1.2.840.10008.1.2"
APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1"
IMPLEMENTATION_UID = "2.25.170307386478127163155361302226383245021"  # a UUID-derived UID (PS3.5 B.2)
TIMEOUT = 5.0
# A-ASSOCIATE-RJ reasons given by the service user (PS3.8 9.3.4).
REASONS = {1: "no reason given", 2: "application context not supported", 3: "calling AE title not recognized",
           7: "called AE title not recognized"}


@dataclass(frozen=True)
class Echo:
    """What one association attempt got: "success" (C-ECHO answered 0x0000), "refused" (the
    association was accepted, the echo was not), "rejected" (A-ASSOCIATE-RJ, with its reason),
    "aborted" (the peer hung up or aborted before accepting), or "unreachable" (no connection)."""

    outcome: str
    detail: str = ""


def echo(host: str, port: int, calling: str, called: str) -> Echo:
    try:
        sock = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError as error:
        return Echo("unreachable", error.strerror or str(error))
    with sock:
        try:
            sock.sendall(associate_request(calling, called))
            kind, body = _read_pdu(sock)
            if kind == 0x03:
                reason = body[3] if len(body) >= 4 else 0
                return Echo("rejected", REASONS.get(reason, f"reason {reason}"))
            if kind != 0x02:
                return Echo("aborted", f"PDU type {kind:#04x} instead of an association answer")
            sock.sendall(echo_request())
            kind, body = _read_pdu(sock)
            status = _status(body) if kind == 0x04 else None
            sock.sendall(b"\x05\x00" + struct.pack(">I", 4) + b"\x00" * 4)  # A-RELEASE-RQ
            if status == 0:
                return Echo("success")
            return Echo("refused", "aborted after the association" if status is None else f"status {status:#06x}")
        except (OSError, ValueError) as error:
            return Echo("aborted", str(error) or type(error).__name__)


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


def _aet(title: str) -> bytes:
    return title.encode("ascii").ljust(16)[:16]


def _item(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", kind, 0, len(payload)) + payload


def associate_request(calling: str, called: str) -> bytes:
    context = _item(0x20, b"\x01\x00\x00\x00" + _item(0x30, VERIFICATION.encode()) + _item(0x40, IMPLICIT_LITTLE.encode()))
    user = _item(0x50, _item(0x51, struct.pack(">I", 16384)) + _item(0x52, IMPLEMENTATION_UID.encode()))
    body = (struct.pack(">HH", 1, 0) + _aet(called) + _aet(calling) + b"\x00" * 32
            + _item(0x10, APPLICATION_CONTEXT.encode()) + context + user)
    return struct.pack(">BBI", 0x01, 0, len(body)) + body


def _element(group: int, element: int, value: bytes) -> bytes:
    return struct.pack("<HHI", group, element, len(value)) + value


def echo_request() -> bytes:
    uid = VERIFICATION.encode() + (b"\x00" if len(VERIFICATION) % 2 else b"")
    rest = (_element(0, 0x0002, uid) + _element(0, 0x0100, struct.pack("<H", 0x0030))
            + _element(0, 0x0110, struct.pack("<H", 1)) + _element(0, 0x0800, struct.pack("<H", 0x0101)))
    command = _element(0, 0x0000, struct.pack("<I", len(rest))) + rest
    pdv = struct.pack(">IBB", len(command) + 2, 1, 0x03) + command  # context 1, last command fragment
    return struct.pack(">BBI", 0x04, 0, len(pdv)) + pdv


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ValueError("the peer closed the connection")
        data += chunk
    return data


def _read_pdu(sock: socket.socket) -> tuple[int, bytes]:
    kind, _, length = struct.unpack(">BBI", _read_exact(sock, 6))
    if length > 1 << 20:
        raise ValueError(f"PDU of {length} bytes: not a DICOM peer")
    return kind, _read_exact(sock, length)


def _status(pdata: bytes) -> int | None:
    """The Status (0000,0900) of the command in a P-DATA-TF, or None."""
    offset = 6  # PDV length (4), context ID, message control header
    while offset + 8 <= len(pdata):
        group, element, size = struct.unpack_from("<HHI", pdata, offset)
        if (group, element) == (0, 0x0900) and size == 2:
            return struct.unpack_from("<H", pdata, offset + 8)[0]
        offset += 8 + size
    return None
