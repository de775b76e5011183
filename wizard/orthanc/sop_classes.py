"""The kinds of DICOM objects a modality may store: modality codes, storage SOP classes by UID
or by name, read from a profile's `stores` and `dicom.accepted_sop_classes`.

A modality code is a Defined Term of Modality (0008,0060), PS3.3 C.7.3.1.1.1 (the retired ones
too: old devices still send them). A SOP class is a UID, or a name that pydicom's copy of PS3.6
Annex A knows (the keyword `CTImageStorage` or the name `CT Image Storage`). Orthanc reads UIDs
only (measured on 1.12.7: `"MRImageStorage"` in AcceptedSopClasses accepts nothing), so names
are resolved here, once, when the files are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache

CODES = frozenset((
    "ANN AR ASMT AU BDUS BI BMD CFM CR CT CTPROTOCOL DG DMS DOC DX ECG EEG EMG EOG EPS ES FID GM HC HD "
    "IO IOL IVOCT IVUS KER KO LEN LS M3D MG MR NM OAM OCT OP OPM OPT OPTBSV OPTENF OPV OSS OT PA PLAN "
    "POS PR PT PX REG RESP RF RG RTDOSE RTIMAGE RTINTENT RTPLAN RTRAD RTRECORD RTSEGANN RTSTRUCT RWV "
    "SEG SM SMR SR SRF STAIN TEXTUREMAP TG US VA XA XAPROTOCOL XC "
    # retired Defined Terms
    "AS CD CF CP CS DD DF DM DS EC FA FS LP MA MS OPR ST VF").split())
_UID = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$")
_PATTERN = re.compile(r"^[0-9.*?]+$")  # Orthanc's wildcards in AcceptedSopClasses: * and ?
MAX_UID = 64


@dataclass(frozen=True)
class Kind:
    """One entry of a `stores` list: a modality code ("code") or a SOP class UID ("class")."""

    what: str
    value: str


def kind(text: str) -> Kind | str:
    """The kind an entry names, or why it names none."""
    text = text.strip()
    if text in CODES:
        return Kind("code", text)
    if _UID.match(text):
        return Kind("class", text) if len(text) <= MAX_UID else f"{text!r}: a UID has at most {MAX_UID} characters"
    uid = storage_classes().get(text)
    if uid is not None:
        return Kind("class", uid)
    if text.upper() == text and re.fullmatch(r"[A-Z0-9_]{1,16}", text):
        return f"{text!r} is not a modality code of DICOM (CT, MR, US, CR, DX, MG, PT, NM, XA, SR, SEG, OT...)"
    return (f"{text!r} is neither a modality code (CT, MR, US...), a SOP class UID nor the name of a "
            "storage SOP class (CTImageStorage or 'CT Image Storage')")


def accepted(text: str) -> str:
    """The UID (or UID pattern with * and ?) Orthanc is given for an entry of the global list;
    raises ValueError saying why an entry names nothing."""
    text = text.strip()
    if _PATTERN.match(text) and ("*" in text or "?" in text):
        return text
    found = kind(text)
    if isinstance(found, str) or found.what != "class":
        raise ValueError(found if isinstance(found, str) else
                         f"{text!r} is a modality code: this list takes SOP classes (UIDs, patterns such as "
                         "1.2.840.10008.5.1.4.1.1.* or names such as CTImageStorage)")
    return found.value


def accepted_uids(entries: list[str]) -> list[str]:
    """The global list as Orthanc reads it (AcceptedSopClasses), in the profile's order."""
    uids: list[str] = []
    for entry in entries:
        uid = accepted(entry)
        if uid not in uids:
            uids.append(uid)
    return uids


def accepts(entries: list[str], uid: str) -> bool:
    """Whether the server's list (empty: Orthanc's default, every class) lets the class in."""
    return not entries or any(fnmatchcase(uid, pattern) for pattern in accepted_uids(entries))


def parse_text(text: str) -> list[str]:
    """Kinds typed on one line, separated by commas (a name may hold spaces)."""
    return [part.strip() for part in text.split(",") if part.strip()]


@cache
def storage_classes() -> dict[str, str]:
    """Keyword and name → UID of every storage SOP class pydicom knows (PS3.6 Annex A)."""
    from pydicom.uid import UID_dictionary  # ~200 ms: only when a profile names a class

    found: dict[str, str] = {}
    for uid, (name, type_, _, _, keyword) in UID_dictionary.items():
        if type_ == "SOP Class" and "Storage" in name and "Commitment" not in name and "Directory" not in name:
            found[keyword] = found[name] = found[name.removesuffix(" SOP Class")] = uid
    return found
