"""Who may do what on Orthanc's REST API: the reference that the generated Lua filter must match."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from wizard.orthanc.routes import outward, reads, uploads

ROLES = ("read-only", "uploader", "admin")

EXECUTE_SCRIPT = "/tools/execute-script"
LOOPBACK = IPv4Address("127.0.0.1")
PROXY_HEADER = "x-orthanc-harden-proxy"  # proxy_secret.HEADER as Orthanc passes it to the filter

# str.strip() without arguments would also strip Unicode spaces; Lua only knows these six.
ASCII_WHITESPACE = " \t\n\r\f\v"
# One part of a dotted IPv4: 0..999 without a leading zero; the range is checked after.
_PART = "(0|[1-9][0-9]{0,2})"
_IPV4 = re.compile(r"\.".join([_PART] * 4))
# A user name Orthanc takes from the environment when it reads its files: `${VAR}`, `${VAR:-default}`.
ENV_NAME = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}:]*))?\}")


def env_name(name: str) -> tuple[str, str] | None:
    """(variable, default) of a user name that is a whole `${VAR}` or `${VAR:-default}`."""
    match = ENV_NAME.fullmatch(name)
    return (match.group(1), match.group(2) or "") if match else None


def resolved(name: str) -> str:
    """The name Orthanc gives the user, as its substitution does (the default when the variable is unset)."""
    env = env_name(name)
    if env is None:
        return name
    value = os.environ.get(env[0])
    return env[1] if value is None else value


@dataclass(frozen=True)
class UserRule:
    """One user of the profile: a name, a role, and the networks it may connect from."""

    name: str
    role: str
    networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Refuse "10.0.0.1/8" (host bits set) rather than guess: a typo must not widen access.
        for network in self.networks:
            IPv4Network(network, strict=True)


@dataclass(frozen=True)
class Policy:
    """The access policy of one profile."""

    users: tuple[UserRule, ...]
    authentication: bool
    execute_script: bool = False
    trust_forwarded_for: bool = False
    # The read-only role's POSTs (searches and zips), which the uploader has too. Off, a role below
    # admin sends no JSON body: on a Debian build such a body nested ~200 deep stops Orthanc.
    search_and_zips: bool = True
    # Behind the proxy: the secret its requests carry (proxy_secret.HEADER); None trusts no header.
    proxy_secret: str | None = None


def decide(
    policy: Policy, method: str, uri: str, ip: str, username: str, headers: Mapping[str, str]
) -> bool:
    """Whether Orthanc should serve this request (the arguments of IncomingHttpRequestFilter)."""
    path = normalize_path(uri)
    role = role_of(policy, username, client_address(policy, ip, headers))
    if role is None:
        return False
    if path == EXECUTE_SCRIPT:
        return policy.execute_script and role == "admin"
    return granted(role, method, path, policy.search_and_zips)


def normalize_path(uri: str) -> str:
    """The URI without its trailing slashes, which Orthanc keeps but routes as if absent."""
    return uri.rstrip("/") or "/"


def parse_ipv4(text: object) -> IPv4Address | None:
    """A strict dotted IPv4 address, or None for anything else."""
    if not isinstance(text, str):
        return None
    match = _IPV4.fullmatch(text)
    if match is None or any(int(part) > 255 for part in match.groups()):
        return None
    return IPv4Address(text)


def client_address(
    policy: Policy, ip: str, headers: Mapping[str, str] | None
) -> IPv4Address | None:
    """The address of the real client; None when it cannot be known."""
    if policy.trust_forwarded_for and ip == "127.0.0.1" and from_the_proxy(policy, headers):
        # Behind the reverse proxy on this host every request comes from 127.0.0.1, and the
        # proxy names the client in X-Forwarded-For. From any other address, or without the
        # proxy's secret (a local process), the header is whatever the client wrote: ignored.
        forwarded = (headers or {}).get("x-forwarded-for")
        if forwarded is not None:
            if not isinstance(forwarded, str):
                return None
            return parse_ipv4(forwarded.strip(ASCII_WHITESPACE))
    return parse_ipv4(ip)


def from_the_proxy(policy: Policy, headers: Mapping[str, str] | None) -> bool:
    """Whether the request carries the secret the proxy of orthanc-harden adds (header names as
    Orthanc passes them, lowercase)."""
    return bool(policy.proxy_secret) and isinstance(headers, Mapping) and \
        headers.get(PROXY_HEADER) == policy.proxy_secret


def role_of(policy: Policy, username: str, client: IPv4Address | None) -> str | None:
    """The role this request acts with, or None when it gets nothing."""
    if not policy.authentication:
        # Without authentication Orthanc passes whatever name a client claims, and serves
        # loopback only: the local process is the anonymous administrator, nobody else is.
        return "admin" if client == LOOPBACK else None
    if not username:
        return None
    user = users_by_name(policy).get(username)
    if user is None or not inside(user.networks, client):
        return None
    return user.role


def users_by_name(policy: Policy) -> dict[str, UserRule]:
    """The users keyed by name (a `${VAR}` name as Orthanc resolves it); when a name repeats,
    the last rule wins, and a literal name beats a name from the environment."""
    from_env = {user.name: user for user in policy.users if env_name(user.name)}
    # The filter resolves them in sorted order and keeps the first: the same here.
    found = {resolved(name): from_env[name] for name in sorted(from_env, key=lambda n: n.encode("utf-8"), reverse=True)}
    found.update({user.name: user for user in policy.users if not env_name(user.name)})
    return found


def inside(networks: tuple[str, ...], client: IPv4Address | None) -> bool:
    """Whether the client is in one of the networks; no networks means from anywhere."""
    if not networks:
        return True
    return client is not None and any(client in ipaddress.IPv4Network(n) for n in networks)


def granted(role: str, method: str, path: str, search_and_zips: bool = True) -> bool:
    """Whether the role may use this method on this path (execute-script is decided before)."""
    if role == "admin":
        return True
    if role not in ("read-only", "uploader") or outward(path):
        return False
    if method == "GET":
        return True
    if method != "POST":
        return False
    # Searches and zips (orthanc/routes.py) when granted; the uploader also stores, by REST or STOW-RS.
    return (search_and_zips and reads(path)) or (role == "uploader" and uploads(path))
