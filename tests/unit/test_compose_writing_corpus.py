"""Every Orthanc service of the compose corpus (the Orthanc team's samples) edited in place toward a
hardened configuration: authentication on, a user with a strong password, remote access kept, a
new find limit. Debian's docker-compose 1.29 must accept the result and read every other service as
before, every comment line must stay, the generator's reproduction must read the wanted values from
the files written, no password may stay in the compose file or an env_file, and the secret files
are 0600."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from tests.unit.test_compose_writing import write
from wizard.errors import BadInput
from wizard.sources.compose import reading, services, writing

CORPUS = Path(__file__).parents[1] / "data" / "compose" / "corpus"
STRONG = "Vb6nQ2wLz8RkT4yHm9XcJp3D"
HARDENED = {"AuthenticationEnabled": True, "RegisteredUsers": {"admin": STRONG}, "LimitFindResults": 123}


def prepared(folder: str, into: Path) -> Path:
    """A writable copy of a corpus folder, with the secret files the samples leave to the reader
    (a database password) made up, as compose needs them to exist."""
    target = into / folder
    shutil.copytree(CORPUS / folder, target)
    for path in [target, *target.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    try:
        document = YAML(typ="safe").load((target / "docker-compose.yml").read_text())
    except YAMLError:
        return target  # the reader refuses it, naming the line
    for secret in (document.get("secrets") or {}).values():
        file = target / secret["file"] if isinstance(secret, dict) and "file" in secret else None
        if file is not None and not file.exists():
            file.write_text("pg-password\n")
    return target


@functools.cache
def pairs() -> tuple[list, list]:
    """(folder, service) of every Orthanc service the reader takes: those that start, those that stop."""
    starting, stopping = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for folder in sorted(p.name for p in CORPUS.iterdir() if (p / "docker-compose.yml").is_file()):
            copy = prepared(folder, Path(scratch))
            try:
                names = list(YAML(typ="safe").load((copy / "docker-compose.yml").read_text())["services"])
                first = reading.load(copy, names[0])
            except (BadInput, YAMLError):
                continue  # the reader refuses this sample (its own tests say why)
            for service in first.services.values():
                if not services.runs_orthanc(service):
                    continue
                try:
                    deployment = reading.load(copy, service.name)
                except BadInput:
                    continue
                (starting if deployment.generated.exit == 0 else stopping).append((folder, service.name))
    return starting, stopping


def compose_read(folder: Path) -> tuple[dict | None, str]:
    """(services, "") as Debian's docker-compose 1.29 reads them, or (None, its complaint)."""
    result = subprocess.run(["docker-compose", "-f", str(folder / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, timeout=60, cwd=folder)
    if result.returncode != 0:
        return None, result.stderr.replace(str(folder), ".")
    return YAML(typ="safe").load(result.stdout.replace(str(folder), "."))["services"], ""


@functools.cache
def services_before(folder: str) -> tuple[dict | None, str]:
    with tempfile.TemporaryDirectory() as scratch:
        return compose_read(prepared(folder, Path(scratch)))


def test_the_corpus_gives_more_than_fifty_services_to_edit():
    assert len(pairs()[0]) > 50


@pytest.mark.parametrize("folder,service", pairs()[0], ids=lambda value: value)
def test_a_corpus_service_is_hardened_in_place_and_nothing_else_changes(folder, service, tmp_path):
    copy = prepared(folder, tmp_path)
    deployment = reading.load(copy, service)
    wanted = {**json.loads(json.dumps(deployment.generated.config)), **HARDENED}
    written = writing.changes(deployment, wanted)
    write(written)

    before, complaint = services_before(folder)
    after, complaint_after = compose_read(copy)
    if before is None:  # a sample docker-compose 1.29 refuses (`KEY: true` unquoted): no worse after
        assert complaint_after == complaint
    else:
        assert {name: after[name] for name in after if name != service} == \
            {name: value for name, value in before.items() if name != service}

    for change in written.files:
        if change.old is not None:
            kept = set(change.new.splitlines())
            assert [line for line in change.old.splitlines() if _comment(line) and line not in kept] == []

    read_again = reading.load(copy, service)
    if after is not None:  # compose and the reader see the same variables in the edited service
        assert {name: str(value) for name, value in (after[service].get("environment") or {}).items()} == \
            {name: v.value for name, v in read_again.service.environment.items()
             if v.value is not None and "Dockerfile" not in v.file.name}  # compose does not show the image's ENV
    again = read_again.generated
    assert again.exit == 0 and again.warnings == deployment.generated.warnings
    assert {key: again.config.get(key) for key in wanted} == wanted
    assert again.config["RemoteAccessAllowed"] == deployment.generated.config["RemoteAccessAllowed"]

    for variable_file in {copy / "docker-compose.yml", *(v.file for v in deployment.service.environment.values())}:
        assert STRONG not in Path(variable_file).read_text()
    holding = [change.path for change in written.files if STRONG in change.new]
    mounted = set(deployment.files.values())  # a file of /etc/orthanc that holds the users keeps its mode
    assert holding and all(path.stat().st_mode & 0o777 == 0o600 for path in holding if path not in mounted)


@pytest.mark.parametrize("folder,service", pairs()[1], ids=lambda value: value)
def test_a_corpus_service_whose_container_stops_is_refused_without_a_write(folder, service, tmp_path):
    deployment = reading.load(prepared(folder, tmp_path), service)
    with pytest.raises(BadInput, match="stops at start-up today"):
        writing.changes(deployment, HARDENED)


def _comment(line: str) -> bool:
    return line.strip().startswith(("#", "//"))
