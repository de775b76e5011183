"""The orthancteam image's generator, reproduced: every measured case gives the configuration and
the exit status the real generator gave (tests/data/compose/builder-cases.json)."""

import json
from pathlib import Path

import pytest

from wizard.sources.compose import names
from wizard.sources.compose.generator import generate
from wizard.sources.compose.model import Origin, Variable

DATA = json.loads((Path(__file__).parents[1] / "data" / "compose" / "builder-cases.json").read_text())
CASES = DATA["cases"]


def run(case: dict):
    given = case["input"]
    variables = {name: Variable(name, text, f"{name}={text}", Path("docker-compose.yml"), line)
                 for line, (name, text) in enumerate(given.get("env", {}).items(), start=1)}
    files = [("/etc/orthanc/" + name, None, text) for name, text in given.get("etc", {}).items()]
    secrets = [(name, None, text) for name, text in given.get("secrets", {}).items()]
    return generate(variables, files, secrets)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_each_measured_case_gives_the_generators_configuration_and_exit(case):
    generated = run(case)
    assert (generated.exit, generated.config) == (case["exit"], case["config"]), generated.reason


@pytest.mark.parametrize("case", [c for c in CASES if c["exit"] != 0], ids=lambda c: c["case"])
def test_a_stop_is_explained_with_the_lines_the_generator_logs(case):
    logged = [line.rstrip() for line in case["log_excerpt"]]
    reason = run(case).reason
    assert reason and all(line.rstrip() in logged for line in reason.splitlines())


def case(title: str) -> dict:
    return next(c for c in CASES if c["case"] == title)


def test_the_names_inverse_spells_every_measured_key_back_to_its_variable():
    measured = case("names: inverse spellings (a lower-case word, one-letter words, the section exceptions)")
    for name in measured["input"]["env"]:
        path = names.key_path(name)
        spelled = names.variable(path)
        assert names.key_path(spelled) == path
        if name != "ORTHANC__CLIENT_SECREt":  # the one written in a deliberately odd case
            assert spelled in (name, "ORTHANC__HTTPS_CA_CERTIFICATES"), name


def test_a_key_path_no_variable_can_spell_is_refused():
    for path in [(), ("",), ("Dicom_Web",), ("DicomWeb", "")]:
        with pytest.raises(ValueError):
            names.variable(path)


def test_a_name_ending_in_secret_is_spelled_but_known_as_a_pointer():
    name = names.variable(("OrthancExplorer2", "Keycloak", "ClientSecret"))
    assert name == "ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET" and names.is_pointer(name)


def test_each_key_keeps_its_origin_nested_keys_and_defaults_included():
    generated = run(case("files: env var overrides the file"))
    assert generated.origins[("DicomAlwaysAllowStore",)] == Origin("variable", "docker-compose.yml", 1,
                                                                   "ORTHANC__DICOM_ALWAYS_ALLOW_STORE")
    assert generated.origins[("RegisteredUsers", "f")] == Origin("file", None, 1, "/etc/orthanc/orthanc.json")
    assert generated.origins[("Gdcm", "Throttling")] == Origin("default", name="image default")
    nested = run(case("name: words split at capitals, __ nests")).origins[("DicomWeb", "StudiesMetadata")]
    assert (nested.kind, nested.name) == ("variable", "ORTHANC__DICOM_WEB__STUDIES_METADATA")
    password = run(case("ORTHANC_PASSWORD beside other users")).origins[("RegisteredUsers", "orthanc")]
    assert password.name == "ORTHANC_PASSWORD"


def test_what_the_generator_hides_is_listed():
    ignored = run(case("name: a single underscore is ignored silently")).ignored
    assert sorted(v.name for v in ignored) == ["ORTHANC_AUTHENTICATION_ENABLED", "ORTHANC_REGISTERED_USERS"]
    unknown = run(case("name: unknown names become unknown keys")).unknown
    assert [(v.name, key) for v, key in unknown] == [("ORTHANC__HTTP_CORS_ENABLED", "HttpCorsEnabled")]
    assert [v.name for v in run(case("refusal: a legacy variable name (NAME)")).legacy] == ["NAME"]
    swallowed = run(case("secret: any name ending in _SECRET is a file pointer")).swallowed
    assert [(v.name, key) for v, key in swallowed] == [("ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET",
                                                         "ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT")]
    converted = run(case("value: numbers, booleans, null and JSON are parsed")).converted
    assert sorted((v.name, path, value) for v, path, value in converted) == [
        ("ORTHANC__AUTHENTICATION_ENABLED", ("AuthenticationEnabled",), False),
        ("ORTHANC__DICOM_AET", ("DicomAet",), None), ("ORTHANC__NAME", ("Name",), 12345)]


def test_the_generators_warnings_are_kept_in_its_words():
    generated = run(case("files: env var overrides the file"))
    assert generated.warnings == case("files: env var overrides the file")["log_excerpt"]
