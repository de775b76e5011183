"""A real Orthanc with the DICOMweb plugin, the generated filter and one user per role, for the
tests that judge the roles through real clients (tests/integration/test_clients*.py).

One instance is stored before the clients come (by the admin, through POST /instances); what
each client may do is then asked by the client itself, as its users would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pydicom

from .dicom import make_dicom_file
from .orthanc_releases import HOST, Release
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import User, apply_profile, send, users_of, with_ports

# One user per role; the names say the role.
ROLE_USERS = [{"name": "reader", "role": "read-only"}, {"name": "uploader", "role": "uploader"},
              {"name": "admin", "role": "admin"}]
ROLES = ("read-only", "uploader", "admin")
NON_ADMIN_ROLES = ("read-only", "uploader")
PLUGINS = "/usr/share/orthanc/plugins"  # Debian's folder; orthanc-dicomweb installs its library there


@dataclass(frozen=True)
class Stored:
    """One stored instance: Orthanc's IDs of it and of its parents, and its DICOM UIDs."""

    patient: str
    study: str
    series: str
    instance: str
    patient_id: str
    study_uid: str
    series_uid: str
    sop_uid: str


@dataclass
class ClientServer:
    """The running Orthanc, its users by role, the stored instance and a folder for files."""

    orthanc: OrthancProcess
    users: dict[str, User]
    work_dir: Path
    stored: Stored = field(init=False)  # set by serving_clients once Orthanc is up
    _count: int = 0

    @property
    def url(self) -> str:
        return self.orthanc.url

    def user(self, role: str) -> User:
        return self.users[role]

    def fresh_file(self, study_uid: str | None = None) -> Path:
        """A new instance file of a new patient (or of the study study_uid), not stored yet."""
        self._count += 1
        return make_dicom_file(self.work_dir / f"fresh-{self._count}.dcm", patient_id=f"CLIENTS{self._count}",
                               study_instance_uid=study_uid)

    def as_admin(self, method: str, path: str, body: bytes | str | None = None):
        return send(self.url, method, path, body=body, **self.users["admin"].credentials)

    def instance_exists(self, sop_uid: str) -> bool:
        """Whether Orthanc holds an instance of that SOP Instance UID (asked as the admin)."""
        body = json.dumps({"Level": "Instance", "Query": {"SOPInstanceUID": sop_uid}})
        response = self.as_admin("POST", "/tools/find", body)
        assert response.status == 200, response
        return bool(json.loads(response.body))

    def resource_exists(self, path: str) -> bool:
        status = self.as_admin("GET", path).status
        assert status in (200, 404), (path, status)
        return status == 200


def profile(search_and_zips: bool | None = None) -> dict:
    """One user per role; search_and_zips None: the default (on, as Orthanc Explorer is)."""
    authentication = {"enabled": True, "users": ROLE_USERS}
    if search_and_zips is not None:
        authentication["search_and_zips"] = search_and_zips
    return {"network": {"remote_access": False}, "https": {"mode": "none"}, "authentication": authentication}


@contextmanager
def serving_clients(folder: Path, release: Release = HOST, search_and_zips: bool | None = None) -> Iterator[ClientServer]:
    """Apply the profile with free ports, run `release` on the output, check that the DICOMweb
    plugin is loaded and store one instance."""
    configured = with_ports(profile(search_and_zips), free_port(), free_port())
    out_dir = apply_profile(configured, folder)
    plugins = json.loads((out_dir / "orthanc.json").read_text("utf-8")).get("Plugins")
    assert plugins == [PLUGINS], f"the generated configuration lists {plugins}, not Debian's plugin folder"
    by_role = {user.role: user for user in users_of(configured, out_dir)}
    with running_orthanc(out_dir, folder, release=release) as orthanc:
        server = ClientServer(orthanc, by_role, folder)
        loaded = json.loads(server.as_admin("GET", "/plugins").body)
        assert "dicom-web" in loaded, (f"Orthanc {release} loaded {loaded} from {PLUGINS}: install Debian's "
                                       "orthanc-dicomweb (scripts/test.sh does)")
        server.stored = store_one(server)
        yield server


def store_one(server: ClientServer) -> Stored:
    """Store a fresh instance as the admin and return where Orthanc put it."""
    path = server.fresh_file()
    response = server.as_admin("POST", "/instances", path.read_bytes())
    assert response.status == 200, response
    answer = json.loads(response.body)
    dataset = pydicom.dcmread(path)
    return Stored(answer["ParentPatient"], answer["ParentStudy"], answer["ParentSeries"], answer["ID"],
                  str(dataset.PatientID), str(dataset.StudyInstanceUID), str(dataset.SeriesInstanceUID),
                  str(dataset.SOPInstanceUID))
