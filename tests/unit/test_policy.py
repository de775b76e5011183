"""The access policy decides who may do what, one rule per test."""

import pytest

from wizard.orthanc.policy import PROXY_HEADER, ROLES, Policy, UserRule, decide

SECRET = "Pr0xySecretOfTheTests123"

ALICE = UserRule("alice", "read-only")
UPLOADER = UserRule("modality", "uploader")
ADMIN = UserRule("root", "admin")
OFFICE = UserRule("office", "read-only", ("10.0.0.0/8", "192.168.1.0/24"))


def policy(*users, authentication=True, execute_script=False, trust_forwarded_for=False):
    return Policy(tuple(users), authentication, execute_script, trust_forwarded_for,
                  proxy_secret=SECRET if trust_forwarded_for else None)


def allows(p, method, uri, user="", ip="10.1.2.3", headers=None):
    return decide(p, method, uri, ip, user, headers or {})


ALL = policy(ALICE, UPLOADER, ADMIN, OFFICE)


def test_roles_are_read_only_uploader_and_admin():
    assert ROLES == ("read-only", "uploader", "admin")


def test_read_only_may_get_any_path():
    assert allows(ALL, "GET", "/patients/x/archive", "alice")


def test_read_only_may_search_with_post_tools_find_and_lookup():
    assert allows(ALL, "POST", "/tools/find", "alice")
    assert allows(ALL, "POST", "/tools/lookup", "alice")


def test_read_only_may_not_upload():
    assert not allows(ALL, "POST", "/instances", "alice")


def test_trailing_slashes_are_ignored():
    assert allows(ALL, "POST", "/tools/find//", "alice")
    assert allows(ALL, "POST", "/instances/", "modality")


def test_only_slashes_is_the_root():
    assert not allows(ALL, "POST", "///", "alice")
    assert allows(ALL, "GET", "///", "alice")


def test_a_method_override_arriving_as_delete_is_refused_to_read_only():
    assert not allows(ALL, "DELETE", "/tools/find", "alice")


def test_put_and_delete_are_refused_to_uploaders():
    assert not allows(ALL, "PUT", "/modalities/x", "modality")
    assert not allows(ALL, "DELETE", "/patients/x", "modality")


def test_methods_are_compared_exactly():
    assert not allows(ALL, "get", "/system", "alice")
    assert not allows(ALL, "PATCH", "/system", "alice")


def test_uploader_may_post_instances():
    assert allows(ALL, "POST", "/instances", "modality")


def test_uploader_may_not_export_an_instance():
    assert not allows(ALL, "POST", "/instances/x/export", "modality")


def test_uploader_may_search():
    assert allows(ALL, "POST", "/tools/lookup", "modality")


def test_admin_may_do_anything_else():
    assert allows(ALL, "PUT", "/tools/log-level", "root")
    assert allows(ALL, "PATCH", "/anything", "root")


def test_execute_script_is_refused_to_admins_without_the_switch():
    assert not allows(ALL, "POST", "/tools/execute-script", "root")
    assert not allows(ALL, "POST", "/tools/execute-script/", "root")


def test_execute_script_is_allowed_to_admins_with_the_switch():
    p = policy(ALICE, ADMIN, execute_script=True)
    assert allows(p, "POST", "/tools/execute-script/", "root")


def test_execute_script_is_refused_to_others_even_with_the_switch():
    p = policy(ALICE, ADMIN, execute_script=True)
    assert not allows(p, "GET", "/tools/execute-script", "alice")


def test_an_unknown_user_is_refused():
    assert not allows(ALL, "GET", "/system", "mallory")
    assert not allows(ALL, "GET", "/system", "Alice")
    assert not allows(ALL, "GET", "/system", "alice ")


def test_the_empty_user_name_is_refused_even_if_a_rule_has_it():
    assert not allows(policy(UserRule("", "admin")), "GET", "/system", "")


def test_an_unknown_role_gets_nothing():
    assert not allows(policy(UserRule("eve", "Admin")), "GET", "/system", "eve")


def test_the_last_rule_of_a_repeated_name_wins():
    p = policy(UserRule("bob", "admin"), UserRule("bob", "read-only"))
    assert not allows(p, "PUT", "/tools/log-level", "bob")


def test_a_user_with_networks_is_refused_outside_them():
    assert allows(ALL, "GET", "/system", "office", ip="192.168.1.200")
    assert not allows(ALL, "GET", "/system", "office", ip="192.168.2.1")


def test_a_user_with_networks_is_refused_from_an_unparseable_address():
    assert not allows(ALL, "GET", "/system", "office", ip="010.1.2.3")
    assert not allows(ALL, "GET", "/system", "office", ip="")


def test_a_user_without_networks_may_come_from_anywhere():
    assert allows(ALL, "GET", "/system", "alice", ip="garbage")


def test_a_network_with_host_bits_is_refused():
    with pytest.raises(ValueError):
        UserRule("x", "admin", ("10.0.0.1/8",))


def test_without_authentication_the_claimed_name_is_ignored():
    p = policy(ALICE, authentication=False)
    assert not allows(p, "GET", "/system", "alice", ip="10.1.2.3")


def test_without_authentication_loopback_is_the_anonymous_admin():
    p = policy(authentication=False)
    assert allows(p, "PUT", "/tools/log-level", "", ip="127.0.0.1")
    assert not allows(p, "GET", "/system", "", ip="127.0.0.2")


def test_without_authentication_execute_script_still_needs_the_switch():
    assert not allows(policy(authentication=False), "POST", "/tools/execute-script", ip="127.0.0.1")
    p = policy(authentication=False, execute_script=True)
    assert allows(p, "POST", "/tools/execute-script", ip="127.0.0.1")


LOCAL_ADMIN = UserRule("root", "admin", ("127.0.0.1/32",))
PROXIED = policy(LOCAL_ADMIN, OFFICE, trust_forwarded_for=True)


def xff(value, secret=SECRET):
    """X-Forwarded-For as the proxy passes it, with its secret."""
    return {"x-forwarded-for": value, PROXY_HEADER: secret}


@pytest.mark.parametrize("secret", ["", SECRET[:-1], SECRET + " ", None])
def test_behind_the_proxy_x_forwarded_for_without_its_secret_counts_as_the_local_process(secret):
    forged = {"x-forwarded-for": "10.1.2.3"} if secret is None else xff("10.1.2.3", secret)
    assert allows(PROXIED, "GET", "/system", "root", "127.0.0.1", forged)
    assert not allows(PROXIED, "GET", "/system", "office", "127.0.0.1", forged)


def test_a_policy_without_a_secret_trusts_no_x_forwarded_for():
    alone = Policy((LOCAL_ADMIN, OFFICE), True, trust_forwarded_for=True)
    assert allows(alone, "GET", "/system", "root", "127.0.0.1", xff("10.1.2.3", ""))
    assert allows(alone, "GET", "/system", "root", "127.0.0.1", {"x-forwarded-for": "10.1.2.3"})


def test_behind_the_proxy_the_client_comes_from_x_forwarded_for():
    assert not allows(PROXIED, "GET", "/system", "root", "127.0.0.1", xff("10.1.2.3"))
    assert allows(PROXIED, "GET", "/system", "office", "127.0.0.1", xff("10.1.2.3"))


def test_behind_the_proxy_a_request_without_the_header_is_a_local_one():
    assert allows(PROXIED, "GET", "/system", "root", "127.0.0.1")


def test_a_forged_x_forwarded_for_from_another_address_is_ignored():
    assert not allows(PROXIED, "GET", "/system", "root", "10.1.2.3", xff("127.0.0.1"))
    assert allows(PROXIED, "GET", "/system", "office", "10.1.2.3", xff("127.0.0.1"))


def test_x_forwarded_for_is_ignored_unless_the_profile_trusts_it():
    p = policy(LOCAL_ADMIN, OFFICE)
    assert allows(p, "GET", "/system", "root", "127.0.0.1", xff("10.1.2.3"))


def test_x_forwarded_for_is_stripped_of_ascii_whitespace():
    assert allows(PROXIED, "GET", "/system", "office", "127.0.0.1", xff(" \t10.1.2.3\r\n\f\v"))
    assert not allows(PROXIED, "GET", "/system", "office", "127.0.0.1", xff("\u00a010.1.2.3"))


@pytest.mark.parametrize(
    "value",
    ["10.1.2.3, 5.6.7.8", "010.1.2.3", "256.1.1.1", "10.1.2", "", "\uff110.1.2.3", "10.1.2.3\n1"],
)
def test_a_malformed_x_forwarded_for_matches_no_network(value):
    assert not allows(PROXIED, "GET", "/system", "office", "127.0.0.1", xff(value))


def test_a_malformed_x_forwarded_for_is_not_loopback():
    assert not allows(PROXIED, "GET", "/system", "root", "127.0.0.1", xff("garbage"))


def test_only_the_lowercased_header_name_counts():
    headers = {"X-Forwarded-For": "10.1.2.3"}
    assert allows(PROXIED, "GET", "/system", "root", "127.0.0.1", headers)
