"""The Lua filter and the Python policy decide alike on many generated policies and requests.

A failure prints its seed: ORTHANC_HARDEN_SEED=<seed> pytest ... replays the same cases.
"""

import os
import random

import lupa.lua53 as lua53

from wizard.orthanc.lua import render_lua
from wizard.orthanc.policy import ROLES, Policy, UserRule, decide

POLICIES = 24
REQUESTS_PER_POLICY = 500
MINIMUM_CASES = 10_000

FRAGMENTS = ('"', "'", "]]", "[[", "\\", "\n", "\r", "\x00", "--", " ", "\u00e9", "\u2603",
             "\U0001f600", "admin", "root", "a", "=", "\t", "\\0", "\\n", "%s", "..")
NETWORKS = ("127.0.0.0/8", "127.0.0.1/32", "10.0.0.0/8", "10.1.2.0/24", "10.1.2.3/32",
            "192.168.1.0/24", "192.168.1.1/32", "172.16.0.0/12", "0.0.0.0/0", "1.2.3.4/31")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "get", "")
ROUTES = ("/", "/system", "/tools/find", "/tools/find/", "/tools/find//", "/tools/lookup",
          "/instances", "/instances/", "/instances/abc/export", "/tools/execute-script",
          "/tools/execute-script/", "/tools/log-level", "/modalities/x", "/app/explorer.html",
          "/patients/x", "/p\u00e4tients/\u2603", "", "//", "/Tools/find", "/tools/find ")
IPS = ("127.0.0.1", "127.0.0.2", "10.1.2.3", "192.168.1.1", "1.2.3.5", "garbage", "",
       "010.1.2.3", "256.1.1.1", " 127.0.0.1", "127.0.0.1\n", "0.0.0.0", "255.255.255.255")
CLAIMED = ("admin", "orthanc", "root", "", " ", "alice")
FORWARDED = ("127.0.0.1", "10.1.2.3", "192.168.1.1", "1.2.3.4, 5.6.7.8", " \t10.1.2.3 \t",
             "\r\n\f\v127.0.0.1\v", "010.0.0.1", "256.1.1.1", "", " ", "1.2.3", "1.2.3.4.5",
             "\uff11.2.3.4", "127.0.0.1\u00a0", "127.0.0.1\x00", "0.0.0.0", "00.1.2.3")
ODD_HEADERS = ({"X-Forwarded-For": "127.0.0.1"}, {"x-forwarded-for-x": "10.1.2.3"},
               {"x-real-ip": "127.0.0.1"}, {"": ""}, {"\u00e9": "\x00"},
               {"authorization": "Basic YWRtaW46YWRtaW4="}, {"x-http-method-override": "GET"})


# Names Orthanc takes from its environment (`${VAR}` in RegisteredUsers), set, empty or unset.
ENVIRONMENT = {"OH_DIFF_ADMIN": "admin", "OH_DIFF_ALICE": "alice", "OH_DIFF_EMPTY": "", "OH_DIFF_ODD": "\u00e9\"]]"}
ENV_NAMES = ("${OH_DIFF_ADMIN}", "${OH_DIFF_ALICE}", "${OH_DIFF_EMPTY}", "${OH_DIFF_EMPTY:-root}", "${OH_DIFF_ODD}",
             "${OH_DIFF_UNSET}", "${OH_DIFF_UNSET:-alice}", "${OH_DIFF_UNSET:-orthanc}", "${OH_DIFF_ADMIN:-x}")


def hostile_name(rng):
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randrange(5)))


def random_users(rng):
    users = []
    for _ in range(rng.randrange(7)):
        repeat = users and rng.random() < 0.1
        name = rng.choice(users).name if repeat else (
            rng.choice(ENV_NAMES) if rng.random() < 0.2 else hostile_name(rng))
        role = rng.choice(ROLES + ("Admin",)) if rng.random() < 0.1 else rng.choice(ROLES)
        networks = tuple(rng.sample(NETWORKS, rng.choice((0, 0, 1, 2, 3))))
        users.append(UserRule(name, role, networks))
    return tuple(users)


def random_policy(rng, index):
    # The three switches walk through all eight combinations; the users are random.
    authentication, execute_script, trust = (not index & 1), bool(index & 2), bool(index & 4)
    return Policy(random_users(rng), authentication, execute_script, trust)


def near_misses(name):
    return [name.upper(), name.lower(), name + " ", " " + name, name[:-1], name + "\x00"]


def random_username(rng, policy):
    names = [user.name for user in policy.users] + ["\u00e9\"]]", "alice", "orthanc", "root"]
    if names and rng.random() < 0.6:
        return rng.choice(names)
    if names and rng.random() < 0.5:
        return rng.choice(near_misses(rng.choice(names)))
    return rng.choice(CLAIMED) if rng.random() < 0.7 else hostile_name(rng)


def random_uri(rng):
    if rng.random() < 0.8:
        return rng.choice(ROUTES)
    junk = "".join(rng.choice("/ax%\u00e9\x00. ") for _ in range(rng.randrange(10)))
    return rng.choice(("", "/tools/find", "/instances")) + junk


def random_headers(rng):
    """(headers for Python, headers for Lua): None and non-tables count as no headers."""
    roll = rng.random()
    if roll < 0.1:
        return {}, rng.choice((None, "x-forwarded-for", 7))
    headers = dict(rng.choice(ODD_HEADERS)) if rng.random() < 0.3 else {}
    if roll < 0.7:
        value = rng.choice(FORWARDED) if rng.random() < 0.9 else hostile_name(rng)
        headers["x-forwarded-for"] = value
    return headers, headers


def random_request(rng, policy):
    ip = "127.0.0.1" if rng.random() < 0.4 else rng.choice(IPS)
    method = rng.choice(METHODS[:4]) if rng.random() < 0.7 else rng.choice(METHODS)
    return method, random_uri(rng), ip, random_username(rng, policy), random_headers(rng)


def run_policy(rng, policy, mismatches):
    """Run REQUESTS_PER_POLICY requests through both; return how many were allowed."""
    lua = lua53.LuaRuntime(unpack_returned_tuples=True)
    lua.execute(render_lua(policy))
    lua_filter = lua.globals().IncomingHttpRequestFilter
    allowed = 0
    for _ in range(REQUESTS_PER_POLICY):
        method, uri, ip, username, (headers, lua_headers) = random_request(rng, policy)
        if isinstance(lua_headers, dict):
            lua_headers = lua.table_from(lua_headers)
        expected = decide(policy, method, uri, ip, username, headers)
        try:
            actual = lua_filter(method, uri, ip, username, lua_headers)
        except lua53.LuaError as error:
            actual = f"LuaError: {error}"
        if actual is not expected:
            mismatches.append((policy, method, uri, ip, username, headers, expected, actual))
        allowed += expected
    return allowed


def seed():
    return int(os.environ.get("ORTHANC_HARDEN_SEED") or random.SystemRandom().randrange(2**32))


def test_lua_filter_decides_like_the_policy_on_generated_requests(monkeypatch):
    for variable, value in ENVIRONMENT.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("OH_DIFF_UNSET", raising=False)
    run_seed = seed()
    rng = random.Random(run_seed)
    mismatches, allowed, cases = [], 0, 0
    for index in range(POLICIES):
        allowed += run_policy(rng, random_policy(rng, index), mismatches)
        cases += REQUESTS_PER_POLICY
    where = f"seed={run_seed} (set ORTHANC_HARDEN_SEED to replay), {cases} cases"
    shown = "\n".join(repr(m) for m in mismatches[:5])
    assert not mismatches, f"{len(mismatches)} mismatches, {where}; first ones:\n{shown}"
    assert cases >= MINIMUM_CASES, where
    # A generator that only produced denials would prove little.
    assert cases // 20 <= allowed <= cases - cases // 20, f"{allowed} allowed, {where}"
