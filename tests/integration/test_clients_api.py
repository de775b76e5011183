"""The roles as orthanc-api-client sees them, and the POST routes that build zips, on the real
Orthanc with the DICOMweb plugin.

Every role reads and downloads zips, by GET and by POST (InstancesSet.download_archive and
download_media POST /tools/create-archive and /tools/create-media); the uploader and the admin
upload, by REST and by DICOMweb (upload_files_dicom_web); only the admin deletes or modifies.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator

import pydicom
import pytest
from orthanc_api_client import OrthancApiClient
from orthanc_api_client.exceptions import HttpError
from orthanc_api_client.instances_set import InstancesSet

from .clients import NON_ADMIN_ROLES, ROLES, ClientServer, serving_clients
from .orthanc_releases import RELEASES
from .profiles import send


@pytest.fixture(scope="module", params=RELEASES, ids=str)
def server(request, tmp_path_factory) -> Iterator[ClientServer]:
    """Each real release in turn, with its own Debian DICOMweb plugin."""
    with serving_clients(tmp_path_factory.mktemp("api-client"), request.param) as running:
        yield running


def api(server: ClientServer, role: str) -> OrthancApiClient:
    user = server.user(role)
    return OrthancApiClient(server.url, user=user.name, pwd=user.password)


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return archive.namelist()


def assert_one_instance_zip(data: bytes, media: bool = False) -> None:
    names = [name for name in zip_names(data) if not name.endswith("/")]
    dicom = [name for name in names if not name.endswith("DICOMDIR")]
    assert len(dicom) == 1, names
    assert ("DICOMDIR" in names) == media, names


# --- orthanc-api-client: reads ------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_stored_instance_and_its_parents_with_orthanc_api_client(server, role):
    client, stored = api(server, role), server.stored
    assert stored.patient in client.patients.get_all_ids()
    assert client.studies.get(stored.study).dicom_id == stored.study_uid
    assert client.series.get(stored.series).dicom_id == stored.series_uid
    assert client.instances.get_file(stored.instance)[128:132] == b"DICM"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_looks_up_an_instance_by_its_uid_with_orthanc_api_client(server, role):
    # instances.lookup POSTs /tools/lookup, one of Orthanc Explorer's searches.
    assert api(server, role).instances.lookup(server.stored.sop_uid) == server.stored.instance


@pytest.mark.parametrize("role", ROLES)
def test_every_role_downloads_a_zip_of_a_study_by_get_with_orthanc_api_client(server, role, tmp_path):
    api(server, role).studies.download_archive(server.stored.study, tmp_path / "study.zip")
    assert_one_instance_zip((tmp_path / "study.zip").read_bytes())


# --- orthanc-api-client: the zips built by POST -------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_role_downloads_an_instances_set_archive_built_by_post(server, role, tmp_path):
    client = api(server, role)
    InstancesSet.from_study(client, study_id=server.stored.study).download_archive(tmp_path / "set.zip")
    assert_one_instance_zip((tmp_path / "set.zip").read_bytes())


@pytest.mark.parametrize("role", ROLES)
def test_every_role_downloads_an_instances_set_dicomdir_built_by_post(server, role, tmp_path):
    client = api(server, role)
    InstancesSet.from_study(client, study_id=server.stored.study).download_media(tmp_path / "set.zip")
    assert_one_instance_zip((tmp_path / "set.zip").read_bytes(), media=True)


# --- orthanc-api-client: uploads ----------------------------------------------------------------

@pytest.mark.parametrize("role", ["uploader", "admin"])
def test_uploaders_and_admins_upload_through_dicomweb_with_orthanc_api_client(server, role):
    path = server.fresh_file()
    api(server, role).upload_files_dicom_web([path])
    assert server.instance_exists(pydicom.dcmread(path).SOPInstanceUID)


def test_a_reader_may_not_upload_through_dicomweb_with_orthanc_api_client(server):
    path = server.fresh_file()
    with pytest.raises(HttpError) as refused:
        api(server, "read-only").upload_files_dicom_web([path])
    assert refused.value.http_status_code == 403
    assert not server.instance_exists(pydicom.dcmread(path).SOPInstanceUID)


@pytest.mark.parametrize("role", ["uploader", "admin"])
def test_uploaders_and_admins_upload_by_rest_with_orthanc_api_client(server, role):
    path = server.fresh_file()
    [instance] = api(server, role).upload_file(path)
    assert server.resource_exists(f"/instances/{instance}")


def test_a_reader_may_not_upload_by_rest_with_orthanc_api_client(server):
    path = server.fresh_file()
    with pytest.raises(HttpError) as refused:
        api(server, "read-only").upload_file(path)
    assert refused.value.http_status_code == 403
    assert not server.instance_exists(pydicom.dcmread(path).SOPInstanceUID)


# --- orthanc-api-client: deletes and changes stay the admin's ---------------------------------------

@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_role_but_admin_may_delete_an_instance_with_orthanc_api_client(server, role):
    with pytest.raises(HttpError) as refused:
        api(server, role).instances.delete(server.stored.instance)
    assert refused.value.http_status_code == 403
    assert server.resource_exists(f"/instances/{server.stored.instance}")


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_role_but_admin_may_bulk_delete_an_instances_set_with_orthanc_api_client(server, role):
    client = api(server, role)
    with pytest.raises(HttpError) as refused:
        InstancesSet.from_study(client, study_id=server.stored.study).delete()
    assert refused.value.http_status_code == 403
    assert server.resource_exists(f"/instances/{server.stored.instance}")


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_role_but_admin_may_modify_instances_with_orthanc_api_client(server, role):
    with pytest.raises(HttpError) as refused:
        api(server, role).instances.modify_bulk([server.stored.instance], replace_tags={"PatientName": "Changed"})
    assert refused.value.http_status_code == 403
    assert json.loads(server.as_admin("GET", f"/instances/{server.stored.instance}/simplified-tags").body)[
        "PatientName"] == "Harden^Test"


def test_the_admin_deletes_an_instance_with_orthanc_api_client(server):
    path = server.fresh_file()
    [instance] = api(server, "admin").upload_file(path)
    api(server, "admin").instances.delete(instance)
    assert not server.resource_exists(f"/instances/{instance}")


# --- the POST zip routes themselves, as Orthanc Explorer 2 and scripts call them ---------------------

LEVELS = {"patients": "patient", "studies": "study", "series": "series"}


@pytest.mark.parametrize("kind", ["archive", "media"])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_builds_the_zip_of_a_patient_study_or_series_by_post(server, role, level, kind):
    resource = getattr(server.stored, LEVELS[level])
    response = send(server.url, "POST", f"/{level}/{resource}/{kind}", body="{}", **server.user(role).credentials)
    assert response.status == 200
    assert_one_instance_zip(response.body, media=kind == "media")


@pytest.mark.parametrize("tool", ["create-archive", "create-media", "create-media-extended"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_builds_a_zip_of_resources_with_the_tools_by_post(server, role, tool):
    body = json.dumps({"Resources": [server.stored.study], "Synchronous": True})
    response = send(server.url, "POST", f"/tools/{tool}", body=body, **server.user(role).credentials)
    assert response.status == 200
    assert_one_instance_zip(response.body, media=tool != "create-archive")


def test_a_reader_builds_a_zip_as_a_job_and_downloads_it(server):
    # The asynchronous form: a job, whose zip the reader then GETs.
    credentials = server.user("read-only").credentials
    body = json.dumps({"Resources": [server.stored.patient], "Asynchronous": True})
    response = send(server.url, "POST", "/tools/create-archive", body=body, **credentials)
    assert response.status == 200
    job = json.loads(response.body)["ID"]
    for _ in range(100):
        state = json.loads(send(server.url, "GET", f"/jobs/{job}", **credentials).body)["State"]
        if state in ("Success", "Failure"):
            break
        time.sleep(0.05)
    assert state == "Success"
    archive = send(server.url, "GET", f"/jobs/{job}/archive", **credentials)
    assert archive.status == 200
    assert_one_instance_zip(archive.body)


# Beside the zip routes: a reader's POST there is the filter's 403, and nothing is made. Where
# Orthanc has no such route, the admin's 404 shows it (anonymize and modify would make data).
BESIDE_ZIPS = [("/patients/{patient}/archive/extra", 404), ("/instances/{instance}/archive", 404),
               ("/studies/{study}/media/x", 404), ("/patients/{patient}/anonymize", None),
               ("/studies/{study}/modify", None)]


@pytest.mark.parametrize("path, admin_status", BESIDE_ZIPS)
def test_a_reader_may_not_post_beside_the_zip_routes(server, path, admin_status):
    stored = server.stored
    path = path.format(patient=stored.patient, study=stored.study, instance=stored.instance)
    patients = json.loads(server.as_admin("GET", "/patients").body)
    body = json.dumps({"Replace": {"PatientName": "Changed"}, "Force": True})
    assert send(server.url, "POST", path, body=body, **server.user("read-only").credentials).status == 403
    assert json.loads(server.as_admin("GET", "/patients").body) == patients  # nothing made
    if admin_status is not None:
        assert server.as_admin("POST", path, body).status == admin_status
