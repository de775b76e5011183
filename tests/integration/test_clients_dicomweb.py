"""The roles as dicomweb-client sees them, on the real Orthanc with Debian's DICOMweb plugin.

Every role searches (QIDO-RS) and retrieves (WADO-RS); the uploader and the admin store (STOW-RS),
the reader may not; no role but admin may delete through DICOMweb.
"""

from __future__ import annotations

from collections.abc import Iterator

import pydicom
import pytest
import requests
from dicomweb_client.api import DICOMwebClient

from .clients import NON_ADMIN_ROLES, ROLES, ClientServer, serving_clients
from .orthanc_releases import RELEASES
from .profiles import send


@pytest.fixture(scope="module", params=RELEASES, ids=str)
def server(request, tmp_path_factory) -> Iterator[ClientServer]:
    """Each real release in turn, with its own Debian DICOMweb plugin."""
    with serving_clients(tmp_path_factory.mktemp("dicomweb"), request.param) as running:
        yield running


def client(server: ClientServer, role: str) -> DICOMwebClient:
    session = requests.Session()
    session.auth = (server.user(role).name, server.user(role).password)
    return DICOMwebClient(url=f"{server.url}/dicom-web", session=session)


def status_of(error: pytest.ExceptionInfo) -> int:
    return error.value.response.status_code


# --- QIDO-RS and WADO-RS: every role reads ------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_role_finds_the_stored_study_series_and_instance_with_qido_rs(server, role):
    stored, dicomweb = server.stored, client(server, role)
    studies = dicomweb.search_for_studies(search_filters={"PatientID": stored.patient_id})
    assert [pydicom.Dataset.from_json(s).StudyInstanceUID for s in studies] == [stored.study_uid]
    series = dicomweb.search_for_series(stored.study_uid)
    assert [pydicom.Dataset.from_json(s).SeriesInstanceUID for s in series] == [stored.series_uid]
    instances = dicomweb.search_for_instances(stored.study_uid, stored.series_uid)
    assert [pydicom.Dataset.from_json(i).SOPInstanceUID for i in instances] == [stored.sop_uid]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_retrieves_the_stored_instance_and_its_metadata_with_wado_rs(server, role):
    stored, dicomweb = server.stored, client(server, role)
    instance = dicomweb.retrieve_instance(stored.study_uid, stored.series_uid, stored.sop_uid)
    assert instance.SOPInstanceUID == stored.sop_uid and instance.PixelData
    metadata = dicomweb.retrieve_instance_metadata(stored.study_uid, stored.series_uid, stored.sop_uid)
    assert metadata["00100020"]["Value"] == [stored.patient_id]  # PatientID, in DICOM JSON


@pytest.mark.parametrize("role", ROLES)
def test_every_role_retrieves_the_whole_study_with_wado_rs(server, role):
    stored = server.stored
    study = client(server, role).retrieve_study(stored.study_uid)
    assert [instance.SOPInstanceUID for instance in study] == [stored.sop_uid]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_retrieves_a_rendered_image_of_the_instance_with_wado_rs(server, role):
    stored = server.stored
    image = client(server, role).retrieve_instance_rendered(stored.study_uid, stored.series_uid, stored.sop_uid,
                                                            media_types=("image/png",))
    assert image.startswith(b"\x89PNG")


# --- STOW-RS: the uploader and the admin store, the reader may not -------------------------------

@pytest.mark.parametrize("role", ["uploader", "admin"])
def test_uploaders_and_admins_store_an_instance_with_stow_rs(server, role):
    dataset = pydicom.dcmread(server.fresh_file())
    client(server, role).store_instances([dataset])
    assert server.instance_exists(dataset.SOPInstanceUID)


@pytest.mark.parametrize("role", ["uploader", "admin"])
def test_uploaders_and_admins_store_into_a_named_study_with_stow_rs(server, role):
    # POST /dicom-web/studies/{StudyInstanceUID}: the instance must belong to that study.
    dataset = pydicom.dcmread(server.fresh_file(study_uid=server.stored.study_uid))
    client(server, role).store_instances([dataset], study_instance_uid=server.stored.study_uid)
    assert server.instance_exists(dataset.SOPInstanceUID)


def test_a_reader_may_not_store_an_instance_with_stow_rs(server):
    dataset = pydicom.dcmread(server.fresh_file())
    with pytest.raises(requests.HTTPError) as refused:
        client(server, "read-only").store_instances([dataset])
    assert status_of(refused) == 403
    assert not server.instance_exists(dataset.SOPInstanceUID)


def test_a_reader_may_not_store_into_a_named_study_with_stow_rs(server):
    dataset = pydicom.dcmread(server.fresh_file(study_uid=server.stored.study_uid))
    with pytest.raises(requests.HTTPError) as refused:
        client(server, "read-only").store_instances([dataset], study_instance_uid=server.stored.study_uid)
    assert status_of(refused) == 403
    assert not server.instance_exists(dataset.SOPInstanceUID)


# Routes of the plugin beside STOW-RS: an uploader's POST there is the filter's 403, while the
# admin reaches the plugin, which answers (405: no POST on that route; 400 or 404: not a request
# to a known DICOMweb server).
BESIDE_STOW = ["/dicom-web/studies/{study}/series", "/dicom-web/studies/{study}/series/{series}",
               "/dicom-web/servers/nowhere/stow"]


@pytest.mark.parametrize("path", BESIDE_STOW)
def test_an_uploader_may_not_post_to_dicomweb_routes_beside_stow_rs(server, path):
    path = path.format(study=server.stored.study_uid, series=server.stored.series_uid)
    body = server.fresh_file().read_bytes()
    assert send(server.url, "POST", path, body=body, **server.user("uploader").credentials).status == 403
    assert server.as_admin("POST", path, body).status in (400, 404, 405)


# --- DELETE through DICOMweb: nobody but the admin gets past the filter ----------------------------

@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_role_but_admin_may_delete_a_study_through_dicomweb(server, role):
    with pytest.raises(requests.HTTPError) as refused:
        client(server, role).delete_study(server.stored.study_uid)
    assert status_of(refused) == 403
    assert server.instance_exists(server.stored.sop_uid)


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_role_but_admin_may_delete_an_instance_through_dicomweb(server, role):
    stored = server.stored
    with pytest.raises(requests.HTTPError) as refused:
        client(server, role).delete_instance(stored.study_uid, stored.series_uid, stored.sop_uid)
    assert status_of(refused) == 403
    assert server.instance_exists(stored.sop_uid)


def test_the_admins_delete_reaches_the_dicomweb_plugin_so_the_refusals_above_are_the_filters(server):
    # Debian's plugin has no DELETE: it answers 405 (or 404) to the admin, never the filter's 403.
    stored = server.stored
    path = f"/dicom-web/studies/{stored.study_uid}/series/{stored.series_uid}/instances/{stored.sop_uid}"
    assert server.as_admin("DELETE", path).status in (404, 405)
    assert server.instance_exists(stored.sop_uid)
