"""DICOM, continued: which kinds of objects may be stored (AcceptedSopClasses for the server, a
ReceivedCStoreInstanceFilter per modality from 1.13.0). Not a topic of its own: dicom.py calls it."""

from __future__ import annotations

from ipaddress import ip_address

from wizard.orthanc import lua_scripts, lua_store, sop_classes, store_policy
from wizard.orthanc.entries import normal_modality
from wizard.topics import network
from wizard.topics.authentication import LUA_FILE
from wizard import versions
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Answers, Build, Facts, Finding, Rule, Step, setting, sh

LUA = BOOK + "users/lua.html"
DICOM = SECURING + "#securing-the-dicom-server"


def apply(answers: Answers, build: Build) -> None:
    """After authentication's apply: the store filter goes into its Lua file, or into a new one."""
    dicom = answers["dicom"]
    if not dicom["enabled"]:
        return
    if dicom["accepted_sop_classes"]:
        build.set("AcceptedSopClasses", sop_classes.accepted_uids(dicom["accepted_sop_classes"]))
    policy = store_policy.from_answers(answers)
    if dicom["modalities_in_database"] and any("stores" in m for m in dicom["modalities"]):
        build.warn("DicomModalitiesInDatabase is true: the profile's modalities and their kinds (stores) are not written")
    if not policy.restricted or not build.supports(store_policy.FILTER_SINCE):
        return  # checks.run refuses stores for an older release
    for modality in dicom["modalities"]:
        if "stores" in modality and "store" not in modality["allow"]:
            build.warn(f"modality {modality['name']!r} lists kinds it may store (stores) but may not store (allow)")
    text = build.files.get(LUA_FILE)
    build.files[LUA_FILE] = (text + "\n" if text else "") + lua_store.render(policy, alone=text is None)
    if LUA_FILE not in build.settings.get("LuaScripts", ()):
        build.set("LuaScripts", [*build.settings.get("LuaScripts", ()), LUA_FILE])


def checklist(answers: Answers) -> list[Step]:
    dicom = answers["dicom"]
    restricted = [m for m in dicom["modalities"] if "stores" in m and "store" in m["allow"]]
    if not dicom["enabled"] or not (restricted or dicom["accepted_sop_classes"]):
        return []
    pacs = f"-aec {sh(dicom['aet'])} PACS_ADDRESS {dicom['port']}"
    checks = [f"storescu -v -aet {sh(m['aet'])} {pacs} OTHER_KIND.dcm  # on {m['name']} ({m['host']}), an image "
              "of a kind it may not store: Received Store Response (Refused: SOPClassNotSupported)" for m in restricted[:1]]
    if dicom["accepted_sop_classes"]:
        checks.append(f"storescu -v -aet AET {pacs} OTHER_CLASS.dcm  # on any modality, a class outside "
                      "accepted_sop_classes: No presentation context for: ...")
    return [Step("Tell the modalities' operators which kinds Orthanc now refuses",
                 "A refused image stays on the modality, which shows the refusal (status 0x0122, Refused: SOP "
                 "Class not supported, or no presentation context for a class outside the server's list): the "
                 "operator sends it elsewhere or asks for the profile to change. Nothing is lost silently.",
                 tuple(checks), stage="after")]


def read(config: dict) -> Answers:
    """AcceptedSopClasses as written, when each entry is a UID or a UID pattern (names come from
    the saved answers: previous.fill)."""
    value = config.get("AcceptedSopClasses")
    if isinstance(value, list) and value and all(isinstance(v, str) and _uid_or_pattern(v) for v in value):
        return {"dicom": {"accepted_sop_classes": list(value)}}
    return {}


def _uid_or_pattern(text: str) -> bool:
    try:
        return sop_classes.accepted(text) == text
    except ValueError:
        return False


ANY_KIND = Rule(
    "OH-DICOM-012", "low", "Modality may store any kind of object",
    "A modality allowed to store may send any object: a secondary capture with burnt-in patient data, "
    "an SR, a malformed object of a class no viewer expects. On a server reached from other networks, "
    "restrict what each sends (a ReceivedCStoreInstanceFilter from 1.13.0) or the classes the server "
    "accepts (AcceptedSopClasses, from 1.12.6).",
    doc=DICOM, fix="list the kinds each modality of the profile stores (dicom.modalities[].stores, Orthanc 1.13.0), "
                   "or the classes the server accepts (dicom.accepted_sop_classes, Orthanc 1.12.6)",
    needs="files")
INVERTED = Rule(
    "OH-DICOM-013", "high", "ReceivedCStoreInstanceFilter on a release that inverts it",
    "Before Orthanc 1.13.0 the status ReceivedCStoreInstanceFilter returns is read as a boolean: 0 drops "
    "the instance while the modality is told Success (it then deletes its copy), and a refusal stores it. "
    "The filter does the opposite of what it says.",
    doc=LUA, fix="upgrade to Orthanc 1.13.0, or drop the callback (AcceptedSopClasses from 1.12.6 refuses "
                 "classes at negotiation)", needs="target")
RULES = (ANY_KIND, INVERTED)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if facts.files is None:
        return []
    filters = [(i, s) for i, s in enumerate(_scripts(config))
               if lua_scripts._defines_filter(facts.files, s, [], lua_store.CALLBACK)]
    inverted = facts.target is not None and facts.target < store_policy.FILTER_SINCE
    found = [INVERTED.found("LuaScripts", f"{script} defines ReceivedCStoreInstanceFilter, which Orthanc "
                            f"{versions.show(facts.target)} reads inverted", path=("LuaScripts", index),
                            current=script) for index, script in filters] if inverted else []
    accepted = setting(config, "AcceptedSopClasses", None) and not (
        facts.target is not None and facts.target < store_policy.ACCEPTED_SINCE)
    if (filters and not inverted) or accepted or not _exposed(config) or \
            setting(config, "DicomModalitiesInDatabase", False) is True:  # the files' modalities are ignored
        return found
    modalities = config.get("DicomModalities")
    return found + [ANY_KIND.found(f"DicomModalities.{name}", f"modality {name!r} may store any kind of object",
                                   path=("DicomModalities", name))
                    for name, entry in (modalities.items() if isinstance(modalities, dict) else ())
                    if _stores_from_elsewhere(entry)]


def _scripts(config: dict) -> list:
    scripts = config.get("LuaScripts")
    return scripts if isinstance(scripts, list) else []


def _exposed(config: dict) -> bool:
    """What the files show of a server meant for other networks: remote HTTP access, or DICOM over TLS."""
    return setting(config, "DicomServerEnabled", True) is not False and (
        network.remote_http(config) or setting(config, "DicomTlsEnabled", False) is True)


def _stores_from_elsewhere(entry) -> bool:
    entry = normal_modality(entry)
    if entry is None or entry.get("AllowStore") is False:
        return False
    try:
        return not ip_address(entry.get("Host")).is_loopback
    except ValueError:
        return True
