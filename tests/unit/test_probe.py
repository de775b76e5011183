"""`orthanc-harden probe`: bad input, and how what a stranger saw is judged (the real Orthanc is
probed in tests/integration/test_probe.py)."""

import socket
from pathlib import Path

import pytest

from wizard.probe import judge, rules
from wizard.probe.dicom import Association
from wizard.probe.rest import Answer, site
from wizard.probe.seen import Observed


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("argv, where", [(["ftp://127.0.0.1"], "ftp://127.0.0.1: $: not an http:// or https:// URL"),
                                         (["http://127.0.0.1:1", "--dicom", "127.0.0.1"], "--dicom: $: '127.0.0.1': expected HOST:PORT"),
                                         (["http://127.0.0.1:1", "--dicom-web", "dicom-web"],
                                          "--dicom-web: $: 'dicom-web': expected a path such as /dicom-web")])
def test_a_bad_url_or_dicom_address_is_bad_input(run_cli, argv, where):
    code, out, err = run_cli("probe", *argv)
    assert (code, out) == (2, "") and err.startswith(where)


def test_nothing_answering_is_exit_2_naming_what_was_tried(run_cli):
    http, dicom = closed_port(), closed_port()
    code, out, err = run_cli("probe", f"http://127.0.0.1:{http}", "--dicom", f"127.0.0.1:{dicom}")
    assert (code, out) == (2, "")
    assert f"nothing answers at http://127.0.0.1:{http} or 127.0.0.1:{dicom} (DICOM)" in err


def ids(seen: Observed) -> dict[str, str]:
    return {f.id: f.severity for f in judge.findings(seen, None)}


def test_anonymous_access_from_another_machine_is_critical_and_from_this_host_high():
    assert ids(Observed(site("http://10.1.2.3:8042"), Answer(200)))["OH-PROBE-001"] == "critical"
    assert ids(Observed(site("http://127.0.0.1:8042"), Answer(200)))["OH-PROBE-001"] == "high"


def test_plain_http_and_plain_dicom_are_findings_only_off_the_loopback():
    refused = Association("rejected", "calling AE title not recognized")
    remote = Observed(site("http://10.1.2.3:8042"), Answer(401), dicom=("10.1.2.3", 4242), stranger=refused)
    local = Observed(site("http://127.0.0.1:8042"), Answer(401), dicom=("127.0.0.1", 4242), stranger=refused)
    assert {"OH-PROBE-004", "OH-PROBE-009"} <= set(ids(remote))
    assert not {"OH-PROBE-004", "OH-PROBE-009"} & set(ids(local))


def test_the_release_shown_by_system_brings_its_missing_fixes():
    seen = Observed(site("http://127.0.0.1:8042"), Answer(401))
    assert {"OH-SVC-001", "OH-SVC-002"} <= {f.id for f in judge.findings(seen, "1.12.9")}
    assert not {f.id for f in judge.findings(seen, "1.12.11")} & {"OH-SVC-001", "OH-SVC-002", "OH-SVC-003"}


def test_every_probe_rule_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert [rule.id for rule in rules.RULES if f"`{rule.id}`" not in readme] == []
