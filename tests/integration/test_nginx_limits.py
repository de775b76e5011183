"""The generated nginx file bounds the expensive requests (issue 17, item 5), judged by the real
nginx in front of the real Orthanc: 413 past the body limit, 429 past the rendering and zip rates
(after their bursts), 400 for a rendering of 10000 pixels or more, and what stays under the limits
still reaches Orthanc."""

from __future__ import annotations

import base64
import socket
import ssl
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from wizard.topics.https_nginx import MAX_BODY, MAX_UPLOAD

from .nginx import nginx_conf, nginx_test, running_nginx
from .orthanc_server import free_port, running_orthanc
from .profiles import LOOPBACK, REMOTE, Response, User, apply_profile, make_certificate, send, users_of, with_ports

SERVER_NAME = "pacs.test"
RENDER_BURST, ZIP_BURST = 100, 10  # the file's burst= values
RENDER_RATE, ZIP_RATE = 10, 0.5  # its rates, a second


@dataclass
class Limited:
    https_url: str
    viewer: User

    def get(self, path: str, source: str = LOOPBACK, headers: dict[str, str] | None = None) -> Response:
        return send(self.https_url, "GET", path, source=source, server_name=SERVER_NAME, headers=headers,
                    **self.viewer.credentials)


@pytest.fixture(scope="module")
def limited(tmp_path_factory) -> Iterator[Limited]:
    folder = tmp_path_factory.mktemp("nginx-limits")
    certificate, key = make_certificate(folder / "tls", SERVER_NAME)
    https_port = free_port()
    profile = with_ports({
        "network": {"remote_access": True, "allowed_networks": ["127.0.0.0/8"]},
        "authentication": {"enabled": True, "users": [{"name": "viewer", "role": "read-only"}]},
        "https": {"mode": "reverse-proxy", "server_name": SERVER_NAME, "port": https_port,
                  "certificate": str(certificate), "private_key": str(key), "redirect_http": False},
    }, free_port(), free_port())
    out_dir = apply_profile(profile, folder)
    conf = nginx_conf(folder, out_dir)
    test = nginx_test(conf)
    assert test.returncode == 0, f"nginx -t refuses the generated configuration:\n{test.stderr}"
    with running_orthanc(out_dir, folder), running_nginx(conf, [https_port]):
        yield Limited(f"https://{LOOPBACK}:{https_port}", users_of(profile, out_dir)[0])


def _bytes(size: str) -> int:
    return int(size[:-1]) * {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[size[-1]]


@pytest.mark.parametrize("path, limit", [("/instances", MAX_UPLOAD), ("/dicom-web/studies/1.2.3/", MAX_UPLOAD),
                                         ("/tools/find", MAX_BODY), ("/tools/create-dicom", MAX_BODY)])
def test_a_body_over_the_limit_gets_413_before_it_is_sent(limited, path, limit):
    # The length alone says it: nginx answers at the headers, and neither reads nor forwards a byte.
    over = send(limited.https_url, "POST", path, server_name=SERVER_NAME, source=LOOPBACK,
                headers={"Content-Length": str(_bytes(limit) + 1)}, **limited.viewer.credentials)
    assert over.status == 413
    under = send(limited.https_url, "POST", path, server_name=SERVER_NAME, source=LOOPBACK,
                 body=b"x" * (_bytes(MAX_BODY) + 1 if limit == MAX_UPLOAD else 1), **limited.viewer.credentials)
    # Through to Orthanc: its filter refuses a reader's upload (403), or it finds the body no JSON (400).
    assert under.status in (400, 403) and b"nginx" not in under.body


def flood(limited: Limited, path: str, source: str, count: int, at_once: int) -> tuple[list[int], float]:
    """count requests from source, at_once at a time (no more than the route's limit_conn: only the
    rate may refuse them); their statuses and the seconds taken."""
    start = time.monotonic()
    with ThreadPoolExecutor(at_once) as pool:
        statuses = list(pool.map(lambda _: limited.get(path, source).status, range(count)))
    return statuses, time.monotonic() - start


def test_renderings_past_the_burst_and_rate_get_429_per_client(limited):
    path = "/instances/x/rendered"
    statuses, seconds = flood(limited, path, REMOTE, 3 * RENDER_BURST, 4)
    served = [status for status in statuses if status != 429]
    # The burst, then 10 a second: whatever the machine's speed, no more got through.
    assert RENDER_BURST <= len(served) <= RENDER_BURST + RENDER_RATE * seconds + 1, (len(served), seconds)
    assert set(served) == {404}  # Orthanc's own answer: an unknown instance
    # Another client address has its own allowance, and the other routes are not limited.
    assert limited.get(path, LOOPBACK).status == 404
    assert limited.get("/system", REMOTE).status == 200


@pytest.mark.parametrize("path", ["/studies/x/archive", "/tools/create-archive", "/series/x/media/"])
def test_zips_past_their_burst_get_429(limited, path):
    source = {"/studies/x/archive": "127.0.0.3", "/tools/create-archive": "127.0.0.4"}.get(path, "127.0.0.5")
    statuses, seconds = flood(limited, path, source, 3 * ZIP_BURST, 1)
    served = [status for status in statuses if status != 429]
    assert ZIP_BURST <= len(served) <= ZIP_BURST + ZIP_RATE * seconds + 1, (len(served), seconds)


@pytest.mark.parametrize("query", ["width=10000", "height=30000", "width=64&height=000010000",
                                   "width=%31%30%30%30%30", "quality=90&width=12345"])
def test_a_rendering_of_ten_thousand_pixels_or_more_is_refused_by_nginx(limited, query):
    response = limited.get(f"/instances/x/preview?{query}", "127.0.0.6")
    assert response.status == 400 and b"nginx" in response.body


def test_a_rendering_a_screen_can_show_reaches_orthanc(limited):
    assert limited.get("/instances/x/frames/0/rendered?width=3840&height=2160", "127.0.0.7").status == 404


def held(limited: Limited, path: str, source: str) -> ssl.SSLSocket:
    """A POST whose headers are sent and whose body never comes: it holds its slot of limit_conn."""
    port = int(limited.https_url.rsplit(":", 1)[1])
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    raw = socket.create_connection((LOOPBACK, port), 10, (source, 0))
    tls = context.wrap_socket(raw, server_hostname=SERVER_NAME)
    token = base64.b64encode(f"{limited.viewer.name}:{limited.viewer.password}".encode()).decode()
    tls.sendall(f"POST {path} HTTP/1.1\r\nHost: {SERVER_NAME}\r\nAuthorization: Basic {token}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{".encode())
    return tls


@pytest.mark.parametrize("path, at_once", [("/tools/create-archive", 2), ("/instances/x/rendered", 4)])
def test_past_the_requests_a_client_may_have_at_once_the_next_gets_429(limited, path, at_once):
    source = "127.0.0.8" if at_once == 2 else "127.0.0.9"
    holding = [held(limited, path, source) for _ in range(at_once)]
    try:
        time.sleep(0.5)  # nginx has read their headers
        assert limited.get(path, source).status == 429
        assert limited.get(path, "127.0.0.10").status != 429  # another client is not held back
    finally:
        for connection in holding:
            connection.close()
    time.sleep(0.5)
    assert limited.get(path, source).status != 429  # slots given back
