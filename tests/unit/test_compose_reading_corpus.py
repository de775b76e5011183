"""The compose corpus (35 deployments of the Orthanc team's samples, tests/data/compose/corpus) read
without a traceback, and judged against Debian's docker-compose 1.29 (`docker-compose config`):
the environment, ports and image of every service as it resolves them equal ours."""

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from wizard.errors import BadInput
from wizard.sources.compose.reading import load

CORPUS = Path(__file__).parents[1] / "data" / "compose" / "corpus"
FILES = sorted(CORPUS.rglob("*compose*.yml"))
ENVIRON = {"PATH": "/usr/bin:/bin"}  # compose sees no variable of this machine
# Files docker-compose 1.29 refuses, and why (what compose v2 does is what we follow).
V1_REFUSES = {
    # A YAML mapping as an environment value: v1 and v2 both refuse it; so do we, for that service.
    "dicom-cfind-filter-lua/docker-compose.yml": "ORTHANC__DICOM_MODALITIES contains {",
    # Unquoted `true` in `environment`: v1 refuses, v2 takes it as the text "true" (compared quoted below).
    "oe2-worklists/docker-compose.yml": "contains true, which is an invalid type",
    "sanitize-middleman-python/docker-compose.yml": "contains true, which is an invalid type",
}
# Secret files the samples name but do not ship (upstream has only my-secret-file-for-pg-password,
# which the corpus copy left out): the container could not be created, and we say so.
MISSING_SECRETS = {"orthanc-file-in-env-var-and-password-in-secret", "orthanc-with-indirect-secret",
                   "orthanc-with-direct-secret", "orthanc-with-indirect-secret-legacy", "orthanc-with-direct-secret-legacy"}


def name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def orthanc_services(path: Path) -> list[str]:
    """The Orthanc services of a file: one read alone, or those named by the refusal to choose
    (none when compose itself refuses the file)."""
    try:
        return [load(path, environ={}).service.name]
    except BadInput as refusal:
        text = str(refusal)
        if "several services run Orthanc (" not in text:
            assert text.startswith(f"{path}: services.") and "must be a string" in text, text
            return []
        return text.split("several services run Orthanc (")[1].split(")")[0].split(", ")


@pytest.mark.parametrize("path", FILES, ids=name)
def test_each_corpus_deployment_is_read_or_refused_naming_file_and_key(path):
    for service in orthanc_services(path):
        try:
            deployment = load(path, service, environ={})
        except BadInput as refusal:
            assert str(refusal).startswith(f"{path}: ") and (service in MISSING_SECRETS or service in str(refusal))
            continue
        assert deployment.service.name == service
        assert deployment.generated.exit in (0, 1, 253, 254, 255)
        assert (deployment.generated.config is None) == (deployment.generated.exit != 0)


def test_a_yaml_mapping_as_an_environment_value_refuses_the_file_as_compose_does():
    path = CORPUS / "dicom-cfind-filter-lua" / "docker-compose.yml"
    for service in ("orthanc-a", "orthanc-b"):  # compose validates the whole file before any service
        with pytest.raises(BadInput, match="services.orthanc-a.environment.ORTHANC__DICOM_MODALITIES: must be a string"):
            load(path, service, environ={})


@cache
def v1_config(path: Path) -> tuple[int, str, str]:
    done = subprocess.run(["docker-compose", "-f", str(path), "config"], capture_output=True, text=True,
                          env=ENVIRON, timeout=120, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module", autouse=True)
def v1_all():
    """docker-compose config on every file at once (each takes half a second)."""
    if shutil.which("docker-compose") is None:
        pytest.skip("Debian's docker-compose is not installed")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(v1_config, FILES))


def quoted_booleans(path: Path, folder: Path) -> Path:
    """A copy of the deployment whose environment booleans are quoted, which v1 accepts."""
    copy = folder / path.parent.name
    shutil.copytree(path.parent, copy)
    yaml = YAML()
    document = yaml.load(path.read_text())
    for service in document["services"].values():
        environment = service.get("environment")
        if hasattr(environment, "items"):
            for key, value in environment.items():
                if isinstance(value, bool):
                    environment[key] = "true" if value else "false"
    with open(copy / path.name, "w") as out:
        yaml.dump(document, out)
    return copy / path.name


@pytest.mark.parametrize("path", FILES, ids=name)
def test_docker_compose_resolves_environment_ports_and_image_as_we_do(path, tmp_path):
    code, out, err = v1_config(path)
    if name(path) in V1_REFUSES:
        assert code != 0 and V1_REFUSES[name(path)] in err
        if "contains true" not in err:
            return
        path = quoted_booleans(path, tmp_path)
        code, out, err = v1_config(path)
    assert code == 0, err
    for service, resolved in YAML(typ="safe").load(out)["services"].items():
        try:
            ours = load(path, service, environ=ENVIRON).service
        except BadInput as refusal:
            assert service in MISSING_SECRETS or "must be a string" in str(refusal), refusal
            continue
        dockerfile = ours.dockerfile.path if ours.dockerfile else None  # v1 does not show the image's ENV
        environment = {k: v.value for k, v in ours.environment.items() if v.file != dockerfile}
        assert environment == v1_environment(resolved), service
        assert sorted(map(port_of, ours.ports), key=str) == sorted(map(v1_port, resolved.get("ports", [])), key=str), service
        assert ours.image == resolved.get("image"), service


def v1_environment(resolved: dict) -> dict:
    """v1 prints `$` as `$$` so that its output reads back; the container gets one `$`."""
    return {k: None if v is None else str(v).replace("$$", "$") for k, v in (resolved.get("environment") or {}).items()}


def port_of(port) -> tuple:
    return port.host_ip, port.host_port, port.container, port.protocol


def v1_port(port) -> tuple:
    if isinstance(port, dict):
        published = port.get("published")
        return port.get("host_ip"), None if published is None else str(published), str(port["target"]), port.get("protocol", "tcp")
    spec, _, protocol = str(port).partition("/")
    ip, host, container = spec.rsplit(":", 2)
    return ip or None, host or None, container, protocol or "tcp"


def test_docker_compose_agrees_on_interpolation_dotenv_env_files_bare_keys_and_ports(tmp_path):
    (tmp_path / ".env").write_text("SITE=from-dotenv\nFROM_DOTENV=dotenv-value\nEMPTY=\n")
    (tmp_path / "a.env").write_text("ORTHANC__STABLE_AGE=3\nUNRESOLVED=from-env-file\nFROM_PROCESS=file\n")
    path = tmp_path / "docker-compose.yml"
    path.write_text("""services:
  orthanc:
    image: "orthancteam/orthanc:${TAG:-26.8.0}"
    env_file: [a.env]
    environment:
      - ORTHANC__NAME=${SITE-default}-$$HOME
      - FROM_PROCESS
      - UNRESOLVED
      - FROM_DOTENV
      - ORTHANC__DICOM_AET=${EMPTY:-AET}
    ports: ["127.0.0.1::8042", "[::1]:4242:4242", 104, {target: 8042, published: 8043, protocol: tcp}]
""")
    environ = {**ENVIRON, "FROM_PROCESS": "proc"}
    done = subprocess.run(["docker-compose", "-f", str(path), "config"], capture_output=True, text=True, env=environ,
                          check=True)
    resolved = YAML(typ="safe").load(done.stdout)["services"]["orthanc"]
    ours = load(path, environ=environ).service
    assert {k: v.value for k, v in ours.environment.items()} == v1_environment(resolved)
    assert ours.environment["UNRESOLVED"].value is None and ours.environment["ORTHANC__NAME"].value == "from-dotenv-$HOME"
    assert sorted(map(port_of, ours.ports), key=str) == sorted(map(v1_port, resolved["ports"]), key=str)
    assert ours.image == resolved["image"] == "orthancteam/orthanc:26.8.0"
