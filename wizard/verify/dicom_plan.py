"""The DICOM rows of the matrix, from the saved answers: unknown and wrong AETs must be refused, and
each modality gets exactly its commands (those verify can send: C-ECHO, C-STORE, C-FIND)."""

from __future__ import annotations

import ipaddress

from wizard.orthanc import sop_classes, store_policy
from wizard.verify.checks import LOOPBACK, Check, DicomRequest, PortClosed

SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7"  # what verify stores (verify/instance.py)

STRANGER = "VERIFY-STRANGER"  # a calling AET no modality has
WRONG_CALLED = "VERIFY-WRONG"
SENT = {"echo": "C-ECHO", "store": "C-STORE", "find": "C-FIND"}
NOT_SENT = {"find_worklist": "worklist C-FIND", "get": "C-GET", "move": "C-MOVE",
            "storage_commitment": "storage commitment"}


def dicom_checks(answers: dict) -> list[Check]:
    dicom = answers["dicom"]
    if not dicom["enabled"]:
        return [Check("dicom", "DICOM port", "anyone", "closed", PortClosed("dicom"), "dicom.enabled is false")]
    taken = {m["aet"].upper() for m in dicom["modalities"]}
    stranger = _unused(STRANGER, taken)
    checks = [_check(dicom, command, f"unknown AET {stranger}", DicomRequest(command, stranger, dicom["aet"]))
              for command in SENT]
    checks.append(_wrong_called(dicom, stranger, taken))
    if dicom["modalities_in_database"]:
        if dicom["modalities"]:
            checks.append(Check("dicom", "the modalities' commands", "every modality", "-", None,
                                "they are in Orthanc's database (dicom.modalities_in_database), which verify does not copy"))
        return checks
    for modality in dicom["modalities"]:
        checks.extend(modality_checks(dicom, modality))
    return checks


def modality_checks(dicom: dict, modality: dict) -> list[Check]:
    source = modality["host"] if _loopback(modality["host"]) else LOOPBACK
    who = f"{modality['name']} (AET {modality['aet']}) from {source}"
    sharing = [m for m in dicom["modalities"] if m["aet"].upper() == modality["aet"].upper()]
    if len(sharing) > 1:
        return [Check("dicom", "its commands", who, "-", None,
                      f"{len(sharing)} modalities share the AET {modality['aet']}: Orthanc then decides on all of them")]
    checks = [_check(dicom, command, who, DicomRequest(command, modality["aet"], dicom["aet"], source)) for command in SENT]
    checks += [Check("dicom", NOT_SENT[command], who, "success", None, "verify sends C-ECHO, C-STORE and C-FIND only")
               for command in modality["allow"] if command in NOT_SENT]
    return checks


def expected(dicom: dict, request: DicomRequest) -> str:
    """What Orthanc does with this association and command, by the rules of its main.cpp
    (reference: any DicomAlwaysAllow* on lets every association in, then each command is checked)."""
    if dicom["check_called_aet"] and request.called.upper() != dicom["aet"].upper():
        return "refused"
    if dicom[f"always_allow_{request.command}"]:
        return _kind_accepted(dicom, request)
    entries = [m for m in dicom["modalities"] if m["aet"].upper() == request.calling.upper()]
    if not entries or dicom["modalities_in_database"]:
        return "refused"
    entry = entries[0]
    if dicom["check_modality_host"] and entry["host"] != request.source:
        return "refused"
    return _kind_accepted(dicom, request) if request.command in entry["allow"] else "refused"


def _kind_accepted(dicom: dict, request: DicomRequest) -> str:
    """The instance verify stores is a Secondary Capture (Modality OT): the server's accepted classes
    and the calling AET's kinds (`stores`, the generated store filter) may refuse it."""
    if request.command != "store":
        return "success"
    if not sop_classes.accepts(dicom["accepted_sop_classes"], SecondaryCaptureImageStorage):
        return "refused"
    policy = store_policy.from_answers({"dicom": dicom})
    return "success" if store_policy.decide(policy, request.calling, "OT", SecondaryCaptureImageStorage) == 0 else "refused"


def _check(dicom: dict, command: str, who: str, request: DicomRequest) -> Check:
    note = "" if request.source == LOOPBACK or who.startswith("unknown") else f"sent from {request.source}"
    return Check("dicom", SENT[command], who, expected(dicom, request), request, note)


def _wrong_called(dicom: dict, stranger: str, taken: set[str]) -> Check:
    """C-ECHO to a wrong called AET, from a modality that may echo from here when there is one (so
    that only the called AET can be the reason for a refusal)."""
    wrong = _unused(WRONG_CALLED, taken | {dicom["aet"].upper()})
    known = [m for m in dicom["modalities"] if "echo" in m["allow"] and _loopback(m["host"])]
    calling, source = (known[0]["aet"], known[0]["host"]) if known and not dicom["modalities_in_database"] else (stranger, LOOPBACK)
    request = DicomRequest("echo", calling, wrong, source)
    return Check("dicom", f"C-ECHO to the wrong called AET {wrong}", f"AET {calling}", expected(dicom, request), request)


def _unused(title: str, taken: set[str]) -> str:
    candidate, number = title, 1
    while candidate.upper() in taken:
        number += 1
        candidate = f"{title[:16 - len(str(number)) - 1]}-{number}"
    return candidate


def _loopback(host: str) -> bool:
    try:
        return ipaddress.IPv4Address(host) in ipaddress.IPv4Network("127.0.0.0/8")
    except ValueError:
        return False
