"""CHECKLIST.md of a new compose deployment: the steps on a Docker host, in order, each with why
and the exact commands, run in the folder of docker-compose.yml. Who may reach what comes from
the topics (their firewall rules, their login checks), made into what Docker needs."""

from __future__ import annotations

import json

from wizard import checklist
from wizard.sources.compose import docker_firewall, new_services
from wizard.sources.compose.images import IMAGE, non_root_releases
from wizard.sources.compose.new_services import LOOPBACK, PROXY, SERVICE, UID
from wizard.topics import TOPICS, service_user
from wizard.topics.base import Answers, Step, client_url, sh
from wizard.topics.https import make_certificate
from wizard.versions import parse

def render(answers: Answers, warnings: list[str], secret: str | None) -> str:
    steps = [_check(), *_secret(secret), *_certificates(answers), _start(answers), *docker_firewall.steps(answers),
             *_passwords(answers, secret), *_advice(answers), _verify(answers)]
    return checklist.markdown(
        ["# Hardening checklist for Orthanc in Docker", "",
         f"Written by orthanc-harden for Orthanc {answers['orthanc_version']} in the orthancteam/orthanc image. "
         "These steps cannot be done by a file; do them in order, as root, in the folder of docker-compose.yml.", ""],
        steps, warnings)


def _check() -> Step:
    return Step("Check the deployment with Docker Compose",
                "Compose reads the file as Docker will: the services, the ports they publish and the image.",
                ("docker compose version  # Compose v2 (the docker-compose-plugin package)",
                 "docker compose config --quiet && docker compose config --services"))


def _secret(secret: str | None) -> list[Step]:
    if not secret:
        return []
    return [Step(f"Let the container's user read {secret}",
                 f"{secret} holds the passwords in plain text; Docker mounts it into the container as it is on "
                 f"this host, and the image's start-up reads it as its orthanc user (uid {UID}): readable by that "
                 "user only. orthanc-harden writes it for root: do this again each time it rewrites the file.",
                 (f"chown {UID}:{UID} {secret} && chmod 0600 {secret}",))]


def _certificates(answers: Answers, then: str = f"docker compose restart {PROXY}") -> list[Step]:
    """Each certificate is a host file mounted read-only at the same path: nginx reads its key as
    root; Orthanc reads its own as uid 999. `then`: what makes nginx read a certificate replaced."""
    steps, https, tls = [], answers["https"], answers["dicom"]["tls"]
    if new_services.proxied(answers):
        key = https["private_key"] or https["certificate"]
        steps.append(Step(f"Put a certificate for {https['server_name']} in place",
                          "Clients must be able to check they talk to this server, or a man in the middle reads "
                          "every password. nginx reads the private key as root: readable by root only. A "
                          "certificate from the site's CA (internal or public) is copied in first; without one, "
                          "a self-signed certificate lets the next steps go on, and the site's CA is asked with "
                          "the request made for the same key.",
                          (f"install -d -o root -g root -m 0700 {sh(https['certificate'].rsplit('/', 1)[0] or '/')}",
                           f"# the site's CA (internal, or public: Let's Encrypt's certbot certonly -d "
                           f"{https['server_name']}): copy the chain it issued, leaf first, to {https['certificate']}"
                           + (f" and its private key to {key}" if key != https["certificate"] else ", then its key"),
                           *make_certificate(https["server_name"], https["certificate"], key, then),
                           *dict.fromkeys(f"chown root:root {sh(p)} && chmod 0600 {sh(p)}" for p in (https["certificate"], key)),
                           f"openssl x509 -in {sh(https['certificate'])} -noout -subject -enddate")))
    if answers["network"]["http_enabled"] and https["mode"] == "native":
        steps.append(Step("Put Orthanc's certificate in place",
                          f"Orthanc reads the PEM (certificate and key) as uid {UID}: readable by that user only.",
                          (f"chown {UID}:{UID} {sh(https['certificate'])} && chmod 0600 {sh(https['certificate'])}",)))
    if answers["dicom"]["enabled"] and tls["enabled"]:
        steps.append(Step("Put the DICOM TLS certificates in place",
                          f"Orthanc refuses to start when one is missing; it reads the private key as uid {UID}.",
                          (f"chown {UID}:{UID} {sh(tls['private_key'])} && chmod 0400 {sh(tls['private_key'])}",
                           f"openssl x509 -in {sh(tls['certificate'])} -noout -subject -enddate")))
    return steps


def _start(answers: Answers) -> Step:
    return Step("Start Orthanc",
                f"The storage is the named volume {new_services.VOLUME}, mounted at {new_services.VOLUME_AT}: Docker "
                f"gives a new volume the image's owner of that folder, the orthanc user ({UID}). A volume a root "
                "container used before keeps root as owner, and Orthanc cannot write its storage.",
                ("docker compose pull && docker compose up -d", "docker compose ps  # every service Up",
                 f"docker compose exec {SERVICE} stat -c '%u:%g' {new_services.VOLUME_AT}/db  # {UID}:{UID}",
                 f"# if not: docker compose run --rm --no-deps --user 0 --entrypoint chown {SERVICE} -R {UID}:{UID} "
                 f"{new_services.VOLUME_AT} && docker compose up -d",
                 f"docker compose logs {SERVICE} | grep -E 'WARNING|ERROR'  # nothing: no key defined twice"))


def _passwords(answers: Answers, secret: str | None) -> list[Step]:
    users = answers["authentication"]["users"]
    if not secret or not users or not answers["network"]["http_enabled"]:
        return []
    return [Step("Hand each password to its user over a safe channel",
                 f"Users {', '.join(u['name'] for u in users)} log in with HTTP Basic authentication at "
                 f"{client_url(answers) if new_services.proxied(answers) else _host_url(answers)}: only over HTTPS "
                 "beyond this host. A user limited to 127.0.0.1/32 logs in from inside the Orthanc container only.",
                 (f"cat {secret}  # RegisteredUsers: hand each one over in person or by phone, never by e-mail",))]


def _advice(answers: Answers) -> list[Step]:
    advice = [text for release, text in service_user.ADVICE if parse(answers["orthanc_version"]) < release]
    if not advice:
        return []
    newest = non_root_releases()[-1]
    return [Step(f"Move to a newer image (Orthanc {answers['orthanc_version']} is the target)",
                 "Newer releases fix flaws an exposed server must not have: " + "; ".join(advice) + ".",
                 (f"orthanc-harden apply --preset orthanc-harden.jsonc --deployment compose --out . "
                  f"--orthanc-version {newest}  # {IMAGE} with Orthanc {newest}",))]


def _host_url(answers: Answers) -> str:
    scheme = "https" if answers["https"]["mode"] == "native" else "http"
    return f"{scheme}://{LOOPBACK}:{answers['network']['http_port']}"


def _login(answers: Answers) -> list[str]:
    """A login that must work, by a user Orthanc lets in from a Docker address (no networks of its
    own), else by one limited to 127.0.0.1 from inside the Orthanc container."""
    auth, port = answers["authentication"], answers["network"]["http_port"]
    if not (answers["network"]["http_enabled"] and auth["enabled"] and auth["users"]):
        return []
    anywhere = [u for u in auth["users"] if not u["from"]]
    if anywhere:
        user = next((u for u in anywhere if u["role"] == "admin"), anywhere[0])["name"]
        where = (f"docker compose exec {PROXY} curl -sfu {sh(user)} http://{SERVICE}:{port}"
                 if new_services.proxied(answers) else f"curl -sfu {sh(user)} {_local(answers)}")
        return [f"{where}/system  # asks {user}'s password; prints the system's JSON when the login works"]
    user = auth["users"][0]["name"]
    code = ("import base64, getpass, urllib.request as r; "
            f"t = base64.b64encode(({json.dumps(user + ':')} + getpass.getpass()).encode()).decode(); "
            f"print(r.urlopen(r.Request('http://127.0.0.1:{port}/system', headers={{'Authorization': 'Basic ' + t}})).read().decode())")
    return [f"docker compose exec {SERVICE} python3 -c {sh(code)}  # asks {user}'s password; prints the system's JSON"]


def _local(answers: Answers) -> str:
    return ("-k " if answers["https"]["mode"] == "native" else "") + _host_url(answers)


def _checks(answers: Answers) -> list[str]:
    """The login, then the topics' checks of what a stranger gets, made where Orthanc is reached:
    from the proxy's container on the compose network, or on this host where the port is published."""
    lines = [line for topic in TOPICS for line in getattr(topic, "stranger_checks", lambda _: [])(answers)]
    local = f"http://{LOOPBACK}:{answers['network']['http_port']}"
    if new_services.proxied(answers):
        inside = f"http://{SERVICE}:{answers['network']['http_port']}"
        lines = [f"docker compose exec {PROXY} {line.replace(local, inside)}" if line.startswith("curl ") else line
                 for line in lines]
    return _login(answers) + lines


def _verify(answers: Answers) -> Step:
    return Step("Recreate the containers, then check a login and what a stranger gets",
                "Orthanc reads its configuration when its container starts, and a file replaced on the host "
                "reaches a container only when it is created again. A login that works, a refused anonymous "
                "request and a refused unknown AET show that the new files are the ones in use.",
                ("docker compose up -d --force-recreate", *_checks(answers)))
