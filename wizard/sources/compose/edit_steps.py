"""CHECKLIST.md of an edited compose deployment: what no file can do, on the Docker host, in the
folder of the compose file: check the files with compose, the certificates, recreate the service
(its configuration is read when the container starts), then a login and what a stranger gets."""

from __future__ import annotations

from wizard import checklist
from wizard.sources.compose import docker_steps
from wizard.topics.base import Answers, Step, sh


def render(answers: Answers, warnings: list[str], service: str, secrets: list[str]) -> str:
    steps = [docker_steps._check(), *_secrets(secrets, service), *docker_steps._certificates(answers),
             _recreate(answers, service), *docker_steps._advice(answers)]
    return checklist.markdown(
        ["# Hardening checklist for Orthanc in Docker (an edited deployment)", "",
         f"Written by orthanc-harden for the compose service {service} (Orthanc {answers['orthanc_version']}). "
         "These steps cannot be done by a file; do them in order, in the folder of the compose file.", ""],
        steps, warnings)


def _secrets(secrets: list[str], service: str) -> list[Step]:
    if not secrets:
        return []
    return [Step("Keep the secret files private",
                 "They hold passwords in plain text (mode 0600, this host's root). Docker mounts them as they are: "
                 f"if the service runs with a `user:`, give that user the files, or the image's start-up cannot read "
                 "them and the container stops.",
                 (*(f"ls -l {sh(name)}  # -rw------- root" for name in secrets),
                  f"docker compose config | grep -A3 '^  {service}:' | grep user  # a user: chown UID:GID the files"))]


def _recreate(answers: Answers, service: str) -> Step:
    port, users = answers["network"]["http_port"], answers["authentication"]["users"]
    admin = next((u["name"] for u in users if u["role"] == "admin" and not u["from"]), None)
    checks = [f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{port}/system  # 401: no request without a login"]
    if admin is not None:
        checks.insert(0, f"curl -sfu {sh(admin)} http://127.0.0.1:{port}/system  # asks {admin}'s password: the system's JSON")
    if answers["dicom"]["enabled"]:
        checks.append(f"echoscu -v -aet NOT-A-MODALITY -aec {sh(answers['dicom']['aet'])} 127.0.0.1 "
                      f"{answers['dicom']['port']}  # Association Rejected (echoscu: apt-get install dcmtk)")
    return Step(f"Recreate the {service} container, then check a login and what a stranger gets",
                "The image builds Orthanc's configuration when the container starts, and a changed variable, mount "
                "or secret reaches a container only when it is created again: until then the old settings run. "
                "This restarts Orthanc: a few seconds without service.",
                (f"docker compose up -d --force-recreate {sh(service)}",
                 f"docker compose logs {sh(service)} | grep -E 'WARNING|ERROR'  # nothing: no key defined twice",
                 *checks))
