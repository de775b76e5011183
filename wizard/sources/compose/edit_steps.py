"""CHECKLIST.md of an edited compose deployment: what no file can do, on the Docker host, in the
folder of the compose file: check the files with compose, the certificates, recreate the service
(its configuration is read when the container starts), then a login and what a stranger gets."""

from __future__ import annotations

import os
import re

from wizard import checklist
from wizard.sources.compose import docker_firewall, docker_steps
from wizard.topics import https, network
from wizard.topics.base import Answers, Step, sh


def render(answers: Answers, warnings: list[str], service: str, secrets: list[str],
           exposed: list[tuple[int, int]], folder: str = ".") -> str:
    """`exposed`: the (host, container) ports still published on every interface, for the firewall;
    `folder`: the compose file's, where nginx-orthanc.conf is written."""
    placed = {**answers, "service": {**answers["service"], "written_to": os.path.abspath(folder)}}
    steps = [docker_steps._check(), *_secrets(secrets, service), *docker_steps._certificates(answers, "nginx -t && systemctl reload nginx"),
             *_host_proxy(placed), *docker_firewall.steps(answers, exposed), *_newer_image(answers, service),
             _recreate(answers, service)]
    steps = checklist.firewall_on(steps)
    return checklist.markdown(
        ["# Hardening checklist for Orthanc in Docker (an edited deployment)", "",
         f"Written by orthanc-harden for the compose service {service} (Orthanc {answers['orthanc_version']}). "
         "These steps cannot be done by a file; do them in order, in the folder of the compose file.", ""],
        steps, warnings)


def _host_proxy(answers: Answers) -> list[Step]:
    """Behind the TLS proxy: nginx on this host (nginx-orthanc.conf) reaches the REST API published
    on 127.0.0.1, and ufw opens its ports (nginx is a host process: ufw sees its ports)."""
    if answers["https"]["mode"] != "reverse-proxy":
        return []
    # nginx's own steps and the clients moved to it; the certificate is docker_steps' (root reads it).
    proxy = [s for s in https.checklist(answers) if s.stage != "certificate"
             and (s.stage == "clients" or any("nginx" in c for c in s.commands))]
    opened = [s for s in network.checklist(answers) + https.checklist(answers)
              if any(c.startswith("ufw ") and re.search(rf"\b({answers['https']['port']}|80)\b", c)
                     for c in s.commands)]
    return list(dict.fromkeys([*proxy, *opened]))


def _newer_image(answers: Answers, service: str) -> list[Step]:
    """The release rules' advice, as a change of the service's image (before the one recreate)."""
    from wizard.sources.compose import images
    from wizard.topics import service_user
    from wizard.versions import parse
    advice = [text for release, text in service_user.ADVICE if parse(answers["orthanc_version"]) < release]
    if not advice:
        return []
    newest = images.newest_release()
    return [Step(f"Move to a newer image (Orthanc {answers['orthanc_version']} is the target)",
                 "Newer releases fix flaws an exposed server must not have: " + "; ".join(advice) + ". Options "
                 "change between releases: write the configuration again for the new one.",
                 (f"# docker-compose.yml, services.{service}.image: orthancteam/orthanc:{images.tag_for(newest)}",
                  f"orthanc-harden apply --preset orthanc-harden.jsonc --config . --service {sh(service)} "
                  f"--orthanc-version {newest}",))]


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
