"""The roles as Orthanc Explorer shows them, in Debian's headless Chromium driven by playwright.

Each role looks up the stored patient, then browses patient -> study -> series -> instance and
previews it; every response the page gets is recorded, and none may be a 403 or a 5xx. Then what
the buttons do per role: a zip for everyone, uploads for the uploader, deletes for the admin only.
One Chromium for the module (it takes about a second to start), a fresh context per test.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pydicom
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from .clients import ROLES, ClientServer, serving_clients
from .orthanc_releases import RELEASES
from .profiles import require_tool

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module", params=RELEASES, ids=str)
def server(request, tmp_path_factory) -> Iterator[ClientServer]:
    """Each real release in turn, with its own Orthanc Explorer and DICOMweb plugin."""
    with serving_clients(tmp_path_factory.mktemp("explorer"), request.param) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium (playwright downloads no browser here)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=require_tool("chromium"))
        yield chromium
        chromium.close()


@dataclass
class Session:
    """A page logged in as one role, with every response it got: (status, method, path)."""

    page: Page
    server: ClientServer
    responses: list[tuple[int, str, str]] = field(default_factory=list)

    def record(self, response: Response) -> None:
        path = response.url.removeprefix(self.server.url).split("?")[0]
        self.responses.append((response.status, response.request.method, path))

    def open(self, fragment: str = "") -> None:
        self.page.goto(f"{self.server.url}/app/explorer.html{fragment}")

    def bad(self) -> list[tuple[int, str, str]]:
        return [r for r in self.responses if r[0] == 403 or r[0] >= 500]


@pytest.fixture
def login(server, browser) -> Iterator:
    """login(role) -> a Session in a fresh browser context with that role's credentials."""
    contexts: list[BrowserContext] = []

    def start(role: str) -> Session:
        user = server.user(role)
        context = browser.new_context(http_credentials={"username": user.name, "password": user.password},
                                      accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        session = Session(context.new_page(), server)
        session.page.on("response", session.record)
        return session
    yield start
    for context in contexts:
        context.close()


def browse_to_the_instance(session: Session) -> None:
    """As a person would: look up the patient ID, then click down from All patients, and preview."""
    page, stored = session.page, session.server.stored
    session.open()
    page.fill("#lookup-patient-id", stored.patient_id)
    page.click("#lookup-submit")
    page.locator("#lookup-result li a", has_text=stored.study_uid).wait_for()
    page.click("a[href='#find-patients']:visible")
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


@pytest.mark.parametrize("role", ROLES)
def test_every_role_browses_from_patient_to_instance_in_orthanc_explorer_without_403_or_500(login, role):
    session = login(role)
    browse_to_the_instance(session)
    assert not session.bad(), f"{role}: {session.bad()}\nall responses: {session.responses}"
    requests = {(method, path) for _, method, path in session.responses}
    stored = session.server.stored
    # The walk did happen: the lookup (a POST), each level, the instance's tags and its preview.
    assert {("POST", "/tools/find"), ("GET", f"/patients/{stored.patient}"), ("GET", f"/studies/{stored.study}"),
            ("GET", f"/series/{stored.series}"), ("GET", f"/instances/{stored.instance}/tags"),
            ("GET", f"/instances/{stored.instance}/preview")} <= requests
    # The only answer that is not a success: Explorer asks every instance for a PDF it may hold.
    others = {r for r in session.responses if r[0] >= 400}
    assert others <= {(404, "GET", f"/instances/{stored.instance}/pdf")}, others


@pytest.mark.parametrize("role", ROLES)
def test_every_role_downloads_the_patients_zip_from_orthanc_explorer(login, role):
    session = login(role)
    session.open(f"#patient?uuid={session.server.stored.patient}")
    with session.page.expect_download() as download:
        session.page.click("#patient-archive")
    with zipfile.ZipFile(download.value.path()) as archive:
        assert len([n for n in archive.namelist() if not n.endswith("/")]) == 1
    assert not session.bad(), session.bad()


def delete_patient(session: Session, patient: str) -> int:
    """Open the patient, click Delete this patient, then OK; the status of the DELETE it sent."""
    session.open(f"#patient?uuid={patient}")
    session.page.locator("#patient-info").wait_for()
    session.page.click("#patient-delete")
    with session.page.expect_response(lambda r: r.request.method == "DELETE") as answer:
        session.page.locator(".ui-simpledialog-controls a", has_text="OK").click()
    return answer.value.status


@pytest.mark.parametrize("role", ["read-only", "uploader"])
def test_a_reader_or_uploader_who_deletes_a_patient_in_orthanc_explorer_is_refused(login, role):
    session = login(role)
    patient = session.server.stored.patient
    assert delete_patient(session, patient) == 403
    assert session.server.resource_exists(f"/patients/{patient}")


def test_the_admin_deletes_a_patient_in_orthanc_explorer(login, server):
    response = server.as_admin("POST", "/instances", server.fresh_file().read_bytes())
    patient = json.loads(response.body)["ParentPatient"]
    assert delete_patient(login("admin"), patient) == 200
    assert not server.resource_exists(f"/patients/{patient}")


def upload(session: Session) -> tuple[int, str]:
    """Upload one fresh file on Explorer's Upload page: (status of its POST, its SOP Instance UID)."""
    path = session.server.fresh_file()
    session.open("#upload")
    session.page.set_input_files("#fileupload", str(path))
    session.page.locator("#upload-list .pending-file").wait_for()
    with session.page.expect_response(lambda r: r.request.method == "POST") as answer:
        session.page.click("#upload-button")
    return answer.value.status, str(pydicom.dcmread(path).SOPInstanceUID)


@pytest.mark.parametrize("role", ["uploader", "admin"])
def test_uploaders_and_admins_upload_a_file_with_orthanc_explorer(login, role):
    session = login(role)
    status, sop_uid = upload(session)
    assert status == 200
    assert session.server.instance_exists(sop_uid)
    assert ("POST", "/instances/") in {(method, path) for _, method, path in session.responses}


def test_a_reader_may_not_upload_a_file_with_orthanc_explorer(login):
    session = login("read-only")
    status, sop_uid = upload(session)
    assert status == 403
    assert not session.server.instance_exists(sop_uid)
