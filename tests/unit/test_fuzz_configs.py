"""Damaged configuration files never make a traceback: apply, apply --config, audit and the wizard's
import path answer with their documented exit status (or BadInput), and exit 2 changes nothing.

Each example damages one of Debian's files (truncated, garbage bytes, BOMs, NULs, invalid UTF-8,
deep nesting, a key defined twice, huge or wrongly typed values) and runs one of the ways in.
The default run tries a few examples per way; `pytest -m long` thousands.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import LONG_EXAMPLES, SHORT_EXAMPLES, damaged, fuzz_settings, run_cli
from tests.unit.conftest import snapshot
from wizard import workflow
from wizard.errors import BadInput

DEBIAN = Path(__file__).resolve().parents[1] / "data" / "configs" / "debian-1.10.1"
FILES = sorted(p.name for p in DEBIAN.glob("*.json"))
ORIGINALS = {name: (DEBIAN / name).read_bytes() for name in FILES}
WAYS = ("apply in place", "apply --out", "apply --check", "audit", "import", "import lenient")


@st.composite
def damaged_folder(draw):
    """(file name, its damaged bytes)."""
    name = draw(st.sampled_from(FILES))
    return name, draw(damaged(ORIGINALS[name]))


def try_way(way: str, folder: Path, out: Path) -> int | str:
    """Run one way in on the folder; its exit status ('ok'/'bad input' for the import path)."""
    if way.startswith("import"):
        try:
            workflow.starting_answers("localhost", folder, lenient=way.endswith("lenient"))
        except BadInput as error:
            assert str(error).strip(), "a BadInput without a message"
            return "bad input"
        return "ok"
    if way == "audit":
        result = run_cli("audit", folder, "--orthanc-version", "1.10.1", "--format", "json")
        assert result.code in (0, 1, 2), result
    else:
        extra = {"apply in place": [], "apply --out": ["--out", out], "apply --check": ["--check", "--diff"]}[way]
        result = run_cli("apply", "--preset", "localhost", "--config", folder, *extra)
        assert result.code in ((0, 1, 2) if way == "apply --check" else (0, 2)), result
    assert "Traceback" not in result.stderr
    if result.code == 2:
        assert result.stderr.strip() and not result.stdout.strip(), result
    return result.code


def one_example(name: str, data: bytes, way: str) -> int | str:
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "orthanc", Path(tmp) / "out"
        shutil.copytree(DEBIAN, folder)
        (folder / "README.md").unlink()
        (folder / name).write_bytes(data)
        before = snapshot(Path(tmp))
        outcome = try_way(way, folder, out)
        if outcome in (2, "bad input") or way in ("apply --check", "audit") or way.startswith("import"):
            assert snapshot(Path(tmp)) == before, f"{way} exited {outcome} and changed files"
        return outcome


def fuzz(examples: int) -> Counter:
    outcomes: Counter = Counter()

    @fuzz_settings(examples)
    @given(damaged_folder(), st.sampled_from(WAYS))
    def example(file, way):
        outcomes[way, one_example(*file, way)] += 1

    example()
    return outcomes


def test_damaged_configuration_files_get_a_documented_answer_and_bad_input_changes_nothing():
    outcomes = fuzz(SHORT_EXAMPLES * len(WAYS))
    assert sum(outcomes.values()) >= SHORT_EXAMPLES * len(WAYS) // 2


@pytest.mark.long
def test_thousands_of_damaged_configuration_files_get_a_documented_answer():
    outcomes = fuzz(LONG_EXAMPLES * 2)
    print(dict(outcomes))
    # Damage is not always fatal (a comment hit, a value still valid): both answers must occur.
    assert {code for (way, code) in outcomes if way == "apply in place"} >= {0, 2}, outcomes
