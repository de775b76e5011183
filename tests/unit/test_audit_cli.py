"""`orthanc-harden audit PATH`: Debian's files, the presets' output, the exit ladder, waivers, formats."""

import json
import re
import shutil
from pathlib import Path

import pytest

from wizard import findings, resources

DATA = Path(__file__).resolve().parents[1] / "data"
DEBIAN = DATA / "configs" / "debian-1.10.1"  # Debian 12's /etc/orthanc, byte for byte


@pytest.fixture
def debian(tmp_path) -> Path:
    folder = tmp_path / "etc-orthanc"
    shutil.copytree(DEBIAN, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "credentials.json").chmod(0o640)  # as the package installs it (git keeps no mode)
    return folder


def audit_json(run_cli, *argv):
    code, out, err = run_cli("audit", *argv, "--format", "json")
    return code, json.loads(out), err


def test_debian_s_shipped_configuration_names_the_book_s_warnings_and_exits_1(run_cli, debian):
    code, out, _ = run_cli("audit", debian, "--orthanc-version", "1.10.1")
    assert code == 1
    for option in ("LimitFindResults", "DicomAlwaysAllowEcho", "DicomAlwaysAllowStore", "DicomCheckCalledAet",
                   "WebDavEnabled"):
        assert re.search(rf"^ +{option} · {re.escape(str(debian))}/orthanc\.json:\d+ ", out, re.M), option
    assert "Result: FAIL (--fail-on high)" in out


def test_text_is_worst_first_and_ends_with_a_summary_and_the_hardening_index(run_cli, debian):
    _, out, _ = run_cli("audit", debian, "--orthanc-version", "1.10.1")
    labels = re.findall(r"^\[([A-Z]+)\]", out, re.M)
    order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]
    assert labels == sorted(labels, key=order.index) and labels[0] == "HIGH"
    summary = out.strip().splitlines()[-4:]
    assert summary[0].startswith("Findings: 3 high, ")  # OH-DICOM-002, and OH-SVC-001/004: any AET may store and re.fullmatch(r"Hardening index: \d+ \[#* *\]", summary[1])


def test_the_line_of_each_finding_holds_its_option(run_cli, debian):
    _, report, _ = audit_json(run_cli, debian, "--orthanc-version", "1.10.1")
    located = [f for f in report["findings"] if f["line"]]
    assert len(located) >= 6
    for finding in located:
        assert f'"{finding["option"]}"' in Path(finding["file"]).read_text().splitlines()[finding["line"] - 1]


@pytest.mark.parametrize("fail_on, code", [("critical", 0), ("high", 1), ("low", 1)])
def test_the_exit_status_follows_fail_on(run_cli, debian, fail_on, code):
    assert run_cli("audit", debian, "--orthanc-version", "1.10.1", "--fail-on", fail_on)[0] == code


@pytest.mark.parametrize("preset", resources.preset_names())
def test_what_every_preset_writes_has_nothing_high(run_cli, tmp_path, preset):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", preset, "--set", "https.server_name=pacs.test", "--out", out)[0] == 0
    version = json.loads((out / "orthanc.json").read_text()).get("HttpBindAddresses") and "1.12.11" or "1.10.1"
    code, report, _ = audit_json(run_cli, out, "--orthanc-version", version)
    high = [(f["id"], f["message"]) for f in report["findings"] if f["severity"] in ("critical", "high")]
    assert (code, high) == (0, [])


def test_a_waived_finding_is_shown_with_its_reason_and_not_counted(run_cli, debian, tmp_path):
    waivers = tmp_path / "waivers.txt"
    waivers.write_text("# accepted risks\nOH-DICOM-002: the modalities' VLAN is closed (ticket 4711)\n")
    code, out, _ = run_cli("audit", debian, "--orthanc-version", "1.10.1", "--waivers", waivers)
    assert code == 1  # OH-SVC-001 and OH-SVC-004 stay high: any AET may still store a crafted file
    assert re.search(r"^\[WAIVED\] +OH-DICOM-002 ", out, re.M)
    assert "waived (high): the modalities' VLAN is closed (ticket 4711)" in out
    assert "Findings: 2 high, 4 medium, 5 low (1 waived)" in out  # OH-SVC-005: Debian describes errors
    _, report, _ = audit_json(run_cli, debian, "--orthanc-version", "1.10.1", "--waivers", waivers)
    waived = [f for f in report["findings"] if f["waived"]]
    assert [(f["id"], f["waived"]["reason"]) for f in waived] == [("OH-DICOM-002", "the modalities' VLAN is closed (ticket 4711)")]
    assert report["summary"]["high"] == 2 and report["summary"]["waived"] == 1


@pytest.mark.parametrize("text, message", [
    ("OH-DICOM-002 the VLAN is closed\n", "line 1: expected 'ID: reason'"),
    ("\nOH-NOPE-001: why\n", "line 2: OH-NOPE-001 is not the ID of a rule"),
    ("OH-WEB-001:\n", "line 1: OH-WEB-001 has no reason"),
    ("OH-WEB-001: a\nOH-WEB-001: b\n", "line 2: OH-WEB-001 is already waived on line 1"),
])
def test_a_malformed_waiver_file_is_bad_input_naming_file_and_line(run_cli, debian, tmp_path, text, message):
    waivers = tmp_path / "waivers.txt"
    waivers.write_text(text)
    code, out, err = run_cli("audit", debian, "--waivers", waivers)
    assert (code, out) == (2, "") and f"{waivers}: {message}" in err


def test_a_bad_release_is_bad_input(run_cli, debian):
    code, out, err = run_cli("audit", debian, "--orthanc-version", "1.12")
    assert (code, out) == (2, "") and "--orthanc-version" in err


def test_the_json_shape_is_the_documented_one(run_cli, debian):
    _, report, _ = audit_json(run_cli, debian, "--orthanc-version", "1.10.1")
    assert set(report) == {"format", "path", "files", "service", "orthanc", "summary", "findings"}
    assert report["service"] is None  # a compose service's name when a compose file is judged
    assert report["format"] == 1 and report["orthanc"]["version"] == "1.10.1"
    assert set(report["summary"]) == {"critical", "high", "medium", "low", "info", "waived", "hardening_index",
                                      "fail_on", "failed", "rules_run", "rules_not_run"}
    assert set(report["findings"][0]) == {"id", "severity", "title", "option", "json_path", "file", "line", "current",
                                          "recommended", "message", "why", "fix", "doc", "waived"}
    store = next(f for f in report["findings"] if f["id"] == "OH-DICOM-002")
    assert store["fix"]["set"] == ["dicom.always_allow_store=false"] and store["current"] is True


def test_no_format_shows_a_password(run_cli, tmp_path):
    (tmp_path / "orthanc.json").write_text('{"RemoteAccessAllowed": true, "RegisteredUsers": {"ris": "Xy7!qZ"}}')
    for output in ("text", "json", "sarif"):
        code, out, _ = run_cli("audit", tmp_path, "--format", output)
        assert code == 1 and "Xy7!qZ" not in out and "OH-AUTH-002" in out


def test_rules_that_need_the_release_are_not_run_without_one(run_cli, debian, monkeypatch):
    monkeypatch.setenv("PATH", str(debian))  # no Orthanc to ask
    code, out, _ = run_cli("audit", debian)
    assert "release unknown (give --orthanc-version)" in out.splitlines()[0]
    assert "Not run: OH-SVC-004, OH-SVC-001, OH-SVC-002, OH-SVC-005, OH-SVC-003, OH-SVC-006, OH-DICOM-013, OH-FILE-003, " \
           "OH-FILE-004 (need the release: give --orthanc-version); OH-TLS-002, OH-ROLE-001 (need the Orthanc " \
           "installed here)" in out
    assert "OH-SVC-001" not in out.split("Not run:")[0]


def test_every_rule_s_id_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert [rule for rule in findings.RULES if rule not in readme] == []
