"""What each modality may store, on the real releases: from 1.13.0 the generated
ReceivedCStoreInstanceFilter refuses a kind the calling AET may not store, and the modality is
told; on 1.12.7 the server's AcceptedSopClasses refuses other classes at negotiation, and a
per-modality `stores` is refused by apply. Stores are proven over REST (an admin looks the
instance up by its SOPInstanceUID), never by DCMTK's word alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest

from wizard import profile as profiles
from wizard.verify.dicom_plan import dicom_checks
from wizard.verify.dicom_run import send as verify_send

from . import dicom
from .dicom import make_dicom_file
from .orthanc_releases import RELEASES
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import User, apply, apply_profile, send, users_of, with_ports, write_profile

DATA = Path(__file__).resolve().parent / "data"
TEMPLATES = {"CT": DATA / "ct-image.dump", "MR": DATA / "mr-image.dump", "SC": dicom.DUMP_TEMPLATE}
RELEASE = {release.version: release for release in RELEASES}
STORED, KIND_REFUSED = "Received Store Response (Success)", "Received Store Response (Refused: SOPClassNotSupported)"
NO_CONTEXT = "No presentation context for: (MR) 1.2.840.10008.5.1.4.1.1.4"
CT_SCU = {"name": "ct", "aet": "CTSCU", "host": "127.0.0.1", "port": 104, "allow": ["echo", "store"]}
MR_SCU = {"name": "mr", "aet": "MRSCU", "host": "127.0.0.1", "port": 104, "allow": ["echo", "store"]}


def profile(version: str, modalities: list[dict], **dicom_answers) -> dict:
    return {"orthanc_version": version, "network": {"remote_access": False},
            "authentication": {"enabled": True, "users": [{"name": "admin", "role": "admin"}]},
            "dicom": {"enabled": True, "check_called_aet": True, "check_modality_host": True,
                      "modalities": modalities, **dicom_answers}}


@dataclass
class Server:
    orthanc: OrthancProcess
    admin: User
    folder: Path
    answers: dict
    files: int = 0

    def instances_with(self, sop_instance_uid: str) -> int:
        query = {"Level": "Instance", "Query": {"SOPInstanceUID": sop_instance_uid}}
        response = send(self.orthanc.url, "POST", "/tools/find", body=json.dumps(query), **self.admin.credentials)
        assert response.status == 200, response
        return len(json.loads(response.body))

    def store(self, calling_aet: str, kind: str) -> tuple[dicom.DicomResult, int]:
        """C-STORE a new instance of that kind (CT, MR, SC); returns DCMTK's result and how many
        instances with its SOPInstanceUID Orthanc then holds."""
        self.files += 1
        path = make_dicom_file(self.folder / f"{kind}-{self.files}.dcm", patient_id=f"KIND{self.files}",
                               template=TEMPLATES[kind])
        result = dicom.store(self.orthanc.dicom_port, calling_aet, "ORTHANC", path)
        return result, self.instances_with(pydicom.dcmread(path).SOPInstanceUID)


@pytest.fixture(scope="module")
def serve(tmp_path_factory) -> Iterator[Callable[[dict], Server]]:
    """serve(profile) applies it and runs its release's Orthanc on the output until the module ends."""
    with ExitStack() as stack:
        def start(answers: dict) -> Server:
            folder = tmp_path_factory.mktemp(f"kinds-{answers['orthanc_version']}")
            answers = with_ports(answers, free_port(), free_port())
            out_dir = apply_profile(answers, folder)
            (admin,) = users_of(answers, out_dir)
            release = RELEASE[answers["orthanc_version"]]
            orthanc = stack.enter_context(running_orthanc(out_dir, folder, release=release))
            return Server(orthanc, admin, folder, profiles.effective(answers))
        yield start


@pytest.fixture(scope="module")
def kinds_1_13(serve) -> Server:
    return serve(profile("1.13.0", [{**CT_SCU, "stores": ["CT"]},
                                    {**MR_SCU, "stores": ["MR", "SecondaryCaptureImageStorage"]}]))


def test_on_1_13_0_a_modality_allowed_ct_stores_a_ct_image_and_is_told_no_for_an_mr_image(kinds_1_13):
    result, held = kinds_1_13.store("CTSCU", "CT")
    assert result.ok and STORED in result.output and held == 1, result.output
    result, held = kinds_1_13.store("CTSCU", "MR")
    assert KIND_REFUSED in result.output and STORED not in result.output and not result.ok, result.output
    assert held == 0


def test_on_1_13_0_a_modality_allowed_mr_gets_the_opposite_and_its_class_by_name(kinds_1_13):
    result, held = kinds_1_13.store("MRSCU", "MR")
    assert result.ok and held == 1, result.output
    result, held = kinds_1_13.store("MRSCU", "SC")  # SecondaryCaptureImageStorage: matched by SOP class
    assert result.ok and held == 1, result.output
    result, held = kinds_1_13.store("MRSCU", "CT")
    assert KIND_REFUSED in result.output and held == 0, result.output
    result, held = kinds_1_13.store("CTSCU", "SC")
    assert KIND_REFUSED in result.output and held == 0, result.output


def test_on_1_13_0_the_aet_is_compared_without_case_as_orthanc_does(kinds_1_13):
    result, held = kinds_1_13.store("mrscu", "CT")
    assert KIND_REFUSED in result.output and held == 0, result.output
    result, held = kinds_1_13.store("mrscu", "MR")
    assert result.ok and held == 1, result.output


def test_on_1_13_0_an_unknown_aet_is_still_rejected_at_association(kinds_1_13):
    result, held = kinds_1_13.store("STRANGER", "CT")
    assert "Association Rejected" in result.output and "Calling AE Title Not Recognized" in result.output, result.output
    assert not result.ok and held == 0


def test_on_1_12_7_the_accepted_list_refuses_another_class_at_negotiation_and_takes_one_inside(serve):
    server = serve(profile("1.12.7", [CT_SCU], accepted_sop_classes=["CTImageStorage"]))
    result, held = server.store("CTSCU", "CT")
    assert result.ok and held == 1, result.output
    result, held = server.store("CTSCU", "MR")
    assert NO_CONTEXT in result.output and "DIMSE No valid Presentation Context ID" in result.output, result.output
    assert "Sending Store Request" not in result.output and not result.ok and held == 0


def verify_store_rows(server: Server) -> list[tuple[str, str, str]]:
    """verify's C-STORE rows (a Secondary Capture each): (who, expected, what the real Orthanc did)."""
    rows = [check for check in dicom_checks(server.answers) if check.what == "C-STORE"]
    assert rows
    return [(c.who, c.expected, verify_send(c.request, server.orthanc.dicom_port, None)[0]) for c in rows]


def test_verify_expects_of_each_store_what_the_real_1_13_0_and_1_12_7_do_with_the_kinds(kinds_1_13, serve):
    rows = verify_store_rows(kinds_1_13)
    assert [(who.split(" ")[0], expected) for who, expected, _ in rows] == \
        [("unknown", "refused"), ("ct", "refused"), ("mr", "success")]  # a Secondary Capture: only mr may
    server = serve(profile("1.12.7", [CT_SCU], accepted_sop_classes=["CTImageStorage"]))
    rows += verify_store_rows(server)
    assert [expected for _, expected, _ in rows[3:]] == ["refused", "refused"]  # no context for it at all
    assert [(who, expected) for who, expected, got in rows if got != expected] == []


def test_on_1_12_7_a_per_modality_stores_is_refused_by_apply_with_the_reason_and_the_release(tmp_path):
    answers = with_ports(profile("1.12.7", [{**CT_SCU, "stores": ["CT"]}]), free_port(), free_port())
    path = write_profile(tmp_path / "profile.jsonc", answers)
    done = apply(path, tmp_path / "out", check=False)
    assert done.returncode == 2 and not (tmp_path / "out").exists(), done.stdout + done.stderr
    assert done.stderr.startswith(f"{path}: $.dicom.modalities[0].stores: Orthanc 1.12.7 cannot refuse a kind of image "
                                  "to one modality"), done.stderr
    assert "silent data loss" in done.stderr and "Orthanc 1.13.0 refuses with a status the modality is told" in done.stderr
    assert "dicom.accepted_sop_classes restricts the SOP classes of the whole server" in done.stderr
