"""Where an Orthanc configuration text holds its secrets, found by place, and the text masked there.

The secrets are the values of RegisteredUsers (the user names are not secret); the passwords of
the OrthancPeers and DicomWeb.Servers entries: "Password" and "CertificateKeyPassword" in the
object form, the third item of the array form [Url, Username, Password]; the Authorization (and
token or key) headers of any HttpHeaders; and, anywhere, a text option whose name says it is a
secret (PLUGIN_SECRETS: the database, storage, authorization and Explorer 2 plugins' passwords,
keys, tokens and connection strings, and any unknown `...Password`, `...Secret`, `...Token`,
`...ApiKey`, `...ConnectionString`). A `${VAR}` is not a secret: Orthanc reads it from its
environment. Nothing else is masked: a password that is also a user name, a path or a word
elsewhere leaves those places visible.
"""

from __future__ import annotations

import re

from wizard.orthanc.document import BOM, JsonSyntaxError, Node, parse

MASK = "********"
PEER_SECRETS = ("Password", "CertificateKeyPassword")
# The secrets the plugins document (their sample configurations and the Orthanc Book's pages):
# PostgreSQL/MySQL "Password" and "ConnectionUri" (a URI holding the password), ODBC
# "ConnectionString", AwsS3Storage "AccessKey"/"SecretKey", AzureBlobStorage "ConnectionString",
# Authorization "WebServicePassword"/"WebServiceToken", OrthancExplorer2 Keycloak "ClientSecret",
# worklists' "ImagingWorklistPassword". Matched as the end of a member's name, any case.
PLUGIN_SECRETS = re.compile(r"(password|passwd|secret|secretkey|accesskey|apikey|token|connectionstring|"
                            r"connectionuri|credentials)$", re.IGNORECASE)
SECRET_HEADERS = re.compile(r"(authorization|token|api-?key|secret)", re.IGNORECASE)
# What a text that does not parse shows instead of itself: a secret could be anywhere in it.
WITHHELD = "(not shown: this text does not parse as an Orthanc configuration and may hold passwords)\n"


def spans(root: Node) -> list[Node]:
    """The value nodes of a parsed configuration that hold secrets, in text order."""
    found = []
    for member in root.members or ():
        if member.key == "RegisteredUsers":
            found += _values(member.node)
        elif member.key == "OrthancPeers":
            for peer in _values(member.node):
                found += _peer_secrets(peer)
        else:  # a plugin's secret given as ${VAR} is left visible: the environment holds it
            found += [node for _, node in _named(member.node, member.key, (member.key,), _NODES)
                      if not _placeholder(node.value)]
    unique = {id(node): node for node in found}
    return sorted(unique.values(), key=lambda node: node.start)


def named(config: dict) -> list[tuple[tuple, str]]:
    """(JSON path, value) of the text secrets outside RegisteredUsers and OrthancPeers (their own
    rules judge those), `${VAR}` ones left out: what the audit's secret rules look at."""
    return [(path, value) for key, inner in config.items() if key not in ("RegisteredUsers", "OrthancPeers")
            for path, value in _named(inner, key, (key,), _VALUES)
            if isinstance(value, str) and not _placeholder(value)]


class _Nodes:
    """How _named walks a parsed text: a node's members and items."""
    members = staticmethod(lambda node: [(m.key, m.node) for m in node.members] if node.members is not None else None)
    items = staticmethod(lambda node: node.items)


class _Values:
    """How _named walks plain values: a dict's items, a list."""
    members = staticmethod(lambda value: list(value.items()) if isinstance(value, dict) else None)
    items = staticmethod(lambda value: value if isinstance(value, list) else None)


_NODES, _VALUES = _Nodes(), _Values()


def _named(node, key: str, path: tuple, walk) -> list[tuple[tuple, object]]:
    """Below any other option: DicomWeb's servers, HttpHeaders, and members named as secrets (one
    walk for a parsed text's nodes and for plain values)."""
    members, items = walk.members(node), walk.items(node)
    if key == "Servers" and members is not None:
        found = []
        for name, server in members:
            where, listed = (*path, name), walk.items(server)
            if listed is not None:  # [Url, Username, Password]
                found += [((*where, 2), item) for item in listed[2:3]]
            found += _named(server, "", where, walk)
        return found
    if key == "HttpHeaders" and members is not None:
        return [((*path, name), value) for name, value in members if SECRET_HEADERS.search(name)]
    if PLUGIN_SECRETS.search(key) and members is None and items is None:
        return [(path, node)]
    found = []
    for name, inner in members or ():
        found += _named(inner, name, (*path, name), walk)
    for index, item in enumerate(items or ()):
        found += _named(item, "", (*path, index), walk)
    return found


def _placeholder(value) -> bool:
    """A value that is only `${VAR}` or `${VAR:-...}`: Orthanc takes it from its environment."""
    return isinstance(value, str) and bool(re.fullmatch(r"\$\{[^}]*\}", value))


def _values(node: Node) -> list[Node]:
    """The values of an object; anything else Orthanc would refuse is secret as a whole."""
    if node.members is None:
        return [node]
    return [member.node for member in node.members]


def _peer_secrets(peer: Node) -> list[Node]:
    if peer.items is not None:  # [Url] or [Url, Username, Password]
        return peer.items[2:]
    if peer.members is not None:
        return [member.node for member in peer.members if member.key in PEER_SECRETS]
    return [peer]  # neither form: Orthanc refuses it, and it may be a password


def masked(text: str) -> str:
    """The text with each secret value replaced by a mask (a string keeps its quotes).

    A text that does not parse is withheld whole: its secrets cannot be located, so no part
    of it is safe to show. A blank text holds nothing and is returned as it is."""
    if not text.strip():
        return text
    try:
        document = parse(text)
    except (JsonSyntaxError, RecursionError):
        return WITHHELD
    body, pieces, end = document.text, [], 0
    for node in spans(document.root):
        pieces += [body[end:node.start], f'"{MASK}"' if body[node.start] == '"' else MASK]
        end = node.end
    pieces.append(body[end:])
    return (BOM if document.bom else "") + "".join(pieces)


def values(config: dict) -> set[str]:
    """The secret strings of a configuration's values (those `masked` hides in its text)."""
    import json
    document = parse(json.dumps(config, ensure_ascii=False))
    return {node.value for node in spans(document.root) if isinstance(node.value, str) and node.value}
