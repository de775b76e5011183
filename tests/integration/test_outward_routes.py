"""Nothing below admin makes Orthanc contact another system (issue 17, item 3): a reader's or an
uploader's GET /peers/{id}/system is refused by the generated filter and no connection reaches the
peer, on the real 1.10.1, 1.12.7 and 1.13.0; the admin's same request does reach it, so the peer
was reachable and the refusal is the filter's."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from .orthanc_server import free_port
from .profiles import apply_profile, send, users_of, with_ports

PEER_ADDRESS = "127.0.0.9"
ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n"
          b"\r\n{}")


class Listener:
    """A TCP server on the peer's address that counts the connections it gets and answers {}."""

    def __init__(self, address: str):
        self.socket = socket.create_server((address, free_port()))
        self.socket.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()
        return f"http://{host}:{port}/"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with connection:
                connection.settimeout(2)
                try:
                    connection.recv(65536)
                    connection.sendall(ANSWER)
                except OSError:
                    pass


@contextmanager
def listening(address: str) -> Iterator[Listener]:
    listener = Listener(address)
    listener._thread.start()
    try:
        yield listener
    finally:
        listener._stop.set()
        listener._thread.join()
        listener.socket.close()


USERS = [{"name": "admin", "role": "admin"}, {"name": "reader", "role": "read-only"},
         {"name": "uploader", "role": "uploader"}]
# GETs of Orthanc's that reach a peer or a modality, or show where one is; none of them is a reader's.
OUTWARD_GETS = ("/peers/peer/system", "/peers/peer/configuration", "/modalities/pacs/configuration")


@pytest.fixture
def peer_server(tmp_path, start_orthanc, release):
    """(Orthanc of `release` with one peer on PEER_ADDRESS and one modality, its users, the peer)."""
    with listening(PEER_ADDRESS) as peer:
        profile = with_ports({"network": {"remote_access": False}, "https": {"mode": "none"},
                              "authentication": {"enabled": True, "users": USERS},
                              "outgoing": {"peers": [{"name": "peer", "url": peer.url}]},
                              "dicom": {"modalities": [{"name": "pacs", "aet": "PACS", "host": PEER_ADDRESS,
                                                        "port": free_port(), "allow": ["echo"]}]}},
                             free_port(), free_port())
        out_dir = apply_profile(profile, tmp_path / "apply", "--orthanc-version", release.version)
        orthanc = start_orthanc(out_dir, release, graceful=False)
        yield orthanc, {user.name: user for user in users_of(profile, out_dir)}, peer


@pytest.mark.parametrize("name", ["reader", "uploader"])
def test_below_admin_nobody_makes_orthanc_call_a_peer_and_no_connection_reaches_it(peer_server, name):
    orthanc, users, peer = peer_server
    statuses = {path: send(orthanc.url, "GET", path, **users[name].credentials).status for path in OUTWARD_GETS}
    statuses["POST /modalities/pacs/echo"] = send(orthanc.url, "POST", "/modalities/pacs/echo", body="{}",
                                                  **users[name].credentials).status
    assert set(statuses.values()) == {403}, statuses
    assert peer.connections == 0
    # The lists stay readable: a reader still sees which peers and modalities there are.
    assert send(orthanc.url, "GET", "/peers", **users[name].credentials).status == 200
    assert send(orthanc.url, "GET", "/modalities", **users[name].credentials).status == 200


def test_the_admins_same_request_reaches_the_peer(peer_server):
    orthanc, users, peer = peer_server
    answer = send(orthanc.url, "GET", "/peers/peer/system", **users["admin"].credentials)
    assert answer.status == 200 and answer.body.strip() == b"{}", answer
    assert peer.connections == 1
