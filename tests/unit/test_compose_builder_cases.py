"""The orthancteam image's generator, reproduced: every measured case gives the configuration and
the exit status the real generator gave (tests/data/compose/builder-cases.json)."""

import json
from pathlib import Path

import pytest

from wizard.sources.compose.generator import generate
from wizard.sources.compose.model import Variable

DATA = json.loads((Path(__file__).parents[1] / "data" / "compose" / "builder-cases.json").read_text())
CASES = DATA["cases"]


def run(case: dict):
    given = case["input"]
    variables = {name: Variable(name, text, f"{name}={text}", Path("docker-compose.yml"), line)
                 for line, (name, text) in enumerate(given.get("env", {}).items(), start=1)}
    files = [("/etc/orthanc/" + name, None, text) for name, text in given.get("etc", {}).items()]
    secrets = [(name, None, text) for name, text in given.get("secrets", {}).items()]
    return generate(variables, files, secrets)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_each_measured_case_gives_the_generators_configuration_and_exit(case):
    generated = run(case)
    assert (generated.exit, generated.config) == (case["exit"], case["config"]), generated.reason


@pytest.mark.parametrize("case", [c for c in CASES if c["exit"] != 0], ids=lambda c: c["case"])
def test_a_stop_is_explained_with_the_lines_the_generator_logs(case):
    logged = [line.rstrip() for line in case["log_excerpt"]]
    reason = run(case).reason
    assert reason and all(line.rstrip() in logged for line in reason.splitlines())
