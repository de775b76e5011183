"""Generated profiles, valid and not, never make a traceback: `apply` answers 0 or 2 (1 with --check),
exit 2 writes nothing, and what exit 0 writes is whole: strict JSON, a Lua filter that loads, a
second identical run that changes no byte, and answers that replay to the same configuration.

Profiles are drawn from the profile schema itself (each key's type, enum, range and pattern), with
now and then a wrong value in any place, an unknown key, a preset to extend, comments, or bytes
damaged as the configuration fuzzer damages them. The default run tries a few dozen; `pytest -m
long` thousands.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import lupa.lua53 as lua53
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import JSON_VALUES, LONG_EXAMPLES, SHORT_EXAMPLES, damaged, deep, fuzz_settings, run_cli
from tests.unit.conftest import snapshot
from wizard import profile, resources

SCHEMA = profile.schema()
CIDRS = st.sampled_from(["127.0.0.1/32", "10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "10.0.0.1/8", "::1/128"])
# Keys that only the site can answer: given often, so that remote profiles can be valid too.
SITE = {"server_name": st.sampled_from(["pacs.test", "orthanc.example.org", ""])}


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]] | {k: v for k, v in node.items() if k != "$ref"}
    return node


def plausible(node: dict, name: str = "", dirty: bool = True) -> st.SearchStrategy:
    """Values the schema node describes (mostly valid), by its enum, type, range and pattern;
    `dirty`: with wrong values inside, one time in ten per key."""
    node = resolve(node)
    if name in SITE:
        return SITE[name]
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node or "anyOf" in node:
        return st.one_of([value(option, "", dirty) for option in node.get("oneOf", node.get("anyOf"))])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([plausible(node | {"type": k}, name, dirty) for k in kind])
    if kind == "object":
        properties, required = node.get("properties", {}), node.get("required", [])
        return st.fixed_dictionaries({key: value(properties[key], key, dirty) for key in required},
                                     optional={key: value(sub, key, dirty) for key, sub in properties.items()
                                               if key not in required})
    if kind == "array":
        return st.lists(value(node.get("items", {}), "", dirty), max_size=3)
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "number"):
        low, high = node.get("minimum", -(2**40)), node.get("maximum", 2**40)
        return st.integers(low - 1, high + 1) if dirty else st.integers(low, high)
    if kind == "string":
        if node.get("format") in ("cidr", "ipv4-cidr"):
            return CIDRS
        pattern = node.get("pattern")
        if pattern and "(?" not in pattern:
            return st.from_regex(pattern, fullmatch=True).filter(lambda text: len(text) < 80)
        return st.text(min_size=node.get("minLength", 0), max_size=24)
    return JSON_VALUES


def value(node: dict, name: str = "", dirty: bool = True) -> st.SearchStrategy:
    """The schema's default now and then, a wrong value of any type one time in ten (if dirty),
    else a plausible one."""
    default = resolve(node).get("default")
    choices = [plausible(node, name, dirty)] * 8 + ([JSON_VALUES] if dirty else [])  # one_of: alike
    if default is not None:
        choices.append(st.just(default))
    return st.one_of(choices)


@st.composite
def profile_text(draw) -> bytes:
    sections = {key: sub for key, sub in SCHEMA["properties"].items() if resolve(sub).get("type") == "object"}
    dirty = draw(st.booleans())
    chosen = draw(st.fixed_dictionaries({}, optional={key: plausible(sub, key, dirty) for key, sub in sections.items()}))
    if draw(st.booleans()):
        chosen["extends"] = draw(st.sampled_from(resources.preset_names() * 4 + ["no-such-preset", "../x"]))
    if draw(rare(10)):
        chosen[draw(st.text(max_size=10))] = draw(JSON_VALUES)
    if draw(rare(5)):
        chosen["orthanc_version"] = draw(st.sampled_from(["1.10.1", "1.12.7", "1.13.0", "0.9", "2.0.0", "x"]))
    text = json.dumps(chosen, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = "// a profile\n" + text.replace("{", "{ /* c */", 1)
    data = text.encode("utf-8")
    return draw(damaged(data)) if draw(rare(6)) else data


def rare(one_in: int) -> st.SearchStrategy:
    """True one time in `one_in` (the rare case last: hypothesis shrinks towards the first)."""
    return st.sampled_from([False] * (one_in - 1) + [True])


def one_example(data: bytes, check: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "profile.jsonc", Path(tmp) / "out"
        path.write_bytes(data)
        before = snapshot(Path(tmp))
        result = run_cli("apply", "--preset", path, "--out", out, *(["--check"] if check else []))
        assert "Traceback" not in result.stderr
        assert result.code in ((0, 1, 2) if check else (0, 2)), result
        if result.code == 2 or check:
            assert snapshot(Path(tmp)) == before, f"exit {result.code} changed files"
        if result.code == 2:
            assert result.stderr.strip() and not result.stdout.strip(), result
        elif not check:
            whole(out)
            again = run_cli("apply", "--preset", path, "--out", out, "--check")
            assert again.code == 0, f"a second identical run would change files: {again}"
        return result.code


def whole(out: Path) -> None:
    """What a run wrote: strict JSON, a filter Lua 5.3 loads, answers that replay to the same
    configuration (the checklist's warnings of the run may differ: a literal password is not replayed)."""
    config = json.loads((out / "orthanc.json").read_text("utf-8"))
    for script in config.get("LuaScripts", []):  # none when the HTTP server is off
        runtime = lua53.LuaRuntime()
        runtime.execute((out / script).read_text("utf-8"))
        assert runtime.globals().IncomingHttpRequestFilter is not None
    replay = run_cli("apply", "--preset", out / "orthanc-harden.jsonc", "--out", out, "--check")
    assert replay.code == 0 or (replay.code, replay.stdout.splitlines()[0]) == (1, "would change: CHECKLIST.md"), replay


def fuzz(examples: int) -> Counter:
    outcomes: Counter = Counter()

    @fuzz_settings(examples)
    @given(profile_text(), st.booleans())
    def example(data, check):
        outcomes[one_example(data, check)] += 1

    example()
    return outcomes


def test_generated_profiles_get_a_documented_answer_and_bad_input_writes_nothing():
    assert sum(fuzz(SHORT_EXAMPLES * 2).values()) >= SHORT_EXAMPLES


@pytest.mark.long
def test_thousands_of_generated_profiles_get_a_documented_answer():
    outcomes = fuzz(LONG_EXAMPLES * 2)
    print(dict(outcomes))
    assert outcomes[0] and outcomes[2], outcomes


@pytest.mark.parametrize("depth", [65, 900, 100_000])
def test_a_profile_nested_deeper_than_any_real_one_is_bad_input_even_under_extends(depth):
    # Found by the long run: 900 levels parse, then copying them onto the preset overflowed the stack.
    data = ('{"extends": "localhost", "network": {"allowed_networks": ' + deep(depth) + "}}").encode()
    assert one_example(data, check=False) == 2
