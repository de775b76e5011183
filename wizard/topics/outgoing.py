"""Outgoing HTTPS: certificate checks toward peers, the CA bundle, peers' credentials."""

from __future__ import annotations

from wizard import secrets
from wizard.errors import json_path
from wizard.orthanc.document import is_placeholder
from wizard.orthanc.entries import normal_peer
from wizard.topics.base import Answers, Build, Finding, Question, Step, put, put_entries, read_pairs, setting, sh
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Facts, Rule, readable_by_others

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
    if outgoing["peers_in_database"]:
        build.warn("OrthancPeersInDatabase is true: Orthanc ignores the OrthancPeers of its files and uses the "
                   "peers of its database, so none are written; review them with GET /peers?expand"
                   + (" (the profile's peers were not written)" if outgoing["peers"] else ""))
    elif outgoing["peers"]:
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
           "outgoing.peers": "OrthancPeers", "outgoing.peers_in_database": "OrthancPeersInDatabase"}


def read(config: dict) -> Answers:
    answers = read_pairs(config, {"outgoing.verify_peers": "HttpsVerifyPeers",
                                  "outgoing.peers_in_database": "OrthancPeersInDatabase"})
    bundle = setting(config, "HttpsCACertificates", None)
    # Debian's bundle is what "" (the system's bundle) is written as for releases before 1.12.6.
    if isinstance(bundle, str) and bundle.startswith("/") and bundle != DEBIAN_CA_BUNDLE:
        put(answers, "outgoing.ca_certificates", bundle)
    if not answers.get("outgoing", {}).get("peers_in_database"):  # else Orthanc ignores the file's peers
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


UNVERIFIED = Rule(
    "OH-OUT-001", "medium", "Outgoing HTTPS not verified",
    "With HttpsVerifyPeers false Orthanc accepts any certificate from the servers it calls (peers, "
    "DICOMweb servers), like curl --insecure: anyone in the middle reads or changes what it sends. The "
    "documentation: set it to true.", doc=SECURING + "#general-configuration", sets=("outgoing.verify_peers=true",))
READABLE_PEER_PASSWORDS = Rule(
    "OH-OUT-002", "high", "Peer passwords in a file others can read",
    "OrthancPeers holds the peers' passwords in plain text: any local account that can read the file can "
    "use them. Files holding confidential information must be readable by the user that runs Orthanc only.",
    doc=SECURING + "#general-configuration", fix="chmod o-r FILE", needs="files")
PLAIN_PEER = Rule(
    "OH-OUT-003", "medium", "Peer password sent over plain HTTP",
    "A peer reached over http:// gets the password, and the images, in clear with every request.",
    doc=SECURING + "#securing-the-http-server", fix="use the peer's https:// URL")
PEERS_IN_DATABASE = Rule(
    "OH-OUT-004", "medium", "Peers kept in the database",
    "With OrthancPeersInDatabase true the OrthancPeers of the files are ignored: peers are added and "
    "changed at run time through PUT /peers/{id}, by any user the access rules let do so, and no file "
    "shows where images may be sent.",
    doc=BOOK + "users/configuration.html", fix="set OrthancPeersInDatabase to false and list the peers in OrthancPeers")
RULES = (UNVERIFIED, READABLE_PEER_PASSWORDS, PLAIN_PEER, PEERS_IN_DATABASE)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    found = []
    if setting(config, "HttpsVerifyPeers", True) is False:
        found.append(UNVERIFIED.found("HttpsVerifyPeers", "outgoing HTTPS does not verify certificates "
                                      "(like curl --insecure)", current=False, recommended=True))
    if setting(config, "OrthancPeersInDatabase", False) is True:
        found.append(PEERS_IN_DATABASE.found("OrthancPeersInDatabase", "peers are managed through the REST API, "
                                             "not the files", current=True, recommended=False))
    with_password = [name for name, peer in _peers(config) if isinstance(peer.get("Password"), str) and peer["Password"]]
    in_database = setting(config, "OrthancPeersInDatabase", False) is True  # the files' peers are ignored
    for name, peer in _peers(config) if not in_database else ():
        if name in with_password and str(peer.get("Url", "")).startswith("http://"):
            found.append(PLAIN_PEER.found(f"OrthancPeers.{name}", f"peer {name!r} gets its password over plain HTTP",
                                          path=("OrthancPeers", name), current=peer["Url"]))
    holder = readable_by_others(facts, "OrthancPeers") if with_password else None
    if holder is not None:
        found.append(READABLE_PEER_PASSWORDS.found("OrthancPeers", f"{holder.path} holds peer passwords and every "
                                                   "local account can read it",
                                                   current=f"{holder.stat.st_mode & 0o777:04o}", recommended="0640"))
    return found


def _peers(config: dict):
    peers = config.get("OrthancPeers")
    for name, entry in (peers.items() if isinstance(peers, dict) else ()):
        peer = normal_peer(entry)
        if peer is not None:
            yield name, peer
