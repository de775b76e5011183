"""Real compose deployments of the Orthanc team's samples, edited in place (`apply --config
docker-compose.yml`), proven on the real Orthanc: no Docker runs here, so each is judged by the
configuration the image's generator builds from the edited files (sources.compose.reading), made
runnable on this host as `verify` does (runnable.on_host: the mounted filter's container path mapped
to the written file, the image's plugin folders left out, the harness's storage and ports).

On the host's 1.10.1, `orthanc-harden verify` runs its whole matrix on each edited sample (every
user's role, anonymous and wrong logins, DICOM from an unknown AET and to a wrong called AET); on the
three releases the basic sample, edited for that release, gives 401 to anonymous, 200 to the
rotated admin, 403 to a reader's DELETE, and rejects an unknown AET. `audit` of every edited sample
finds nothing high."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wizard.sources.compose import reading, runnable

from .dicom import echo
from .http import request
from .orthanc_server import free_port
from .profiles import clean_env, run_cli, write_profile

CORPUS = Path(__file__).parents[1] / "data" / "compose" / "corpus"
# Samples that edit cleanly, chosen for their variety: variables as a map or a list, ORTHANC_JSON,
# mounted JSON files, env_files, secrets, PostgreSQL/MySQL sections, TLS, Lua and Python scripts.
SAMPLES = ["basic", "postgresql", "mysql", "dicom-web:orthanc-a", "peering:orthanc-b", "read-only:orthanc-read-only",
           "oe2-worklists", "python", "full-tls:orthanc-a", "tls-mutual-auth:orthanc-a", "minio", "meddream",
           "logs", "health-check", "stone-viewer", "advanced-storage:orthanc-1", "all-usages:orthanc-file-in-secrets",
           "share-docker-compose-env-file:orthanc-b", "ohif:orthanc-plugin", "oe2:orthanc-custom"]
READER = {"name": "reader", "role": "read-only", "password": {"generate": True}}


def edited(sample: str, folder: Path, version: str, http_port: int, dicom_port: int) -> tuple[Path, str, Path, str]:
    """A copy of the sample edited with the localhost preset plus a reader, for `version` on free
    ports; the compose file, the service, the file of the passwords handed over, what apply said."""
    name, _, service = sample.partition(":")
    shutil.copytree(CORPUS / name, folder / name)
    compose = folder / name / "docker-compose.yml"
    service = service or reading.load(compose, None, clean_env()).service.name
    profile = write_profile(folder / "profile.jsonc", {
        "extends": "localhost", "network": {"http_port": http_port},
        "dicom": {"port": dicom_port}, "authentication": {"users": [READER]}})
    secrets = folder / "handed-over.txt"
    done = run_cli("apply", "--preset", str(profile), "--config", str(compose), "--service", service,
                   "--orthanc-version", version, "--secrets-file", str(secrets), cwd=folder)
    assert done.returncode == 0, done.stderr
    return compose, service, secrets, done.stderr


def handed(secrets: Path) -> dict[str, str]:
    return dict(line.removeprefix("user ").split(": ", 1) for line in secrets.read_text().splitlines()
                if line.startswith("user "))


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_edited_sample_passes_verify_on_the_host_s_orthanc_and_audit_finds_nothing_high(sample, tmp_path):
    compose, service, secrets, said = edited(sample, tmp_path, "1.10.1", free_port(), free_port())
    verified = run_cli("verify", str(compose), "--service", service, "--secrets-file", str(secrets), cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-2000:]
    assert "Result: PASS" in verified.stdout
    audited = run_cli("audit", str(compose), "--service", service, "--format", "json", cwd=tmp_path)
    report = json.loads(audited.stdout)
    high = [f for f in report["findings"] if f["severity"] in ("critical", "high")]
    # What the site must fix on both sides is said by apply, in the audit's words: another service's
    # database published with a sample's login (an edit keeps every other service byte for byte), and
    # a plugin's secret at a sample's value (the database or the peer must change it too).
    others = [f for f in high if f["id"] in ("OH-DOCKER-003", "OH-SECRET-002")]
    assert all(f"finding: {f['id']} ({f['severity']})" in said for f in others)
    assert not [f"{f['id']}: {f['message']}" for f in high if f not in others]


def test_the_edited_basic_sample_holds_on_each_release(release, tmp_path, start_orthanc):
    http_port, dicom_port = free_port(), free_port()
    compose, service, secrets, _ = edited("basic", tmp_path, release.version, http_port, dicom_port)
    deployment = reading.load(compose, service, clean_env())
    assert deployment.generated.exit == 0
    values, _ = runnable.on_host(deployment)
    run = tmp_path / "run"
    run.mkdir()
    (run / "orthanc.json").write_text(json.dumps(values, indent=2))
    orthanc = start_orthanc(run, release)
    passwords = handed(secrets)
    assert request(orthanc.url, path="/system")[0] == 401
    assert request(orthanc.url, path="/system", user="demo", password="demo")[0] == 401  # rotated
    assert request(orthanc.url, path="/system", user="demo", password=passwords["demo"])[0] == 200
    assert request(orthanc.url, path="/system", user="reader", password=passwords["reader"])[0] == 200
    assert request(orthanc.url, "DELETE", path="/patients/x", user="reader", password=passwords["reader"])[0] == 403
    assert not echo(orthanc.dicom_port, "NOT-A-MODALITY").ok
