"""Outgoing HTTPS: certificate checks toward peers, the CA bundle, peers' credentials."""

from __future__ import annotations

from wizard import secrets
from wizard.errors import json_path
from wizard.orthanc.document import is_placeholder
from wizard.orthanc.entries import normal_peer
from wizard.topics.base import Answers, Build, Finding, Question, Step, put, put_entries, read_pairs, setting, sh

NAME = "outgoing"
TITLE = "Outgoing connections"
DEBIAN_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"

QUESTIONS = (
    Question("outgoing.verify_peers", "bool", "Verify the certificates of HTTPS peers",
             "HttpsVerifyPeers checks the certificate of every server Orthanc calls (peers, "
             "DICOMweb servers). Off is like `curl --insecure`: anyone in the middle can read or "
             "change what Orthanc sends."),
    Question("outgoing.ca_certificates", "text", "CA bundle for outgoing HTTPS",
             "The certificate authorities Orthanc trusts. Empty: the system's bundle."),
    Question("outgoing.peers", "peers", "Orthanc peers",
             "Other Orthanc servers this one sends to (OrthancPeers), with their URL and, when they "
             "require it, a user and password. Use https:// URLs: images and passwords cross the "
             "network."),
)


def apply(answers: Answers, build: Build) -> None:
    outgoing = answers["outgoing"]
    build.set("HttpsVerifyPeers", outgoing["verify_peers"])
    bundle = outgoing["ca_certificates"]
    if not bundle and not build.supports("1.12.6"):
        bundle = DEBIAN_CA_BUNDLE  # before 1.12.6, "" does not mean the system's store
    build.set("HttpsCACertificates", bundle)
    if not outgoing["verify_peers"]:
        build.warn("HttpsVerifyPeers is off: outgoing HTTPS can be intercepted")
    if outgoing["peers"]:
        build.set("OrthancPeers", {peer["name"]: _peer(peer, index, build)
                                   for index, peer in enumerate(outgoing["peers"])})


def _peer(peer: dict, index: int, build: Build) -> dict:
    entry = {"Url": peer["url"]}
    if peer["url"].startswith("http://"):
        build.warn(f"peer {peer['name']!r} is reached over plain http://")
    if "username" in peer:
        existing = (build.existing.get("OrthancPeers") or {}).get(peer["name"])
        old = existing.get("Password") if isinstance(existing, dict) else None
        where = (build.profile_name, json_path(("outgoing", "peers", index, "password")))
        password, how = secrets.resolve(peer["password"], old if isinstance(old, str) else None, where)
        if how == "generated":
            build.generated[f"peer {peer['name']}"] = password
        entry.update(Username=peer["username"], Password=password)
    return entry


def checklist(answers: Answers) -> list[Step]:
    peers = answers["outgoing"]["peers"]
    if not peers:
        return []
    return [Step("Check every peer answers over verified HTTPS",
                 "A peer that cannot be verified either fails or, with verification off, may be an "
                 "impostor that receives your images.",
                 tuple(f"curl -sS -o /dev/null -w '%{{http_code}}\\n' {sh(p['url'].rstrip('/') + '/system')}"
                       for p in peers))]


SOURCES = {"outgoing.verify_peers": "HttpsVerifyPeers", "outgoing.ca_certificates": "HttpsCACertificates",
           "outgoing.peers": "OrthancPeers"}


def read(config: dict) -> Answers:
    answers = read_pairs(config, {"outgoing.verify_peers": "HttpsVerifyPeers"})
    bundle = setting(config, "HttpsCACertificates", None)
    # Debian's bundle is what "" (the system's bundle) is written as for releases before 1.12.6.
    if isinstance(bundle, str) and bundle.startswith("/") and bundle != DEBIAN_CA_BUNDLE:
        put(answers, "outgoing.ca_certificates", bundle)
    put_entries(answers, "outgoing.peers", config.get("OrthancPeers"), _read_peer)
    return answers


def _read_peer(name: str, entry) -> dict | None:
    """A peer in array or object form; None (left as written) when a field is not plain text."""
    entry = normal_peer(entry)
    fields = (entry or {}).get("Url"), (entry or {}).get("Username"), (entry or {}).get("Password")
    if not isinstance(fields[0], str) or is_placeholder(fields[0]) or is_placeholder(fields[1]):
        return None
    peer = {"name": name, "url": fields[0]}
    if isinstance(fields[1], str) and isinstance(fields[2], str):
        peer.update(username=fields[1], password={"keep": True})
    return peer


def findings(config: dict) -> list[Finding]:
    if setting(config, "HttpsVerifyPeers", True) is False:
        return [Finding("insecure-outgoing-https", "medium", "HttpsVerifyPeers",
                        "outgoing HTTPS does not verify certificates (like curl --insecure)")]
    return []
