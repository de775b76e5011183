"""`apply --deployment compose`: a new deployment of the orthancteam/orthanc image, judged by
Debian's docker-compose (how compose reads it) and by the reading of the image's generator (what
Orthanc would read), against a files run of the same answers."""

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.unit.conftest import snapshot
from wizard import resources
from wizard.sources.compose import images, reading
from wizard.sources.compose.new import releases

NAME = "https.server_name=pacs.test"
NEWEST = releases()[-1]
# What the files run writes that the image does otherwise (paths in the container, its plugins),
# or that a container needs (every client is remote to it: Docker publishes the ports).
CONTAINER_ONLY = {"StorageDirectory", "Plugins", "LuaScripts", "RemoteAccessAllowed", "HttpBindAddresses"}
IMAGE_DEFAULTS = {"Gdcm", "OrthancExplorer2"}
# Each preset's published ports, by service: what the answers say Docker should publish.
PORTS = {
    "localhost": {"orthanc": {"127.0.0.1:8042:8042", "127.0.0.1:4242:4242"}},
    "intranet": {"orthanc": {"127.0.0.1:4242:4242"}, "nginx": {"0.0.0.0:443:443", "0.0.0.0:80:80"}},
    "internet-proxy": {"orthanc": {"127.0.0.1:4242:4242"}, "nginx": {"0.0.0.0:443:443", "0.0.0.0:80:80"}},
    "cloud-no-dicom": {"nginx": {"0.0.0.0:443:443", "0.0.0.0:80:80"}},
}


def compose_apply(run_cli, out: Path, preset: str = "intranet", *more):
    return run_cli("apply", "--preset", preset, "--set", NAME, "--deployment", "compose", "--out", out, *more)


def compose_config(folder: Path) -> dict:
    """The deployment as Debian's docker-compose 1.29 reads it (offline, no Docker engine)."""
    assert shutil.which("docker-compose"), "docker-compose (Debian's package) is installed by scripts/test.sh"
    result = subprocess.run(["docker-compose", "-f", str(folder / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return YAML(typ="safe").load(result.stdout)


def published(service: dict) -> set[str]:
    return {(f"{p['host_ip']}:" if p.get("host_ip") else "") + f"{p['published']}:{p['target']}" if isinstance(p, dict)
            else p.removesuffix("/tcp") for p in service.get("ports", [])}


def test_the_presets_cover_every_shipped_preset():
    assert set(PORTS) == set(resources.preset_names())


@pytest.mark.parametrize("preset", sorted(PORTS))
def test_docker_compose_reads_the_services_ports_and_image_meant(preset, run_cli, tmp_path):
    assert compose_apply(run_cli, tmp_path, preset)[0] == 0
    read = compose_config(tmp_path)
    services = read["services"]
    assert {name: published(service) for name, service in services.items() if published(service)} == PORTS[preset]
    orthanc = services["orthanc"]
    version = json.loads((tmp_path / "orthanc-harden.jsonc").read_text().split("\n", 2)[2])["orthanc_version"]
    assert orthanc["image"] == f"orthancteam/orthanc:{images.tag_for(version)}"
    assert images.release_of(orthanc["image"])[0] == version
    assert orthanc["user"] == "999:999" and orthanc["restart"] == "unless-stopped" and orthanc["tmpfs"] == ["/tmp"]
    assert f"{tmp_path}/orthanc.json:/etc/orthanc/orthanc.json:ro" in orthanc["volumes"]
    assert f"{tmp_path}/orthanc-security.lua:/etc/orthanc/orthanc-security.lua:ro" in orthanc["volumes"]
    assert "orthanc-storage:/var/lib/orthanc:rw" in orthanc["volumes"] and "orthanc-storage" in read["volumes"]
    assert read["secrets"]["orthanc-passwords.json"]["file"] == f"{tmp_path}/orthanc-passwords.json"
    if "nginx" in services:
        assert services["nginx"]["image"] == "nginx:1.30"
        assert f"{tmp_path}/nginx-orthanc.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]


def test_a_preset_without_a_release_gets_the_newest_one_with_a_non_root_image(run_cli, tmp_path):
    assert compose_apply(run_cli, tmp_path, "localhost")[0] == 0
    answers = (tmp_path / "orthanc-harden.jsonc").read_text()
    assert f'"orthanc_version": "{NEWEST}"' in answers and '"orthanc_build": "upstream"' in answers
    assert "--deployment compose --out DIR" in answers.splitlines()[1]


def test_a_release_without_a_non_root_image_is_refused_naming_the_releases_that_have_one(run_cli, tmp_path):
    code, _, err = compose_apply(run_cli, tmp_path, "localhost", "--orthanc-version", "1.10.1")
    assert code == 2 and not tmp_path.joinpath("docker-compose.yml").exists()
    assert "$.orthanc_version: Orthanc 1.10.1 has no orthancteam/orthanc image" in err
    assert "1.12.0, 1.12.1" in err and NEWEST in err and "1.11.3" not in err
    assert images.tag_for("1.12.0") >= "23.6.0" > images.tag_for("1.11.3")


def test_a_debian_build_is_refused_for_the_image(run_cli, tmp_path):
    code, _, err = compose_apply(run_cli, tmp_path, "localhost", "--orthanc-build", "debian")
    assert code == 2 and "$.orthanc_build: must be 'upstream'" in err


def test_the_configuration_holds_no_secret_and_the_secret_file_is_0600(run_cli, tmp_path):
    compose_apply(run_cli, tmp_path)
    secrets = json.loads((tmp_path / "orthanc-passwords.json").read_text())
    passwords = secrets["RegisteredUsers"]
    assert len(secrets["OrthancHardenProxySecret"]) == 24
    assert set(passwords) == {"admin", "viewer", "uploader"} and all(len(p) == 24 for p in passwords.values())
    for path in tmp_path.iterdir():
        mode = stat.S_IMODE(path.stat().st_mode)
        holds = any(password in path.read_text() for password in passwords.values())
        assert holds == (path.name == "orthanc-passwords.json"), path.name
        proxy = secrets.get("OrthancHardenProxySecret") in path.read_text()  # the passwords file and nginx's
        assert proxy == (path.name in ("orthanc-passwords.json", "nginx-orthanc.conf")), path.name
        assert mode == (0o600 if holds or proxy else 0o644), path.name


def test_a_second_identical_run_changes_no_byte_and_keeps_the_passwords(run_cli, tmp_path):
    compose_apply(run_cli, tmp_path)
    before = snapshot(tmp_path)
    code, out, _ = compose_apply(run_cli, tmp_path)
    assert code == 0 and "nothing to change" in out and snapshot(tmp_path) == before
    code, out, _ = run_cli("apply", "--preset", tmp_path / "orthanc-harden.jsonc", "--deployment", "compose",
                           "--out", tmp_path)
    assert code == 0 and "nothing to change" in out and snapshot(tmp_path) == before


@pytest.mark.parametrize("preset", sorted(PORTS))
def test_what_the_generator_builds_is_the_files_run_but_for_container_paths_and_image_defaults(preset, run_cli,
                                                                                               tmp_path):
    compose, files = tmp_path / "compose", tmp_path / "files"
    assert compose_apply(run_cli, compose, preset, f"--orthanc-version={NEWEST}")[0] == 0
    read = reading.load(compose, None)
    assert read.generated.exit == 0 and read.generated.warnings == []  # no key defined twice
    ours = read.generated.config
    # The files run of the same answers, given the compose run's passwords as an earlier run's.
    files.mkdir()
    shutil.copy(compose / "orthanc-harden.jsonc", files)
    (files / "orthanc.json").write_text(json.dumps({key: ours[key] for key in ("RegisteredUsers",
                                                                              "OrthancHardenProxySecret") if key in ours}))
    run_cli("apply", "--preset", preset, "--set", NAME, f"--orthanc-version={NEWEST}", "--orthanc-build", "upstream",
            "--out", files)
    theirs = json.loads((files / "orthanc.json").read_text())
    differ = {k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)}
    assert differ == (CONTAINER_ONLY | IMAGE_DEFAULTS) & (ours.keys() | theirs.keys())
    assert ours["StorageDirectory"] == "/var/lib/orthanc/db" and ours["LuaScripts"] == ["/etc/orthanc/orthanc-security.lua"]
    assert ours["RemoteAccessAllowed"] is True and "HttpBindAddresses" not in ours
    assert ours["Plugins"] == ["/run/orthanc/plugins", "/usr/share/orthanc/plugins"]  # the image's default
    assert ours["OrthancExplorer2"]["Enable"] is theirs["OrthancExplorerEnabled"]


def test_nginx_reaches_orthanc_by_its_service_name_and_nothing_else_changes(run_cli, tmp_path):
    compose_apply(run_cli, tmp_path / "compose")
    run_cli("apply", "--preset", "intranet", "--set", NAME, "--out", tmp_path / "files")
    ours = (tmp_path / "compose" / "nginx-orthanc.conf").read_text()
    theirs = (tmp_path / "files" / "nginx-orthanc.conf").read_text()
    assert "    set $orthanc_upstream http://orthanc:8042;\n    location / {\n        proxy_pass $orthanc_upstream;" in ours
    assert ours.count("proxy_pass $orthanc_upstream;") == theirs.count("proxy_pass http://127.0.0.1:8042;") == 4
    assert "resolver 127.0.0.11 valid=10s ipv6=off;" in ours and "127.0.0.1:8042" not in ours
    directives = lambda text: {line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")}  # noqa: E731
    secret = json.loads((tmp_path / "compose" / "orthanc-passwords.json").read_text())["OrthancHardenProxySecret"]
    assert f"proxy_set_header X-Orthanc-Harden-Proxy {secret};" in ours  # each run its own secret
    directives = lambda text: {line.strip() for line in text.splitlines() if line.strip()  # noqa: E731
                               and not line.strip().startswith(("#", "proxy_set_header X-Orthanc-Harden-Proxy"))}
    assert directives(ours) - directives(theirs) == {"set $orthanc_upstream http://orthanc:8042;",
                                                      "proxy_pass $orthanc_upstream;",
                                                      "resolver 127.0.0.11 valid=10s ipv6=off;"}
    assert directives(theirs) - directives(ours) == {"proxy_pass http://127.0.0.1:8042;"}


def test_diff_and_check_show_no_password(run_cli, tmp_path):
    code, out, _ = compose_apply(run_cli, tmp_path, "intranet", "--diff", "--check")
    assert code == 1 and not tmp_path.joinpath("docker-compose.yml").exists()
    assert "+++ " + str(tmp_path / "orthanc-passwords.json") in out and '"admin": "********"' in out
    compose_apply(run_cli, tmp_path)
    passwords = json.loads((tmp_path / "orthanc-passwords.json").read_text())["RegisteredUsers"].values()
    code, out, _ = compose_apply(run_cli, tmp_path, "intranet", "--diff", "--check", "--set", "limits.find_results=50")
    assert code == 1 and '+  "LimitFindResults": 50,' in out and not any(p in out for p in passwords)


def test_a_password_with_a_dollar_is_written_so_the_generator_cannot_replace_it(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a$HOME-b$c")
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"extends": "localhost", "authentication": {"users": [
        {"name": "admin", "role": "admin", "password": {"env": "ADMIN_PASSWORD"}}]}}))
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", profile, "--deployment", "compose", "--out", out)[0] == 0
    text = (out / "orthanc-passwords.json").read_text()
    assert "$" not in text and "a\\u0024HOME-b\\u0024c" in text
    assert json.loads(text)["RegisteredUsers"]["admin"] == "a$HOME-b$c"
    assert reading.load(out, None, environ={"HOME": "/root"}).generated.config["RegisteredUsers"] == {"admin": "a$HOME-b$c"}


def test_a_peer_keeps_its_url_in_the_configuration_and_its_password_in_the_secret(run_cli, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"extends": "localhost", "outgoing": {"peers": [
        {"name": "backup", "url": "https://127.0.0.2:8042/", "username": "sync", "password": {"generate": True}}]}}))
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", profile, "--deployment", "compose", "--out", out)[0] == 0
    config = json.loads((out / "orthanc.json").read_text())
    secret = json.loads((out / "orthanc-passwords.json").read_text())
    assert config["OrthancPeers"] == {"backup": {"Url": "https://127.0.0.2:8042/", "Username": "sync"}}
    assert set(secret["OrthancPeers"]["backup"]) == {"Password"} and len(secret["OrthancPeers"]["backup"]["Password"]) == 24
    read = reading.load(out, None).generated
    assert read.warnings == [] and read.config["OrthancPeers"] == {"backup": {**config["OrthancPeers"]["backup"],
                                                                               **secret["OrthancPeers"]["backup"]}}


def test_explorer_off_turns_the_images_explorer_2_off_too(run_cli, tmp_path):
    assert compose_apply(run_cli, tmp_path, "cloud-no-dicom")[0] == 0
    config = json.loads((tmp_path / "orthanc.json").read_text())
    assert config["OrthancExplorerEnabled"] is False and config["OrthancExplorer2"] == {"Enable": False}


@pytest.mark.parametrize("networks, refused", [(["10.0.0.0/8"], True), (["127.0.0.1/32"], False)])
def test_a_users_networks_other_than_loopback_are_refused(networks, refused, run_cli, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"extends": "localhost", "authentication": {"users": [
        {"name": "admin", "role": "admin", "from": networks}]}}))
    code, _, err = run_cli("apply", "--preset", profile, "--deployment", "compose", "--out", tmp_path / "out")
    assert code == (2 if refused else 0)
    assert ("$.authentication.users[0].from: 10.0.0.0/8: in a compose deployment" in err) == refused


def test_authentication_without_a_user_is_refused_since_the_image_would_stop(run_cli, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"extends": "localhost", "authentication": {"users": []}}))
    code, _, err = run_cli("apply", "--preset", profile, "--deployment", "compose", "--out", tmp_path / "out")
    assert code == 2 and "$.authentication.users: the orthancteam/orthanc image stops the container" in err


@pytest.mark.parametrize("name", ["docker-compose.yml", "orthanc.json", "compose.yaml"])
def test_a_folder_holding_a_deployment_not_ours_is_refused_and_left_alone(name, run_cli, tmp_path):
    (tmp_path / name).write_text("services: {}\n")
    before = snapshot(tmp_path)
    code, _, err = compose_apply(run_cli, tmp_path)
    assert code == 2 and f"{tmp_path / name}: $:" in err and snapshot(tmp_path) == before


def test_deployment_compose_with_config_is_refused(run_cli, tmp_path):
    (tmp_path / "orthanc.json").write_text("{}")
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", tmp_path / "orthanc.json",
                           "--deployment", "compose", "--out", tmp_path / "out")
    assert code == 2 and "--deployment: $: compose writes a new deployment" in err


def test_the_checklist_gives_docker_steps_and_limits_published_ports_in_docker_user(run_cli, tmp_path):
    compose_apply(run_cli, tmp_path)
    checklist = (tmp_path / "CHECKLIST.md").read_text()
    assert "chown 999:999 orthanc-passwords.json && chmod 0600 orthanc-passwords.json" in checklist
    assert "docker compose pull && docker compose up -d" in checklist
    for port in (443, 80):
        assert (f"iptables -A ORTHANC-DOCKER -p tcp -m conntrack --ctorigdstport {port} --ctdir ORIGINAL "
                "-s 10.0.0.0/8 -j RETURN") in checklist
        assert f"--ctorigdstport {port} --ctdir ORIGINAL -j DROP" in checklist
    assert "--ctorigdstport 4242" not in checklist and "--ctorigdstport 8042" not in checklist  # on 127.0.0.1 only
    assert "\nufw " not in checklist and "systemctl restart orthanc" not in checklist
    assert "docker compose exec nginx curl -sfu viewer http://orthanc:8042/system" in checklist
    assert "docker compose exec nginx curl -s -o /dev/null -w '%{http_code}\\n' http://orthanc:8042/system  # 401" in checklist


def test_without_the_proxy_the_checks_run_on_this_host_and_nothing_is_firewalled(run_cli, tmp_path):
    compose_apply(run_cli, tmp_path, "localhost")
    checklist = (tmp_path / "CHECKLIST.md").read_text()
    assert "curl -sfu admin http://127.0.0.1:8042/system" in checklist and "iptables" not in checklist
    assert "docker compose exec nginx" not in checklist


@pytest.mark.parametrize("preset", sorted(PORTS))
def test_audit_of_each_preset_s_new_deployment_finds_nothing_high(preset, run_cli, tmp_path):
    out = tmp_path / "out"
    compose_apply(run_cli, out, preset)
    code, text, _ = run_cli("audit", out, "--format", "json")
    high = [f"{f['id']}: {f['message']}" for f in json.loads(text)["findings"] if f["severity"] in ("critical", "high")]
    assert code == 0 and not high
