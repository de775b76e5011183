"""An HTTP stranger: anonymous requests, the one well-known login, and what TLS the port offers."""

from __future__ import annotations

import base64
import http.client
import json
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT = 5.0
WELL_KNOWN = ("orthanc", "orthanc")  # the login Orthanc up to 1.12.8 creates when no user is registered


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer
    body: bytes = b""
    error: str = ""
    headers: dict = field(default_factory=dict)  # names in lower case


@dataclass(frozen=True)
class Site:
    scheme: str
    host: str
    port: int
    base: str  # the path prefix of the REST API ("" or "/orthanc")
    dicom_web: str = "/dicom-web"  # the DICOMweb plugin's Root under it (the plugin's default)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{self.base}"


def site(url: str) -> Site | None:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8042)
    except ValueError:
        return None
    return Site(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))


def get(where: Site, path: str, login: tuple[str, str] | None = None, verify: bool = False,
        headers: dict | None = None) -> Answer:
    """GET path, anonymously or with login; certificates are checked only when verify is asked."""
    return request(where, "GET", path, {"Accept": "application/json", **(headers or {})}, login=login, verify=verify)


def request(where: Site, method: str, path: str, headers: dict, body: bytes | None = None,
            login: tuple[str, str] | None = None, verify: bool = False) -> Answer:
    """One request; at most 1 MiB of the answer is read."""
    if login is not None:
        headers = {**headers, "Authorization": "Basic " + base64.b64encode(":".join(login).encode()).decode()}
    if where.scheme == "https":
        context = ssl.create_default_context() if verify else ssl._create_unverified_context()  # noqa: S323
        connection = http.client.HTTPSConnection(where.host, where.port, timeout=TIMEOUT, context=context)
    else:
        connection = http.client.HTTPConnection(where.host, where.port, timeout=TIMEOUT)
    try:
        connection.request(method, where.base + path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(1 << 20),
                      headers={name.lower(): value for name, value in response.getheaders()})
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, error=str(error) or type(error).__name__)
    finally:
        connection.close()


def version(answer: Answer) -> str | None:
    """The release in a readable GET /system."""
    if answer.status != 200:
        return None
    try:
        value = json.loads(answer.body).get("Version")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
