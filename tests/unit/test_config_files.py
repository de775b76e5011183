"""Reading a configuration as Orthanc reads it: files, folders, comments, merging, types."""

from pathlib import Path

import json5
import pytest

from wizard.errors import BadInput
from wizard.orthanc import config_files, document
from wizard.orthanc.document import Placeholder

DATA = Path(__file__).resolve().parents[1] / "data" / "configs"
CORPUS = sorted((DATA / "corpus").glob("*.json"))
BROKEN = {"03", "04", "15"}  # broken on purpose (MANIFEST.md)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def problem(path: Path) -> str:
    with pytest.raises(BadInput) as error:
        config_files.read(path)
    return str(error.value)


def test_a_folder_is_every_json_file_in_any_case_hidden_ones_included(tmp_path):
    folder = write(tmp_path / "conf", {"a.json": '{"A": 1}', "B.JSON": '{"B": 2}', ".hidden.json": '{"C": 3}',
                                       "x.json.bak": "not json", "x.json~": "{", "notes.jsonc": "{"})
    (folder / "sub.json").mkdir()
    config = config_files.read(folder)
    assert [f.name for f in config.files] == [".hidden.json", "B.JSON", "a.json"]
    assert config.values == {"A": 1, "B": 2, "C": 3}
    assert config.holders["B"].name == "B.JSON"


def test_new_keys_go_to_orthanc_json_else_the_first_file_and_users_to_credentials(tmp_path):
    debianish = config_files.read(write(tmp_path / "d", {"a.json": "{}", "orthanc.json": "{}",
                                                         "credentials.json": "{}"}))
    assert debianish.main.name == "orthanc.json"
    assert debianish.home("RegisteredUsers").name == "credentials.json"
    other = config_files.read(write(tmp_path / "o", {"b.json": "{}", "a.json": "{}"}))
    assert other.main.name == "a.json" and other.home("RegisteredUsers").name == "a.json"


def test_a_key_defined_in_two_files_is_refused_naming_both(tmp_path):
    folder = write(tmp_path / "conf", {"orthanc.json": '{"RegisteredUsers": {}}',
                                       "credentials.json": '{"RegisteredUsers": {"a": "b"}}'})
    message = problem(folder)
    assert message.startswith(f"{folder / 'orthanc.json'}: $.RegisteredUsers: is also defined in "
                              f"{folder / 'credentials.json'}")
    assert "refuses to start" in message


def test_a_wrong_type_for_a_known_option_is_refused_with_file_and_key():
    path = DATA / "hostile" / "wrong-type.json"
    assert problem(path) == (f"{path}: $.HttpPort: must be an integer, not a string ('eighty'): "
                             "Orthanc would refuse to start")


@pytest.mark.parametrize("text", ['{"HttpPort": true}', '{"RemoteAccessAllowed": 1}', '{"LuaScripts": "a.lua"}'])
def test_booleans_and_numbers_are_not_confused(tmp_path, text):
    path = tmp_path / "orthanc.json"
    path.write_text(text)
    assert "must be" in problem(path)


def test_an_environment_variable_standing_for_a_number_or_a_boolean_is_accepted():
    config = config_files.read(DATA / "hostile" / "placeholders.json")
    assert config.values["HttpPort"] == "${HTTP_PORT:-8042}"
    assert isinstance(config.values["HttpPort"], Placeholder)
    assert config.values["RemoteAccessAllowed"] == "${REMOTE_ACCESS:-true}"
    assert config.values["DicomAet"] == "${AET}" and not isinstance(config.values["DicomAet"], Placeholder)


def test_of_two_identical_keys_in_one_file_the_last_counts_and_it_is_said():
    path = DATA / "hostile" / "duplicate-keys.json"
    config = config_files.read(path)
    assert config.values == {"RemoteAccessAllowed": False, "DicomAet": "SECOND"}
    assert config.member("DicomAet").node.value == "SECOND"
    said = "defined twice in this file; Orthanc keeps the last value, and so does orthanc-harden"
    assert config.notes == [f"{path}: $.RemoteAccessAllowed: {said}", f"{path}: $.DicomAet: {said}"]


def test_comments_inside_strings_are_text_and_comments_may_precede_the_object():
    config = config_files.read(DATA / "hostile" / "strings-that-look-like-comments.json")
    assert config.values["Name"] == "http://example.org/* not a comment */ // nor this"
    assert config.values["RemoteAccessAllowed"] is False
    assert config.values["Escapes"] == 'a "quoted" word, a backslash \\ and a tab\t'


def test_trailing_commas_are_read_as_debian_jsoncpp_reads_them():
    assert config_files.read(DATA / "hostile" / "trailing-commas.json").values["DicomAet"] == "ORTHANC"


def test_a_bom_and_crlf_line_endings_are_read_and_remembered(tmp_path):
    path = tmp_path / "orthanc.json"
    path.write_bytes(b'\xef\xbb\xbf{\r\n  "DicomAet" : "BOM"\r\n}\r\n')
    file = config_files.read(path).files[0]
    assert file.doc.bom and file.doc.newline == "\r\n" and file.doc.root.value == {"DicomAet": "BOM"}


@pytest.mark.parametrize("text, where, message", [
    ('{\n  "A": 1 # shell comment\n}', "$", "line 2, column 10: expected ',' or '}' ('#' comments"),
    ('{\n  "DicomPort": $PORT\n}', "$.DicomPort", "line 2, column 16: expected a value, found '$'"),
    ('{"A": 1}\nk', "$", "line 2, column 1: unexpected text after the closing '}'"),
    ('{"A": {"B": [1, 2}}', "$.A.B", "line 1, column 18: expected ',' or ']'"),
    ('{"A": "never closed}', "$.A", "a string is never closed"),
    ('{"A": 1 /* never closed }', "$", "a /* comment is never closed"),
    ("{'A': 1}", "$", "expected a key in double quotes"),
    ("", "$", "must be one JSON object"),
    ("[1]", "$", "must be one JSON object"),
    ('{"A": ' + "[" * 300 + "]" * 300 + "}", "$.A" + "[0]" * 200, "nested too deeply"),
], ids=["hash", "bare-dollar", "extra-text", "bracket", "string", "comment", "single-quotes", "empty",
        "array", "deep"])
def test_text_orthanc_would_refuse_is_refused_with_file_place_and_line(tmp_path, text, where, message):
    path = tmp_path / "orthanc.json"
    path.write_text(text)
    error = problem(path)
    assert error.startswith(f"{path}: {where}: malformed JSON")
    assert message in error and len(error.splitlines()) == 1


def test_a_missing_path_and_an_empty_folder_are_refused(tmp_path):
    assert problem(tmp_path / "nope").endswith("no such file or directory")
    (tmp_path / "empty").mkdir()
    assert "holds no *.json file" in problem(tmp_path / "empty")


@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:2] for p in CORPUS])
def test_every_corpus_file_reads_like_a_json5_reader_or_is_refused_on_purpose(path):
    text = path.read_text("utf-8")
    if path.name[:2] in BROKEN:
        with pytest.raises(document.JsonSyntaxError):
            document.parse(text)
        return
    assert document.parse(text).root.value == json5.loads(text)
