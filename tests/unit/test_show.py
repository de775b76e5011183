"""`orthanc-harden show`: the configuration Orthanc reads, passwords masked, each key's origin."""

import json

from wizard import cli

CONFIG = """{
  // the site's users
  "RemoteAccessAllowed": true,
  "RegisteredUsers": {"alice": "Alice-Long-Password-1"},
  "OrthancPeers": {"b": {"Url": "http://127.0.0.2:8042/", "Username": "u", "Password": "Peer-Pass-9"}},
  "DicomWeb": {"Enable": true}
}
"""


def test_show_prints_the_merged_folder_with_passwords_masked(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text(CONFIG)
    (tmp_path / "more.json").write_text('{"HttpPort": 8043}')
    assert cli.main(["show", str(tmp_path)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["HttpPort"] == 8043 and shown["RemoteAccessAllowed"] is True
    assert shown["RegisteredUsers"] == {"alice": "********"}
    assert shown["OrthancPeers"]["b"]["Password"] == "********" and shown["OrthancPeers"]["b"]["Username"] == "u"


def test_show_origin_names_the_file_and_line_of_every_key(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text(CONFIG)
    assert cli.main(["show", str(tmp_path / "orthanc.json"), "--origin"]) == 0
    lines = capsys.readouterr().out.splitlines()
    path = tmp_path / "orthanc.json"
    assert f'{path}:3\tRemoteAccessAllowed=true' in lines
    assert f'{path}:4\tRegisteredUsers.alice="********"' in lines
    assert f'{path}:6\tDicomWeb.Enable=true' in lines
    assert "Alice-Long-Password-1" not in "\n".join(lines) and "Peer-Pass-9" not in "\n".join(lines)


def test_show_json_gives_kind_configuration_and_origins(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text(CONFIG)
    assert cli.main(["show", str(tmp_path), "--format", "json", "--origin"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "folder" and data["stops"] is None
    assert data["origins"]["DicomWeb.Enable"] == f"{tmp_path / 'orthanc.json'}:6"


def test_show_of_a_malformed_file_is_bad_input_naming_the_place(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text('{"HttpPort": }')
    assert cli.main(["show", str(tmp_path / "orthanc.json")]) == 2
    assert str(tmp_path / "orthanc.json") in capsys.readouterr().err


def test_service_is_refused_for_a_configuration_that_is_not_compose(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text(CONFIG)
    assert cli.main(["show", str(tmp_path), "--service", "orthanc"]) == 2
    assert "--service" in capsys.readouterr().err
