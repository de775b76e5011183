"""The probe's scanner checks (nmap's dicom-ping and dicom-brute, a C-FIND and the DICOMweb scanners'
QIDO-RS and STOW-RS without a login, the implementation an association names) against the real
Orthanc 1.10.1 and 1.13.0: each release's own Debian /etc/orthanc (with orthanc-dicomweb), the same
with C-FIND opened to unknown AETs, and the intranet preset's output (also behind an nginx that adds
CORS headers: Orthanc sends none). DCMTK's echoscu and findscu cross-check the DICOM answers;
nothing is stored."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wizard.probe import look, rest, web
from wizard.probe.seen import Strangers

from .orthanc_releases import RELEASES, Release
from .nginx import nginx_conf, running_nginx
from .orthanc_server import free_port, running_orthanc
from .preset_runs import runnable_profile
from .profiles import LOOPBACK, apply, find_keeper, run_cli, send, users_of, write_profile

PROBED = [release for release in RELEASES if release.version in ("1.10.1", "1.13.0")]
DCMTK_NAMES = {"1.10.1": "OFFIS_DCMTK_367", "1.13.0": "OFFIS_DCMTK_370"}  # Debian's builds: the DCMTK they link


def shipped_folder(release: Release, folder: Path, **changes: str) -> Path:
    """The release's own Debian /etc/orthanc (dicomweb.json included) on free ports, with changes."""
    etc = Path("/etc/orthanc") if not release.chrooted else release.root() / "etc" / "orthanc"
    assert (etc / "dicomweb.json").is_file(), f"{etc}: orthanc-dicomweb is not installed"
    shutil.copytree(etc, folder)
    main = folder / "orthanc.json"
    text = main.read_text()
    for key, value in {"HttpPort": str(free_port()), "DicomPort": str(free_port()), **changes}.items():
        text, count = re.subn(rf'^(\s*"{key}"\s*:\s*)[^,\n]+', rf"\g<1>{value}", text, flags=re.M)
        assert count == 1, key
    main.write_text(text)
    return folder


def probe(orthanc, cwd: Path) -> tuple[int, dict]:
    done = run_cli("probe", orthanc.url, "--dicom", f"{LOOPBACK}:{orthanc.dicom_port}", "--format", "json", cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def probe_findings(report: dict) -> dict[str, dict]:
    """The probe's own findings (the release rules aside), by ID."""
    return {f["id"]: f for f in report["findings"] if f["id"].startswith("OH-PROBE-")}


def dcmtk(tool: str, *args: str) -> str:
    done = subprocess.run([shutil.which(tool) or tool, "-v", "-to", "5", "-ta", "5", "-td", "5", *args],
                          capture_output=True, text=True, timeout=30, check=False)
    return done.stdout + done.stderr


def echoscu(port: int, calling: str, called: str) -> str:
    return dcmtk("echoscu", "-aet", calling, "-aec", called, LOOPBACK, str(port))


def findscu(port: int, calling: str, called: str, patient_id: str) -> str:
    return dcmtk("findscu", "-P", "-k", "0008,0052=PATIENT", "-k", f"0010,0020={patient_id}",
                 "-aet", calling, "-aec", called, LOOPBACK, str(port))


ECHO_OK = "Received Echo Response (Success)"
FIND_OK = "Received Final Find Response (Success)"


@pytest.mark.parametrize("release", PROBED, ids=str)
def test_debian_s_shipped_configuration_is_what_dicom_ping_and_the_dicomweb_scanners_report(tmp_path, release):
    with running_orthanc(shipped_folder(release, tmp_path / "etc"), tmp_path, graceful=False, release=release) as orthanc:
        code, report = probe(orthanc, tmp_path)
        found = probe_findings(report)
        # Open to this host: the REST API, Explorer, QIDO-RS and STOW-RS; dicom-ping's "Any AET is accepted
        # (Insecure)", C-ECHO for anyone, DCMTK named; C-FIND refused (Orthanc aborts the association).
        assert set(found) == {"OH-PROBE-001", "OH-PROBE-003", "OH-PROBE-006", "OH-PROBE-008", "OH-PROBE-012",
                              "OH-PROBE-013", "OH-PROBE-015"}
        assert found["OH-PROBE-015"]["current"] == DCMTK_NAMES[release.version]
        assert (code, report["orthanc"]["version"]) == (1, release.version)  # from /system
        strangers = Strangers.random()
        assert ECHO_OK in echoscu(orthanc.dicom_port, strangers.calling, strangers.called)
        assert FIND_OK not in findscu(orthanc.dicom_port, strangers.calling, "ORTHANC", strangers.patient_id)
        assert send(orthanc.url, "GET", "/instances").body == b"[]"  # the empty STOW-RS stored nothing


def test_dicomweb_at_another_root_is_probed_where_dicom_web_names_it(tmp_path):
    release = PROBED[0]  # 1.10.1: the plugin's Root is read the same on every release
    folder = shipped_folder(release, tmp_path / "etc")
    plugin = folder / "dicomweb.json"
    plugin.write_text(plugin.read_text().replace('"Root" : "/dicom-web/"', '"Root" : "/pacs/dw/"'))
    with running_orthanc(folder, tmp_path, graceful=False, release=release) as orthanc:
        _, default = probe(orthanc, tmp_path)  # the default root answers 404: nothing to say
        assert not {"OH-PROBE-012", "OH-PROBE-013"} & set(probe_findings(default))
        done = run_cli("probe", orthanc.url, "--dicom-web", "/pacs/dw/", "--format", "json", cwd=tmp_path)
        found = probe_findings(json.loads(done.stdout))
        assert found["OH-PROBE-012"]["option"] == "GET /pacs/dw/studies", found["OH-PROBE-012"]
        assert found["OH-PROBE-013"]["option"] == "POST /pacs/dw/studies"
        assert send(orthanc.url, "GET", "/instances").body == b"[]"


@pytest.mark.parametrize("release", PROBED, ids=str)
def test_c_find_opened_to_unknown_aets_is_found_and_findscu_agrees(tmp_path, release):
    folder = shipped_folder(release, tmp_path / "etc", DicomAlwaysAllowFind="true", DicomCheckCalledAet="true")
    with running_orthanc(folder, tmp_path, graceful=False, release=release) as orthanc:
        _, report = probe(orthanc, tmp_path)
        found = probe_findings(report)
        # The called AET is checked now: dicom-ping would say "Called AET check enabled", and dicom-brute
        # finds ORTHANC, which the stranger's association to it shows.
        assert set(found) == {"OH-PROBE-001", "OH-PROBE-003", "OH-PROBE-006", "OH-PROBE-010", "OH-PROBE-011",
                              "OH-PROBE-012", "OH-PROBE-013", "OH-PROBE-015"}
        assert found["OH-PROBE-011"]["severity"] == "high"
        strangers = Strangers.random()
        assert FIND_OK in findscu(orthanc.dicom_port, strangers.calling, "ORTHANC", strangers.patient_id)
        assert ECHO_OK not in echoscu(orthanc.dicom_port, strangers.calling, strangers.called)


@pytest.mark.parametrize("release", PROBED, ids=str)
def test_the_intranet_preset_s_output_leaves_only_the_default_aet_to_dicom_brute(tmp_path, release):
    profile, args, _ = runnable_profile("intranet", tmp_path, release)
    out = tmp_path / "out"
    apply(write_profile(tmp_path / "profile.jsonc", profile), out, *args)
    with running_orthanc(out, tmp_path, graceful=False, release=release) as orthanc:
        code, report = probe(orthanc, tmp_path)
        assert (code, set(probe_findings(report))) == (0, {"OH-PROBE-010"})
        strangers = Strangers.random()
        seen = look.look(rest.site(orthanc.url), (LOOPBACK, orthanc.dicom_port), "ORTHANC", strangers)
        assert (seen.qido.status, seen.stow.status) == (401, 401)
        # The DICOMweb plugin does answer there: a refusal, not an absence.
        keeper = find_keeper(users_of(profile, out))
        assert send(orthanc.url, "GET", f"/dicom-web/studies?PatientID={strangers.patient_id}",
                    **keeper.credentials).status == 200
        # DCMTK sees what the probe judged: ORTHANC refused for the calling AET, a random AET for itself.
        assert "Calling AE Title Not Recognized" in echoscu(orthanc.dicom_port, strangers.calling, "ORTHANC")
        assert "Called AE Title Not Recognized" in echoscu(orthanc.dicom_port, strangers.calling, strangers.called)
        assert FIND_OK not in findscu(orthanc.dicom_port, strangers.calling, "ORTHANC", strangers.patient_id)


NGINX_CORS = """server {{
    listen 127.0.0.1:{port};
    location / {{
        if ($request_method = OPTIONS) {{
            add_header Access-Control-Allow-Origin {origin};
            add_header Access-Control-Allow-Credentials true;
            add_header Access-Control-Allow-Headers authorization;
            return 204;
        }}
        add_header Access-Control-Allow-Origin {origin} always;
        add_header Access-Control-Allow-Credentials true always;
        proxy_pass http://127.0.0.1:{orthanc};
    }}
}}
"""


@pytest.mark.parametrize("origin, severity", [("*", "medium"), ("$http_origin", "high")], ids=["star", "echoed"])
def test_cors_with_credentials_added_by_a_proxy_in_front_of_the_hardened_orthanc_is_found(tmp_path, origin, severity):
    profile, args, _ = runnable_profile("intranet", tmp_path, RELEASES[0])
    out = tmp_path / "out"
    apply(write_profile(tmp_path / "profile.jsonc", profile), out, *args)
    with running_orthanc(out, tmp_path, graceful=False) as orthanc:
        proxy, port = tmp_path / "proxy", free_port()
        proxy.mkdir()
        (proxy / "nginx-orthanc.conf").write_text(NGINX_CORS.format(port=port, origin=origin, orthanc=orthanc.http_port))
        with running_nginx(nginx_conf(proxy, proxy), [port]):
            done = run_cli("probe", f"http://{LOOPBACK}:{port}", "--dicom", f"{LOOPBACK}:{free_port()}",  # closed
                           "--format", "json", cwd=tmp_path)
    cors = {f["id"]: f["severity"] for f in json.loads(done.stdout)["findings"]}
    assert cors == {"OH-PROBE-014": severity}  # Orthanc itself refuses the stranger: only the proxy's headers
