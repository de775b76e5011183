"""The probe's scanner checks without a real Orthanc: the DIMSE bytes read back by pydicom, an
A-ASSOCIATE-AC's implementation, a stand-in SCP whose C-FIND has a match, a stand-in web server
answering CORS, and how each is judged (the real Orthanc: tests/integration/test_probe_scanners.py)."""

from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from pydicom.filereader import read_dataset

from wizard.audit import sarif
from wizard.probe import dicom, dimse, judge, look, pdu, rules, web
from wizard.probe.dicom import Association
from wizard.probe.rest import Answer, site
from wizard.probe.seen import Observed, Strangers

STRANGERS = Strangers("OHP-TEST", "OHQ-TEST", "OH-PROBE-NONE-TEST", "https://oh-probe-test.invalid")
LOCAL = site("http://127.0.0.1:8042")


def dataset(data: bytes):
    return read_dataset(BytesIO(data), True, True)


def test_the_c_find_asks_only_for_the_made_up_patient_id_at_patient_level():
    (command_control, command), (data_control, identifier) = dimse.find("OH-PROBE-NONE-1")
    assert (command_control, data_control) == (dimse.COMMAND | dimse.LAST, dimse.LAST)
    sent = dataset(command)
    assert (sent.CommandField, sent.AffectedSOPClassUID, sent.CommandDataSetType) == (0x20, dimse.PATIENT_ROOT_FIND, 0)
    asked = dataset(identifier)
    assert (asked.QueryRetrieveLevel, asked.PatientID) == ("PATIENT", "OH-PROBE-NONE-1")
    assert [element.keyword for element in asked] == ["QueryRetrieveLevel", "PatientID"]


def item(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", kind, 0, len(payload)) + payload


def accept(version_name: str, result: int = 0) -> bytes:
    """An A-ASSOCIATE-AC PDU accepting (or not) context 1 and naming its implementation."""
    user = item(0x50, item(0x51, struct.pack(">I", 16384)) + item(0x52, b"1.2.3.4") + item(0x55, version_name.encode()))
    body = (struct.pack(">HH", 1, 0) + b" " * 32 + b"\x00" * 32 + item(0x10, pdu.APPLICATION_CONTEXT.encode())
            + item(0x21, bytes([1, 0, result, 0]) + item(0x40, pdu.IMPLICIT_LITTLE.encode())) + user)
    return struct.pack(">BBI", 0x02, 0, len(body)) + body


def test_an_association_accept_names_the_implementation_and_the_context_s_result():
    assert pdu.accept_items(accept("OFFIS_DCMTK_367")[6:]) == (0, "OFFIS_DCMTK_367", "1.2.3.4")
    assert pdu.accept_items(accept("X", result=3)[6:])[0] == 3


@pytest.mark.parametrize("name, release, kit", [("ORTHANC_1.12.4", "1.12.4", None), ("OFFIS_DCMTK_367", None, "DCMTK 3.6.7"),
                                                ("OFFIS_DCMTK_370", None, "DCMTK 3.7.0"), ("PYNETDICOM_300", None, None)])
def test_only_a_version_name_that_names_an_orthanc_release_brings_release_rules(name, release, kit):
    assert (dicom.named_release(name), dicom.toolkit(name)) == (release, kit)


def response(status: int) -> tuple[int, bytes]:
    body = (struct.pack("<HHI", 0, 0x0100, 2) + struct.pack("<H", 0x8020) + struct.pack("<HHI", 0, 0x0900, 2)
            + struct.pack("<H", status))
    return dimse.COMMAND | dimse.LAST, struct.pack("<HHII", 0, 0, 4, len(body)) + body


def read_pdu(conn: socket.socket) -> bytes:
    kind, _, length = struct.unpack(">BBI", conn.recv(6, socket.MSG_WAITALL))
    return conn.recv(length, socket.MSG_WAITALL) if length else b""


def stand_in_scp(version_name: str) -> int:
    """A one-shot SCP that accepts, answers a C-FIND with one match then success, and names itself."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        conn, _ = server.accept()
        with conn, server:
            read_pdu(conn)
            conn.sendall(accept(version_name))
            read_pdu(conn)
            conn.sendall(dimse.pdata(1, [response(0xFF00), (dimse.LAST, b"a match nobody reads")]))
            conn.sendall(dimse.pdata(1, [response(0x0000)]))
            read_pdu(conn)
    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1]


def test_a_c_find_counts_pending_matches_unread_and_the_named_release_brings_its_fixes():
    port = stand_in_scp("ORTHANC_1.12.4")
    found = dicom.find("127.0.0.1", port, "OHP-TEST", "ORTHANC", "OH-PROBE-NONE-TEST")
    assert found == Association("success", "", "ORTHANC_1.12.4", "1.2.3.4", matches=1)
    seen = Observed(LOCAL, Answer(401), dicom=("127.0.0.1", port), stranger=Association("rejected", "calling AE title not recognized"),
                    find=found)
    assert look.version(seen) == "1.12.4"
    ids = {f.id for f in judge.findings(seen, look.version(seen))}
    assert {"OH-PROBE-011", "OH-PROBE-015", "OH-SVC-001"} <= ids


REJECTED_CALLED = Association("rejected", "called AE title not recognized")
REJECTED_CALLING = Association("rejected", "calling AE title not recognized")


def dicom_ids(**seen) -> set[str]:
    observed = Observed(LOCAL, Answer(None), dicom=("127.0.0.1", 4242), **seen)
    return {f.id for f in judge.findings(observed, None)}


def test_orthanc_s_rejection_reasons_give_away_the_default_aet_that_dicom_brute_guesses():
    hardened = dicom_ids(stranger=REJECTED_CALLING, any_called=REJECTED_CALLED, default_called=REJECTED_CALLING)
    assert hardened == {"OH-PROBE-010"}
    assert "OH-PROBE-010" not in dicom_ids(stranger=REJECTED_CALLING, any_called=REJECTED_CALLED,
                                           default_called=REJECTED_CALLED)  # the site chose its own AET


def test_any_aet_accepted_is_dicom_ping_s_finding_and_not_dicom_brute_s():
    echoed = Association("success", version_name="OFFIS_DCMTK_367", class_uid="1.2.276.0.7230010.3.0.3.6.7")
    ids = dicom_ids(stranger=echoed, any_called=echoed, default_called=echoed)
    assert {"OH-PROBE-006", "OH-PROBE-008", "OH-PROBE-015"} <= ids and "OH-PROBE-010" not in ids


@pytest.mark.parametrize("status, handled", [(200, True), (400, True), (401, False), (403, False), (404, False),
                                             (405, False), (502, False), (None, False)])
def test_an_empty_stow_rs_upload_is_open_only_when_it_got_past_the_login_and_the_filter(status, handled):
    assert web.handled(Answer(status)) is handled


class CorsAnswers(BaseHTTPRequestHandler):
    """Answers every request with the CORS headers of the class (None: echo the request's Origin)."""

    allow_origin: str | None = "*"
    credentials = True

    def _answer(self):
        self.send_response(401)
        self.send_header("Access-Control-Allow-Origin", self.allow_origin or self.headers.get("Origin", ""))
        if self.credentials:
            self.send_header("Access-Control-Allow-Credentials", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_OPTIONS = _answer

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("allow_origin, credentials, severity", [("*", True, "medium"), (None, True, "high"),
                                                                 ("*", False, None)])
def test_cors_with_credentials_is_found_on_the_answers_to_a_made_up_origin(allow_origin, credentials, severity):
    handler = type("Handler", (CorsAnswers,), {"allow_origin": allow_origin, "credentials": credentials})
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        seen = look.look(site(f"http://127.0.0.1:{server.server_address[1]}"), None, "ORTHANC", STRANGERS)
        server.shutdown()
    found = {f.id: f.severity for f in judge.findings(seen, None)}
    assert found.get("OH-PROBE-014") == severity


def test_every_probe_rule_s_sarif_help_names_the_scanner_check_it_matches():
    for rule in rules.RULES:
        assert rule.scanner and sarif._descriptor(rule)["help"]["text"].endswith(f"Scanners: {rule.scanner}.")


def test_the_readme_s_probe_table_names_each_rule_s_scanner_check():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = {line.split("|")[2].strip(" `"): line for line in readme.splitlines() if line.startswith("| ") and "`OH-PROBE-" in line}
    assert sorted(rows) == sorted(rule.id for rule in rules.RULES)
