"""One pair of example folders per rule: the negative one gets the rule's finding, at the line of
its key, and the positive one (the same situation fixed) does not."""

import shutil
from pathlib import Path

import pytest

from wizard import findings, jsonc, sources, versions
from wizard.audit import host, report
from wizard.audit.host import Target
from wizard.orthanc import config_files

ROOT = Path(__file__).resolve().parents[1] / "data" / "audit"
NEGATIVE = sorted((ROOT / "negative").iterdir())
POSITIVE = sorted((ROOT / "positive").iterdir())


def audit_example(source: Path, tmp_path: Path) -> report.Report:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    case_file = folder / "audit-case.jsonc"
    case = jsonc.load(case_file) if case_file.exists() else {}
    for name, mode in case.get("modes", {}).items():
        (folder / name).chmod(int(mode, 8))
    version = case.get("orthanc_version")
    target = Target(versions.parse(version) if version else None, "--orthanc-version" if version else None,
                    case.get("debian_package"))
    if sources.compose_file(folder) is not None:  # a compose deployment: judged at the release its image ships
        config = sources.read(folder)
        return report.audit(config, target if version else host.of_image(None, config.deployment),
                            {}, "high")
    return report.audit(config_files.read(folder), target, {}, "high")


@pytest.mark.parametrize("example", NEGATIVE, ids=lambda p: p.name)
def test_a_negative_example_gets_its_rule_s_finding_at_the_line_of_its_key(example, tmp_path):
    found = [f for f in audit_example(example, tmp_path).findings if f.id == example.name]
    assert found, f"{example.name} not found in {example}"
    for finding in found:
        if finding.line is None:
            continue  # an option Orthanc takes by default, or the release: no line holds it
        line = Path(finding.file).read_text().splitlines()[finding.line - 1]
        last = finding.path[-1] if finding.path else finding.key
        if sources.compose_file(example) is not None:  # compose, env_file, Dockerfile: the word on the line
            assert finding.key in line, (finding, line)
            continue
        assert f'"{finding.current if isinstance(last, int) else last}"' in line, (finding, line)


@pytest.mark.parametrize("example", POSITIVE, ids=lambda p: p.name)
def test_a_positive_example_does_not_get_its_rule_s_finding(example, tmp_path):
    assert example.name not in {f.id for f in audit_example(example, tmp_path).findings}


def test_every_rule_has_a_negative_and_a_positive_example():
    assert {p.name for p in NEGATIVE} == set(findings.RULES)
    assert {p.name for p in POSITIVE} == set(findings.RULES)
