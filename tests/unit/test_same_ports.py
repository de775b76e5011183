"""Two servers on one port: Orthanc stops at start, so the answers are refused, by apply too."""

from tests.unit.conftest import snapshot
from wizard import profile


def test_apply_refuses_an_http_port_equal_to_the_dicom_port_naming_both_answers(run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("apply", "--preset", "localhost", "--set", "network.http_port=4242", "--out", out)
    assert code == 2, stdout + stderr
    assert snapshot(out) == {}
    lines = stderr.strip().splitlines()
    assert [line.split(": ")[1] for line in lines] == ["$.dicom.port", "$.network.http_port"]
    assert all("would both listen on port 4242" in line for line in lines)


def test_the_same_port_is_fine_when_one_of_the_servers_is_off():
    answers = profile.effective({"network": {"http_port": 4242}, "dicom": {"enabled": False}})
    assert profile.validate(answers, "p") == []


def test_the_proxy_port_may_not_be_the_http_port_either():
    answers = profile.effective({"network": {"http_port": 8443},
                                 "https": {"mode": "reverse-proxy", "server_name": "pacs.example.org", "port": 8443}})
    assert [(p.path, p.message.split(":")[0]) for p in profile.validate(answers, "p")] == [
        ("$.https.port", "the TLS proxy and the HTTP server would both listen on port 8443"),
        ("$.network.http_port", "the HTTP server and the TLS proxy would both listen on port 8443")]
