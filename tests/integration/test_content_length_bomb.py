"""CVE-2026-5440 on the real releases, as advisories.py says it: before 1.12.11 Orthanc reserves the
Content-Length a request announces before reading the body (a 100-byte request claiming 1 GiB
costs it about 1 GiB), 1.13.0 does not; in front of it, nginx's client_max_body_size answers 413
without Orthanc moving, and nginx's request buffering (its default) keeps a lie under the limit
from reaching Orthanc at all."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from .nginx import running_nginx
from .orthanc_server import free_port, running_orthanc

CLAIM = 1024 ** 3  # announced, never sent
FIXED = {"1.10.1": False, "1.12.7": False, "1.13.0": True}  # advisories.py: 1.12.11 fixed it
WAIT = 10.0  # seconds for Orthanc to reserve (the 2 shared cores make it slow)


def resident_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    raise AssertionError(f"no VmRSS for {pid}")


def orthanc_pid(port: int) -> int:
    """The process listening on port (a chrooted Orthanc is not our child)."""
    for inode_line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = inode_line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
            inode = fields[9]
            break
    else:
        raise AssertionError(f"nothing listens on {port}")
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if fd.readlink().name == f"socket:[{inode}]":
                return int(fd.parts[2])
        except OSError:
            continue
    raise AssertionError(f"no process holds port {port}")


def claim(port: int, length: int) -> tuple[socket.socket, str]:
    """A POST /instances announcing `length` bytes and sending 100; the status line, if any came."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"POST /instances HTTP/1.1\r\nHost: pacs\r\nContent-Type: application/dicom\r\n"
                 f"Content-Length: {length}\r\n\r\n".encode() + b"x" * 100)
    sock.settimeout(1.0)
    try:
        return sock, sock.recv(200).decode(errors="replace").split("\r\n")[0]
    except socket.timeout:
        return sock, ""


def grown_mb(pid: int, before: int) -> int:
    """How far Orthanc's memory rose within WAIT (stops early past half the claim)."""
    deadline, grown = time.monotonic() + WAIT, 0
    while time.monotonic() < deadline and grown < CLAIM // 2 ** 21:
        grown = max(grown, resident_mb(pid) - before)
        time.sleep(0.2)
    return grown


@pytest.fixture
def orthanc(tmp_path, release):
    folder = tmp_path / "config"
    folder.mkdir()
    port = free_port()
    (folder / "orthanc.json").write_text(json.dumps({
        "HttpPort": port, "DicomPort": free_port(), "RemoteAccessAllowed": False, "AuthenticationEnabled": False}))
    with running_orthanc(folder, tmp_path, graceful=False, release=release) as running:
        yield running, orthanc_pid(port), release.version


def test_a_lying_content_length_costs_orthanc_the_memory_it_claims_until_1_12_11(orthanc):
    running, pid, version = orthanc
    before = resident_mb(pid)
    sock, _ = claim(running.http_port, CLAIM)
    try:
        grown = grown_mb(pid, before)
    finally:
        sock.close()
    if FIXED[version]:
        assert grown < 100, (version, grown)
    else:
        assert grown >= CLAIM // 2 ** 21, (version, grown)  # half the claim, at least, for 100 bytes sent


def test_nginx_refuses_a_claim_over_its_limit_and_holds_a_lie_under_it(orthanc, tmp_path):
    running, pid, version = orthanc
    port, folder = free_port(), tmp_path / "nginx"
    folder.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(f"""pid {folder / 'nginx.pid'};
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder / 'body'};
    proxy_temp_path {folder / 'proxy'};
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64m;
        location / {{ proxy_pass http://127.0.0.1:{running.http_port}; }}
    }}
}}
""")
    with running_nginx(conf, [port]):
        before = resident_mb(pid)
        over, status = claim(port, CLAIM)
        over.close()
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        under, status = claim(port, 32 * 1024 ** 2)  # under the limit: nginx waits for the body
        try:
            time.sleep(3)
            assert status == "" and resident_mb(pid) - before < 20, version
        finally:
            under.close()
