"""Issue 16: every option that holds a secret is masked wherever the tool shows a configuration: the plugins'
passwords, keys, tokens and connection strings, DicomWeb servers' passwords and Authorization
headers, and any unknown option whose name says it is a secret (issue 16, item 1)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.edit_support import BROKEN, CORPUS
from wizard.orthanc import document
from wizard.orthanc.secret_spans import masked, spans

SAMPLE = """{
  "PostgreSQL": {"EnableIndex": true, "Host": "db", "Password": "pg-Secret-1",
                 "ConnectionUri": "postgresql://orthanc:pg-Uri-2@db:5432/orthanc"},
  "MySQL": {"Password": "my-Secret-3"},
  "Odbc": {"IndexConnectionString": "DSN=x;UID=sa;PWD=odbc-Secret-4"},
  "AwsS3Storage": {"AccessKey": "minio-Access-5", "SecretKey": "minio-Secret-6", "BucketName": "orthanc"},
  "AzureBlobStorage": {"ConnectionString": "AccountKey=azure-Secret-7"},
  "DicomWeb": {"Servers": {"a": ["http://127.0.0.2/dicom-web/", "u", "dw-Secret-8"],
                           "b": {"Url": "http://127.0.0.3/", "Password": "dw-Secret-9",
                                 "HttpHeaders": {"Authorization": "Bearer dw-Token-10", "Accept": "json"}}}},
  "Authorization": {"WebServiceUsername": "svc", "WebServicePassword": "auth-Secret-11"},
  "OrthancExplorer2": {"Keycloak": {"ClientSecret": "kc-Secret-12", "ClientId": "oe2"}},
  "ImagingWorklistPassword": "wl-Secret-13",
  "MyPluginApiKey": "unknown-Secret-14",
  "Worklists": {"Token": "${WORKLIST_TOKEN}"},
  "DicomTlsPrivateKey": "/etc/orthanc/tls/dicom.key",
  "HttpHeaders": {"X-Api-Key": "hdr-Secret-15"}
}
"""
SECRETS = ["pg-Secret-1", "pg-Uri-2", "my-Secret-3", "odbc-Secret-4", "minio-Access-5", "minio-Secret-6",
           "azure-Secret-7", "dw-Secret-8", "dw-Secret-9", "dw-Token-10", "auth-Secret-11", "kc-Secret-12",
           "wl-Secret-13", "unknown-Secret-14", "hdr-Secret-15"]


def test_every_documented_plugin_secret_and_every_secret_looking_name_is_masked():
    shown = masked(SAMPLE)
    assert not [secret for secret in SECRETS if secret in shown]
    for visible in ('"Host": "db"', '"WebServiceUsername": "svc"', '"ClientId": "oe2"', '"Accept": "json"',
                    '"BucketName": "orthanc"', "/etc/orthanc/tls/dicom.key", "${WORKLIST_TOKEN}"):
        assert visible in shown  # what is not a secret stays: a path, a name, a ${VAR}
    assert json.loads(shown)  # still the same JSON, values replaced


def test_show_masks_plugin_secrets(tmp_path, capsys):
    from wizard import cli
    (tmp_path / "orthanc.json").write_text(SAMPLE)
    assert cli.main(["show", str(tmp_path), "--origin"]) == 0
    out = capsys.readouterr().out
    assert not [secret for secret in SECRETS if secret in out]


READABLE = [p for p in CORPUS if p.name[:2] not in BROKEN]


@pytest.mark.parametrize("source", READABLE, ids=[p.name[:2] for p in READABLE])
def test_no_secret_of_a_corpus_file_appears_in_check_diff_or_json(run_cli, tmp_path, source):
    text = source.read_text(encoding="utf-8", errors="replace")
    values = [n.value for n in spans(document.parse(text).root) if isinstance(n.value, str) and len(n.value) >= 4]
    # A secret is looked for as the JSON string it is written as, and only where the file writes that
    # string nowhere else (a password "orthanc" beside a user "orthanc" keeps the user visible).
    secrets = {json.dumps(v, ensure_ascii=False) for v in values
               if text.count(json.dumps(v, ensure_ascii=False)) == values.count(v)}
    shutil.copy(source, tmp_path / "orthanc.json")
    outputs = [run_cli("apply", "--preset", "localhost", "--config", tmp_path, "--check", "--diff"),
               run_cli("apply", "--preset", "localhost", "--config", tmp_path, "--check", "--json")]
    for code, out, err in outputs:
        assert code in (0, 1, 2)
        # as a value: the answers file may have a key of the same word ("password": {"generate": true})
        leaked = [s for s in secrets if re.search(re.escape(s) + r"(?!\s*:)", out + err)]
        assert not leaked, leaked


def test_a_var_password_in_a_file_others_can_read_is_no_password_in_clear(tmp_path, capsys):
    from wizard import cli
    config = tmp_path / "orthanc.json"
    config.write_text('{"RemoteAccessAllowed": true, "RegisteredUsers": {"${ORTHANC_USERNAME}": "${ORTHANC_PASSWORD}"}}')
    config.chmod(0o644)
    cli.main(["audit", str(tmp_path), "--format", "json"])
    assert "OH-AUTH-005" not in [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    config.write_text('{"RemoteAccessAllowed": true, "RegisteredUsers": {"ris": "Ris-Long-Password-77"}}')
    cli.main(["audit", str(tmp_path), "--format", "json"])
    assert "OH-AUTH-005" in [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]


def test_an_edit_tightens_a_file_that_keeps_a_plugin_s_secret(tmp_path, capsys):
    from wizard import cli
    config = tmp_path / "orthanc.json"
    config.write_text('{\n  "PostgreSQL": {"EnableIndex": true, "Password": "Pg-Long-Generated-4471"}\n}\n')
    config.chmod(0o644)
    assert cli.main(["apply", "--preset", "localhost", "--config", str(tmp_path)]) == 0
    assert config.stat().st_mode & 0o007 == 0
    assert f"tightened {config}: it holds passwords" in capsys.readouterr().out


def test_modalities_and_peers_orthanc_reads_from_its_database_get_no_finding_of_their_own(tmp_path, capsys):
    from wizard import cli
    (tmp_path / "orthanc.json").write_text(json.dumps({
        "RemoteAccessAllowed": True, "RegisteredUsers": {"ris": "Ris-Long-Password-77"},
        "DicomModalitiesInDatabase": True, "DicomModalities": {"ct": {"AET": "CT", "Host": "127.0.0.3", "Port": 104}},
        "OrthancPeersInDatabase": True,
        "OrthancPeers": {"p": {"Url": "http://127.0.0.4:8042/", "Username": "u", "Password": "Peer-Long-Pass-8"}}}))
    cli.main(["audit", str(tmp_path), "--format", "json"])
    ids = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "OH-DICOM-011" in ids and "OH-OUT-004" in ids  # said once: the database is where they live
    assert not {"OH-DICOM-010", "OH-DICOM-012", "OH-OUT-003"} & set(ids)


def test_a_user_list_written_only_inside_a_comment_is_named_at_its_line(tmp_path, capsys):
    from wizard import cli
    (tmp_path / "orthanc.json").write_text('{\n  "RemoteAccessAllowed": true,\n  // "RegisteredUsers" : {\n'
                                           '  //   "alice" : "alicePassword"\n  // }\n}\n')
    cli.main(["audit", str(tmp_path), "--format", "json"])
    commented = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["id"] == "OH-FILE-001"]
    assert [(f["option"], f["line"]) for f in commented] == [("RegisteredUsers", 3)]
    assert "alicePassword" not in json.dumps(commented)
