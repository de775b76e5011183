"""Each role gets exactly what the access policy grants, on the real Orthanc with the generated filter.

Three Orthancs in all: the main profile (scripting off, loopback only), the same users with
scripting on, and a profile with direct remote access to show that `from` holds for remote
clients too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import (
    LOOPBACK,
    REMOTE,
    Prober,
    User,
    apply,
    apply_profile,
    clean_env,
    find_keeper,
    registered_users,
    send,
    users_of,
    with_ports,
    write_profile,
)

UPLOADER2_PASSWORD = "uploader2-from-the-environment"
USERS = [
    {"name": "reader1", "role": "read-only"},
    {"name": "reader2", "role": "read-only", "from": ["127.0.0.0/8"]},
    {"name": "uploader1", "role": "uploader"},
    {"name": "uploader2", "role": "uploader", "from": ["10.0.0.0/8", "127.0.0.1/32"],
     "password": {"env": "UPLOADER2_PASSWORD"}},
    {"name": "admin1", "role": "admin", "from": ["127.0.0.1/32"]},
    {"name": "admin2", "role": "admin"},
    # Valid users whose networks do not hold 127.0.0.1: from it they get 403 for everything.
    {"name": "far-reader", "role": "read-only", "from": ["10.0.0.0/8"]},
    {"name": "far-admin", "role": "admin", "from": ["192.168.0.0/16", "127.0.0.2/32"]},
]
READERS, UPLOADERS, ADMINS = ["reader1", "reader2"], ["uploader1", "uploader2"], ["admin1", "admin2"]
NON_ADMINS = READERS + UPLOADERS
LOCAL = NON_ADMINS + ADMINS
FAR = ["far-reader", "far-admin"]
ALL = LOCAL + FAR


@dataclass
class Server:
    """A running Orthanc with the generated configuration and the users' passwords."""

    orthanc: OrthancProcess
    users: dict[str, User]
    prober: Prober

    @property
    def url(self) -> str:
        return self.orthanc.url

    def status(self, name: str, action: str, source: str = LOOPBACK) -> int:
        return self.prober.perform(self.users[name], action, source)

    def get(self, name: str, path: str = "/system", source: str = LOOPBACK, **kwargs) -> int:
        return send(self.url, "GET", path, source=source, **self.users[name].credentials, **kwargs).status


@contextmanager
def serving(profile: dict, folder: Path) -> Iterator[Server]:
    """Apply profile with free ports through the command line and run Orthanc on the output."""
    profile = with_ports(profile, free_port(), free_port())
    env = clean_env(UPLOADER2_PASSWORD=UPLOADER2_PASSWORD)
    out_dir = apply_profile(profile, folder, env=env)
    users = {user.name: user for user in users_of(profile, out_dir)}
    with running_orthanc(out_dir, folder) as orthanc:
        yield Server(orthanc, users, Prober(orthanc.url, find_keeper(list(users.values())), folder))


def roles_profile(execute_lua: bool) -> dict:
    return {
        "network": {"remote_access": False},
        "authentication": {"enabled": True, "users": USERS},
        "https": {"mode": "none"},
        "scripting": {"execute_lua": execute_lua},
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """Loopback only, authentication on, scripting off."""
    with serving(roles_profile(execute_lua=False), tmp_path_factory.mktemp("roles")) as running:
        yield running


@pytest.fixture(scope="module")
def scripting_server(tmp_path_factory) -> Iterator[Server]:
    """The same users with scripting.execute_lua on."""
    with serving(roles_profile(execute_lua=True), tmp_path_factory.mktemp("scripting")) as running:
        yield running


# --- authentication ---------------------------------------------------------------------------

def test_env_password_is_the_one_orthanc_checks(server):
    assert server.users["uploader2"].password == UPLOADER2_PASSWORD
    assert server.get("uploader2") == 200


def test_anonymous_request_is_unauthorized(server):
    assert send(server.url, "GET", "/system").status == 401
    assert send(server.url, "POST", "/tools/find", body="{}").status == 401


@pytest.mark.parametrize("name", ALL)
def test_wrong_password_is_unauthorized(server, name):
    assert send(server.url, "GET", "/system", user=name, password="not-the-password").status == 401


def test_unknown_user_is_unauthorized(server):
    assert send(server.url, "GET", "/system", user="nobody", password="whatever").status == 401


# --- what each role may do from 127.0.0.1 -------------------------------------------------------

@pytest.mark.parametrize("name", LOCAL)
def test_every_role_reads_system_information(server, name):
    assert server.status(name, "read") == 200


@pytest.mark.parametrize("name", FAR)
def test_user_whose_networks_exclude_loopback_gets_nothing_from_it(server, name):
    for action in ("read", "search", "upload", "delete", "change-log-level"):
        assert server.status(name, action) == 403, action


@pytest.mark.parametrize("name", LOCAL)
def test_every_role_can_search_with_tools_find(server, name):
    assert server.status(name, "search") == 200


@pytest.mark.parametrize("name", LOCAL)
def test_search_with_a_trailing_slash_behaves_like_search(server, name):
    assert server.status(name, "search-trailing-slash") == server.status(name, "search") == 200


@pytest.mark.parametrize("name", LOCAL)
def test_uploaders_and_admins_can_upload_but_readers_cannot(server, name):
    assert server.status(name, "upload") == (403 if name in READERS else 200)


@pytest.mark.parametrize("name", READERS)
def test_upload_with_a_trailing_slash_is_still_refused_to_readers(server, name, dicom_file):
    response = send(server.url, "POST", "/instances/", body=dicom_file.read_bytes(),
                    **server.users[name].credentials)
    assert response.status == 403


@pytest.mark.parametrize("name", LOCAL)
def test_only_admins_can_delete_a_patient(server, name):
    # perform() also checks that the patient is gone exactly when the answer is 200.
    assert server.status(name, "delete") == (200 if name in ADMINS else 403)


@pytest.mark.parametrize("name", NON_ADMINS)
def test_method_override_does_not_let_a_non_admin_delete(server, name):
    assert server.status(name, "delete-by-method-override") == 403


def test_method_override_is_honoured_so_the_refusal_above_is_meaningful(server):
    # Orthanc applies X-HTTP-Method-Override before the filter: an admin's POST deletes.
    assert server.status("admin1", "delete-by-method-override") == 200


@pytest.mark.parametrize("name", LOCAL)
def test_only_admins_can_change_the_log_level(server, name):
    assert server.status(name, "change-log-level") == (200 if name in ADMINS else 403)


@pytest.mark.parametrize("name", ALL)
def test_nobody_can_execute_lua_when_execute_lua_is_off(server, name):
    assert server.status(name, "execute-script") == 403


@pytest.mark.parametrize("path", ["/tools/execute-script/", "/tools/execute-script//"])
def test_execute_script_with_trailing_slashes_is_refused_to_admins_when_off(server, path):
    response = send(server.url, "POST", path, body="print(1)", **server.users["admin2"].credentials)
    assert response.status == 403


@pytest.mark.parametrize("name", NON_ADMINS)
def test_non_admins_cannot_export_an_instance_to_a_server_path(server, name):
    # perform() also checks that no file was written.
    assert server.status(name, "export") == 403


def test_admins_cannot_export_either_while_writing_to_the_filesystem_is_off(server):
    # Allowed by the filter, refused by Orthanc itself (RestApiWriteToFileSystemEnabled false).
    assert server.status("admin2", "export") == 403


@pytest.mark.parametrize("name", NON_ADMINS)
def test_non_admins_cannot_add_a_dicom_peer_at_run_time(server, name):
    assert server.status(name, "add-modality") == 403


# --- scripting on ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ADMINS)
def test_admins_can_execute_lua_when_execute_lua_is_on(scripting_server, name):
    # perform() also checks that the script's output ("1") comes back.
    assert scripting_server.status(name, "execute-script") == 200


@pytest.mark.parametrize("name", NON_ADMINS + FAR)
def test_others_cannot_execute_lua_even_when_execute_lua_is_on(scripting_server, name):
    assert scripting_server.status(name, "execute-script") == 403


@pytest.mark.parametrize("name", NON_ADMINS)
def test_non_admins_cannot_execute_lua_through_a_trailing_slash(scripting_server, name):
    response = send(scripting_server.url, "POST", "/tools/execute-script/", body="print(1)",
                    **scripting_server.users[name].credentials)
    assert response.status == 403


# --- direct remote access: `from` also holds for remote clients -------------------------------

REMOTE_USERS = [
    {"name": "local-admin", "role": "admin", "from": ["127.0.0.1/32"]},
    {"name": "remote-admin", "role": "admin", "from": ["127.0.0.2/32"]},
    {"name": "viewer", "role": "read-only"},
]


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory) -> Iterator[Server]:
    """Remote access on, no TLS (the tests connect from 127.0.0.2, which Orthanc calls remote)."""
    profile = {"network": {"remote_access": True}, "https": {"mode": "none"},
               "authentication": {"enabled": True, "users": REMOTE_USERS}}
    with serving(profile, tmp_path_factory.mktemp("remote")) as running:
        yield running


def test_user_limited_to_loopback_is_forbidden_from_a_remote_address(remote_server):
    assert remote_server.get("local-admin", source=REMOTE) == 403
    assert remote_server.get("local-admin", source=LOOPBACK) == 200


def test_user_limited_to_a_remote_address_is_forbidden_from_loopback(remote_server):
    assert remote_server.get("remote-admin", source=REMOTE) == 200
    assert remote_server.get("remote-admin", source=LOOPBACK) == 403


def test_user_without_networks_is_served_from_any_address(remote_server):
    assert remote_server.get("viewer", source=REMOTE) == 200
    assert remote_server.get("viewer", source=LOOPBACK) == 200


def test_remote_user_keeps_its_role(remote_server):
    # A remote read-only user is still read-only: no upload, no delete, no log level.
    viewer = remote_server.users["viewer"]
    for action in ("search", "upload", "delete", "change-log-level"):
        expected = 200 if action == "search" else 403
        assert remote_server.prober.perform(viewer, action, REMOTE) == expected, action


def test_remote_anonymous_request_is_unauthorized(remote_server):
    assert send(remote_server.url, "GET", "/system", source=REMOTE).status == 401


def test_forged_forwarded_for_is_ignored_without_a_reverse_proxy(remote_server):
    # https.mode none: no proxy of ours sets X-Forwarded-For, so whatever a client writes there
    # must not move it into another network, from either side.
    assert remote_server.get("local-admin", source=REMOTE, headers={"X-Forwarded-For": LOOPBACK}) == 403
    assert remote_server.get("remote-admin", source=LOOPBACK, headers={"X-Forwarded-For": REMOTE}) == 403


# --- passwords survive the round trip through the profile and orthanc.json ------------------------

# A backslash followed by "u" and four hex digits: json-five 1.1.2, our first reader, decoded
# the escaped backslash and then the \u0041 after it, silently changing such passwords.
BACKSLASH_PASSWORD = "pa\\u0041ss-\\x41"


def test_kept_password_with_a_backslash_is_not_changed_by_a_second_apply(tmp_path):
    user = {"name": "keeper", "role": "admin"}
    first = {"authentication": {"users": [{**user, "password": {"env": "KEEPER_PASSWORD"}}]}}
    out_dir = apply_profile(first, tmp_path / "first", env=clean_env(KEEPER_PASSWORD=BACKSLASH_PASSWORD))
    assert registered_users(out_dir)["keeper"] == BACKSLASH_PASSWORD
    kept = {"authentication": {"users": [{**user, "password": {"keep": True}}]}}
    apply(write_profile(tmp_path / "kept.jsonc", kept), out_dir)
    assert registered_users(out_dir)["keeper"] == BACKSLASH_PASSWORD


def test_literal_password_with_a_backslash_is_written_as_given(tmp_path):
    profile = {"authentication": {"users": [{"name": "literal", "role": "admin", "password": BACKSLASH_PASSWORD}]}}
    out_dir = apply_profile(profile, tmp_path)
    assert registered_users(out_dir)["literal"] == BACKSLASH_PASSWORD
