"""Behind the proxy, X-Forwarded-For counts only beside the proxy's secret (issue 17, item 4).

On each real release: a local process that connects to Orthanc directly and names another address
in X-Forwarded-For, without the secret or with a wrong one, is 127.0.0.1 (a user limited to
127.0.0.7 is refused, one limited to 127.0.0.1 is served); with the secret the header counts. Then
the real nginx with the generated file: the users' networks work through it, and what reaches
Orthanc's port is nginx's secret and never a client's own copy of that header.
"""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from wizard.orthanc.proxy_secret import HEADER, OPTION

from .http import request
from .nginx import nginx_conf, nginx_test, running_nginx
from .orthanc_releases import Release
from .orthanc_server import free_port
from .profiles import LOOPBACK, REMOTE, apply_profile, make_certificate, send, users_of, with_ports

SERVER_NAME = "pacs.test"
CLAIMED = "127.0.0.7"


def proxied_profile(https_port: int, certificate: Path, key: Path) -> dict:
    return with_ports({
        "network": {"remote_access": True, "allowed_networks": ["127.0.0.0/8"]},
        "authentication": {"enabled": True, "users": [
            {"name": "claimed", "role": "admin", "from": [f"{CLAIMED}/32"]},
            {"name": "local", "role": "read-only", "from": ["127.0.0.1/32"]},
            {"name": "remote", "role": "read-only", "from": [f"{REMOTE}/32"]},
        ]},
        "https": {"mode": "reverse-proxy", "server_name": SERVER_NAME, "port": https_port,
                  "certificate": str(certificate), "private_key": str(key), "redirect_http": False},
    }, free_port(), free_port())


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("proxy-secret")
    certificate, key = make_certificate(folder / "tls", SERVER_NAME)
    profile = proxied_profile(free_port(), certificate, key)
    out_dir = apply_profile(profile, folder)
    secret = json.loads((out_dir / "orthanc.json").read_text())[OPTION]
    users = {user.name: user.credentials for user in users_of(profile, out_dir)}
    return {"folder": folder, "out": out_dir, "profile": profile, "secret": secret, "users": users}


@pytest.mark.parametrize("sent", [None, "", "wrong-secret-0123456789", "secret-minus-one"])
def test_a_local_process_naming_another_address_without_the_secret_is_127_0_0_1(written, start_orthanc,
                                                                                release: Release, sent):
    orthanc = start_orthanc(written["out"], release, graceful=False)
    users, secret = written["users"], written["secret"]
    proof = {} if sent is None else {HEADER: secret[:-1] if sent == "secret-minus-one" else sent}
    forged = {"X-Forwarded-For": CLAIMED, **proof}
    assert request(orthanc.url, "GET", "/system", headers=forged, **users["claimed"])[0] == 403
    assert request(orthanc.url, "GET", "/system", headers=forged, **users["local"])[0] == 200
    # The control: beside the secret (as nginx sends it) the same header counts.
    proxied = {"X-Forwarded-For": CLAIMED, HEADER: secret}
    assert request(orthanc.url, "GET", "/system", headers=proxied, **users["claimed"])[0] == 200
    assert request(orthanc.url, "GET", "/system", headers=proxied, **users["local"])[0] == 403


def test_the_nginx_file_holds_the_configuration_s_secret_for_root_only(written):
    nginx = written["out"] / "nginx-orthanc.conf"
    assert f"proxy_set_header {HEADER} {written['secret']};" in nginx.read_text()
    assert nginx.stat().st_mode & 0o077 == 0 and len(written["secret"]) == 24


def test_through_nginx_the_users_networks_still_work(written, tmp_path, start_orthanc):
    orthanc = start_orthanc(written["out"], graceful=False)
    https_port = written["profile"]["https"]["port"]
    conf = nginx_conf(tmp_path, written["out"])
    assert nginx_test(conf).returncode == 0
    users, url = written["users"], f"https://{LOOPBACK}:{https_port}"
    with running_nginx(conf, [https_port]):
        def through(name: str, source: str, headers: dict | None = None) -> int:
            return send(url, "GET", "/system", source=source, server_name=SERVER_NAME, headers=headers,
                        **users[name]).status
        assert through("remote", REMOTE) == 200 and through("remote", LOOPBACK) == 403
        assert through("local", LOOPBACK) == 200 and through("local", REMOTE) == 403
        # A client's own copy of the header changes nothing: nginx replaces it with its secret.
        assert through("remote", REMOTE, {HEADER: "wrong-secret-0123456789", "X-Forwarded-For": CLAIMED}) == 200
        assert through("claimed", REMOTE, {HEADER: written["secret"], "X-Forwarded-For": CLAIMED}) == 403
    assert orthanc.process.poll() is None


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Orthanc's port, held by a listener that keeps each request's headers (all copies)."""

    seen: list[list[tuple[str, str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append(list(self.headers.items()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_what_reaches_orthanc_is_nginx_s_secret_and_never_the_client_s(written, tmp_path):
    listener = http.server.ThreadingHTTPServer((LOOPBACK, written["profile"]["network"]["http_port"]), _Recorder)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    https_port = written["profile"]["https"]["port"]
    conf = nginx_conf(tmp_path, written["out"])
    try:
        with running_nginx(conf, [https_port]):
            for forged in ("wrong-secret-0123456789", written["secret"] + "x"):
                _Recorder.seen.clear()
                response = send(f"https://{LOOPBACK}:{https_port}", "GET", "/system", source=REMOTE,
                                server_name=SERVER_NAME, headers={HEADER: forged, "X-Forwarded-For": CLAIMED})
                assert response.status == 204
                (headers,) = _Recorder.seen
                copies = [value for name, value in headers if name.lower() == HEADER.lower()]
                forwarded = [value for name, value in headers if name.lower() == "x-forwarded-for"]
                assert copies == [written["secret"]] and forwarded == [REMOTE]
    finally:
        listener.shutdown()
        listener.server_close()
