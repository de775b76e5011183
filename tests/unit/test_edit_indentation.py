"""Inserted text follows the indentation and separators at the place of insertion, not one style
taken from the top of the file."""

from pathlib import Path

import json5

from wizard.orthanc import config_files, merge

MODALITY = {"AET": "CT2", "Host": "127.0.0.5", "Port": 104, "AllowStore": True}

# The top level indented by 4, nesting by 2 (seen in the wild: an editor's default over a sample).
MIXED = """{
    "Name" : "Mixed",
    "LuaScripts" : [
      "routing.lua"
    ],
    "DicomModalities" : {
      "ct1" : {
        "AET" : "CT1",
        "Host" : "127.0.0.4",
        "Port" : 104
      }
    }
}
"""


def edited(tmp_path: Path, text: str, settings: dict, newline: str = "\n") -> str:
    path = tmp_path / "orthanc.json"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    result = merge.write(config_files.read(path), settings)["orthanc.json"].result()
    assert json5.loads(result) == {**json5.loads(text), **settings}
    return result


def test_a_four_two_file_gains_a_script_and_a_modality_beside_their_siblings(tmp_path):
    result = edited(tmp_path, MIXED, {"LuaScripts": ["routing.lua", "orthanc-security.lua"],
                                      "DicomModalities": {**json5.loads(MIXED)["DicomModalities"], "ct2": MODALITY}})
    assert result == """{
    "Name" : "Mixed",
    "LuaScripts" : [
      "routing.lua",
      "orthanc-security.lua"
    ],
    "DicomModalities" : {
      "ct1" : {
        "AET" : "CT1",
        "Host" : "127.0.0.4",
        "Port" : 104
      },
      "ct2" : {
        "AET" : "CT2",
        "Host" : "127.0.0.5",
        "Port" : 104,
        "AllowStore" : true
      }
    }
}
"""


def test_a_new_top_level_object_nests_by_the_files_step_not_by_its_top_level_indentation(tmp_path):
    result = edited(tmp_path, MIXED, {"OrthancPeers": {"p": {"Url": "http://127.0.0.9/"}}})
    assert result.endswith("""    },
    "OrthancPeers" : {
      "p" : {
        "Url" : "http://127.0.0.9/"
      }
    }
}
""")


def test_empty_containers_of_a_four_two_file_are_filled_two_in(tmp_path):
    text = '{\n    "LuaScripts" : [\n    ],\n    "DicomModalities" : {\n    },\n    "Peers" : {\n      "x" : 1\n    }\n}\n'
    result = edited(tmp_path, text, {"LuaScripts": ["orthanc-security.lua"], "DicomModalities": {"ct2": MODALITY}})
    assert result == ('{\n    "LuaScripts" : [\n      "orthanc-security.lua"\n    ],\n'
                      '    "DicomModalities" : {\n      "ct2" : {\n        "AET" : "CT2",\n        "Host" : "127.0.0.5",\n'
                      '        "Port" : 104,\n        "AllowStore" : true\n      }\n    },\n'
                      '    "Peers" : {\n      "x" : 1\n    }\n}\n')


def test_an_empty_object_with_only_a_comment_inside_gets_entries_beside_the_comment(tmp_path):
    text = ('{\n  "DicomModalities" : {\n    /**\n     * A block comment, as in Debian\'s file.\n     **/\n'
            '    //"untrusted" : {\n    //  "AET" : "ORTHANC"\n    //}\n  }\n}\n')
    result = edited(tmp_path, text, {"DicomModalities": {"ct2": MODALITY}})
    assert result == text.replace("    //}\n", '    //}\n    "ct2" : {\n      "AET" : "CT2",\n      "Host" : "127.0.0.5",\n'
                                             '      "Port" : 104,\n      "AllowStore" : true\n    }\n')


def test_tab_indented_files_get_tabs_at_every_level(tmp_path):
    text = '{\n\t"LuaScripts" : [\n\t\t"a.lua"\n\t],\n\t"DicomModalities" : {\n\t}\n}\n'
    result = edited(tmp_path, text, {"LuaScripts": ["a.lua", "b.lua"], "DicomModalities": {"ct2": MODALITY},
                                     "OrthancPeers": {"p": {"Url": "http://127.0.0.9/"}}})
    assert result == ('{\n\t"LuaScripts" : [\n\t\t"a.lua",\n\t\t"b.lua"\n\t],\n\t"DicomModalities" : {\n'
                      '\t\t"ct2" : {\n\t\t\t"AET" : "CT2",\n\t\t\t"Host" : "127.0.0.5",\n\t\t\t"Port" : 104,\n'
                      '\t\t\t"AllowStore" : true\n\t\t}\n\t},\n'
                      '\t"OrthancPeers" : {\n\t\t"p" : {\n\t\t\t"Url" : "http://127.0.0.9/"\n\t\t}\n\t}\n}\n')


def test_a_one_line_object_gets_its_new_members_on_its_line(tmp_path):
    assert edited(tmp_path, '{ "A": 1 }', {"B": 2}) == '{ "A": 1, "B": 2 }'
    assert edited(tmp_path, '{ "A" : 1 }', {"N": {"x": [1, 2]}}) == '{ "A" : 1, "N" : {"x" : [1, 2]} }'


def test_each_object_keeps_its_own_separator(tmp_path):
    text = '{\n  "Name" : "x",\n  "DicomModalities": {\n    "ct1": {"AET": "CT1", "Host": "127.0.0.4", "Port": 104}\n  }\n}\n'
    result = edited(tmp_path, text, {"DicomModalities": {**json5.loads(text)["DicomModalities"], "ct2": MODALITY},
                                     "Extra": {"a": 1}})
    assert '    "ct2": {\n      "AET": "CT2",\n' in result  # as in DicomModalities
    assert '  "Extra" : {\n    "a" : 1\n  }\n' in result  # as at the top level


def test_crlf_files_get_crlf_and_the_indentation_of_their_siblings(tmp_path):
    result = edited(tmp_path, MIXED, {"DicomModalities": {**json5.loads(MIXED)["DicomModalities"], "ct2": MODALITY}},
                    newline="\r\n")
    assert "\n" not in result.replace("\r\n", "")
    assert ('      },\r\n      "ct2" : {\r\n        "AET" : "CT2",\r\n        "Host" : "127.0.0.5",\r\n'
            '        "Port" : 104,\r\n        "AllowStore" : true\r\n      }\r\n    }\r\n}\r\n') in result
