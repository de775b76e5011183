"""`audit --format sarif` is valid SARIF 2.1.0 (the OASIS schema, copied into tests/data)."""

import json
from pathlib import Path

import jsonschema
import pytest

from wizard import findings

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
CORPUS = DATA / "configs" / "corpus"


def sarif(run_cli, *argv) -> dict:
    code, out, err = run_cli("audit", *argv, "--format", "sarif")
    assert code in (0, 1), err
    return json.loads(out)


@pytest.mark.parametrize("path", [DATA / "configs" / "debian-1.10.1", CORPUS / "19-orthanc-server-orthanc-builder.json",
                                  CORPUS / "26-MSF-OCB-orthanc-docker.json"], ids=lambda p: p.name)
def test_the_sarif_output_validates_against_the_oasis_schema(run_cli, path):
    log = sarif(run_cli, path, "--orthanc-version", "1.10.1")
    jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate(log)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]


def test_every_rule_is_described_with_its_help_and_documentation(run_cli):
    rules = sarif(run_cli, CORPUS / "02-UMEssen-Body-and-Organ-Analysis.json")["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(findings.RULES)
    for rule in rules:
        assert rule["help"]["text"].startswith(rule["fullDescription"]["text"]) and rule["helpUri"].startswith("https://")


def test_results_point_at_the_file_and_line_of_the_option(run_cli):
    path = CORPUS / "19-orthanc-server-orthanc-builder.json"
    log = sarif(run_cli, path, "--orthanc-version", "1.10.1")
    lines = path.read_text().splitlines()
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "OH-SCRIPT-001"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == path.resolve().as_uri()
    assert '"ExecuteLuaEnabled"' in lines[location["region"]["startLine"] - 1]
    assert results[0]["level"] == "error"


def test_a_waived_result_is_suppressed_with_its_reason(run_cli, tmp_path):
    waivers = tmp_path / "waivers"
    waivers.write_text("OH-WEB-001: WebDAV serves the workstations\n")
    log = sarif(run_cli, CORPUS / "02-UMEssen-Body-and-Organ-Analysis.json", "--waivers", waivers)
    waived = [r for r in log["runs"][0]["results"] if r["ruleId"] == "OH-WEB-001"]
    assert waived[0]["suppressions"] == [{"kind": "external", "status": "accepted",
                                          "justification": "WebDAV serves the workstations"}]
