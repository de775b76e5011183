"""The POST routes below admin: the zips for readers, STOW-RS for uploaders, and their neighbours."""

import pytest

from wizard.orthanc.policy import Policy, UserRule, decide
from wizard.orthanc.routes import reads, uploads

POLICY = Policy((UserRule("reader", "read-only"), UserRule("uploader", "uploader"), UserRule("admin", "admin")),
                authentication=True)
ZIPS = ["/tools/create-archive", "/tools/create-media", "/tools/create-media-extended",
        "/patients/p/archive", "/studies/s/archive", "/series/s/archive",
        "/patients/p/media", "/studies/s/media", "/series/s/media"]
STOW = ["/dicom-web/studies", "/dicom-web/studies/1.2.840.1"]


def posts(user, path):
    return decide(POLICY, "POST", path, "127.0.0.1", user, {})


@pytest.mark.parametrize("path", ZIPS)
def test_readers_and_uploaders_may_post_to_build_a_zip(path):
    assert posts("reader", path) and posts("uploader", path) and reads(path)


@pytest.mark.parametrize("path", [p + "/" for p in ZIPS] + [p + "//" for p in ZIPS])
def test_a_zip_route_with_trailing_slashes_is_the_same_route(path):
    assert posts("reader", path)


@pytest.mark.parametrize("path", STOW + [p + "/" for p in STOW])
def test_uploaders_may_store_with_stow_rs(path):
    assert posts("uploader", path) and uploads(path.rstrip("/"))


@pytest.mark.parametrize("path", STOW)
def test_readers_may_not_store_with_stow_rs(path):
    assert not posts("reader", path)


@pytest.mark.parametrize("path", [
    "/patients/p/archive/extra", "/patients//archive", "/patients/archive", "/instances/i/archive",
    "/Patients/p/archive", "/patients/p/Archive", "/x/patients/p/archive", "/studies/s/y/media",
    "/tools/Create-Archive", "/tools/create-archive-x", "/patients/p/anonymize", "/studies/s/modify",
    "/patients/p/archive ", "patients/p/archive"])
def test_a_path_beside_a_zip_route_is_refused_to_readers(path):
    assert not posts("reader", path) and not posts("uploader", path)


@pytest.mark.parametrize("path", [
    "/dicom-web/studies/x/series", "/dicom-web/studies/x/series/y/instances", "/dicom-web/studies//x",
    "/dicom-web//studies", "/DICOM-WEB/studies", "/dicom-web/Studies", "/dicom-web/studiesX",
    "/dicom-web/servers/x/stow", "/dicom-web/servers/x/retrieve", "/dicom-web", "/dicom-web/studies ",
    "/dicom-web/series", "/instances/i/export"])
def test_a_path_beside_stow_rs_is_refused_to_uploaders(path):
    assert not posts("uploader", path)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("path", ZIPS + STOW)
def test_the_new_routes_are_granted_for_post_only(method, path):
    assert not decide(POLICY, method, path, "127.0.0.1", "uploader", {})


@pytest.mark.parametrize("path", ["/tools/execute-script", "/tools/reset", "/tools/shutdown", "/tools/bulk-delete",
                                  "/tools/bulk-modify", "/modalities/m/store", "/peers/p/store", "/jobs/j/cancel",
                                  "/tools/create-dicom", "/studies/s/split", "/tools/reconstruct"])
def test_the_dangerous_posts_stay_the_admins(path):
    assert not posts("reader", path) and not posts("uploader", path)
