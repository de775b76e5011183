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
