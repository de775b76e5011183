"""Reading JSON with comments as Orthanc's jsoncpp does."""

import pytest

from wizard import jsonc
from wizard.errors import BadInput


def test_comments_and_trailing_commas_are_accepted():
    text = '// head\n{ /* a */ "a": 1, // b\n "b": [1, 2, ], }\n'
    assert jsonc.loads(text, "f") == {"a": 1, "b": [1, 2]}


def test_comment_markers_inside_strings_are_kept():
    text = '{"url": "http://x/*y*/", "c": "// not a comment", "q": "a\\"//b"}'
    assert jsonc.loads(text, "f") == {"url": "http://x/*y*/", "c": "// not a comment", "q": 'a"//b'}


def test_escaped_backslashes_are_decoded_once():
    assert jsonc.loads(r'{"p": "pa\\u0041ss-\\x41"}', "f") == {"p": r"pa\u0041ss-\x41"}


def test_a_byte_order_mark_and_crlf_are_accepted():
    assert jsonc.loads('\ufeff{\r\n"a": 1 // x\r\n}\r\n', "f") == {"a": 1}


def test_the_last_duplicate_key_wins_as_in_orthanc():
    assert jsonc.loads('{"a": 1, "a": 2}', "f") == {"a": 2}


def test_errors_point_at_the_original_line_and_column():
    with pytest.raises(BadInput) as caught:
        jsonc.loads('/* one\n two */\n{"a": 1,\n "b": tru}', "conf.json")
    assert str(caught.value) == "conf.json: $: malformed JSON: Expecting value at line 4 column 7"


@pytest.mark.parametrize("text", ['{"a": 1} k', "{'a': 1}", "{a: 1}", '{"a": 1 # shell comment\n}', "/* open"])
def test_what_orthanc_refuses_is_refused(text):
    with pytest.raises(BadInput):
        jsonc.loads(text, "f")
