"""Surgical text edits: only the edited values change, in the file's own style."""

import json
from pathlib import Path

import json5
import pytest

from tests.edit_support import comments
from wizard.orthanc import config_files, document, merge
from wizard.orthanc.edit import Editor

DATA = Path(__file__).resolve().parents[1] / "data" / "configs"


def edited(tmp_path: Path, text: str, settings: dict, removable: dict | None = None) -> str:
    """The text of a one-file configuration after writing settings over it."""
    path = tmp_path / "orthanc.json"
    path.write_bytes(text.encode("utf-8"))
    config = config_files.read(path)
    removed = merge.removals(config, settings, removable or {})
    if removed:
        config = config_files.reparsed(config, {n: e.result() for n, e in removed.items()})
    return merge.write(config, settings)["orthanc.json"].result()


def test_a_changed_value_is_the_only_changed_byte(tmp_path):
    text = '{\n  // keep me\n  "HttpPort" : 8042,   // and me\n  "Unknown" : [1,2,  3]\n}\n'
    assert edited(tmp_path, text, {"HttpPort": 8043}) == text.replace("8042", "8043")


def test_an_unchanged_value_leaves_the_file_identical(tmp_path):
    text = '{ "RemoteAccessAllowed":false , "DicomModalities" : { } }'
    assert edited(tmp_path, text, {"RemoteAccessAllowed": False, "DicomModalities": {}}) == text


def test_new_keys_are_added_in_the_file_style_before_a_closing_comment(tmp_path):
    text = '{\n\t"A" : 1 // last\n\t// the end\n}\n'
    assert edited(tmp_path, text, {"B": True, "C": "x"}) == (
        '{\n\t"A" : 1, // last\n\t// the end\n\t"B" : true,\n\t"C" : "x"\n}\n')


def test_a_trailing_comma_is_not_doubled_and_none_is_added(tmp_path):
    text = '{\n  "A": 1,\n}'
    result = edited(tmp_path, text, {"B": 2})
    assert result == '{\n  "A": 1,\n  "B": 2\n}'


def test_a_key_after_a_leading_comma_line_gets_its_comma(tmp_path):
    text = '{\n  "A" : 1\n  , "B" : { "x": false }\n}'
    result = edited(tmp_path, text, {"C": 3})
    assert result == '{\n  "A" : 1\n  , "B" : { "x": false },\n  "C" : 3\n}'


@pytest.mark.parametrize("text, expected", [
    ("{}", '{\n  "A": 1\n}'),
    ("{ }\n", '{ \n  "A": 1\n}\n'),
    ('{"B": 2}', '{"B": 2, "A": 1}'),
])
def test_keys_are_added_to_empty_and_one_line_objects(tmp_path, text, expected):
    assert edited(tmp_path, text, {"A": 1}) == expected
    assert json5.loads(expected) == {**json5.loads(text), "A": 1}


def test_entries_are_added_inside_a_collection_after_its_comments(tmp_path):
    text = ('{\n  "RegisteredUsers" : {\n    // "alice" : "alicePassword"\n  }\n}\n')
    result = edited(tmp_path, text, {"RegisteredUsers": {"admin": "pw-0123456789", "viewer": "pw-9876543210"}})
    assert result == ('{\n  "RegisteredUsers" : {\n    // "alice" : "alicePassword"\n'
                      '    "admin" : "pw-0123456789",\n    "viewer" : "pw-9876543210"\n  }\n}\n')


def test_our_script_is_appended_to_a_list_keeping_its_comments(tmp_path):
    text = '{\n  "LuaScripts" : [\n    "a.lua" // routing\n  ]\n}'
    result = edited(tmp_path, text, {"LuaScripts": ["a.lua", "orthanc-security.lua"]})
    assert result == '{\n  "LuaScripts" : [\n    "a.lua", // routing\n    "orthanc-security.lua"\n  ]\n}'
    assert edited(tmp_path, '{"LuaScripts": [\n  ]}', {"LuaScripts": ["x.lua"]}) == '{"LuaScripts": [\n  "x.lua"\n  ]}'
    assert edited(tmp_path, '{"LuaScripts": []}', {"LuaScripts": ["x.lua"]}) == '{"LuaScripts": [\n  "x.lua"\n]}'


def test_entries_dropped_from_the_answers_are_removed_with_their_lines(tmp_path):
    text = ('{\n  "RegisteredUsers" : {\n    "a" : "1", // first\n    "b" : "2",\n    "c" : "3"\n  },\n'
            '  "X" : 1\n}\n')
    users = {"RegisteredUsers": {"a": "1"}}
    result = edited(tmp_path, text, users, {"RegisteredUsers": {"a", "b", "c"}})
    assert result == '{\n  "RegisteredUsers" : {\n    "a" : "1" // first\n  },\n  "X" : 1\n}\n'
    middle = edited(tmp_path, text, {"RegisteredUsers": {"a": "1", "c": "3"}}, {"RegisteredUsers": {"a", "b", "c"}})
    assert json5.loads(middle)["RegisteredUsers"] == {"a": "1", "c": "3"} and "// first" in middle


def test_entries_that_were_not_imported_are_never_removed(tmp_path):
    text = '{"DicomModalities": {"env": ["ENV", "${HOST}", 104], "ct": ["CT", "10.0.0.1", 104]}}'
    result = edited(tmp_path, text, {"DicomModalities": {}}, {"DicomModalities": {"ct"}})
    assert json5.loads(result.replace("${HOST}", "h")) == {"DicomModalities": {"env": ["ENV", "h", 104]}}


def test_an_array_form_modality_that_means_the_same_is_left_as_written(tmp_path):
    text = '{"DicomModalities": {"ct": [ "CT", "10.0.0.1", "104", "GE" ]}}'
    allow = ("AllowEcho", "AllowFind", "AllowFindWorklist", "AllowGet", "AllowMove", "AllowStore",
             "AllowStorageCommitment")
    entry = {"AET": "CT", "Host": "10.0.0.1", "Port": 104, **dict.fromkeys(allow, True)}
    assert edited(tmp_path, text, {"DicomModalities": {"ct": entry}}) == text
    narrowed = json.loads(edited(tmp_path, text, {"DicomModalities": {"ct": {**entry, "AllowGet": False}}}))
    assert narrowed["DicomModalities"]["ct"] == {**entry, "AllowGet": False, "Manufacturer": "GE"}


def test_an_object_form_entry_keeps_the_fields_we_do_not_write(tmp_path):
    text = '{"OrthancPeers": {"p": {"URL": "https://a/", "HttpHeaders": {"T": "x"}, "Username": "u", "Password": "p"}}}'
    result = json.loads(edited(tmp_path, text, {"OrthancPeers": {"p": {"Url": "https://b/", "Username": "u",
                                                                         "Password": "p"}}}))
    assert result["OrthancPeers"]["p"] == {"URL": "https://b/", "HttpHeaders": {"T": "x"}, "Username": "u",
                                           "Password": "p"}


def test_hostile_text_keeps_every_comment_and_reads_back(tmp_path):
    text = (DATA / "hostile" / "strings-that-look-like-comments.json").read_text("utf-8")
    result = edited(tmp_path, text, {"RemoteAccessAllowed": True, "AuthenticationEnabled": True, "New": "ü"})
    assert comments(result) == comments(text)
    assert document.parse(result).root.value == {**document.parse(text).root.value, "RemoteAccessAllowed": True,
                                                 "AuthenticationEnabled": True, "New": "ü"}


def test_crlf_bom_tabs_and_non_ascii_survive_byte_for_byte(tmp_path):
    base = (DATA / "hostile" / "non-ascii.json").read_text("utf-8").replace("  ", "\t").replace("\n", "\r\n")
    path = tmp_path / "orthanc.json"
    path.write_bytes(b"\xef\xbb\xbf" + base.encode("utf-8"))
    config = config_files.read(path)
    result = merge.write(config, {"DicomAet": "ÉCHO", "HttpPort": 8043})["orthanc.json"].result()
    assert result.startswith("\ufeff") and "\n" not in result.replace("\r\n", "")
    users = '"jürgen" : "pässwörd-lang-genug-1" }'
    expected = base.replace('"ORTHANC"', '"ÉCHO"').replace(users + "\r\n}", users + ',\r\n\t"HttpPort" : 8043\r\n}')
    assert result == "\ufeff" + expected


def test_a_duplicate_key_is_edited_where_orthanc_reads_it(tmp_path):
    text = (DATA / "hostile" / "duplicate-keys.json").read_text("utf-8")
    result = edited(tmp_path, text, {"DicomAet": "THIRD"})
    assert '"DicomAet" : "FIRST"' in result and '"DicomAet" : "THIRD"' in result


def test_edits_that_overlap_are_a_bug_not_a_corrupt_file():
    editor = Editor(document.parse('{"A": [1, 2]}'))
    node = editor.doc.root.members[0].node
    editor.replace(node, [3])
    editor.replace(node.items[0], 4)
    with pytest.raises(AssertionError):
        editor.result()
