"""Shared by the fuzz tests: hypothesis strategies for damaged files, and a run of the command line
that reports its exit status, its output and whether it raised."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from wizard import cli

SHORT_EXAMPLES, LONG_EXAMPLES = 25, 2_500


def fuzz_settings(examples: int):
    """No example database (nothing written into the work tree), no deadline (a run reads files)."""
    return settings(max_examples=examples, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*argv) -> Run:
    """cli.main in this process; an exception escapes to the test, which is the point."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


# Values that are valid JSON and wrong almost everywhere, or far out of range.
HUGE = st.sampled_from([10**30, 2**63, -(2**63) - 1, 1e308, -0.0, 65536, -1, 0, "x" * 100_000,
                        ["10.0.0.0/8"] * 10_000, {"k%d" % i: i for i in range(1000)}])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
                    st.text(max_size=40), st.sampled_from(["${HOME}", "${X:-y}", "\x00", "\ufeff", "..", "/"]))
JSON_VALUES = st.recursive(SCALARS | HUGE, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


def deep(depth: int, opener: str = "[") -> str:
    """Arrays or objects nested `depth` deep."""
    if opener == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@st.composite
def damaged(draw, original: bytes) -> bytes:
    """`original` damaged once or twice: truncated, garbage, BOMs, NULs, invalid UTF-8, deep nesting,
    a duplicated key, huge or wrongly typed values."""
    data = original
    for _ in range(draw(st.integers(1, 2))):
        data = draw(st.sampled_from(DAMAGES))(draw, data)
    return data


def _at(draw, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def _truncated(draw, data: bytes) -> bytes:
    return data[:_at(draw, data)]


def _inserted(draw, data: bytes) -> bytes:
    where = _at(draw, data)
    junk = draw(st.one_of(st.binary(min_size=1, max_size=16),
                          st.sampled_from([b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80",
                                           b"\xf4\x90\x80\x80", b"\x80", b"\r", b"\\", b'"', b"/*", b"//", b",", b"}"])))
    return data[:where] + junk + data[where:]


def _bom(draw, data: bytes) -> bytes:
    return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\x00"])) + data


def _nested(draw, data: bytes) -> bytes:
    depth = draw(st.sampled_from([64, 1_000, 100_000]))
    return _with_value(draw, data, deep(depth, draw(st.sampled_from("[{"))).encode())


def _wrong_value(draw, data: bytes) -> bytes:
    return _with_value(draw, data, json.dumps(draw(JSON_VALUES)).encode())


def _with_value(draw, data: bytes, value: bytes) -> bytes:
    """The value after one `"Key" :` of the text replaced (up to the end of its line)."""
    colons = [i for i in range(len(data)) if data[i:i + 1] == b":"]
    if not colons:
        return data + value
    colon = draw(st.sampled_from(colons))
    end = data.find(b"\n", colon)
    end = len(data) if end < 0 else end
    comma = b"," if data[:end].rstrip().endswith(b",") else b""
    return data[:colon + 1] + b" " + value + comma + data[end:]


def _duplicated_key(draw, data: bytes) -> bytes:
    """A top-level key defined a second time, with another value."""
    start = data.find(b"{")
    if start < 0:
        return data
    key = draw(st.sampled_from([b"HttpPort", b"RegisteredUsers", b"RemoteAccessAllowed", b"LuaScripts",
                                b"AuthenticationEnabled", b"DicomModalities"]))
    value = json.dumps(draw(JSON_VALUES)).encode()
    return data[:start + 1] + b'"' + key + b'": ' + value + b"," + data[start + 1:]


DAMAGES = [_truncated, _inserted, _bom, _nested, _wrong_value, _duplicated_key]
