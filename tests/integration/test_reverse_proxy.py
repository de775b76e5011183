"""The generated nginx-orthanc.conf in front of the real Orthanc: TLS, and X-Forwarded-For that the
access filter can trust.

One Orthanc and one real nginx (with a minimal nginx.conf of our own that includes the generated
server block). Clients connect to 127.0.0.1 from 127.0.0.1 or from 127.0.0.2, which both nginx
and Orthanc see as a different, remote address. The redirect on port 80 is off here (this nginx
shares the host's ports): test_tls_scan.py runs it, in a network namespace of its own.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .nginx import nginx_conf, nginx_test, running_nginx
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import (
    LOOPBACK,
    REMOTE,
    Response,
    User,
    apply_profile,
    make_certificate,
    send,
    users_of,
    with_ports,
)

SERVER_NAME = "pacs.test"
# Outside the profile's allowed_networks: nginx itself must turn it away.
OUTSIDER = "127.0.0.3"


@dataclass
class Proxy:
    orthanc: OrthancProcess
    https_url: str
    certificate: Path
    users: dict[str, User]

    def through_proxy(self, name: str | None, source: str, path: str = "/system", method: str = "GET",
                      headers: dict[str, str] | None = None) -> Response:
        creds = self.users[name].credentials if name else {}
        return send(self.https_url, method, path, source=source, server_name=SERVER_NAME,
                    headers=headers, **creds)

    def direct(self, name: str, source: str) -> Response:
        return send(self.orthanc.url, "GET", "/system", source=source, **self.users[name].credentials)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[Proxy]:
    folder = tmp_path_factory.mktemp("reverse-proxy")
    # A folder name with a space, ';' and '#': the generated nginx file must quote it.
    certificate, key = make_certificate(folder / "tls files; #1", SERVER_NAME)
    https_port = free_port()
    profile = with_ports({
        "network": {"remote_access": True, "allowed_networks": ["127.0.0.1/32", "127.0.0.2/32"]},
        "authentication": {"enabled": True, "users": [
            {"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]},
            {"name": "viewer", "role": "read-only"},
            # Shows that the filter really reads the address nginx forwards.
            {"name": "remote-admin", "role": "admin", "from": ["127.0.0.2/32"]},
        ]},
        "https": {"mode": "reverse-proxy", "server_name": SERVER_NAME, "port": https_port,
                  "certificate": str(certificate), "private_key": str(key), "redirect_http": False},
    }, free_port(), free_port())
    out_dir = apply_profile(profile, folder)
    users = {user.name: user for user in users_of(profile, out_dir)}
    conf = nginx_conf(folder, out_dir)
    test = nginx_test(conf)
    assert test.returncode == 0, f"nginx -t refuses the generated configuration:\n{test.stderr}"
    with running_orthanc(out_dir, folder) as orthanc, running_nginx(conf, [https_port]):
        yield Proxy(orthanc, f"https://{LOOPBACK}:{https_port}", certificate, users)


def test_proxy_serves_tls_with_the_configured_certificate(proxy):
    response = proxy.through_proxy("viewer", LOOPBACK)
    expected = ssl.PEM_cert_to_DER_cert(proxy.certificate.read_text())
    assert response.status == 200 and response.peer_certificate == expected


def test_proxy_keeps_other_sites_from_framing_orthanc_and_hides_its_version(proxy):
    for response in (proxy.through_proxy("viewer", LOOPBACK, path="/app/explorer.html"),
                     proxy.through_proxy(None, LOOPBACK)):  # error replies too
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["server"] == "nginx"  # neither nginx's version nor Orthanc's


def test_proxy_sends_no_hsts_unless_asked(proxy):
    # A browser that saw HSTS with this self-signed certificate would refuse the site, no click-through.
    assert "strict-transport-security" not in proxy.through_proxy("viewer", LOOPBACK).headers


def test_anonymous_request_through_the_proxy_is_unauthorized(proxy):
    assert proxy.through_proxy(None, LOOPBACK).status == 401
    assert proxy.through_proxy(None, REMOTE).status == 401


def test_viewer_is_served_through_the_proxy_from_loopback(proxy):
    assert proxy.through_proxy("viewer", LOOPBACK).status == 200


def test_viewer_is_served_through_the_proxy_from_another_address(proxy):
    assert proxy.through_proxy("viewer", REMOTE).status == 200


def test_viewer_stays_read_only_through_the_proxy(proxy):
    assert proxy.through_proxy("viewer", REMOTE, "/tools/log-level", "PUT").status == 403
    assert proxy.through_proxy("viewer", REMOTE, "/patients/x", "DELETE").status == 403


def test_admin_limited_to_loopback_is_served_through_the_proxy_from_loopback(proxy):
    assert proxy.through_proxy("admin", LOOPBACK).status == 200


def test_admin_limited_to_loopback_is_forbidden_through_the_proxy_from_another_address(proxy):
    # nginx itself connects from 127.0.0.1: only its X-Forwarded-For tells the filter otherwise.
    assert proxy.through_proxy("admin", REMOTE).status == 403


@pytest.mark.parametrize("header", ["X-Forwarded-For", "x-forwarded-for"])
@pytest.mark.parametrize("forged", [LOOPBACK, f"{LOOPBACK}, {LOOPBACK}", f"{REMOTE}, {LOOPBACK}"])
def test_forged_forwarded_for_does_not_let_a_remote_admin_in(proxy, header, forged):
    # nginx overwrites the client's header with the address it saw.
    response = proxy.through_proxy("admin", REMOTE, headers={header: forged})
    assert response.status == 403


def test_admin_limited_to_a_remote_address_is_served_through_the_proxy_only_from_it(proxy):
    # Every proxied request reaches Orthanc from 127.0.0.1: only X-Forwarded-For tells them apart.
    assert proxy.through_proxy("remote-admin", REMOTE).status == 200
    assert proxy.through_proxy("remote-admin", LOOPBACK).status == 403


def test_client_forwarded_for_is_replaced_not_appended(proxy):
    # Appended ("10.9.9.9, 127.0.0.2"), the header would name no single address and lock this
    # legitimate remote admin out; replaced, it names the address nginx saw.
    response = proxy.through_proxy("remote-admin", REMOTE, headers={"X-Forwarded-For": "10.9.9.9"})
    assert response.status == 200


def test_forged_real_ip_header_does_not_let_a_remote_admin_in(proxy):
    response = proxy.through_proxy("admin", REMOTE, headers={"X-Real-IP": LOOPBACK, "Forwarded": "for=127.0.0.1"})
    assert response.status == 403


def test_client_outside_the_allowed_networks_is_refused_by_nginx(proxy):
    response = proxy.through_proxy("viewer", OUTSIDER)
    assert response.status == 403 and b"nginx" in response.body, response


@pytest.mark.parametrize("name", ["admin", "viewer"])
def test_direct_request_to_orthanc_from_another_address_is_unauthorized(proxy, name):
    # Orthanc serves loopback only behind the proxy.
    assert proxy.direct(name, REMOTE).status == 401


def test_direct_request_to_orthanc_from_loopback_counts_as_local(proxy):
    assert proxy.direct("admin", LOOPBACK).status == 200
