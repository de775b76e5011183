"""With authentication.search_and_zips off, roles below admin send no JSON body: the request that
stops a Debian build (a body nested ~200 deep, OH-ROLE-001) is refused by the filter before Orthanc
reads it, and Orthanc lives; every GET stays, so Orthanc Explorer's browsing (not its search), the
GET zips and DICOMweb still work. On the real 1.10.1, 1.12.7 and 1.13.0 with Debian's DICOMweb
plugin; Orthanc Explorer in Debian's headless Chromium, as tests/integration/test_clients_explorer.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.orthanc import depth

from .clients import NON_ADMIN_ROLES, ClientServer, profile, serving_clients, store_one
from .orthanc_releases import RELEASES
from .orthanc_server import free_port, running_orthanc
from .profiles import apply_profile, send, users_of, with_ports
# The Explorer session and its fixtures (browser, login on this module's server).
from .test_clients_explorer import Session, browser, login  # noqa: F401


@pytest.fixture(scope="module", params=RELEASES, ids=str)
def server(request, tmp_path_factory) -> Iterator[ClientServer]:
    with serving_clients(tmp_path_factory.mktemp("no-search"), request.param, search_and_zips=False) as running:
        running.release = request.param
        yield running


def deep_body(server: ClientServer) -> str:
    """Deeper than what stops this release when Orthanc parses it."""
    levels = depth.JSON_DEPTH[server.release.version] + 50
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_without_searching_the_body_that_stops_orthanc_is_refused_before_it_is_read(server, role):
    credentials = server.user(role).credentials
    study = server.stored.study
    for path in ("/tools/find", "/tools/create-archive", "/tools/create-media", f"/studies/{study}/archive"):
        assert send(server.url, "POST", path, body=deep_body(server), **credentials).status == 403, path
    assert server.orthanc.process.poll() is None, server.orthanc.log_tail()
    assert send(server.url, "GET", "/system", **credentials).status == 200


def test_without_searching_the_admin_still_searches(server):
    assert server.as_admin("POST", "/tools/find", '{"Level": "Patient", "Query": {}}').status == 200


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_without_searching_a_reader_keeps_every_get_zips_and_dicomweb_included(server, role):
    stored, credentials = server.stored, server.user(role).credentials
    paths = ["/patients?expand", f"/studies/{stored.study}", f"/instances/{stored.instance}/tags",
             f"/instances/{stored.instance}/preview", f"/studies/{stored.study}/archive",
             f"/patients/{stored.patient}/media", f"/dicom-web/studies?PatientID={stored.patient_id}",
             f"/dicom-web/studies/{stored.study_uid}/metadata"]
    statuses = {path: send(server.url, "GET", path, **credentials).status for path in paths}
    assert set(statuses.values()) == {200}, statuses


def browse_from_all_patients(session: Session) -> None:
    """Explorer's All patients (GET /patients?expand), then patient -> study -> series -> instance."""
    page, stored = session.page, session.server.stored
    session.open("#find-patients")
    page.locator("#all-patients li a", has_text=stored.patient_id).click()
    page.wait_for_url(f"**#patient?uuid={stored.patient}")
    page.locator("#list-studies li a", has_text=stored.study_uid).click()
    page.wait_for_url(f"**#study?uuid={stored.study}")
    page.locator("#list-series li a", has_text=stored.series_uid).click()
    page.wait_for_url(f"**#series?uuid={stored.series}")
    page.locator("#list-instances li a").first.click()
    page.wait_for_url(f"**#instance?uuid={stored.instance}")
    page.locator("#instance-info", has_text=stored.sop_uid).wait_for()
    with page.expect_response(lambda r: r.url.split("?")[0].endswith(f"/instances/{stored.instance}/preview")):
        page.click("#instance-preview")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_without_searching_orthanc_explorer_browses_to_the_instance_and_only_its_search_is_refused(login, role):
    session = login(role)
    browse_from_all_patients(session)
    assert not session.bad(), f"{role}: {session.bad()}\nall responses: {session.responses}"
    assert ("GET", f"/instances/{session.server.stored.instance}/preview") in {(m, p) for _, m, p in session.responses}
    session.open()
    session.page.fill("#lookup-patient-id", session.server.stored.patient_id)
    with session.page.expect_response(lambda r: r.request.method == "POST") as answer:
        session.page.click("#lookup-submit")
    assert answer.value.status == 403 and answer.value.url.endswith("/tools/find")


# Debian 12's Web viewer plugin, unpacked (not installed: every other test's Orthanc would load it)
# by scripts/test.sh; its build links Debian 12's libraries, so it runs on this host's 1.10.1 only.
WEBVIEWER = Path(os.environ.get("ORTHANC_HARDEN_WEBVIEWER",
                                "/var/cache/orthanc-harden/webviewer/root/usr/lib/orthanc/libOrthancWebViewer.so.2.8"))


@pytest.fixture(scope="module")
def viewer_server(tmp_path_factory) -> Iterator[ClientServer]:
    """This host's Orthanc with searching off, the DICOMweb and Web viewer plugins, one stored instance."""
    assert WEBVIEWER.is_file(), f"{WEBVIEWER} is missing: scripts/test.sh unpacks Debian's orthanc-webviewer there"
    folder = tmp_path_factory.mktemp("viewer")
    configured = with_ports(profile(search_and_zips=False), free_port(), free_port())
    out_dir = apply_profile(configured, folder)
    config = json.loads((out_dir / "orthanc.json").read_text("utf-8"))
    (out_dir / "webviewer.json").write_text(json.dumps({"Plugins": [*config.pop("Plugins"), str(WEBVIEWER)]}))
    (out_dir / "orthanc.json").write_text(json.dumps(config, indent=2))
    by_role = {user.role: user for user in users_of(configured, out_dir)}
    with running_orthanc(out_dir, folder) as orthanc:
        running = ClientServer(orthanc, by_role, folder)
        assert "web-viewer" in json.loads(running.as_admin("GET", "/plugins").body), orthanc.log_tail()
        running.stored = store_one(running)
        yield running


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_without_searching_the_web_viewer_shows_the_series_without_403_or_500(viewer_server, browser, role):
    user = viewer_server.user(role)
    context = browser.new_context(http_credentials={"username": user.name, "password": user.password})
    try:
        session = Session(context.new_page(), viewer_server)
        session.page.on("response", session.record)
        series = viewer_server.stored.series
        session.page.goto(f"{viewer_server.url}/web-viewer/app/viewer.html?series={series}")
        session.page.wait_for_load_state("networkidle")
        assert not session.bad(), f"{role}: {session.bad()}\nall responses: {session.responses}"
        paths = [path for status, _, path in session.responses if status == 200]
        # The viewer read the series and fetched its image from the plugin.
        assert f"/web-viewer/series/{series}" in paths, session.responses
        assert any(p.startswith("/web-viewer/instances/") for p in paths), session.responses
        assert {method for _, method, _ in session.responses} == {"GET"}, session.responses
    finally:
        context.close()
