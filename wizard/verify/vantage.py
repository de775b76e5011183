"""Where verify sends a user's role rows from: an address inside the user's networks, so that its role
is exercised rather than refused by the networks alone."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from wizard.orthanc import proxy_secret
from wizard.orthanc.policy import Policy
from wizard.topics.network import direct_remote
from wizard.verify.checks import LOOPBACK

LOOPBACK_NET = ipaddress.IPv4Network("127.0.0.0/8")


@dataclass(frozen=True)
class Vantage:
    """Where a user's role rows come from, so that its role is exercised rather than refused by
    its networks alone: an address inside them (a 127.0.0.x source, or 127.0.0.1 naming it in
    X-Forwarded-For behind the proxy), or why none can be used from here."""

    source: str = LOOPBACK  # the address the request is sent from
    headers: tuple[tuple[str, str], ...] = ()
    gap: str = ""

    @property
    def seen(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers}


def vantage(policy: Policy, answers: dict, networks: list[str]) -> Vantage:
    """Loopback itself when the networks hold 127.0.0.1; behind the proxy, a client of the first
    network named in X-Forwarded-For; a direct server reached remotely, a 127.0.0.x of them."""
    nets = [ipaddress.IPv4Network(n) for n in networks]
    if not nets or _has_loopback(nets):
        return Vantage()
    if policy.trust_forwarded_for:
        return Vantage(headers=(("X-Forwarded-For", _inside(nets[0])), *proxied(policy)))
    local = next((address for address in map(_loopback_in, nets) if address), None)
    if local and direct_remote(answers):
        return Vantage(source=local)
    return Vantage(gap=f"no address of {', '.join(networks)} can send from this host"
                       + ("" if direct_remote(answers) else " (Orthanc serves 127.0.0.1 only)")
                       + ": its role rows run from 127.0.0.1, where its networks alone refuse them")


def proxied(policy: Policy) -> tuple[tuple[str, str], ...]:
    """The header nginx adds to prove it is the proxy, with the configuration's secret: without it the
    filter takes X-Forwarded-For for what any local process may write, and ignores it."""
    return ((proxy_secret.HEADER, policy.proxy_secret),) if policy.proxy_secret else ()


def _loopback_in(net: ipaddress.IPv4Network) -> str | None:
    """An address of net on this host's loopback (127.0.0.0/8) other than 127.0.0.1, if any."""
    if not net.overlaps(LOOPBACK_NET):
        return None
    part = net if net.subnet_of(LOOPBACK_NET) else LOOPBACK_NET
    return _inside(part)


def _has_loopback(nets: list[ipaddress.IPv4Network]) -> bool:
    return any(ipaddress.IPv4Address(LOOPBACK) in n for n in nets)


def _inside(net: ipaddress.IPv4Network) -> str:
    return str(net.network_address + 1 if net.num_addresses > 2 else net.network_address)
