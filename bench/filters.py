"""The filters the benchmarks compare: none, the Orthanc Book's sample, ours for N users.

Every policy has `size` users with 20 networks each, trusts X-Forwarded-For (the reverse-proxy
mode of the shipped presets) and puts the benchmark reader's network last of its 20, so that
our filter does its most work for that request: header look-up, address parsing, 20 networks.
"""

from __future__ import annotations

import random
import subprocess
import types
from collections.abc import Callable
from pathlib import Path

from wizard.orthanc.lua import render_lua
from wizard.orthanc.policy import ROLES, Policy, UserRule

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).resolve().parent / "data" / "book-sample-filter.lua"
SIZES = (10, 1_000, 10_000)
CIDRS = 20
PASSWORD = "bench-password-1"
# The reader the benchmarks ask as (the sample's read-only user is called "user"), and the
# client address the proxy names in X-Forwarded-For.
READER, ADMIN = "user", "admin"
CLIENT, CLIENT_NETWORK = "10.200.5.7", "10.200.5.0/24"
# The proxy's secret (orthanc/proxy_secret.py): in the configuration, and in every request as nginx adds it.
PROXY_SECRET = "benchProxySecret0123456789"
PROXIED = {"X-Forwarded-For": CLIENT, "X-Orthanc-Harden-Proxy": PROXY_SECRET}


def networks(rng: random.Random, count: int) -> tuple[str, ...]:
    """`count` distinct /24 networks of 10.0.0.0/8 that never hold CLIENT."""
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(f"10.{rng.randrange(200)}.{rng.randrange(256)}.0/24")
    return tuple(sorted(chosen))


def bench_policy(size: int) -> Policy:
    """`size` users of every role, 20 networks each; the client's network is the reader's and the admin's last."""
    rng = random.Random(size)
    users = [UserRule(ADMIN, "admin", networks(rng, CIDRS - 2) + ("127.0.0.1/32", CLIENT_NETWORK)),
             UserRule(READER, "read-only", networks(rng, CIDRS - 1) + (CLIENT_NETWORK,))]
    users += [UserRule(f"user{i}", ROLES[i % len(ROLES)], networks(rng, CIDRS)) for i in range(size - 2)]
    return Policy(tuple(users), authentication=True, trust_forwarded_for=True, proxy_secret=PROXY_SECRET)


def registered_users() -> dict[str, str]:
    """Every name of the largest policy: one RegisteredUsers for every variant compared."""
    return {user.name: PASSWORD for user in bench_policy(max(SIZES)).users}


def renderer(rev: str | None = None) -> Callable[[Policy], str]:
    """render_lua of this tree, or of wizard/orthanc/lua.py at git revision `rev` (before/after)."""
    if rev is None:
        return render_lua
    source = subprocess.run(["git", "show", f"{rev}:wizard/orthanc/lua.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType(f"lua_at_{rev}")
    exec(compile(source, f"{rev}:wizard/orthanc/lua.py", "exec"), module.__dict__)  # our own history
    return module.render_lua


def variants(revs: list[str]) -> list[tuple[str, str | None]]:
    """(label, Lua source or None for no filter), in the order of the tables."""
    found: list[tuple[str, str | None]] = [("no filter", None), ("book sample", SAMPLE.read_text())]
    for rev in [None, *revs]:
        render = renderer(rev)
        label = "ours" if rev is None else f"ours@{rev}"
        found += [(f"{label} {size:,}", render(bench_policy(size))) for size in SIZES]
    return found
