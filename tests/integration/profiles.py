"""Build profiles, apply them with the real command line, and probe what each user may do.

Used by the integration tests that run the generated configuration on the real Orthanc
(test_presets, test_roles, test_dicom_permissions, test_reverse_proxy).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from wizard import jsonc

from .dicom import make_dicom_file
from .http import prepared

REPOSITORY = Path(__file__).resolve().parents[2]
PRESETS_DIR = REPOSITORY / "presets"
CLI_TIMEOUT = 60.0
HTTP_TIMEOUT = 10.0
# The Orthanc that the integration tests run (Debian 12's package).
TESTED_ORTHANC = "1.10.1"
LOOPBACK = "127.0.0.1"
# Orthanc treats every address but exactly 127.0.0.1 as remote; the whole 127/8 is local to us.
REMOTE = "127.0.0.2"
FIND_BODY = json.dumps({"Level": "Study", "Query": {}})


# --- profiles and the command line -------------------------------------------------------

def preset_names() -> list[str]:
    """Every preset file shipped in presets/, so that a new one is tested without a change here."""
    return sorted(path.stem for path in PRESETS_DIR.glob("*.json"))


# The answer a site gives for a preset with a TLS proxy (a preset holds no site name).
SERVER_NAME = "pacs.test"


def load_preset(name: str) -> dict:
    """presets/NAME.json as a dict (the files are JSON with comments), with the proxy's server
    name a site must give (--set https.server_name=...) when it has one."""
    profile = jsonc.loads((PRESETS_DIR / f"{name}.json").read_text("utf-8"), name)
    if profile.get("https", {}).get("mode") == "reverse-proxy":
        profile["https"]["server_name"] = SERVER_NAME
    return profile


def with_ports(profile: dict, http_port: int, dicom_port: int) -> dict:
    """A copy of profile whose REST and DICOM ports are the given ones."""
    copy = json.loads(json.dumps(profile))
    copy.setdefault("network", {})["http_port"] = http_port
    copy.setdefault("dicom", {})["port"] = dicom_port
    return copy


def write_profile(path: Path, profile: dict) -> Path:
    path.write_text(json.dumps(profile, indent=2) + "\n", "utf-8")
    return path


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def clean_env(**extra: str) -> dict[str, str]:
    """Nothing of the caller's environment but PATH and HOME, plus extra."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`orthanc-harden ARGS` through the real entry point (python -m wizard), output captured."""
    return subprocess.run([sys.executable, "-m", "wizard", *args], check=False, cwd=cwd, env=env or clean_env(),
                          capture_output=True, text=True, timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)


def apply(profile_path: Path, out_dir: Path, *extra: str, env: dict[str, str] | None = None,
          check: bool = True) -> subprocess.CompletedProcess:
    """`orthanc-harden apply --preset PROFILE --out DIR EXTRA`; with check, exit 0 is asserted."""
    done = run_cli("apply", "--preset", str(profile_path), "--out", str(out_dir), *extra,
                   cwd=profile_path.parent, env=env)
    if check:
        assert done.returncode == 0, (f"apply exited {done.returncode}\nstdout:\n{done.stdout}"
                                      f"\nstderr:\n{done.stderr}")
    return done


def apply_profile(profile: dict, folder: Path, *extra: str, env: dict[str, str] | None = None) -> Path:
    """Write profile as folder/profile.jsonc, apply it to folder/out and return folder/out."""
    folder.mkdir(parents=True, exist_ok=True)
    out_dir = folder / "out"
    apply(write_profile(folder / "profile.jsonc", profile), out_dir, *extra, env=env)
    return out_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of folder (recursively) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def registered_users(out_dir: Path) -> dict[str, str]:
    """RegisteredUsers of the generated orthanc.json (which must be strict JSON)."""
    return json.loads((out_dir / "orthanc.json").read_text("utf-8"))["RegisteredUsers"]


# --- certificates ----------------------------------------------------------------------------

def require_tool(name: str) -> str:
    """The path of a tool the tests need; a missing one fails the test, never skips it."""
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"{name} not found on PATH: install it (scripts/test.sh does)")
    return path


def make_certificate(folder: Path, common_name: str) -> tuple[Path, Path]:
    """A self-signed certificate and its unencrypted private key (PEM), valid for two days."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / f"{common_name}.crt", folder / f"{common_name}.key"
    done = subprocess.run(
        [require_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={common_name}",
         "-addext", f"subjectAltName=DNS:{common_name},IP:127.0.0.1"],
        check=False, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"openssl failed:\n{done.stderr}"
    return cert, key


# --- HTTP from a chosen source address --------------------------------------------------------

class _TlsConnection(http.client.HTTPSConnection):
    """HTTPS to connect_host while sending server_name as SNI and Host; no verification."""

    def __init__(self, server_name: str, port: int, connect_host: str, source: str):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        super().__init__(server_name, port, timeout=HTTP_TIMEOUT, context=context,
                         source_address=(source, 0))
        self._connect_host = connect_host
        self.peer_certificate: bytes | None = None

    def connect(self) -> None:
        raw = socket.create_connection((self._connect_host, self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
        self.peer_certificate = self.sock.getpeercert(binary_form=True)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    peer_certificate: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


def send(url: str, method: str = "GET", path: str = "/", *, source: str = LOOPBACK,
         user: str | None = None, password: str | None = None, body: bytes | str | None = None,
         headers: dict[str, str] | None = None, server_name: str | None = None) -> Response:
    """One request to url + path from the source address; https:// URLs skip verification and
    send server_name (default: the URL's host) as SNI and Host."""
    parts = urlsplit(url)
    headers, body = prepared(user, password, body, headers)
    if parts.scheme == "https":
        connection = _TlsConnection(server_name or parts.hostname, parts.port, parts.hostname, source)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=HTTP_TIMEOUT,
                                                source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.read(), getattr(connection, "peer_certificate", None),
                        {name.lower(): value for name, value in response.getheaders()})
    finally:
        connection.close()


# --- what each role may do, checked on a running Orthanc ------------------------------------

@dataclass(frozen=True)
class User:
    """A user of a profile with the password that apply wrote for it."""

    name: str
    role: str
    password: str
    networks: tuple[str, ...] = ()

    def allowed_from(self, address: str) -> bool:
        ip = ipaddress.IPv4Address(address)
        return not self.networks or any(ip in ipaddress.IPv4Network(n) for n in self.networks)

    @property
    def credentials(self) -> dict[str, str]:
        return {"user": self.name, "password": self.password}


def users_of(profile: dict, out_dir: Path) -> list[User]:
    """The profile's users, each with its password from the generated orthanc.json."""
    passwords = registered_users(out_dir)
    return [User(u["name"], u["role"], passwords[u["name"]], tuple(u.get("from", ())))
            for u in profile.get("authentication", {}).get("users", [])]


# The statuses each role gets from Orthanc 1.10.1 with the generated filter, per action.
# Export and modality changes are admin-only by design; Orthanc itself refuses the export
# to admins too, since RestApiWriteToFileSystemEnabled is false (so it is not probed for them).
ACTIONS = ("read", "search", "search-trailing-slash", "upload", "delete", "delete-by-method-override",
           "change-log-level", "execute-script", "export", "add-modality")


def expected_status(role: str, action: str, execute_lua: bool = False, search: bool = True) -> int | None:
    """What role should get for action; None when the action is not probed for that role. search:
    the profile's authentication.search_and_zips (below admin, POST /tools/find only with it)."""
    admin = role == "admin"
    if action == "read":
        return 200
    if action in ("search", "search-trailing-slash"):
        return 200 if admin or search else 403
    if action == "upload":
        return 200 if role in ("uploader", "admin") else 403
    if action in ("delete", "delete-by-method-override", "change-log-level"):
        return 200 if admin else 403
    if action == "execute-script":
        return 200 if admin and execute_lua else 403
    if action in ("export", "add-modality"):
        return None if admin else 403
    raise ValueError(action)


@dataclass
class Prober:
    """Performs the actions of ACTIONS as one user and reports the status each got.

    keeper is a user allowed to upload and delete from 127.0.0.1: it creates the patients
    that deletions aim at and checks afterwards whether they are still there.
    """

    url: str
    keeper: User
    work_dir: Path
    _count: int = field(default=0)

    def fresh_file(self) -> Path:
        self._count += 1
        return make_dicom_file(self.work_dir / f"probe-{self._count}.dcm",
                               patient_id=f"PROBE{os.getpid()}-{self._count}")

    def upload(self, user: User, source: str = LOOPBACK) -> Response:
        return send(self.url, "POST", "/instances", source=source, body=self.fresh_file().read_bytes(),
                    **user.credentials)

    def stored_patient(self) -> tuple[str, str]:
        """(patient id, instance id) of a fresh instance uploaded by the keeper."""
        response = self.upload(self.keeper)
        assert response.status == 200, f"the keeper {self.keeper.name} cannot upload: {response}"
        answer = json.loads(response.body)
        return answer["ParentPatient"], answer["ID"]

    def patient_exists(self, patient: str) -> bool:
        status = send(self.url, "GET", f"/patients/{patient}", **self.keeper.credentials).status
        assert status in (200, 404), status
        return status == 200

    def perform(self, user: User, action: str, source: str = LOOPBACK) -> int:
        """The status user gets for action; also asserts the side effect matches that status."""
        creds = user.credentials
        if action == "read":
            return send(self.url, "GET", "/system", source=source, **creds).status
        if action == "search":
            return send(self.url, "POST", "/tools/find", source=source, body=FIND_BODY, **creds).status
        if action == "search-trailing-slash":
            return send(self.url, "POST", "/tools/find/", source=source, body=FIND_BODY, **creds).status
        if action == "upload":
            return self.upload(user, source).status
        if action in ("delete", "delete-by-method-override"):
            patient, _ = self.stored_patient()
            if action == "delete":
                status = send(self.url, "DELETE", f"/patients/{patient}", source=source, **creds).status
            else:
                status = send(self.url, "POST", f"/patients/{patient}", source=source, **creds,
                              headers={"X-HTTP-Method-Override": "DELETE"}).status
            assert self.patient_exists(patient) == (status != 200), \
                f"{action} by {user.name} answered {status} but the patient exists: {self.patient_exists(patient)}"
            return status
        if action == "change-log-level":
            return send(self.url, "PUT", "/tools/log-level", source=source, body="default", **creds).status
        if action == "execute-script":
            response = send(self.url, "POST", "/tools/execute-script", source=source, body="print(1)", **creds)
            if response.status == 200:
                assert response.body.strip() == b"1", response.body
            return response.status
        if action == "export":
            _, instance = self.stored_patient()
            target = self.work_dir / f"exported-by-{user.name}-{self._count}.dcm"
            status = send(self.url, "POST", f"/instances/{instance}/export", source=source,
                          body=str(target), **creds).status
            assert target.exists() == (status == 200), f"export answered {status}, file exists: {target.exists()}"
            return status
        if action == "add-modality":
            body = json.dumps({"AET": "INTRUDER", "Host": "127.0.0.1", "Port": 104})
            return send(self.url, "PUT", f"/modalities/intruder-{user.name}", source=source, body=body,
                        **creds).status
        raise ValueError(action)


def find_keeper(users: list[User]) -> User:
    """An admin that may connect from 127.0.0.1."""
    for user in users:
        if user.role == "admin" and user.allowed_from(LOOPBACK):
            return user
    raise AssertionError("the profile has no admin allowed from 127.0.0.1 to prepare the probes")


def role_mismatches(prober: Prober, user: User, execute_lua: bool = False,
                    source: str = LOOPBACK, search: bool = True) -> list[str]:
    """Every action where user does not get exactly what its role (and its networks) allow."""
    mismatches = []
    for action in ACTIONS:
        expected = expected_status(user.role, action, execute_lua, search)
        if not user.allowed_from(source):
            expected = 403  # outside its networks, a user gets nothing at all
        if expected is None:
            continue
        got = prober.perform(user, action, source)
        if got != expected:
            mismatches.append(f"{user.name} ({user.role}) {action}: expected {expected}, got {got}")
    return mismatches
