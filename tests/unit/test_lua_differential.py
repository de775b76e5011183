"""The Lua filter and the Python policy decide alike on many generated policies and requests.

A failure prints its seed: ORTHANC_HARDEN_SEED=<seed> pytest ... replays the same cases.
The default run decides 12,000 requests; `pytest -m long` runs 100,000 more.
"""

import ipaddress
import os
import random

import lupa.lua53 as lua53
import pytest

from wizard.orthanc.lua import render_lua
from wizard.orthanc.policy import PROXY_HEADER, ROLES, Policy, UserRule, decide, normalize_path
from wizard.orthanc.routes import outward

from .filter_runtime import SECRET, runtime, through_proxy

POLICIES = 24
REQUESTS_PER_POLICY = 500
MINIMUM_CASES = 10_000
LONG_POLICIES = 200  # 100,000 requests

FRAGMENTS = ('"', "'", "]]", "[[", "\\", "\n", "\r", "\x00", "--", " ", "\u00e9", "\u2603",
             "\U0001f600", "admin", "root", "a", "=", "\t", "\\0", "\\n", "%s", "..")
NETWORKS = ("127.0.0.0/8", "127.0.0.1/32", "10.0.0.0/8", "10.1.2.0/24", "10.1.2.3/32",
            "192.168.1.0/24", "192.168.1.1/32", "172.16.0.0/12", "0.0.0.0/0", "1.2.3.4/31")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "get", "")
ROUTES = ("/", "/system", "/tools/find", "/tools/find/", "/tools/find//", "/tools/lookup",
          "/instances", "/instances/", "/instances/abc/export", "/tools/execute-script",
          "/tools/execute-script/", "/tools/log-level", "/modalities/x", "/app/explorer.html",
          "/patients/x", "/p\u00e4tients/\u2603", "", "//", "/Tools/find", "/tools/find ",
          # What readers may POST too: the zips; and their hostile neighbours.
          "/tools/create-archive", "/tools/create-media", "/tools/create-media-extended",
          "/tools/create-archive/", "/tools/create-media-extended//", "/tools/Create-Archive",
          "/tools/create-archive-extended", "/tools/create-media-x", "/tools/create", "/tools//create-archive",
          "/patients/x/archive", "/studies/x/archive", "/series/x/archive", "/patients/x/media",
          "/studies/\u2603/media/", "/series/a.b-c_1/media//", "/instances/x/archive", "/instances/x/media",
          "/patients/x/archive/extra", "/patients/x/media/x", "/patients//archive", "/patients/archive",
          "//patients/x/archive", "/Patients/x/archive", "/patients/x/Archive", "/patients/x/archive ",
          "/studies/x/y/archive", "/x/patients/x/archive", "patients/x/archive", "/patients/x/modify",
          "/patients/x/anonymize", "/studies/x/split", "/series/x/export", "/jobs/x/cancel",
          # What uploaders may POST too: STOW-RS; and its hostile neighbours.
          "/dicom-web/studies", "/dicom-web/studies/", "/dicom-web/studies//", "/dicom-web/studies/1.2.3",
          "/dicom-web/studies/1.2.3/", "/dicom-web/studies/x/series", "/dicom-web/studies/x/series/y",
          "/dicom-web/studies/x/series/y/instances", "/dicom-web/studies//x", "/dicom-web//studies",
          "//dicom-web/studies", "/DICOM-WEB/studies", "/dicom-web/Studies", "/dicom-webXstudies",
          "/dicom-web/studies ", "/dicom-web/studiesX", "/dicom-web/series", "/dicom-web/instances",
          "/dicom-web/servers/x/stow", "/dicom-web/servers/x/retrieve", "/dicom-web/servers/x/post",
          "/dicom-web", "/dicom-web/", "/wado", "/dicom-web/studies/\u00e9\x00", "/dicom-web/studies/%2F",
          # What makes Orthanc contact another system: the admin's, GETs included; and its neighbours.
          "/peers/x/system", "/peers/x/system/", "/peers/x/store", "/peers/x/store-straight",
          "/peers/x/configuration", "/peers/x/y/z", "/peers/x", "/peers/x/", "/peers", "/peers//system",
          "/Peers/x/system", "/x/peers/x/system", "/modalities/x/echo", "/modalities/x/store",
          "/modalities/x/move", "/modalities/x/get", "/modalities/x/find-worklist", "/modalities/x/configuration",
          "/modalities/x", "/modalities", "/modalities//echo", "/dicom-web/servers/x/qido",
          "/dicom-web/servers/x/wado", "/dicom-web/servers/x/get", "/dicom-web/servers/x",
          "/dicom-web/servers", "/dicom-web/servers//qido", "/dicom-web/serversx/y/qido", "/queries/q/retrieve",
          "/queries/q/answers/0/retrieve", "/queries/q/answers/0/query-studies", "/queries/q/answers/0/content",
          "/queries/q/answers/0/query-x", "/queries/q/answers", "/queries/q", "/queries//retrieve",
          "/queries/q/retrieve/x", "/tools/dicom-echo", "/tools/dicom-echo/", "/tools/dicom-echo-x")
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
             "${OH_DIFF_UNSET}", "${OH_DIFF_UNSET:-alice}", "${OH_DIFF_UNSET:-orthanc}", "${OH_DIFF_ADMIN:-x}",
             # A default is any text but "}" and ":": it must never become Lua code.
             "${OH_DIFF_UNSET:-\nINJECTED = true --}", "${OH_DIFF_UNSET:-\"]] INJECTED = true --[[}")


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
    # The four switches walk through their combinations; the users are random.
    authentication, execute_script, trust = (not index & 1), bool(index & 2), bool(index & 4)
    # Behind the proxy, mostly with its secret in Orthanc's configuration (the filter then trusts
    # X-Forwarded-For beside it), now and then without (it trusts nothing).
    secret = SECRET if trust and rng.random() < 0.8 else None
    return Policy(random_users(rng), authentication, execute_script, trust, search_and_zips=not index & 8,
                  proxy_secret=secret)


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
    return rng.choice(("", "/tools/find", "/instances", "/dicom-web/studies", "/patients/x/archive",
                       "/patients", "/tools/create-media")) + junk


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
    headers, lua_headers = random_headers(rng)
    if isinstance(lua_headers, dict) and rng.random() < 0.6:  # the proxy's secret, or a near miss of it
        headers[PROXY_HEADER] = SECRET if rng.random() < 0.8 else rng.choice(near_misses(SECRET) + [7, ""])
    return method, random_uri(rng), ip, random_username(rng, policy), (headers, lua_headers)


def run_policy(rng, policy, mismatches, requests=REQUESTS_PER_POLICY, request=random_request):
    """Run `requests` requests through both; return how many were allowed."""
    lua = runtime(policy)
    if lua.globals().INJECTED is not None:
        mismatches.append((policy, "loading the filter ran code taken from a name"))
    lua_filter = lua.globals().IncomingHttpRequestFilter
    allowed = 0
    for _ in range(requests):
        method, uri, ip, username, (headers, lua_headers) = request(rng, policy)
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


@pytest.fixture
def environment(monkeypatch):
    """The variables the `${VAR}` names read: set, empty, and one unset."""
    for variable, value in ENVIRONMENT.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("OH_DIFF_UNSET", raising=False)


def differential(policies, requests=REQUESTS_PER_POLICY, make_policy=None, request=random_request):
    """Decide `policies` x `requests` generated requests both ways; fail on any disagreement."""
    run_seed = seed()
    rng = random.Random(run_seed)
    mismatches, allowed, cases = [], 0, 0
    for index in range(policies):
        policy = make_policy(rng, index) if make_policy else random_policy(rng, index)
        allowed += run_policy(rng, policy, mismatches, requests, request)
        cases += requests
    where = f"seed={run_seed} (set ORTHANC_HARDEN_SEED to replay), {cases} cases"
    shown = "\n".join(repr(m) for m in mismatches[:5])
    assert not mismatches, f"{len(mismatches)} mismatches, {where}; first ones:\n{shown}"
    # A generator that only produced denials would prove little.
    assert cases // 20 <= allowed <= cases - cases // 20, f"{allowed} allowed, {where}"
    return cases


def test_lua_filter_decides_like_the_policy_on_generated_requests(environment):
    assert differential(POLICIES) >= MINIMUM_CASES


@pytest.mark.long
def test_lua_filter_decides_like_the_policy_on_a_hundred_thousand_generated_requests(environment):
    assert differential(LONG_POLICIES) >= 100_000


@pytest.mark.parametrize("search_and_zips", [True, False], ids=["searching", "not-searching"])
def test_every_route_decides_alike_for_every_role_and_method(search_and_zips):
    # Each route of ROUTES once per role and method: a route drawn rarely above is still judged.
    users = tuple(UserRule(role, role) for role in ROLES + ("Admin",))
    policy = Policy(users, authentication=True, execute_script=True, search_and_zips=search_and_zips)
    lua = lua53.LuaRuntime(unpack_returned_tuples=True)
    lua.execute(render_lua(policy))
    lua_filter = lua.globals().IncomingHttpRequestFilter
    cases = [(method, uri, user.name) for method in METHODS for uri in ROUTES for user in users]
    mismatches = [case for case in cases if lua_filter(case[0], case[1], "10.1.2.3", case[2], lua.table())
                  is not decide(policy, case[0], case[1], "10.1.2.3", case[2], {})]
    assert not mismatches, mismatches[:5]
    allowed = {uri for method, uri, name in cases if method == "POST" and name == "read-only"
               and decide(policy, method, uri, "10.1.2.3", name, {})}
    zips = {"/tools/create-media-extended", "/series/a.b-c_1/media//"}
    assert zips <= allowed if search_and_zips else not zips & allowed  # not all denials
    reached = {uri for method, uri, name in cases if name in ("read-only", "uploader")
               and decide(policy, method, uri, "10.1.2.3", name, {}) and outward(normalize_path(uri))}
    assert not reached and decide(policy, "GET", "/peers/x/system", "10.1.2.3", "admin", {})


# Many users and client addresses, so that every cache of the filter fills and starts again.
CROWD_USERS, CROWD_ADDRESSES = 300, 3000


PADDED = (" 10.0.0.1", "10.1.0.1\t", "\r\n10.8.1.1 ", " 127.0.0.1 ")


def crowd_policy(rng, index):
    networks = [f"10.{a}.0.0/16" for a in range(8)] + [f"10.{a}.{b}.0/24" for a in range(8, 12) for b in range(4)]
    users = tuple(UserRule(f"user{i}", rng.choice(ROLES), tuple(rng.sample(networks, rng.choice((0, 1, 2, 3)))))
                  for i in range(CROWD_USERS))
    return Policy(users, authentication=True, trust_forwarded_for=bool(index & 1), proxy_secret=SECRET)


def crowd_request(rng, policy):
    address = str(ipaddress.IPv4Address(0x0A000000 + rng.randrange(12 << 16)))
    if rng.random() < 0.02:
        # Now and then an address that is no address, or one that is only once trimmed:
        # the same text must decide alike as Orthanc's ip (no trimming) and as the header.
        address = rng.choice(IPS + PADDED)
    forwarded = rng.random() < 0.5
    ip, headers = ("127.0.0.1", through_proxy({"x-forwarded-for": address})) if forwarded else (address, {})
    user = f"user{rng.randrange(CROWD_USERS + 5)}"
    return rng.choice(("GET", "POST", "PUT")), rng.choice(ROUTES), ip, user, (headers, headers)


def test_lua_filter_decides_alike_when_its_caches_fill_and_start_again(environment):
    # 6,000 requests per policy from 3,000 addresses: more than the 256 addresses and
    # 4,096 verdicts the filter keeps.
    assert differential(2, 6_000, crowd_policy, crowd_request) == 12_000


def test_the_filter_memory_stays_bounded_however_many_addresses_it_sees():
    lua = runtime(crowd_policy(random.Random(1), 1))
    # Every request from a new address, through the proxy and directly, for many users.
    run = lua.execute("""
      return function(first, last)
        for i = first, last do
          local address = "10." .. (i >> 16 & 255) .. "." .. (i >> 8 & 255) .. "." .. (i & 255)
          IncomingHttpRequestFilter("GET", "/system", "127.0.0.1", "user" .. i % 300,
                                    { ["x-forwarded-for"] = address, ["x-orthanc-harden-proxy"] = "Pr0xySecretOfTheTests123" })
          IncomingHttpRequestFilter("GET", "/system", address, "user" .. i % 300, {})
        end
        collectgarbage()
        collectgarbage()
        return collectgarbage("count")
      end""")
    after_ten_thousand = run(0, 10_000)
    after_a_hundred_thousand = run(10_000, 100_000)
    assert after_a_hundred_thousand < after_ten_thousand + 256, (after_ten_thousand, after_a_hundred_thousand)


@pytest.mark.parametrize("text", PADDED)
def test_one_text_decides_as_the_proxy_header_and_as_orthancs_ip_each_its_own_way(text):
    # The filter remembers each parsed text: the header's (trimmed) must not answer for the ip.
    policy = Policy((UserRule("alice", "read-only", ("10.0.0.0/8", "127.0.0.0/8")),), True, trust_forwarded_for=True,
                    proxy_secret=SECRET)
    lua = runtime(policy)
    lua_filter = lua.globals().IncomingHttpRequestFilter
    proxied, direct = ("127.0.0.1", through_proxy({"x-forwarded-for": text})), (text, {})
    for ip, headers in (proxied, direct, proxied, direct):
        expected = decide(policy, "GET", "/system", ip, "alice", headers)
        assert lua_filter("GET", "/system", ip, "alice", lua.table_from(headers)) is expected, (ip, headers)
    # The two ways differ indeed: trimmed, the header names a client of 10.0.0.0/8 or 127.0.0.0/8.
    assert decide(policy, "GET", "/system", "127.0.0.1", "alice", through_proxy({"x-forwarded-for": text}))
    assert not decide(policy, "GET", "/system", text, "alice", {})
