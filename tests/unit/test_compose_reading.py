"""A compose deployment read as docker compose v2 reads it (reading.load), on small compose files."""

import textwrap
from pathlib import Path

import pytest

from wizard.errors import BadInput
from wizard.sources.compose.model import Origin
from wizard.sources.compose.reading import load

USERS = 'ORTHANC__REGISTERED_USERS: \'{"admin": "Long-Pass-12345"}\''


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def compose(folder: Path, services: str, name: str = "docker-compose.yml", tail: str = "") -> Path:
    return write(folder, name, "services:\n" + textwrap.indent(textwrap.dedent(services).strip("\n"), "  ")
                 + "\n" + textwrap.dedent(tail))


def refused(path, *words, **kwargs) -> str:
    with pytest.raises(BadInput) as caught:
        load(path, environ=kwargs.pop("environ", {}), **kwargs)
    message = str(caught.value)
    assert all(word in message for word in words), message
    return message


# Finding and parsing the compose file

def test_a_folder_is_read_through_composes_preferred_name(tmp_path):
    compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment: {ORTHANC__NAME: old}")
    compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment: {ORTHANC__NAME: new}", "compose.yaml")
    deployment = load(tmp_path, environ={})
    assert deployment.file.name == "compose.yaml"
    assert deployment.service.environment["ORTHANC__NAME"].value == "new"


def test_a_compose_file_of_any_name_is_read(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc:26.8.0", "prod.yml")
    assert load(path, environ={}).service.image == "orthancteam/orthanc:26.8.0"


def test_a_folder_without_a_compose_file_is_bad_input(tmp_path):
    refused(tmp_path, str(tmp_path), "compose.yaml", "docker-compose.yml")


def test_malformed_yaml_names_the_file_line_and_column(tmp_path):
    path = write(tmp_path, "docker-compose.yml", "services:\n  orthanc:\n    image: [orthancteam/orthanc\n")
    refused(path, str(path), "line 4, column 1", "malformed YAML")


def test_a_duplicate_key_is_malformed_yaml(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: a\n  image: b")
    refused(path, "line 4", "duplicate")


def test_include_is_refused_naming_the_key(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc", tail="include:\n  - other.yml\n")
    refused(path, f"{path}: include:", "not followed")


def test_extends_from_another_file_is_refused_naming_the_key(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  extends: {file: base.yml, service: b}")
    refused(path, "services.orthanc.extends.file")


def test_extends_in_the_same_file_merges_the_environment(tmp_path):
    path = compose(tmp_path, """
        base:
          image: orthancteam/orthanc
          environment: {ORTHANC__NAME: base, ORTHANC__DICOM_AET: BASE}
          ports: ["127.0.0.1:4242:4242"]
        orthanc:
          extends: {service: base}
          environment: {ORTHANC__NAME: own}
        """)
    service = load(path, "orthanc", environ={}).service
    assert {k: v.value for k, v in service.environment.items()} == {"ORTHANC__NAME": "own", "ORTHANC__DICOM_AET": "BASE"}
    assert service.image == "orthancteam/orthanc" and [p.host_ip for p in service.ports] == ["127.0.0.1"]
    assert service.environment["ORTHANC__DICOM_AET"].line == 4


# The environment

def test_environment_as_a_map_keeps_each_line_and_the_style(tmp_path):
    path = compose(tmp_path, f"orthanc:\n  image: orthancteam/orthanc\n  environment:\n    {USERS}\n    ORTHANC__HTTP_PORT: 8043")
    service = load(path, environ={}).service
    assert service.style == "map"
    port = service.environment["ORTHANC__HTTP_PORT"]
    assert (port.value, port.file, port.line) == ("8043", path, 6)


def test_environment_as_a_list_and_a_bare_key_from_the_process(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment:\n    - ORTHANC__NAME=site\n"
                             "    - ORTHANC_PASSWORD\n    - ORTHANC__DICOM_AET")
    service = load(path, environ={"ORTHANC_PASSWORD": "From-Process-123"}).service
    assert service.style == "list"
    assert {k: v.value for k, v in service.environment.items()} == {
        "ORTHANC__NAME": "site", "ORTHANC_PASSWORD": "From-Process-123", "ORTHANC__DICOM_AET": None}
    assert service.environment["ORTHANC_PASSWORD"].line == 6
    assert load(path, environ={"ORTHANC_PASSWORD": "From-Process-123"}).generated.exit == 0


def test_a_bare_key_takes_the_dotenv_value_too(tmp_path):
    write(tmp_path, ".env", "ORTHANC_PASSWORD=From-Dotenv-123\n")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment: [ORTHANC_PASSWORD]")
    assert load(path, environ={}).service.environment["ORTHANC_PASSWORD"].value == "From-Dotenv-123"


def test_env_files_in_order_then_environment_wins_and_each_keeps_its_file_and_line(tmp_path):
    write(tmp_path, "conf/a.env", "# shared\nORTHANC__NAME=from-a\nORTHANC__DICOM_AET=A\n")
    write(tmp_path, "conf/b.env", "ORTHANC__DICOM_AET=B\nORTHANC__STABLE_AGE=5\n")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  env_file: [conf/a.env, conf/b.env]\n"
                             "  environment:\n    ORTHANC__STABLE_AGE: 9")
    env = load(path, environ={}).service.environment
    assert {k: (v.value, v.file.name, v.line) for k, v in env.items()} == {
        "ORTHANC__NAME": ("from-a", "a.env", 2), "ORTHANC__DICOM_AET": ("B", "b.env", 1),
        "ORTHANC__STABLE_AGE": ("9", "docker-compose.yml", 6)}


def test_an_unresolved_bare_key_unsets_what_an_env_file_set(tmp_path):
    write(tmp_path, "a.env", "ORTHANC__NAME=from-file\n")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  env_file: a.env\n  environment: [ORTHANC__NAME]")
    deployment = load(path, environ={})
    assert deployment.service.environment["ORTHANC__NAME"].value is None
    assert "Name" not in (deployment.generated.config or {"Name": 1}) or deployment.generated.exit != 0


def test_a_missing_env_file_is_bad_input_naming_the_key(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  env_file: [ok.env, missing.env]")
    write(tmp_path, "ok.env", "A=1\n")
    refused(path, "services.orthanc.env_file[1]", "missing.env", "not found")


def test_an_optional_env_file_may_be_missing(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  env_file: [{path: missing.env, required: false}]")
    assert load(path, environ={}).service.environment == {}


def test_env_file_values_follow_compose_v2_quotes_comments_and_interpolation(tmp_path):
    write(tmp_path, "a.env", "A='lit $X'\nB=\"line\\nnext ${X}\"\nC=plain ${X:-d} # note\nexport D=\n")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  env_file: a.env")
    env = load(path, environ={"X": "x"}).service.environment
    assert {k: v.value for k, v in env.items()} == {"A": "lit $X", "B": "line\nnext x", "C": "plain x", "D": ""}


# Interpolation

@pytest.mark.parametrize("written, value", [
    ("${SITE}", "env"), ("$SITE", "env"), ("${NOPE}", ""), ("${NOPE:-dflt}", "dflt"), ("${EMPTY:-dflt}", "dflt"),
    ("${EMPTY-dflt}", ""), ("${NOPE-dflt}", "dflt"), ("$$SITE", "$SITE"), ("a${SITE:+set}b", "asetb"),
    ("${NOPE:-${SITE}}", "env"), ("cost 5$", "cost 5$"),
])
def test_interpolation_forms_as_compose_v2(tmp_path, written, value):
    path = compose(tmp_path, f"orthanc:\n  image: orthancteam/orthanc\n  environment:\n    ORTHANC__NAME: '{written}'")
    variable = load(path, environ={"SITE": "env", "EMPTY": ""}).service.environment["ORTHANC__NAME"]
    assert (variable.value, variable.written) == (value, written)


def test_an_unset_variable_is_recorded_on_the_variable(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment:\n    ORTHANC__NAME: '${A}-${B}'")
    assert load(path, environ={"B": "b"}).service.environment["ORTHANC__NAME"].unset == ("A",)


@pytest.mark.parametrize("written, words", [
    ("${PASS:?set the password}", ["required variable PASS is missing a value: set the password"]),
    ("${PASS?say it}", ["required variable PASS", "say it"]),
])
def test_a_required_variable_unset_is_refused_with_its_message(tmp_path, written, words):
    path = compose(tmp_path, f"orthanc:\n  image: orthancteam/orthanc\n  environment:\n    ORTHANC_PASSWORD: '{written}'")
    refused(path, "services.orthanc.environment.ORTHANC_PASSWORD", *words)


def test_colon_question_mark_refuses_an_empty_value_too(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment:\n    A: '${P:?}'\n    B: '${P?}'")
    refused(path, "required variable P", environ={"P": ""})


def test_a_required_variable_anywhere_in_the_file_refuses_it(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\ndb:\n  image: 'postgres:${PG:?pin it}'")
    refused(path, "services.db.image", "pin it")


def test_the_process_environment_wins_over_dotenv(tmp_path):
    write(tmp_path, ".env", "TAG=26.1.0\nOTHER=from-dotenv\n")
    path = compose(tmp_path, "orthanc:\n  image: 'orthancteam/orthanc:${TAG}'\n  environment: {ORTHANC__NAME: '${OTHER}'}")
    deployment = load(path, environ={"TAG": "26.8.0"})
    assert deployment.service.image == "orthancteam/orthanc:26.8.0"
    assert deployment.service.environment["ORTHANC__NAME"].value == "from-dotenv"
    assert deployment.dotenv == {"TAG": "26.1.0", "OTHER": "from-dotenv"}


# Secrets

def test_a_secret_named_after_a_variable_and_a_pointer_set_their_keys(tmp_path):
    write(tmp_path, "secrets/pg.txt", "Pg-Pass-123\n")
    write(tmp_path, "secrets/users.json", '{"boss": "Boss-Pass-123"}')
    path = compose(tmp_path, """
        orthanc:
          image: orthancteam/orthanc
          environment: {ORTHANC__REGISTERED_USERS_SECRET: users, ORTHANC__POSTGRESQL__HOST: db}
          secrets: [ORTHANC__POSTGRESQL__PASSWORD, {source: users_file, target: users}]
        """, tail="""
        secrets:
          ORTHANC__POSTGRESQL__PASSWORD: {file: ./secrets/pg.txt}
          users_file: {file: secrets/users.json}
        """)
    deployment = load(path, environ={})
    generated = deployment.generated
    assert generated.config["PostgreSQL"]["Password"] == "Pg-Pass-123"
    assert generated.config["RegisteredUsers"] == {"boss": "Boss-Pass-123"}
    assert [(s.name, s.target, s.file.name) for s in deployment.service.secrets] == [
        ("ORTHANC__POSTGRESQL__PASSWORD", "/run/secrets/ORTHANC__POSTGRESQL__PASSWORD", "pg.txt"),
        ("users_file", "/run/secrets/users", "users.json")]
    assert generated.origins[("PostgreSQL", "Password")] == Origin(
        "secret", str(tmp_path / "secrets" / "pg.txt"), None, "/run/secrets/ORTHANC__POSTGRESQL__PASSWORD")


@pytest.mark.parametrize("definition, said", [("{external: true}", "external"), ("{environment: PASS}", "environment")])
def test_a_secret_from_outside_a_file_is_refused_naming_it(tmp_path, definition, said):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  secrets: [pw]", tail=f"secrets:\n  pw: {definition}\n")
    refused(path, "secrets.pw", said)


def test_an_undeclared_or_missing_secret_is_refused(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  secrets: [pw]")
    refused(path, "services.orthanc.secrets[0]", "undefined secret")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  secrets: [pw]", tail="secrets:\n  pw: {file: nope.txt}\n")
    refused(path, "secrets.pw.file", "nope.txt", "does not exist")


# Files mounted into /etc/orthanc

def test_a_mounted_folder_gives_every_json_file_with_key_lines(tmp_path):
    write(tmp_path, "config/orthanc.json", '{\n  "Name": "${SITE}",\n  "RegisteredUsers": {"a": "Long-Pass-12345"}\n}\n')
    write(tmp_path, "config/notes.txt", "not read")
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  environment: {SITE: pacs}\n"
                             "  volumes: ['./config:/etc/orthanc/:ro']")
    deployment = load(path, environ={})
    assert deployment.files == {"/etc/orthanc/orthanc.json": tmp_path / "config" / "orthanc.json"}
    assert deployment.generated.config["Name"] == "pacs"
    origin = deployment.generated.origins[("RegisteredUsers", "a")]
    assert (origin.kind, origin.file, origin.line, origin.name) == (
        "file", str(tmp_path / "config" / "orthanc.json"), 3, "/etc/orthanc/orthanc.json")
    assert deployment.service.mounts[0].read_only


def test_mounted_files_in_short_and_long_syntax(tmp_path):
    write(tmp_path, "a.jsonc", '{"Name": "a"}')
    write(tmp_path, "sub/b.json", '{"RegisteredUsers": {"b": "Long-Pass-12345"}}')
    path = compose(tmp_path, """
        orthanc:
          image: orthancteam/orthanc
          volumes:
            - a.jsonc:/etc/orthanc/a.json
            - ./a.jsonc:/etc/orthanc/a.json
            - {type: bind, source: sub/b.json, target: /etc/orthanc/b.json}
            - storage:/var/lib/orthanc/db
        """)
    deployment = load(path, environ={})
    assert sorted(deployment.files) == ["/etc/orthanc/a.json", "/etc/orthanc/b.json"]
    assert deployment.generated.config["RegisteredUsers"] == {"b": "Long-Pass-12345"}
    assert [m.kind for m in deployment.service.mounts] == ["volume", "bind", "bind", "volume"]


def test_a_missing_mounted_file_is_refused_naming_the_volume(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: orthancteam/orthanc\n  volumes: ['./gone.json:/etc/orthanc/orthanc.json']")
    refused(path, "services.orthanc.volumes[0]", "gone.json")


def test_a_named_volume_on_etc_orthanc_is_said_in_the_notes(tmp_path):
    path = compose(tmp_path, f"orthanc:\n  image: orthancteam/orthanc\n  environment: {{{USERS}}}\n"
                             "  volumes: ['conf:/etc/orthanc']")
    assert any("/etc/orthanc" in note for note in load(path, environ={}).notes)


# A service built from a Dockerfile

def test_a_build_from_the_image_counts_and_its_env_and_copied_files_are_read(tmp_path):
    write(tmp_path, "orthanc/Dockerfile", "FROM orthancteam/orthanc:26.8.0 AS base\nFROM base\n"
                                          "ENV ORTHANC__NAME=built \\\n    ORTHANC__DICOM_AET=BUILT\n"
                                          "COPY orthanc.json /etc/orthanc/\n")
    write(tmp_path, "orthanc/orthanc.json", '{"RegisteredUsers": {"c": "Long-Pass-12345"}}')
    path = compose(tmp_path, "web:\n  image: nginx\northanc:\n  build: orthanc\n  environment: {ORTHANC__DICOM_AET: OWN}")
    deployment = load(path, environ={})
    service = deployment.service
    assert (service.name, service.base, service.image) == ("orthanc", "orthancteam/orthanc:26.8.0", None)
    assert service.environment["ORTHANC__NAME"].file == tmp_path / "orthanc" / "Dockerfile"
    assert deployment.generated.config["Name"] == "built"
    assert deployment.generated.config["DicomAet"] == "OWN"
    assert deployment.files == {"/etc/orthanc/orthanc.json": tmp_path / "orthanc" / "orthanc.json"}


# Which service runs Orthanc

def test_several_orthanc_services_are_refused_naming_them_and_one_is_chosen(tmp_path):
    path = compose(tmp_path, f"""
        a:
          image: orthancteam/orthanc:26.8.0
          environment: {{{USERS}}}
        b:
          image: custom/pacs
          environment: {{ORTHANC__NAME: b, {USERS}}}
        auth:
          image: orthancteam/orthanc-auth-service
        """)
    refused(path, "several services run Orthanc (a, b)", "--service")
    assert load(path, "b", environ={}).service.name == "b"
    refused(path, "no service 'c'", service="c")


def test_a_file_without_an_orthanc_service_is_refused(tmp_path):
    path = compose(tmp_path, "db:\n  image: postgres")
    refused(path, "no service runs an Orthanc image")


def test_an_orthanc_image_without_the_generator_is_refused_with_what_to_do(tmp_path):
    path = compose(tmp_path, "orthanc:\n  image: jodogne/orthanc-plugins:1.12.1")
    refused(path, "services.orthanc.image", "--config")


# Ports, user, image

def test_ports_in_short_and_long_syntax(tmp_path):
    path = compose(tmp_path, """
        orthanc:
          image: 'orthancteam/orthanc:${TAG:-26.8.0}'
          user: '999:999'
          ports:
            - 8042
            - "4242:4242"
            - "127.0.0.1:8042:8042"
            - target: 4242
              published: "104"
              host_ip: 0.0.0.0
        """)
    service = load(path, environ={}).service
    assert (service.image, service.user) == ("orthancteam/orthanc:26.8.0", "999:999")
    assert [(p.container, p.host_ip, p.host_port, p.line) for p in service.ports] == [
        ("8042", None, None, 6), ("4242", None, "4242", 7), ("8042", "127.0.0.1", "8042", 8), ("4242", "0.0.0.0", "104", 9)]


def test_the_document_and_the_service_node_are_kept_for_writing_back(tmp_path):
    path = compose(tmp_path, f"# site\northanc:\n  image: orthancteam/orthanc\n  environment: {{{USERS}}}")
    deployment = load(path, environ={})
    assert deployment.document["services"]["orthanc"] is deployment.service.node
    assert deployment.text == path.read_text() and deployment.service.line == 3
    assert deployment.generated.origins[("RegisteredUsers",)].line == 5
    assert deployment.generated.origins[("StorageDirectory",)] == Origin("default", name="image default")


def test_a_key_of_orthanc_json_in_a_literal_block_keeps_its_own_line(tmp_path):
    path = compose(tmp_path, """
        orthanc:
          image: orthancteam/orthanc
          environment:
            ORTHANC_JSON: |
              {
                "RegisteredUsers": {
                  "admin": "Long-Pass-12345"
                }
              }
        """)
    origins = load(path, environ={}).generated.origins
    assert (origins[("RegisteredUsers",)].line, origins[("RegisteredUsers", "admin")].line) == (7, 8)
    assert origins[("RegisteredUsers", "admin")].name == "ORTHANC_JSON"


def test_a_binary_secret_stops_the_generator_which_reads_every_secret_as_text(tmp_path):
    (tmp_path / "key.der").write_bytes(b"\x30\x82\xff\xfe")
    path = compose(tmp_path, f"orthanc:\n  image: orthancteam/orthanc\n  environment: {{{USERS}}}\n  secrets: [tls]",
                   tail="secrets:\n  tls: {file: key.der}\n")
    generated = load(path, environ={}).generated
    assert (generated.exit, generated.config) == (1, None)
    assert "/run/secrets/tls is not UTF-8 text" in generated.reason
