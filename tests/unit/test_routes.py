"""The POST routes below admin: the zips for readers, STOW-RS for uploaders, and their neighbours."""

import pytest

from wizard.orthanc.policy import Policy, UserRule, decide
from wizard.orthanc.routes import outward, reads, uploads

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


OUTWARD = ["/peers/p/system", "/peers/p/store", "/peers/p/store-straight", "/peers/p/configuration",
           "/modalities/m/echo", "/modalities/m/store", "/modalities/m/move", "/modalities/m/get",
           "/modalities/m/query", "/modalities/m/find-worklist", "/modalities/m/storage-commitment",
           "/dicom-web/servers/s/qido", "/dicom-web/servers/s/wado", "/dicom-web/servers/s/retrieve",
           "/dicom-web/servers/s/stow", "/dicom-web/servers/s/get", "/dicom-web/servers/s/post",
           "/queries/q/retrieve", "/queries/q/answers/0/retrieve", "/queries/q/answers/0/query-series",
           "/tools/dicom-echo"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", OUTWARD + [p + "/" for p in OUTWARD])
def test_a_route_that_contacts_another_system_is_the_admins_whatever_the_method(method, path):
    assert outward(path.rstrip("/"))
    assert not decide(POLICY, method, path, "127.0.0.1", "reader", {})
    assert not decide(POLICY, method, path, "127.0.0.1", "uploader", {})
    assert decide(POLICY, method, path, "127.0.0.1", "admin", {})


@pytest.mark.parametrize("path", ["/peers", "/peers/p", "/modalities", "/modalities/m", "/dicom-web/servers",
                                  "/dicom-web/servers/s", "/queries/q/answers/0/content", "/queries/q/answers"])
def test_the_lists_of_peers_modalities_servers_and_answers_stay_readable(path):
    assert not outward(path) and decide(POLICY, "GET", path, "127.0.0.1", "reader", {})


NO_SEARCH = Policy(POLICY.users, authentication=True, search_and_zips=False)


@pytest.mark.parametrize("path", ZIPS + ["/tools/find", "/tools/lookup"])
def test_without_searching_and_zips_no_role_below_admin_posts_a_body_but_every_get_stays(path):
    for user in ("reader", "uploader"):
        assert not decide(NO_SEARCH, "POST", path, "127.0.0.1", user, {})
        assert decide(NO_SEARCH, "GET", path, "127.0.0.1", user, {})
    assert decide(NO_SEARCH, "POST", path, "127.0.0.1", "admin", {})


@pytest.mark.parametrize("path", STOW + ["/instances"])
def test_without_searching_and_zips_the_uploader_still_stores(path):
    assert decide(NO_SEARCH, "POST", path, "127.0.0.1", "uploader", {})
