"""An inserted entry takes the enclosing object's step when its siblings disagree (a block
hand-edited to 5 spaces in a 4-space file), not the indentation of whichever sibling is last."""

from pathlib import Path

import json5

from wizard.orthanc import config_files, merge

# Three members at 4 spaces, the last two at 5 (hand-edited), a strong password kept by the edit.
HAND_EDITED = """{
    "Name" : "Site",
    "StorageDirectory" : "/var/lib/orthanc/db",
    "RegisteredUsers" : {
        "admin" : "Xq7-vLp2-Rm9w-Tz4k"
    },
     "RemoteAccessAllowed" : false,
     "HttpPort" : 8042
}
"""


def edited(tmp_path: Path, text: str, settings: dict) -> str:
    path = tmp_path / "orthanc.json"
    path.write_text(text)
    result = merge.write(config_files.read(path), settings)["orthanc.json"].result()
    assert json5.loads(result) == {**json5.loads(text), **settings}
    return result


def test_apply_inserts_top_level_options_at_four_spaces_after_a_five_space_block(run_cli, tmp_path):
    path = tmp_path / "orthanc.json"
    path.write_text(HAND_EDITED)
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", path)
    assert code == 0, err
    assert path.read_text() == HAND_EDITED.replace('     "HttpPort" : 8042\n}\n', """     "HttpPort" : 8042,
    "HttpServerEnabled" : true,
    "AuthenticationEnabled" : true,
    "LuaScripts" : ["orthanc-security.lua"],
    "SslEnabled" : false,
    "WebDavEnabled" : false,
    "WebDavUploadAllowed" : false,
    "WebDavDeleteAllowed" : false,
    "OrthancExplorerEnabled" : true,
    "HttpDescribeErrors" : false,
    "LimitFindResults" : 100,
    "LimitFindInstances" : 100,
    "HttpsVerifyPeers" : true,
    "HttpsCACertificates" : "/etc/ssl/certs/ca-certificates.crt",
    "OverwriteInstances" : false,
    "DicomServerEnabled" : true,
    "DicomAet" : "ORTHANC",
    "DicomPort" : 4242,
    "DicomCheckCalledAet" : true,
    "DicomCheckModalityHost" : true,
    "DicomAlwaysAllowEcho" : false,
    "DicomAlwaysAllowStore" : false,
    "DicomAlwaysAllowFind" : false,
    "DicomAlwaysAllowFindWorklist" : false,
    "DicomAlwaysAllowGet" : false,
    "DicomAlwaysAllowMove" : false,
    "DicomModalities" : {},
    "ExecuteLuaEnabled" : false,
    "RestApiWriteToFileSystemEnabled" : false,
    "DeidentifyLogs" : true
}
""")


def test_a_tie_between_siblings_is_settled_by_the_step_of_the_rest_of_the_file(tmp_path):
    text = ('{\n    "Name" : "Site",\n     "HttpPort" : 8042,\n    "DicomModalities" : {\n'
            '        "ct1" : {\n            "AET" : "CT1"\n        }\n    },\n     "DicomPort" : 4242\n}\n')
    assert edited(tmp_path, text, {"DicomAet": "ORTHANC"}) == text.replace(
        '     "DicomPort" : 4242\n', '     "DicomPort" : 4242,\n    "DicomAet" : "ORTHANC"\n')


def test_a_nested_object_whose_members_disagree_gets_its_key_plus_the_step_most_take(tmp_path):
    text = ('{\n  "DicomModalities" : {\n    "ct1" : {\n      "AET" : "CT1",\n      "Host" : "127.0.0.4",\n'
            '       "Port" : 104\n    }\n  }\n}\n')
    ct1 = {"AET": "CT1", "Host": "127.0.0.4", "Port": 104, "AllowStore": False}
    assert edited(tmp_path, text, {"DicomModalities": {"ct1": ct1}}) == text.replace(
        '       "Port" : 104\n', '       "Port" : 104,\n      "AllowStore" : false\n')


def test_siblings_that_agree_are_still_copied_even_off_the_files_step(tmp_path):
    text = '{\n  "A" : {\n     "x" : 1,\n     "y" : 2\n  },\n  "B" : {\n    "z" : 3\n  }\n}\n'
    assert edited(tmp_path, text, {"A": {"x": 1, "y": 2, "w": 4}}) == text.replace(
        '     "y" : 2\n', '     "y" : 2,\n     "w" : 4\n')
