"""Editing a compose deployment in place (writing.py): each key written where it lives, new keys as
ORTHANC__ variables in the service's style, passwords in 0600 secret files, every other byte kept,
and the result read again by the generator's reproduction before anything is written."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from wizard.errors import BadInput
from wizard.sources.compose import reading, writing
from wizard.sources.compose.env_values import env_text, secret_text
from wizard.sources.compose.generator import generate
from wizard.sources.compose.model import Variable

STRONG = "Tq7vR2mXw9LpZ4kNc8HsYb3J"


def deploy(folder: Path, compose: str, service: str | None = None, **files: str):
    (folder / "docker-compose.yml").write_text(compose)
    for name, text in files.items():
        (folder / name.replace("__", "/").replace("_DOT_", ".")).parent.mkdir(parents=True, exist_ok=True)
        (folder / name.replace("__", "/").replace("_DOT_", ".")).write_text(text)
    return reading.load(folder / "docker-compose.yml", service)


def wanted_from(deployment, **changes) -> dict:
    wanted = json.loads(json.dumps(deployment.generated.config))
    for key, value in changes.items():
        if value is None:
            wanted.pop(key, None)
        else:
            wanted[key] = value
    return wanted


def write(written: writing.Written) -> None:
    for change in written.files:
        change.path.write_text(change.new)
        if change.mode is not None:
            os.chmod(change.path, change.mode)


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "+-"]


def edited(folder: Path, compose: str, service: str | None = None, files: dict | None = None, **changes):
    """Deploy, edit toward the changes, write; returns (written, the deployment read again)."""
    deployment = deploy(folder, compose, service, **(files or {}))
    written = writing.changes(deployment, wanted_from(deployment, **changes))
    write(written)
    return written, reading.load(folder / "docker-compose.yml", service)


MAP = """\
services:
  orthanc:
    image: orthancteam/orthanc:25.8.0   # pinned
    environment:
      # who may log in
      ORTHANC__AUTHENTICATION_ENABLED: "false"
      ORTHANC__NAME: 'Site A'
    ports: ["8042:8042"]
  db:
    image: postgres:15
    environment: {POSTGRES_PASSWORD: "x"}
"""


def test_a_changed_variable_is_rewritten_on_its_own_line_with_its_quotes(tmp_path):
    written, after = edited(tmp_path, MAP, AuthenticationEnabled=True, RemoteAccessAllowed=False)
    new = (tmp_path / "docker-compose.yml").read_text()
    assert changed_lines(MAP, new) == ['-       ORTHANC__AUTHENTICATION_ENABLED: "false"',
                                       '+       ORTHANC__AUTHENTICATION_ENABLED: "true"',
                                       "+       ORTHANC__REMOTE_ACCESS_ALLOWED: 'false'"]  # as its neighbour
    assert after.generated.config["AuthenticationEnabled"] is True
    assert "ORTHANC__AUTHENTICATION_ENABLED: false -> true (docker-compose.yml:6)" in written.notes
    assert "ORTHANC__REMOTE_ACCESS_ALLOWED: not set -> false (docker-compose.yml:8)" in written.notes


def test_a_new_variable_follows_the_list_style_and_indentation_of_the_service(tmp_path):
    compose = "services:\n    orthanc:\n        image: orthancteam/orthanc\n        environment:\n" \
              "            - ORTHANC__REMOTE_ACCESS_ALLOWED=false\n            - VERBOSE_ENABLED=true\n"
    written, after = edited(tmp_path, compose, LimitFindResults=50)
    new = (tmp_path / "docker-compose.yml").read_text()
    assert changed_lines(compose, new) == ["+             - ORTHANC__LIMIT_FIND_RESULTS=50"]
    assert after.generated.config["LimitFindResults"] == 50


def test_environment_is_created_in_map_style_when_the_service_has_none(tmp_path):
    compose = "services:\n  orthanc:\n    image: orthancteam/orthanc\n    ports:\n      - 8042:8042\n"
    (tmp_path / "users.json").write_text('{"RegisteredUsers": {"admin": "%s"}}' % STRONG)
    compose += "    volumes: [./users.json:/etc/orthanc/users.json]\n"
    _, after = edited(tmp_path, compose, AuthenticationEnabled=False, RemoteAccessAllowed=False)
    new = (tmp_path / "docker-compose.yml").read_text()
    assert new == compose + '    environment:\n      ORTHANC__REMOTE_ACCESS_ALLOWED: "false"\n' \
                            '      ORTHANC__AUTHENTICATION_ENABLED: "false"\n'
    assert after.generated.config["RemoteAccessAllowed"] is False


@pytest.mark.parametrize("text", ["1234", "true", "null", " 12", "NaN", '"quoted"', "{}", "yes", "a: b", "x # y"])
def test_a_text_that_would_parse_as_json_or_yaml_stays_text(text, tmp_path):
    _, after = edited(tmp_path, MAP, Name=text)
    assert after.generated.config["Name"] == text


def test_a_dollar_sign_is_doubled_so_that_compose_does_not_interpolate_it(tmp_path):
    _, after = edited(tmp_path, MAP, Name="cost $HOME ${USER}")
    assert after.generated.config["Name"] == "cost $HOME ${USER}"
    assert "$$HOME $${USER}" in (tmp_path / "docker-compose.yml").read_text()


def test_a_key_the_configuration_no_longer_wants_is_removed_and_an_image_default_is_left(tmp_path):
    deployment = deploy(tmp_path, MAP)
    wanted = wanted_from(deployment, Name=None, StorageDirectory=None)
    write(writing.changes(deployment, wanted))
    after = reading.load(tmp_path / "docker-compose.yml")
    assert "Name" not in after.generated.config
    assert "ORTHANC__NAME" not in (tmp_path / "docker-compose.yml").read_text()
    assert after.generated.config["StorageDirectory"] == "/var/lib/orthanc/db"


def test_nothing_to_change_gives_no_file_and_no_note(tmp_path):
    deployment = deploy(tmp_path, MAP)
    written = writing.changes(deployment, wanted_from(deployment))
    assert written.files == [] and written.notes == []


def test_a_second_run_of_the_same_edit_changes_nothing(tmp_path):
    edited(tmp_path, MAP, AuthenticationEnabled=True, RegisteredUsers={"admin": STRONG})
    again = reading.load(tmp_path / "docker-compose.yml")
    assert writing.changes(again, wanted_from(again)).files == []


def test_a_variable_of_an_env_file_is_edited_there_with_its_comment(tmp_path):
    compose = "services:\n  orthanc:\n    image: orthancteam/orthanc\n    env_file: orthanc.env\n"
    env = "# settings\nORTHANC__STABLE_AGE=3  # seconds\nORTHANC__REMOTE_ACCESS_ALLOWED=false\n"
    written, after = edited(tmp_path, compose, files={"orthanc_DOT_env": env}, StableAge=10)
    assert (tmp_path / "orthanc.env").read_text() == env.replace("=3 ", "=10 ")
    assert (tmp_path / "docker-compose.yml").read_text() == compose
    assert "ORTHANC__STABLE_AGE: 3 -> 10 (orthanc.env:2)" in written.notes
    assert after.generated.config["StableAge"] == 10


def test_a_value_an_env_file_cannot_hold_alike_for_both_composes_goes_to_environment(tmp_path):
    compose = "services:\n  orthanc:\n    image: orthancteam/orthanc\n    env_file: orthanc.env\n"
    env = "ORTHANC__NAME=A\nORTHANC__REMOTE_ACCESS_ALLOWED=false\n"
    _, after = edited(tmp_path, compose, files={"orthanc_DOT_env": env}, Name="1234")
    assert 'ORTHANC__NAME: "\\"1234\\""' in (tmp_path / "docker-compose.yml").read_text() or \
        "ORTHANC__NAME: '\"1234\"'" in (tmp_path / "docker-compose.yml").read_text()
    assert after.generated.config["Name"] == "1234"


SHARED_ENV = """\
services:
  a:
    image: orthancteam/orthanc
    env_file: [common.env]
  b:
    image: orthancteam/orthanc
    env_file: [common.env]
"""


def test_an_env_file_other_services_share_is_left_to_them(tmp_path):
    files = {"common_DOT_env": 'ORTHANC__NAME=shared\nORTHANC__REGISTERED_USERS={"demo": "demo"}\n'}
    written, after = edited(tmp_path, SHARED_ENV, "a", files, Name="mine", RegisteredUsers={"admin": STRONG})
    assert (tmp_path / "common.env").read_text() == files["common_DOT_env"]
    assert after.generated.config["Name"] == "mine"
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG}
    assert reading.load(tmp_path / "docker-compose.yml", "b").generated.config["Name"] == "shared"
    assert compose_config(tmp_path)["services"]["b"] == {"environment": {"ORTHANC__NAME": "shared",
                                                         "ORTHANC__REGISTERED_USERS": '{"demo": "demo"}'},
                                                         "image": "orthancteam/orthanc"}


MOUNTED = """\
services:
  orthanc:
    image: orthancteam/orthanc
    volumes:
      - ./orthanc.json:/etc/orthanc/orthanc.json:ro
"""
JSON = """{
  // the site
  "Name": "A",
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },
  "RemoteAccessAllowed": false
}
"""


def test_a_key_of_a_mounted_json_file_is_edited_there_and_its_comments_stay(tmp_path):
    written, after = edited(tmp_path, MOUNTED, files={"orthanc_DOT_json": JSON},
                            DicomWeb={"Enable": False, "Root": "/dicom-web/"}, Name="B")
    assert changed_lines(JSON, (tmp_path / "orthanc.json").read_text()) == [
        '-   "Name": "A",', '+   "Name": "B",', '-   "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },',
        '+   "DicomWeb": { "Enable": false, "Root": "/dicom-web/" },']
    assert "orthanc.json: DicomWeb.Enable: true -> false (orthanc.json:4)" in written.notes
    assert after.generated.config["DicomWeb"]["Enable"] is False


def test_a_mounted_file_other_services_share_is_copied_for_this_service(tmp_path):
    compose = MOUNTED + "  other:\n    image: orthancteam/orthanc\n    volumes:\n" \
                        "      - ./orthanc.json:/etc/orthanc/orthanc.json:ro\n"
    _, after = edited(tmp_path, compose, "orthanc", {"orthanc_DOT_json": JSON}, Name="B")
    assert (tmp_path / "orthanc.json").read_text() == JSON
    assert "./orthanc.orthanc.json:/etc/orthanc/orthanc.json:ro" in (tmp_path / "docker-compose.yml").read_text()
    assert after.generated.config["Name"] == "B"
    assert reading.load(tmp_path / "docker-compose.yml", "other").generated.config["Name"] == "A"


def test_orthanc_json_is_edited_as_a_commented_document(tmp_path):
    compose = ("services:\n  orthanc:\n    image: orthancteam/orthanc\n    environment:\n      ORTHANC_JSON: |\n"
               "        {\n          // limits\n          \"LimitFindResults\": 10,\n"
               "          \"RemoteAccessAllowed\": false\n"
               "        }\n")
    written, after = edited(tmp_path, compose, LimitFindResults=100)
    assert changed_lines(compose, (tmp_path / "docker-compose.yml").read_text()) == [
        '-           "LimitFindResults": 10,', '+           "LimitFindResults": 100,']
    assert written.notes == ["ORTHANC_JSON: LimitFindResults: 10 -> 100 (docker-compose.yml:5)"]
    assert after.generated.config["LimitFindResults"] == 100


def test_nested_variables_are_compared_one_level_down_and_edited_alone(tmp_path):
    compose = ("services:\n  orthanc:\n    image: orthancteam/orthanc\n    environment:\n"
               "      ORTHANC__DICOM_WEB__ENABLE: \"true\"\n      ORTHANC__DICOM_WEB__ROOT: /dicom-web/\n"
               "      ORTHANC__AUTHENTICATION_ENABLED: \"false\"\n")
    _, after = edited(tmp_path, compose, DicomWeb={"Enable": True, "Root": "/dw/", "EnableWado": False})
    assert changed_lines(compose, (tmp_path / "docker-compose.yml").read_text()) == [
        "-       ORTHANC__DICOM_WEB__ROOT: /dicom-web/", "+       ORTHANC__DICOM_WEB__ROOT: /dw/",
        '+       ORTHANC__DICOM_WEB__ENABLE_WADO: "false"']
    assert after.generated.config["DicomWeb"] == {"Enable": True, "Root": "/dw/", "EnableWado": False}


def test_users_inline_move_to_a_0600_secret_file_and_no_password_stays_in_the_compose_file(tmp_path):
    compose = MAP.replace("      ORTHANC__NAME: 'Site A'\n",
                          "      ORTHANC__NAME: 'Site A'\n      ORTHANC__REGISTERED_USERS: '{\"demo\": \"demo\"}'\n")
    written, after = edited(tmp_path, compose, AuthenticationEnabled=True, RegisteredUsers={"admin": STRONG})
    text = (tmp_path / "docker-compose.yml").read_text()
    secret = tmp_path / "orthanc-registered-users.secret"
    assert STRONG not in text and "demo" not in text
    assert json.loads(secret.read_text()) == {"admin": STRONG}
    assert secret.stat().st_mode & 0o777 == 0o600
    assert "    secrets:\n      - ORTHANC__REGISTERED_USERS\n" in text
    assert text.endswith("secrets:\n  ORTHANC__REGISTERED_USERS:\n    file: ./orthanc-registered-users.secret\n")
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG}
    assert after.generated.warnings == []
    assert not any(STRONG in note for note in written.notes)


def test_a_password_with_any_character_is_read_back_from_its_secret(tmp_path):
    password = 'a$b${HOME}"\\ \'x#'
    _, after = edited(tmp_path, MAP, AuthenticationEnabled=True, RegisteredUsers={"admin": password})
    assert after.generated.config["RegisteredUsers"] == {"admin": password}


def test_a_secret_that_sets_the_users_already_is_rewritten_in_place(tmp_path):
    compose = MAP + "    secrets: [ORTHANC__REGISTERED_USERS]\nsecrets:\n  ORTHANC__REGISTERED_USERS:\n" \
                    "    file: users.txt\n"
    compose = compose.replace("  db:\n    image: postgres:15\n    environment: {POSTGRES_PASSWORD: \"x\"}\n", "")
    written, after = edited(tmp_path, compose, files={"users_DOT_txt": '{"demo": "demo"}\n'},
                            RegisteredUsers={"admin": STRONG})
    assert [c.path.name for c in written.files] == ["users.txt"]
    assert written.files[0].mode == 0o600
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG}


def test_a_secret_name_taken_by_another_service_gives_this_one_its_own(tmp_path):
    compose = ("services:\n  a:\n    image: orthancteam/orthanc\n    secrets: [ORTHANC__REGISTERED_USERS]\n"
               "  b:\n    image: orthancteam/orthanc\n    environment:\n      ORTHANC__REGISTERED_USERS: "
               "'{\"demo\": \"demo\"}'\nsecrets:\n  ORTHANC__REGISTERED_USERS:\n    file: ./users.txt\n")
    _, after = edited(tmp_path, compose, "b", {"users_DOT_txt": '{"u": "p"}'}, RegisteredUsers={"admin": STRONG})
    text = (tmp_path / "docker-compose.yml").read_text()
    assert "source: ORTHANC__REGISTERED_USERS_B\n        target: ORTHANC__REGISTERED_USERS" in text
    assert (tmp_path / "orthanc-registered-users-b.secret").is_file()
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG}
    assert reading.load(tmp_path / "docker-compose.yml", "a").generated.config["RegisteredUsers"] == {"u": "p"}


def test_secret_files_go_to_the_folder_asked(tmp_path):
    deployment = deploy(tmp_path, MAP)
    (tmp_path / "private").mkdir()
    written = writing.changes(deployment, wanted_from(deployment, RegisteredUsers={"admin": STRONG}),
                              secrets_folder=tmp_path / "private")
    write(written)
    assert "file: ./private/orthanc-registered-users.secret" in (tmp_path / "docker-compose.yml").read_text()
    assert reading.load(tmp_path).generated.config["RegisteredUsers"] == {"admin": STRONG}


def test_a_key_no_variable_can_spell_is_refused_naming_it(tmp_path):
    deployment = deploy(tmp_path, MAP)
    with pytest.raises(BadInput, match="My_Key: no ORTHANC__ variable can set this key"):
        writing.changes(deployment, wanted_from(deployment, My_Key=1))


def test_what_the_generator_would_read_differently_is_refused_before_anything_is_written(tmp_path):
    deployment = deploy(tmp_path, MAP)
    edit = writing.Edit(deployment).configure(wanted_from(deployment, Name="B"))
    edit.texts.sets["ORTHANC__NAME"] = "C"  # a writer that got it wrong
    with pytest.raises(BadInput, match="Name: the edited files would not give the wanted value"):
        edit.written()
    assert (tmp_path / "docker-compose.yml").read_text() == MAP


def test_an_edit_that_would_stop_the_container_is_refused(tmp_path):
    deployment = deploy(tmp_path, MAP)
    with pytest.raises(BadInput, match=r"stop the container \(the image's generator exits 253\)"):
        writing.changes(deployment, wanted_from(deployment, AuthenticationEnabled=True))


PORTS = """\
services:
  orthanc:
    image: orthancteam/orthanc
    environment: [ORTHANC__AUTHENTICATION_ENABLED=false]
    ports:
      - "8042:8042"   # web
      - 4242
      - target: 8043
        published: 9000
  proxy:
    image: nginx
    ports: ["443:443", "8042:8042"]
"""


def test_published_ports_move_to_the_loopback_interface_in_short_and_long_syntax(tmp_path):
    deployment = deploy(tmp_path, PORTS, "orthanc")
    written = writing.publish_on_loopback(deployment, {"8042", "4242", "8043"})
    new = written.text(tmp_path / "docker-compose.yml")
    assert new == PORTS.replace('"8042:8042"   # web', '"127.0.0.1:8042:8042"   # web').replace(
        "- 4242\n", '- "127.0.0.1:4242:4242"\n').replace("- target: 8043\n        published: 9000\n",
                                                      '- "127.0.0.1:9000:8043"\n')
    write(written)
    assert published(compose_config(tmp_path)["services"]["orthanc"]) == {
        "127.0.0.1:8042:8042", "127.0.0.1:4242:4242", "127.0.0.1:9000:8043"}
    assert published(compose_config(tmp_path)["services"]["proxy"]) == {"443:443", "8042:8042"}
    assert written.notes[0] == 'services.orthanc.ports: 8042:8042 -> 127.0.0.1:8042:8042 (docker-compose.yml:6)'


def test_ports_already_on_the_loopback_interface_are_left(tmp_path):
    compose = PORTS.replace('"8042:8042"', '"127.0.0.1:8042:8042"')
    assert writing.publish_on_loopback(deploy(tmp_path, compose, "orthanc"), {"8042"}).files == []


def test_the_lua_filter_is_mounted_read_only_once(tmp_path):
    (tmp_path / "orthanc-security.lua").write_text("-- filter\n")
    deployment = deploy(tmp_path, MAP)
    lua = "/etc/orthanc/orthanc-security.lua"
    written = writing.mount_read_only(deployment, tmp_path / "orthanc-security.lua", lua)
    assert changed_lines(MAP, written.text(tmp_path / "docker-compose.yml")) == [
        "+     volumes:", "+       - ./orthanc-security.lua:/etc/orthanc/orthanc-security.lua:ro"]
    write(written)
    again = reading.load(tmp_path / "docker-compose.yml")
    assert writing.mount_read_only(again, tmp_path / "orthanc-security.lua", lua).files == []


def test_one_edit_gathers_settings_ports_and_the_mount_in_one_compose_text(tmp_path):
    (tmp_path / "orthanc-security.lua").write_text("-- filter\n")
    deployment = deploy(tmp_path, MAP)
    edit = writing.Edit(deployment)
    edit.configure(wanted_from(deployment, AuthenticationEnabled=True, RegisteredUsers={"admin": STRONG},
                               LuaScripts=["/etc/orthanc/orthanc-security.lua"]))
    edit.publish_on_loopback({"8042"}).mount_read_only(tmp_path / "orthanc-security.lua",
                                                       "/etc/orthanc/orthanc-security.lua")
    written = edit.written()
    write(written)
    read = compose_config(tmp_path)["services"]
    assert published(read["orthanc"]) == {"127.0.0.1:8042:8042"}
    assert read["db"] == {"environment": {"POSTGRES_PASSWORD": "x"}, "image": "postgres:15"}
    assert reading.load(tmp_path).generated.config["LuaScripts"] == ["/etc/orthanc/orthanc-security.lua"]
    assert [note.split(":")[0] for note in written.notes] == [
        "ORTHANC__AUTHENTICATION_ENABLED", "ORTHANC__LUA_SCRIPTS", "RegisteredUsers", "services.orthanc.ports",
        "services.orthanc.volumes"]


def compose_config(folder: Path) -> dict:
    """The deployment as Debian's docker-compose 1.29 reads it (offline, no Docker engine)."""
    assert shutil.which("docker-compose"), "docker-compose (Debian's package) is installed by scripts/test.sh"
    result = subprocess.run(["docker-compose", "-f", str(folder / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, timeout=60, cwd=folder)
    assert result.returncode == 0, result.stderr
    return YAML(typ="safe").load(result.stdout.replace(str(folder), "."))  # paths as if from the folder


def published(service: dict) -> set[str]:
    """Published ports as docker-compose 1.29 prints them (short or long), as IP:HOST:CONTAINER."""
    return {(f"{p['host_ip']}:" if p.get("host_ip") else "") + f"{p['published']}:{p['target']}" if isinstance(p, dict)
            else p.removesuffix("/tcp") for p in service.get("ports", [])}


def test_a_flow_environment_gains_and_loses_variables_inside_its_braces(tmp_path):
    compose = ("services:\n  orthanc:\n    image: orthancteam/orthanc\n"
               "    environment: {ORTHANC__NAME: A, ORTHANC__REMOTE_ACCESS_ALLOWED: 'false'}\n")
    _, after = edited(tmp_path, compose, Name=None, StableAge=5)
    assert (tmp_path / "docker-compose.yml").read_text() == compose.replace(
        "{ORTHANC__NAME: A, ORTHANC__REMOTE_ACCESS_ALLOWED: 'false'}",
        "{ORTHANC__REMOTE_ACCESS_ALLOWED: 'false', ORTHANC__STABLE_AGE: '5'}")
    assert after.generated.config["StableAge"] == 5 and "Name" not in after.generated.config


def test_a_variable_written_without_a_value_gets_one_on_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ORTHANC__NAME", "from the shell")
    compose = "services:\n  orthanc:\n    image: orthancteam/orthanc\n    environment:\n      ORTHANC__NAME:\n" \
              "      ORTHANC__AUTHENTICATION_ENABLED: 'false'\n"
    _, after = edited(tmp_path, compose, Name="B")
    assert (tmp_path / "docker-compose.yml").read_text() == compose.replace("NAME:\n", 'NAME: "B"\n')
    assert after.generated.config["Name"] == "B"


def test_a_compose_file_with_crlf_line_ends_keeps_them(tmp_path):
    compose = MAP.replace("\n", "\r\n")
    (tmp_path / "docker-compose.yml").write_bytes(compose.encode())
    deployment = reading.load(tmp_path / "docker-compose.yml")
    written = writing.changes(deployment, wanted_from(deployment, StableAge=5, RegisteredUsers={"admin": STRONG}))
    new = written.text(tmp_path / "docker-compose.yml")
    assert "\n" not in new.replace("\r\n", "")
    assert changed_lines(compose, new)[0] == "+       ORTHANC__STABLE_AGE: '5'"


def test_orthanc_password_goes_when_the_users_move_to_their_secret(tmp_path):
    compose = ("services:\n  orthanc:\n    image: orthancteam/orthanc\n    environment:\n"
               "      ORTHANC_PASSWORD: demo\n      ORTHANC__NAME: A\n")
    written, after = edited(tmp_path, compose, RegisteredUsers={"admin": STRONG})
    without = compose.replace("      ORTHANC_PASSWORD: demo\n", "")
    assert (tmp_path / "docker-compose.yml").read_text().startswith(without)
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG}
    assert written.notes[0].startswith("ORTHANC_PASSWORD: removed (a password stays out of the compose file")


def test_a_password_behind_a_secret_pointer_is_changed_in_the_file_it_points_to(tmp_path):
    compose = ("services:\n  orthanc:\n    image: orthancteam/orthanc\n    environment:\n"
               "      ORTHANC__AUTHENTICATION_ENABLED: 'false'\n      ORTHANC__POSTGRESQL__HOST: db\n"
               "      ORTHANC__POSTGRESQL__PASSWORD_SECRET: pg\n    secrets: [pg]\n"
               "secrets:\n  pg:\n    file: ./pg.txt\n")
    written, after = edited(tmp_path, compose, files={"pg_DOT_txt": "old\n"},
                            PostgreSQL={"Host": "db", "Password": "1234"})
    assert [change.path.name for change in written.files] == ["pg.txt"]
    assert (tmp_path / "pg.txt").read_text() == '"1234"\n'
    assert (tmp_path / "pg.txt").stat().st_mode & 0o777 == 0o600
    assert after.generated.config["PostgreSQL"]["Password"] == "1234"


def test_users_in_a_mounted_json_file_are_edited_there_user_by_user(tmp_path):
    users = '{\n  "RegisteredUsers": {\n    // the admin\n    "admin": "old",\n    "viewer": "v"\n  }\n}\n'
    written, after = edited(tmp_path, MOUNTED, files={"orthanc_DOT_json": users},
                            RegisteredUsers={"admin": STRONG, "viewer": "v"})
    assert (tmp_path / "orthanc.json").read_text() == users.replace('"old"', f'"{STRONG}"')
    assert after.generated.config["RegisteredUsers"] == {"admin": STRONG, "viewer": "v"}
    assert written.notes == ["orthanc.json: RegisteredUsers.admin: ******** -> ******** (orthanc.json:4)"]


ORACLE = json.loads((Path(__file__).parents[1] / "data" / "compose" / "writing-oracle-cases.json").read_text())


@pytest.mark.parametrize("name", sorted(ORACLE["cases"]))
def test_the_spellings_the_edit_writes_are_read_by_the_real_generator_as_by_ours(name):
    case = ORACLE["cases"][name]
    variables = {n: Variable(n, text, f"{n}={text}", Path("docker-compose.yml"), line)
                 for line, (n, text) in enumerate(case.get("env", {}).items(), start=1)}
    generated = generate(variables, [], [(n, None, text) for n, text in case.get("secrets", {}).items()])
    assert (generated.exit, generated.config, generated.warnings) == (case["exit"], case["config"], case["warnings"])


def test_env_text_spells_a_text_as_the_real_generator_kept_it():
    case = ORACLE["cases"]["json_text_stays_text"]
    assert [env_text(case["config"][key]) for key in ("Name", "DicomAet", "StorageDirectory")] == [
        case["env"]["ORTHANC__NAME"], case["env"]["ORTHANC__DICOM_AET"], case["env"]["ORTHANC__STORAGE_DIRECTORY"]]
    users = ORACLE["cases"]["users_masked_by_empty_object_then_secret"]
    assert secret_text(users["config"]["RegisteredUsers"]) == users["secrets"]["ORTHANC__REGISTERED_USERS"]


ANCHORED = """\
x-orthanc: &orthanc
  image: orthancteam/orthanc
  environment: &env
    ORTHANC__AUTHENTICATION_ENABLED: "false"
services:
  a:
    <<: *orthanc
  b:
    image: orthancteam/orthanc
    environment: *env
"""


@pytest.mark.parametrize("service", ["a", "b"])
def test_an_environment_other_services_reach_through_an_anchor_is_refused(service, tmp_path):
    deployment = deploy(tmp_path, ANCHORED, service)
    with pytest.raises(BadInput, match=rf"services\.{service}\.environment: (comes from a `<<:` merge|is shared)"):
        writing.changes(deployment, wanted_from(deployment, StableAge=5))
