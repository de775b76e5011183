"""The few DIMSE messages the DICOM stranger sends (PS3.7), and what it reads of the answers: the
Status of each response command, never the identifiers a C-FIND returns.

Implicit VR Little Endian throughout (the one transfer syntax every SCP must accept).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

VERIFICATION = "1.2.840.10008.1.1"
PATIENT_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.1.1"  # Patient Root Query/Retrieve Information Model - FIND
PENDING = (0xFF00, 0xFF01)  # a C-FIND match follows (PS3.4 C.4.1.1.4)
COMMAND, LAST = 0x01, 0x02  # message control header bits of a PDV (PS3.8 E.2)


def _element(group: int, element: int, value: bytes) -> bytes:
    return struct.pack("<HHI", group, element, len(value)) + value


def _uid(text: str) -> bytes:
    return text.encode("ascii") + (b"\x00" if len(text) % 2 else b"")


def _text(text: str) -> bytes:
    return text.encode("ascii") + (b" " if len(text) % 2 else b"")


def _command(sop_class: str, field: int, has_dataset: bool, *extra: bytes) -> bytes:
    rest = (_element(0, 0x0002, _uid(sop_class)) + _element(0, 0x0100, struct.pack("<H", field))
            + _element(0, 0x0110, struct.pack("<H", 1)) + b"".join(extra)
            + _element(0, 0x0800, struct.pack("<H", 0x0000 if has_dataset else 0x0101)))
    return _element(0, 0x0000, struct.pack("<I", len(rest))) + rest


def echo() -> list[tuple[int, bytes]]:
    """C-ECHO-RQ: one command, no data set."""
    return [(COMMAND | LAST, _command(VERIFICATION, 0x0030, False))]


def find(patient_id: str) -> list[tuple[int, bytes]]:
    """C-FIND-RQ at PATIENT level asking only for the PatientID it gives: a match could return
    nothing but that ID back."""
    priority = _element(0, 0x0700, struct.pack("<H", 0))
    identifier = _element(0x0008, 0x0052, _text("PATIENT")) + _element(0x0010, 0x0020, _text(patient_id))
    return [(COMMAND | LAST, _command(PATIENT_ROOT_FIND, 0x0020, True, priority)), (LAST, identifier)]


def pdata(context: int, fragments: list[tuple[int, bytes]]) -> bytes:
    """One P-DATA-TF PDU carrying each (message control header, fragment) as a PDV."""
    body = b"".join(struct.pack(">IBB", len(data) + 2, context, control) + data for control, data in fragments)
    return struct.pack(">BBI", 0x04, 0, len(body)) + body


def pdvs(body: bytes) -> Iterator[tuple[int, bytes]]:
    """(message control header, fragment) of each PDV of a P-DATA-TF body."""
    offset = 0
    while offset + 6 <= len(body):
        length, _, control = struct.unpack_from(">IBB", body, offset)
        if length < 2:
            raise ValueError("a PDV shorter than its header")
        yield control, body[offset + 6:offset + 4 + length]
        offset += 4 + length


def status(command: bytes) -> int | None:
    """The Status (0000,0900) of a whole command set, or None."""
    offset = 0
    while offset + 8 <= len(command):
        group, element, size = struct.unpack_from("<HHI", command, offset)
        if (group, element) == (0, 0x0900) and size == 2:
            return struct.unpack_from("<H", command, offset + 8)[0]
        offset += 8 + size
    return None
