"""Which kinds of objects each modality may store: the model the generated
ReceivedCStoreInstanceFilter (lua_store.py) is rendered from and differential-tested against.

Orthanc lets a modality store at all (AllowStore, its AET and host); this filter then looks at
each instance it sends. An AET whose modalities list no `stores` is not restricted here, and
neither is an AET the profile does not know (Orthanc itself accepts it or not: its
DicomAlwaysAllowStore). A restricted AET may store an instance whose Modality (0008,0060) is
one of its codes, or whose SOPClassUID (0008,0016) is one of its classes; anything else is
refused with REFUSED, which the modality is told (from 1.13.0).
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard import versions
from wizard.orthanc import releases, sop_classes

ACCEPTED = 0
# "Refused: SOP Class not supported" (PS3.7 C.4.2.1.4; DCMTK: STATUS_STORE_Refused_SOPClassNotSupported):
# storescu prints "Received Store Response (Refused: SOPClassNotSupported)" (1.13.0, measured).
REFUSED = 0x0122
# Before 1.13.0 Orthanc reads the callback's status as a boolean: 0 drops the instance and answers
# Success, a refusal stores it (reference/orthanc-facts.md §3; measured on 1.10.1).
FILTER_SINCE = versions.parse("1.13.0")
ACCEPTED_SINCE = releases.SINCE["AcceptedSopClasses"]  # 1.12.6
_PADDING = " \0"  # DICOM pads AE titles and codes with spaces, UIDs with NUL


@dataclass(frozen=True)
class Kinds:
    codes: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()

    def __and__(self, other: Kinds) -> Kinds:
        return Kinds(self.codes & other.codes, self.classes & other.classes)


@dataclass(frozen=True)
class StorePolicy:
    """AET (upper case, unpadded) → the kinds it may store; AETs not listed are not restricted."""

    restricted: dict[str, Kinds]


_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def aet_key(aet: str) -> str:
    """Orthanc compares AETs without case (StrictAetComparison false, its default): a-z only, as
    the Lua does byte by byte (str.upper would turn 'ß' into 'SS')."""
    return aet.strip(_PADDING).translate(_UPPER)


def kinds_of(entries: list[str]) -> Kinds:
    found = [sop_classes.kind(entry) for entry in entries]
    return Kinds(frozenset(k.value for k in found if isinstance(k, sop_classes.Kind) and k.what == "code"),
                 frozenset(k.value for k in found if isinstance(k, sop_classes.Kind) and k.what == "class"))


def from_answers(answers: dict) -> StorePolicy:
    """Modalities sharing an AET get what all of them may store (Orthanc cannot tell them apart,
    or accepts the AET from one host only: checks.shared_aets); an entry without `stores` lets
    its AET store anything, unless another entry with that AET is restricted."""
    dicom = answers["dicom"]
    if not dicom["enabled"] or dicom["modalities_in_database"]:
        return StorePolicy({})
    restricted: dict[str, Kinds] = {}
    for modality in dicom["modalities"]:
        if "store" not in modality["allow"] or "stores" not in modality:
            continue
        key, kinds = aet_key(modality["aet"]), kinds_of(modality["stores"])
        restricted[key] = restricted[key] & kinds if key in restricted else kinds
    return StorePolicy(restricted)


def _plain(value) -> str | None:
    return value.strip(_PADDING) if isinstance(value, str) else None


def decide(policy: StorePolicy, remote_aet, modality, sop_class_uid) -> int:
    """The DIMSE status for one instance: ACCEPTED, or REFUSED for a kind its AET may not store."""
    kinds = policy.restricted.get(aet_key(remote_aet)) if isinstance(remote_aet, str) else None
    if kinds is None:
        return ACCEPTED
    if _plain(modality) in kinds.codes or _plain(sop_class_uid) in kinds.classes:
        return ACCEPTED
    return REFUSED


def problems(answers: dict):
    """(answer's path, message) for kinds the target release cannot enforce, and names that name nothing."""
    dicom, target = answers["dicom"], versions.parse(answers["orthanc_version"])
    for index, modality in enumerate(dicom["modalities"]):
        for position, entry in enumerate(modality.get("stores", ())):
            found = sop_classes.kind(entry)
            if isinstance(found, str):
                yield ("dicom", "modalities", index, "stores", position), found
        if "stores" in modality and dicom["enabled"] and target < FILTER_SINCE:
            yield ("dicom", "modalities", index, "stores"), _too_old(answers["orthanc_version"])
    for position, entry in enumerate(dicom["accepted_sop_classes"]):
        try:
            sop_classes.accepted(entry)
        except ValueError as error:
            yield ("dicom", "accepted_sop_classes", position), str(error)
    if dicom["accepted_sop_classes"] and dicom["enabled"] and target < ACCEPTED_SINCE:
        yield ("dicom", "accepted_sop_classes"), (
            f"Orthanc {answers['orthanc_version']} has no AcceptedSopClasses: it needs Orthanc "
            f"{versions.show(ACCEPTED_SINCE)}, which refuses other classes when the association is negotiated")


def _too_old(release: str) -> str:
    return (f"Orthanc {release} cannot refuse a kind of image to one modality: its ReceivedCStoreInstanceFilter "
            "reads the status returned as a yes or no (0 drops the image and answers Success, a refusal "
            "stores it), and a ReceivedInstanceFilter that says no still answers Success, so the modality "
            "believes the image stored and may delete its copy (silent data loss). Orthanc 1.13.0 refuses with a "
            f"status the modality is told; from {versions.show(ACCEPTED_SINCE)}, dicom.accepted_sop_classes "
            "restricts the SOP classes of the whole server. Drop stores (from the profile, or from the "
            "orthanc-harden.jsonc an earlier run saved) or target 1.13.0")
