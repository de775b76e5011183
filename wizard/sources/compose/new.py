"""A new compose deployment of the orthancteam/orthanc image (`apply --deployment compose`).

The plan of a files run of the same answers, made into what the image reads: the settings
without secrets in orthanc.json (mounted read-only at /etc/orthanc/orthanc.json), the passwords
in orthanc-passwords.json (a compose secret: /run/secrets/*.json is merged as configuration,
after /etc/orthanc, key by key, so no key is defined twice), the Lua filter at an absolute path,
the nginx file of the proxy pointed at the Orthanc service, and a checklist for a Docker host."""

from __future__ import annotations

import json
from ipaddress import ip_network
from pathlib import Path

from wizard import harden, jsonc, profile
from wizard.errors import BadInput, Problem, json_path
from wizard.sources.compose import docker_steps, images, new_services
from wizard.sources.compose.images import IMAGE, NON_ROOT_TAG, non_root_releases as releases
from wizard.sources.compose.new_settings import container_settings, host_files, split_secrets
from wizard.topics.base import Answers
from wizard.topics.https_nginx import NGINX_FILE
from wizard.topics.install_steps import LUA

COMPOSE_FILE = "docker-compose.yml"
CONFIG_FILE = harden.CONFIG_FILE  # mounted at /etc/orthanc/orthanc.json
SECRETS_FILE = "orthanc-passwords.json"  # the secret /run/secrets/orthanc-passwords.json
OTHER_COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml")  # read before ours
REPLAY = "// Replay: orthanc-harden apply --preset orthanc-harden.jsonc --out DIR\n"


def overrides(preset: str, given: dict) -> dict:
    """The answers a Docker deployment settles: the image is an upstream build, and the release
    is one that has a non-root image (the newest when nobody named one; Debian's 1.10.1, the
    profile's default, has none)."""
    raw, name = profile.read(preset)
    laid = profile.overlay(raw, given)
    source = name if "orthanc_version" not in given else "(command line)"
    if laid.get("orthanc_build", "upstream") != "upstream":
        where = name if "orthanc_build" not in given else "(command line)"
        raise BadInput(Problem(where, "$.orthanc_build", "must be 'upstream' for a compose deployment: the "
                                                         f"{IMAGE} image is built by the Orthanc team, not Debian"))
    settled = {**given, "orthanc_build": "upstream"}
    version = laid.get("orthanc_version")
    if version is None:
        settled["orthanc_version"] = releases()[-1]
    elif isinstance(version, str) and version not in releases():
        raise BadInput(Problem(source, "$.orthanc_version", f"Orthanc {version} has no {IMAGE} image that runs "
                               f"as a non-root user (its orthanc user came with the {NON_ROOT_TAG} image): choose "
                               f"one of {', '.join(releases())} (--orthanc-version {releases()[-1]}), or name none "
                               "for the newest"))
    return settled


def plan(answers: Answers, profile_name: str, out_dir: Path) -> harden.Plan:
    """Everything a new compose deployment writes in out_dir, nothing written yet; the passwords
    an earlier run wrote there are kept."""
    _refuse_a_deployment_not_ours(out_dir)
    _refuse_what_a_container_cannot_keep(answers, profile_name)
    files_run = harden.plan(answers, profile_name, previous(out_dir))
    settings = container_settings(json.loads(files_run.files[CONFIG_FILE].text), answers)
    public, secret = split_secrets(settings)
    written = {CONFIG_FILE: harden.OutputFile(config_text(public), 0o644),
               LUA: files_run.files[LUA]}
    if secret:
        written[SECRETS_FILE] = harden.OutputFile(config_text(secret), 0o600, secret=True)
    if NGINX_FILE in files_run.files:
        written[NGINX_FILE] = harden.OutputFile(new_services.nginx_text(files_run.files[NGINX_FILE].text,
                                                                        answers), harden.private_mode(NGINX_FILE, 0o644))
    written[COMPOSE_FILE] = harden.OutputFile(compose_text(answers, settings, bool(secret)), 0o644)
    written[harden.CHECKLIST_FILE] = harden.OutputFile(
        docker_steps.render(answers, files_run.warnings, SECRETS_FILE if secret else None), 0o644)
    written[harden.ANSWERS_FILE] = harden.OutputFile(_replay(harden.saved_answers(answers)), 0o644)
    return harden.Plan(written, files_run.warnings, files_run.generated, findings=files_run.findings)


def compose_text(answers: Answers, settings: dict, secret: bool) -> str:
    tag = images.tag_for(answers["orthanc_version"])
    files = {new_services.SERVICE: [f"{CONFIG_FILE}:/etc/orthanc/{CONFIG_FILE}", f"{LUA}:/etc/orthanc/{LUA}"],
             new_services.PROXY: [f"{NGINX_FILE}:/etc/nginx/conf.d/default.conf"]}
    mounts = {new_services.SERVICE: host_files(settings), new_services.PROXY: new_services.proxy_files(answers)}
    doc = new_services.document(answers, f"{IMAGE}:{tag}", mounts, files, SECRETS_FILE if secret else None)
    header = [f"Written by orthanc-harden: Orthanc {answers['orthanc_version']} in {IMAGE}:{tag},",
              f"run as the image's orthanc user (uid {new_services.UID}), its configuration read-only.",
              f"The passwords are in {SECRETS_FILE} (a compose secret), never in this file." if secret
              else "No password is written anywhere: authentication has no user.",
              f"Read {harden.CHECKLIST_FILE} before `docker compose up -d`."]
    return new_services.render(doc, header)


def config_text(settings: dict) -> str:
    """JSON the image's generator reads as written: it replaces `$NAME` and `${NAME}` in its files
    from the environment, so every `$` is written as the JSON escape \\u0024."""
    return json.dumps(settings, indent=2, ensure_ascii=False).replace("$", "\\u0024") + "\n"


def previous(out_dir: Path) -> dict:
    """The configuration an earlier run wrote (orthanc.json, then the passwords merged over it
    as the generator merges them), whose passwords a new run keeps."""
    merged: dict = {}
    for name in (CONFIG_FILE, SECRETS_FILE):
        path = out_dir / name
        if path.is_file():
            found = jsonc.load(path)
            if not isinstance(found, dict):
                raise BadInput(Problem(str(path), "$", "must hold a JSON object"))
            _merge(merged, found)
    return merged


def _merge(into: dict, over: dict) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _replay(saved: str) -> str:
    if REPLAY not in saved:
        raise AssertionError("harden.saved_answers no longer writes the replay line")
    return saved.replace(REPLAY, REPLAY.replace("--out DIR", "--deployment compose --out DIR"))


def _refuse_a_deployment_not_ours(out_dir: Path) -> None:
    """Only files an earlier run wrote are replaced (its answers beside them); a compose file that
    docker compose reads before docker-compose.yml would leave ours unused."""
    ours = (out_dir / harden.ANSWERS_FILE).exists()
    for name in (COMPOSE_FILE, CONFIG_FILE):
        if (out_dir / name).exists() and not ours:
            raise BadInput(Problem(str(out_dir / name), "$", "was not written by orthanc-harden: edit that deployment "
                                                             f"with --config {out_dir}, or choose another --out"))
    for name in OTHER_COMPOSE_FILES:
        if (out_dir / name).exists():
            raise BadInput(Problem(str(out_dir / name), "$", f"docker compose reads it instead of {COMPOSE_FILE}: "
                                                             "choose another --out"))


def _refuse_what_a_container_cannot_keep(answers: Answers, profile_name: str) -> None:
    """Orthanc in a container sees every client at a Docker address (the proxy's, or the bridge's
    gateway): a user's networks other than its own loopback could never match, or would match
    everyone (Docker's 172.16.0.0/12). And with remote access on, as it must be in a container,
    the image's start-up stops the container when authentication has no user."""
    problems = []
    for index, user in enumerate(answers["authentication"]["users"]):
        if "${" in user["name"]:
            problems.append(Problem(profile_name, json_path(("authentication", "users", index, "name")),
                                    "a ${VAR} user name is taken from Orthanc's environment, which this compose "
                                    "deployment does not set: give the name itself"))
        wide = [net for net in user["from"] if not ip_network(net).subnet_of(ip_network("127.0.0.0/8"))]
        if wide:
            problems.append(Problem(profile_name, json_path(("authentication", "users", index, "from")),
                                    f"{', '.join(wide)}: in a compose deployment Orthanc sees each client at a "
                                    "Docker address (the proxy's or the bridge's), never its own: only 127.0.0.1/32 "
                                    "(from inside the Orthanc container) can be checked; limit the networks in the "
                                    "firewall (network.allowed_networks) or use --deployment files"))
    auth, network = answers["authentication"], answers["network"]
    if network["http_enabled"] and auth["enabled"] and not auth["users"]:
        problems.append(Problem(profile_name, "$.authentication.users", f"the {IMAGE} image stops the container "
                                "when authentication is on and no user is registered: add a user"))
    if problems:
        raise BadInput(problems)

