"""The upper-layer PDUs of the DICOM stranger (PS3.8 9.3): the A-ASSOCIATE-RQ it sends, what it
reads of an A-ASSOCIATE-AC (its presentation context's result and the peer's implementation), and
whole PDUs off the socket."""

from __future__ import annotations

import socket
import struct

from wizard.probe import dimse

IMPLICIT_LITTLE = "1.2.840.10008.1.2"
APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1"
IMPLEMENTATION_UID = "2.25.170307386478127163155361302226383245021"  # a UUID-derived UID (PS3.5 B.2)
CONTEXT = 1  # the one presentation context proposed


def _aet(title: str) -> bytes:
    return title.encode("ascii").ljust(16)[:16]


def _item(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", kind, 0, len(payload)) + payload


def associate_request(calling: str, called: str, abstract: str = dimse.VERIFICATION) -> bytes:
    context = _item(0x20, bytes([CONTEXT, 0, 0, 0]) + _item(0x30, abstract.encode()) + _item(0x40, IMPLICIT_LITTLE.encode()))
    user = _item(0x50, _item(0x51, struct.pack(">I", 16384)) + _item(0x52, IMPLEMENTATION_UID.encode()))
    body = (struct.pack(">HH", 1, 0) + _aet(called) + _aet(calling) + b"\x00" * 32
            + _item(0x10, APPLICATION_CONTEXT.encode()) + context + user)
    return struct.pack(">BBI", 0x01, 0, len(body)) + body


def accept_items(body: bytes) -> tuple[int, str, str]:
    """(result of our presentation context, Implementation Version Name, Implementation Class UID)
    of an A-ASSOCIATE-AC body; a context the answer does not list counts as refused (2)."""
    result, values = 2, {}
    offset = 68  # protocol version, reserved, two AETs, 32 reserved bytes
    while offset + 4 <= len(body):
        kind, _, length = struct.unpack_from(">BBH", body, offset)
        payload = body[offset + 4:offset + 4 + length]
        if kind == 0x21 and len(payload) >= 3 and payload[0] == CONTEXT:
            result = payload[2]
        elif kind == 0x50:
            values = dict(_sub_items(payload))
        offset += 4 + length
    return result, _text(values.get(0x55, b"")), _text(values.get(0x52, b""))


def _text(value: bytes) -> str:
    return value.rstrip(b"\x00 ").decode("ascii", "replace")


def _sub_items(payload: bytes):
    offset = 0
    while offset + 4 <= len(payload):
        kind, _, length = struct.unpack_from(">BBH", payload, offset)
        yield kind, payload[offset + 4:offset + 4 + length]
        offset += 4 + length


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ValueError("the peer closed the connection")
        data += chunk
    return data


def read_pdu(sock: socket.socket) -> tuple[int, bytes]:
    kind, _, length = struct.unpack(">BBI", _read_exact(sock, 6))
    if length > 1 << 20:
        raise ValueError(f"PDU of {length} bytes: not a DICOM peer")
    return kind, _read_exact(sock, length)
