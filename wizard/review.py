"""What the review shows before anything is written, for both front ends: a summary that fits
one screen (who can reach Orthanc first, then each file), and the diff, configuration first.

Pure: it reads a prepared run (workflow.Prepared) and the answers, and writes nothing.
"""

from __future__ import annotations

import difflib

from wizard import outputs
from wizard.notes import told
from wizard.topics.base import Answers
from wizard.topics.https import NGINX_FILE


def configuration_names(prepared) -> set[str]:
    """The files Orthanc reads among the changes: every *.json, and the file given by --config."""
    given = {file.name for file in prepared.source.files} if prepared.source is not None else set()
    return {c.name for c in prepared.changes if c.name.endswith(".json") or c.name in given}


def ordered(prepared) -> list[outputs.Change]:
    """The changes, the configuration's files first (what Orthanc will read), then the others."""
    configuration = configuration_names(prepared)
    return sorted(prepared.changes, key=lambda change: change.name not in configuration)


def diff(prepared) -> str:
    """The masked unified diff of every change, the configuration's files first."""
    given = [file.name for file in prepared.source.files] if prepared.source is not None else ()
    return outputs.diff(ordered(prepared), given)


def file_line(change: outputs.Change) -> str:
    if not change.content_changed:
        return f"{change.name}: mode becomes {change.mode:04o}"
    new = change.new.splitlines()
    if change.old is None:
        return f"{change.name}: new, {len(new)} lines"
    lines = [line for line in difflib.unified_diff(change.old.splitlines(), new, lineterm="", n=0)
             if line[:3] not in ("+++", "---")]
    added, removed = sum(line[:1] == "+" for line in lines), sum(line[:1] == "-" for line in lines)
    return f"{change.name}: +{added} -{removed} lines"


def reachability(answers: Answers) -> list[str]:
    """Who can reach Orthanc once the files are in use: the REST API, its users, DICOM."""
    network, https, auth, dicom = answers["network"], answers["https"], answers["authentication"], answers["dicom"]
    found = [_rest(network, https)]
    if network["http_enabled"]:
        if not auth["enabled"]:
            found.append("no login is asked: whoever reaches the REST API has full access")
        else:
            found.append("users: " + (", ".join(_user(u) for u in auth["users"]) or "none (every request gets 401)"))
    if not dicom["enabled"]:
        found.append("DICOM: off")
        return found
    names = [m["name"] for m in dicom["modalities"]]
    unknown = [a[len("always_allow_"):] for a, on in dicom.items() if a.startswith("always_allow_") and on]
    found.append(f"DICOM: port {dicom['port']} as {dicom['aet']}, for "
                 + (f"{len(names)} modalit{'y' if len(names) == 1 else 'ies'} ({', '.join(names)})" if names
                    else "no modality yet") + "; unknown AETs "
                 + (f"may {', '.join(unknown)}" if unknown else "are refused"))
    return found


def _rest(network: dict, https: dict) -> str:
    port = network["http_port"]
    if not network["http_enabled"]:
        return "REST API: off (no Orthanc Explorer, no WebDAV)"
    nets = ", ".join(network["allowed_networks"]) or "any address"
    if https["mode"] == "reverse-proxy":
        return (f"REST API: Orthanc serves 127.0.0.1:{port} only; other machines come through the TLS proxy "
                f"https://{https['server_name']}:{https['port']} ({NGINX_FILE}), from {nets}")
    if network["remote_access"]:
        tls = "over HTTPS" if https["mode"] == "native" else "in clear text (no TLS)"
        return f"REST API: port {port} open to other machines {tls}, from {nets} (the firewall's networks)"
    return f"REST API: 127.0.0.1:{port} only (this host)"


def _user(user: dict) -> str:
    where = f", from {', '.join(user['from'])}" if user.get("from") else ""
    return f"{user['name']} ({user['role']}{where})"


def beside(answers: Answers) -> dict[str, str]:
    """Why an option takes the value it does, said beside its line in the diff: the options whose
    value surprises (remote access off while remote clients are served)."""
    if answers["network"]["http_enabled"] and answers["https"]["mode"] == "reverse-proxy":
        why = "behind the TLS proxy, Orthanc serves 127.0.0.1 only: remote clients come through nginx"
        return {"RemoteAccessAllowed": why, "HttpBindAddresses": why}
    return {}


def summary(prepared, answers: Answers, origin_notes=()) -> list[str]:
    """The review in a few lines, in the tense of a run not done yet: the changes of who can reach
    Orthanc (an edit's, said first), who can reach it afterwards, then each file, then counts."""
    plan = prepared.plan
    firsts = [note.told(written=False) for note in plan.notes if getattr(note, "first", False)]
    others = [n for n in told(plan.notes, written=False) if n not in firsts]
    others += [n for n in origin_notes if n not in plan.notes]
    said = "would change who can reach Orthanc: "
    lines = ["Would change who can reach Orthanc:"] if any(n.startswith(said) for n in firsts) else []
    lines += [f"  ! {note.removeprefix(said)}" if note.startswith(said) else f"! {note}" for note in firsts]
    lines += ["Who can reach Orthanc with these files:", *(f"  {line}" for line in reachability(answers))]
    changes = ordered(prepared)
    lines.append(f"Files in {prepared.out_dir}:" if changes else f"Nothing to change in {prepared.out_dir}")
    lines += [f"  {file_line(change)}" for change in changes]
    counts = [f"{len(plan.warnings)} warning{'s' * (len(plan.warnings) != 1)}"] if plan.warnings else []
    counts += [f"{len(others)} other note{'s' * (len(others) != 1)}"] if others else []
    counts += [f"{len(plan.findings)} finding{'s' * (len(plan.findings) != 1)}"] if plan.findings else []
    if counts:
        lines.append("Also: " + ", ".join(counts))
    return lines
