"""Two modalities with one AET: what the real Orthanc 1.10.1 does, and the warning that says it.

orthanc-harden accepts such modalities (Orthanc starts with them) and warns. Every claim of the
warning is checked here with storescu calling from the source address of each modality: storescu
cannot bind one, so a small relay on 127.0.0.1 forwards its connection from the address chosen.
What Orthanc decided is read from storescu's output, the instance count and Orthanc's log.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from wizard import jsonc

from . import dicom
from .orthanc_server import free_port, running_orthanc
from .profiles import apply, send, users_of, with_ports, write_profile

SHARED = Path(__file__).resolve().parents[1] / "data" / "profiles" / "positive" / "modality-shared-aet.jsonc"
ADMIN = {"name": "admin", "role": "admin"}
ACCEPTED, REFUSED = "Received Store Response (Success)", "Calling AE Title Not Recognized"


@contextmanager
def relay(target_port: int, source: str) -> Iterator[int]:
    """A port on 127.0.0.1 whose connections reach 127.0.0.1:target_port from address `source`."""
    server = socket.create_server(("127.0.0.1", 0))

    def pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def serve() -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(("127.0.0.1", target_port), timeout=30, source_address=(source, 0))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(a, b), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def shared_profile(**dicom_answers) -> dict:
    profile = jsonc.loads(SHARED.read_text("utf-8"), str(SHARED))
    profile["authentication"] = {"users": [ADMIN]}
    profile["dicom"].update(dicom_answers)
    return profile


@contextmanager
def orthanc_for(profile: dict, folder: Path):
    """The profile applied (its warnings returned) and run on the real Orthanc."""
    profile = with_ports(profile, free_port(), free_port())
    done = apply(write_profile(folder / "profile.jsonc", profile), folder / "out")
    (admin,) = users_of(profile, folder / "out")
    with running_orthanc(folder / "out", folder) as orthanc:
        yield orthanc, admin, done.stdout + done.stderr


def store_from(orthanc, admin, source: str, aet: str, folder: Path) -> tuple[str, int]:
    """storescu's output and how many instances Orthanc gained, calling from `source`."""
    count = lambda: len(json.loads(send(orthanc.url, "GET", "/instances", **admin.credentials).body))  # noqa: E731
    before = count()
    path = dicom.make_dicom_file(folder / f"{source}-{before}.dcm", patient_id=f"SHARED{before}")
    with relay(orthanc.dicom_port, source) as port:
        result = dicom.store(port, aet, "ORTHANC", path)
    return result.output, count() - before


def verdict(output: str, gained: int) -> str:
    if ACCEPTED in output and gained == 1:
        return "stored"
    assert gained == 0, output
    return "refused" if REFUSED in output or "Store Failed" in output else output


def test_the_warning_names_both_modalities_and_only_the_first_by_name_may_connect(tmp_path):
    with orthanc_for(shared_profile(), tmp_path) as (orthanc, admin, said):
        assert ("modalities 'a' and 'b' share the AET 'CT': Orthanc accepts that AET only from 127.0.0.1, "
                "the host of 'a' (the first by name), and refuses 'b' (127.0.0.2)") in said, said
        got = {source: verdict(*store_from(orthanc, admin, source, aet, tmp_path))
               for source, aet in (("127.0.0.1", "CT"), ("127.0.0.2", "ct"), ("127.0.0.3", "CT"))}
        log = orthanc.log_text()
    assert got == {"127.0.0.1": "stored", "127.0.0.2": "refused", "127.0.0.3": "refused"}
    assert "Rejected association for remote AET ct on IP 127.0.0.2" in log, log
    assert "(127.0.0.1 was expected)" in log, log


def test_the_first_by_name_is_not_the_first_listed(tmp_path):
    profile = shared_profile()
    profile["dicom"]["modalities"][0]["name"] = "z"  # listed first, sorted last: 'b' (127.0.0.2) is first
    with orthanc_for(profile, tmp_path) as (orthanc, admin, said):
        assert "only from 127.0.0.2, the host of 'b' (the first by name), and refuses 'z' (127.0.0.1)" in said, said
        got = {source: verdict(*store_from(orthanc, admin, source, "CT", tmp_path))
               for source in ("127.0.0.1", "127.0.0.2")}
    assert got == {"127.0.0.1": "refused", "127.0.0.2": "stored"}


def test_with_an_always_allow_switch_any_machine_may_do_what_all_of_them_may(tmp_path):
    with orthanc_for(shared_profile(always_allow_echo=True), tmp_path) as (orthanc, admin, said):
        assert "Orthanc skips the host check for what all of them are allowed" in said, said
        got = {source: verdict(*store_from(orthanc, admin, source, "CT", tmp_path))
               for source in ("127.0.0.1", "127.0.0.2", "127.0.0.3")}
    assert got == dict.fromkeys(got, "stored")


@pytest.mark.parametrize("b_may_store", [False, True], ids=["b-echo-only", "b-stores-too"])
def test_without_the_host_check_each_may_do_only_what_all_of_them_may(tmp_path, b_may_store):
    profile = shared_profile(check_modality_host=False)
    profile["dicom"]["modalities"][1]["allow"] = ["echo", "store"] if b_may_store else ["echo"]
    with orthanc_for(profile, tmp_path) as (orthanc, admin, said):
        assert "Orthanc cannot tell them apart and lets each do only what all of them are allowed" in said, said
        got = {source: verdict(*store_from(orthanc, admin, source, "CT", tmp_path))
               for source in ("127.0.0.1", "127.0.0.2", "127.0.0.3")}
    assert got == dict.fromkeys(got, "stored" if b_may_store else "refused")
