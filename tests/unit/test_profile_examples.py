"""Positive and negative example profiles: a new case is a new file under tests/data/profiles."""

from pathlib import Path

import pytest

from wizard import profile
from wizard.errors import BadInput

EXAMPLES = Path(__file__).parent.parent / "data" / "profiles"
POSITIVE = sorted((EXAMPLES / "positive").glob("*.jsonc"))
NEGATIVE = sorted((EXAMPLES / "negative").glob("*.jsonc"))


def expected_path(path: Path) -> str:
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("// expect: "), f"{path.name} must start with '// expect: JSON_PATH'"
    return first.removeprefix("// expect: ").strip()


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.stem)
def test_positive_example_is_accepted(path):
    raw, name = profile.load(str(path))
    assert name == str(path)
    assert profile.effective(raw)["orthanc_version"]


@pytest.mark.parametrize("path", NEGATIVE, ids=lambda p: p.stem)
def test_negative_example_is_refused_at_its_json_path(path):
    with pytest.raises(BadInput) as caught:
        profile.load(str(path))
    problems = caught.value.problems
    assert all(p.file == str(path) for p in problems)
    assert expected_path(path) in [p.path for p in problems], [str(p) for p in problems]
    assert all(p.message for p in problems)


def test_there_are_enough_examples():
    assert len(POSITIVE) >= 5 and len(NEGATIVE) >= 30


def test_every_error_is_reported_sorted_by_path():
    raw = {"network": {"http_port": 0}, "dicom": {"aet": "X" * 17, "port": -1}}
    problems = profile.validate(raw, "p.json")
    assert [p.path for p in problems] == ["$.dicom.aet", "$.dicom.port", "$.network.http_port"]


def test_an_empty_profile_takes_the_hardened_defaults():
    answers = profile.defaults()
    assert answers["network"]["remote_access"] is False
    assert answers["authentication"]["enabled"] is True
    assert answers["dicom"]["always_allow_echo"] is False and answers["dicom"]["always_allow_store"] is False
    assert answers["dicom"]["check_modality_host"] is True and answers["dicom"]["check_called_aet"] is True
    assert answers["limits"] == {"find_results": 100, "find_instances": 100}
    assert answers["scripting"] == {"execute_lua": False, "write_to_filesystem": False}
    assert answers["outgoing"]["verify_peers"] is True and answers["logs"]["deidentify"] is True


def test_defaults_fill_list_items_too():
    answers = profile.effective({"authentication": {"users": [{"name": "a", "role": "admin"}]},
                                 "dicom": {"modalities": [{"name": "m", "aet": "M", "host": "10.0.0.1", "port": 104}]}})
    assert answers["authentication"]["users"][0] == {"name": "a", "role": "admin", "password": {"generate": True}, "from": []}
    assert answers["dicom"]["modalities"][0]["allow"] == ["echo"]


def test_a_cidr_with_host_bits_suggests_the_network():
    problems = profile.validate({"network": {"allowed_networks": ["10.1.2.3/8"]}}, "p")
    assert "did you mean 10.0.0.0/8" in problems[0].message


def test_an_unknown_preset_lists_the_shipped_ones():
    with pytest.raises(BadInput) as caught:
        profile.load("no-such-preset")
    assert "intranet" in str(caught.value) and caught.value.problems[0].file == "no-such-preset"
