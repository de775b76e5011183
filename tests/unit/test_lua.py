"""The rendered Lua filter is valid Lua 5.3, cannot be injected into, and decides as told."""

import re
import subprocess

import lupa.lua53 as lua53
import pytest

from wizard.orthanc.lua import lua_string, render_lua
from wizard.orthanc.policy import Policy, UserRule

from .filter_runtime import SECRET, runtime, through_proxy

HOSTILE = (
    '"]] os.exit() --',
    "]] INJECTED = true --[[",
    "'; INJECTED = true; --",
    "\n INJECTED = true --",
    "back\\slash\\",
    "nul\x00byte",
    "h\u00e9llo \u2603 \U0001f600",
    "\r\n\t\x7f\x1b[0m",
)
POLICY = Policy(
    users=tuple(UserRule(name, "read-only") for name in HOSTILE)
    + (UserRule("root", "admin", ("127.0.0.1/32", "10.0.0.0/8")), UserRule("up", "uploader")),
    authentication=True,
    trust_forwarded_for=True,
    proxy_secret=SECRET,
)


def load(policy):
    """The filter function of a fresh Lua 5.3, with os.exit and INJECTED watched."""
    lua = runtime(policy)
    lua.execute("os.exit = function() INJECTED = true end")
    return lua, lua.globals().IncomingHttpRequestFilter


def call(policy, method, uri, ip, username, headers=None):
    lua, filter_ = load(policy)
    return filter_(method, uri, ip, username, lua.table_from(headers or {}))


def test_the_rendered_file_passes_luac(tmp_path):
    path = tmp_path / "orthanc-security.lua"
    path.write_text(render_lua(POLICY), encoding="utf-8")
    # No skip when luac5.3 is missing: FileNotFoundError fails the test, as it should.
    result = subprocess.run(["luac5.3", "-p", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_rendered_file_is_printable_ascii_only():
    source = render_lua(POLICY)
    assert all(c == "\n" or " " <= c <= "~" for c in source)


def test_no_hostile_name_appears_raw():
    source = render_lua(POLICY)
    assert "]]" not in source
    assert not [name for name in HOSTILE if name in source]


def test_every_user_key_holds_only_safe_bytes_and_escapes():
    keys = re.findall(r'^  \[(".*?)\] = ', render_lua(POLICY), flags=re.MULTILINE)
    assert len(set(keys)) == len(HOSTILE) + 2  # USERS, then FROM for the users with networks
    assert all(re.fullmatch(r'"(?:[A-Za-z0-9 _.,/:@-]|\\[0-9]{3})*"', key) for key in keys)


def test_lua_strings_escape_every_byte_outside_the_safe_set():
    assert lua_string("a-Z_0 .,/:@") == '"a-Z_0 .,/:@"'
    assert lua_string('"\\\n\x00]') == '"\\034\\092\\010\\000\\093"'
    assert lua_string("\u00e9") == '"\\195\\169"'


def test_an_escape_followed_by_a_digit_keeps_three_digits():
    lua = lua53.LuaRuntime()
    assert lua.eval(lua_string("\n1")) == "\n1"


def test_the_same_policy_renders_the_same_bytes():
    assert render_lua(POLICY) == render_lua(Policy(POLICY.users, True, False, True))


def test_the_user_order_does_not_change_the_file():
    reordered = Policy(tuple(reversed(POLICY.users)), True, False, True)
    assert render_lua(reordered) == render_lua(POLICY)


def test_the_file_says_it_is_generated_and_not_to_be_edited():
    head = render_lua(POLICY).splitlines()[0]
    assert "orthanc-harden" in head and "DO NOT EDIT" in head


def test_loading_the_filter_runs_no_injected_code():
    lua, _ = load(POLICY)
    assert lua.globals().INJECTED is None


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_matches_exactly_that_user(name):
    lua, filter_ = load(POLICY)
    assert filter_("GET", "/system", "10.9.9.9", name, lua.table_from({})) is True
    assert filter_("GET", "/system", "10.9.9.9", name + " ", lua.table_from({})) is False
    assert filter_("POST", "/instances", "10.9.9.9", name, lua.table_from({})) is False
    assert lua.globals().INJECTED is None


def test_an_admin_is_refused_outside_its_networks():
    assert call(POLICY, "PUT", "/tools/log-level", "10.1.2.3", "root") is True
    assert call(POLICY, "PUT", "/tools/log-level", "192.168.1.1", "root") is False


def test_x_forwarded_for_is_trusted_from_loopback_only():
    forwarded = through_proxy({"x-forwarded-for": " 192.168.1.1\t"})
    assert call(POLICY, "GET", "/system", "127.0.0.1", "root", forwarded) is False
    assert call(POLICY, "GET", "/system", "127.0.0.1", "root") is True
    forged = through_proxy({"x-forwarded-for": "127.0.0.1"})
    assert call(POLICY, "GET", "/system", "192.168.1.1", "root", forged) is False


@pytest.mark.parametrize("secret", [None, "", SECRET[:-1], SECRET + "x", SECRET.lower()])
def test_x_forwarded_for_without_the_proxy_s_secret_counts_as_the_local_process(secret):
    # A local process connects from 127.0.0.1 too: what it claims is ignored, it is 127.0.0.1.
    claimed = {"x-forwarded-for": "10.1.2.3"} if secret is None else through_proxy({"x-forwarded-for": "10.1.2.3"}, secret)
    limited = Policy((UserRule("office", "admin", ("10.0.0.0/8",)), UserRule("local", "admin", ("127.0.0.1/32",))),
                     authentication=True, trust_forwarded_for=True, proxy_secret=SECRET)
    assert call(limited, "GET", "/system", "127.0.0.1", "office", claimed) is False
    assert call(limited, "GET", "/system", "127.0.0.1", "local", claimed) is True
    assert call(limited, "GET", "/system", "127.0.0.1", "office", through_proxy({"x-forwarded-for": "10.1.2.3"})) is True


def test_without_a_secret_in_orthanc_s_configuration_no_header_is_trusted():
    # An older configuration, or GetOrthancConfiguration missing: X-Forwarded-For is never trusted.
    alone = Policy((UserRule("office", "admin", ("10.0.0.0/8",)),), True, trust_forwarded_for=True)
    assert call(alone, "GET", "/system", "127.0.0.1", "office", through_proxy({"x-forwarded-for": "10.1.2.3"})) is False


def test_execute_script_is_refused_without_the_switch():
    assert call(POLICY, "POST", "/tools/execute-script/", "127.0.0.1", "root") is False


def test_the_uploader_may_post_instances_only():
    assert call(POLICY, "POST", "/instances/", "1.2.3.4", "up") is True
    assert call(POLICY, "POST", "/instances/x/export", "1.2.3.4", "up") is False


def test_without_authentication_only_loopback_gets_in():
    p = Policy((), authentication=False)
    assert call(p, "DELETE", "/patients/x", "127.0.0.1", "root") is True
    assert call(p, "GET", "/system", "10.1.2.3", "root") is False


@pytest.mark.parametrize("headers", [None, "x-forwarded-for", 42])
def test_missing_or_odd_headers_count_as_no_headers(headers):
    _, filter_ = load(POLICY)
    assert filter_("GET", "/system", "127.0.0.1", "root", headers) is True


@pytest.mark.parametrize(
    "args",
    [
        (None, None, None, None, None),
        ("GET", None, "127.0.0.1", "root", None),
        ("GET", "/system", None, "root", None),
        ("GET", "/system", "127.0.0.1", None, None),
        ("GET", 42, "127.0.0.1", "root", None),
    ],
)
def test_wrong_argument_types_deny_with_false_or_an_error(args):
    # Orthanc answers 500 and runs nothing when the filter raises, on every release measured
    # (tests/integration/test_filter_errors.py): both ways deny, never true.
    _, filter_ = load(POLICY)
    assert denies(filter_, args)


def test_an_error_inside_the_decision_is_raised_to_orthanc_which_denies():
    lua, filter_ = load(POLICY)
    headers = lua.eval('setmetatable({}, { __index = function() error("boom") end })')
    with pytest.raises(lua53.LuaError, match="boom"):
        filter_("GET", "/system", "127.0.0.1", "root", headers)


def denies(filter_, args) -> bool:
    """False, or an error (Orthanc's 500): anything but true."""
    try:
        return filter_(*args) is False
    except lua53.LuaError:
        return True


def test_a_script_loaded_later_cannot_change_the_functions_it_calls():
    lua, filter_ = load(POLICY)
    lua.execute("string.match = function() return '127', '0', '0', '1' end")
    assert filter_("GET", "/system", "192.168.1.1", "root", None) is False


def test_a_name_that_is_not_unicode_text_is_refused_at_render_time():
    with pytest.raises(ValueError):
        render_lua(Policy((UserRule("half\ud800", "admin"),), authentication=True))
