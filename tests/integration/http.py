"""A tiny HTTP client for Orthanc's REST API that returns error statuses instead of raising."""

from __future__ import annotations

import base64
import http.client
from urllib.parse import urlsplit

TIMEOUT = 10.0


def request(url: str, method: str = "GET", path: str = "/", user: str | None = None,
            password: str | None = None, body: bytes | str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Send one request to url + path and return (status, body); Basic auth when user is given."""
    parts = urlsplit(url)
    headers, body = prepared(user, password, body, headers)
    # http.client, not urllib: no proxy from the environment, no redirects, no raise on 4xx.
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(method, parts.path.rstrip("/") + path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def prepared(user: str | None, password: str | None, body: bytes | str | None,
             headers: dict[str, str] | None) -> tuple[dict[str, str], bytes | None]:
    """The headers (with Basic auth when user is given) and the body as bytes."""
    headers = dict(headers or {})
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    return headers, body.encode() if isinstance(body, str) else body
