"""The compose rules (OH-DOCKER-*) on deployments built by hand: each finding at the line that
causes it, with the severity the situation calls for, and nothing where the compose file is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard import findings
from wizard.sources.compose import rules
from wizard.sources.compose.model import Deployment, Generated, Port, Service, Variable
from wizard.topics.base import Facts
from wizard.versions import parse

COMPOSE = Path("/project/docker-compose.yml")


def var(name: str, value: str | None, *, written: str | None = None, line: int = 10, file: Path = COMPOSE,
        unset: tuple[str, ...] = ()) -> Variable:
    return Variable(name, value, value if written is None else written, file, line, unset)


def port(written: str, container: str, host_ip: str | None, host_port: str | None, line: int = 7) -> Port:
    return Port(written, container, host_ip, host_port, "tcp", line)


def deploy(*variables: Variable, ports=(), user: str | None = "999:999", image="orthancteam/orthanc:26.8.1",
           config: dict | None = None, others=(), depends_on=(), dotenv=None, **generated) -> Deployment:
    service = Service("orthanc", 3, image, None, user, {v.name: v for v in variables}, ports=list(ports),
                      depends_on=list(depends_on))
    values = {"RemoteAccessAllowed": True, "AuthenticationEnabled": True, "RegisteredUsers": {"a": "b"},
              **(config or {})}
    made = Generated(values if generated.get("exit", 0) == 0 else None, generated.pop("exit", 0),
                     generated.pop("reason", None), **generated)
    services = {"orthanc": service, **{s.name: s for s in others}}
    return Deployment(COMPOSE, COMPOSE.parent, services, service, dotenv or {}, made)


def judge(deployment: Deployment, target: str | None = "1.13.0") -> list:
    facts = Facts(target=parse(target) if target else None, deployment=deployment)
    return rules.findings(deployment.generated.config or {}, facts)


def ids(found) -> list[str]:
    return [f.id for f in found]


def test_without_a_deployment_no_rule_runs_and_the_rules_need_one():
    assert rules.findings({}, Facts()) == []
    assert {rule.needs for rule in rules.RULES} == {"deployment"}
    assert all(rule.id in findings.RULES for rule in rules.RULES)


def test_a_safe_deployment_gets_no_finding():
    safe = deploy(var("ORTHANC__POSTGRESQL__PASSWORD_SECRET", "pg"),
                  ports=[port("127.0.0.1:8042:8042", "8042", "127.0.0.1", "8042")])
    assert judge(safe) == []


@pytest.mark.parametrize("written, ip", [("8042:8042", None), ("0.0.0.0:8042:8042", "0.0.0.0"),
                                         ("[::]:8042:8042", "[::]")])
def test_the_http_port_published_on_every_interface_is_high_at_its_line(written, ip):
    found = judge(deploy(ports=[port(written, "8042", ip, "8042", line=9)]))
    assert ids(found) == ["OH-DOCKER-001"]
    assert (found[0].severity, found[0].line, found[0].file, found[0].key) == ("high", 9, str(COMPOSE), written)
    assert found[0].recommended == "127.0.0.1:8042:8042"


def test_the_http_port_published_with_authentication_off_is_critical():
    found = judge(deploy(ports=[port("8042:8042", "8042", None, "8042")], config={"AuthenticationEnabled": False}))
    assert found[0].severity == "critical" and "anyone on the network" in found[0].message


def test_the_dicom_port_and_a_configured_http_port_are_judged_and_others_are_not():
    found = judge(deploy(ports=[port("104:4242", "4242", None, "104"), port("80:8080", "8080", None, "80"),
                                port("9000:9000", "9000", None, "9000")], config={"HttpPort": 8080}))
    assert [(f.id, f.key) for f in found] == [("OH-DOCKER-001", "104:4242"), ("OH-DOCKER-001", "80:8080")]
    assert "DICOM port 4242" in found[0].message and "HTTP port 8080" in found[1].message


def test_a_port_of_a_server_turned_off_is_not_judged():
    assert judge(deploy(ports=[port("4242:4242", "4242", None, "4242")], config={"DicomServerEnabled": False})) == []


def test_a_container_port_alone_is_a_random_host_port_on_every_interface():
    found = judge(deploy(ports=[port("8042", "8042", None, None), port("127.0.0.1::4242", "4242", "127.0.0.1", None)]))
    assert ids(found) == ["OH-DOCKER-002"] and "random host port" in found[0].message


def test_a_port_range_holding_orthanc_s_port_is_judged():
    assert ids(judge(deploy(ports=[port("8000-8100:8000-8100", "8000-8100", None, "8000-8100")]))) == ["OH-DOCKER-001"]


def postgres(*variables: Variable, ports=(port("5432:5432", "5432", None, "5432", line=30),), image="postgres:15"):
    return Service("index-db", 25, image, None, None, {v.name: v for v in variables}, ports=list(ports))


@pytest.mark.parametrize("variable", [var("POSTGRES_PASSWORD", "postgres", line=28),
                                      var("POSTGRES_PASSWORD", "pg_password", line=28),
                                      var("POSTGRES_HOST_AUTH_METHOD", "trust", line=28)])
def test_a_published_database_orthanc_depends_on_with_a_default_login_is_critical(variable):
    found = judge(deploy(others=[postgres(variable)], depends_on=["index-db"]))
    assert ids(found) == ["OH-DOCKER-003"]
    assert (found[0].severity, found[0].line, found[0].key) == ("critical", 28, variable.name)
    assert "5432:5432" in found[0].message and found[0].current is None


def test_the_database_named_as_postgresql_host_counts_and_a_mysql_empty_root_too():
    empty_root = var("MYSQL_ALLOW_EMPTY_PASSWORD", "yes")
    mysql = Service("db", 25, "mysql:8.0", None, None, {empty_root.name: empty_root},
                    ports=[port("3306:3306", "3306", None, "3306")])
    found = judge(deploy(others=[mysql], config={"MySQL": {"Host": "db"}}))
    assert ids(found) == ["OH-DOCKER-003"] and "empty password" in found[0].message


@pytest.mark.parametrize("database, depends", [
    (postgres(var("POSTGRES_PASSWORD", "postgres"), ports=()), ["index-db"]),  # not published
    (postgres(var("POSTGRES_PASSWORD", "postgres"), ports=[port("127.0.0.1:5432:5432", "5432", "127.0.0.1", "5432")]),
     ["index-db"]),
    (postgres(var("POSTGRES_PASSWORD", "Zq8v-long-generated")), ["index-db"]),
    (postgres(var("POSTGRES_PASSWORD", "postgres")), []),  # Orthanc does not use it
])
def test_a_database_not_published_with_a_strong_password_or_unused_is_not_judged(database, depends):
    assert judge(deploy(others=[database], depends_on=depends)) == []


@pytest.mark.parametrize("user", [None, "root", "0", "0:0", "root:root"])
def test_a_container_running_as_root_is_found(user):
    found = judge(deploy(user=user))
    assert ids(found) == ["OH-DOCKER-004"]
    assert found[0].line == 3 and found[0].key == ("orthanc" if user is None else "user")


@pytest.mark.parametrize("name, value", [("VERBOSE_STARTUP", "true"), ("VERBOSE_STARTUP", ""),
                                         ("BUNDLE_DEBUG", "true")])
def test_verbose_start_up_that_prints_the_passwords_is_found(name, value):
    found = judge(deploy(var(name, value, written=f"{name}={value}", line=12)))
    assert ids(found) == ["OH-DOCKER-005"] and found[0].line == 12


@pytest.mark.parametrize("value", ["false", "True", "1", None])
def test_verbose_start_up_values_the_generator_does_not_take_are_not_found(value):
    assert judge(deploy(var("VERBOSE_STARTUP", value))) == []


@pytest.mark.parametrize("variable, where, secret", [
    (var("ORTHANC__REGISTERED_USERS", '{"admin": "s3cret-admin"}'), "RegisteredUsers.admin", "s3cret-admin"),
    (var("ORTHANC_PASSWORD", "s3cret-admin"), "RegisteredUsers.orthanc", "s3cret-admin"),
    (var("ORTHANC__POSTGRESQL__PASSWORD", "pg-s3cret"), "PostgreSQL.Password", "pg-s3cret"),
    (var("ORTHANC__AWS_S3_STORAGE__SECRET_KEY", "abc123"), "AwsS3Storage.SecretKey", "abc123"),
    (var("ORTHANC_JSON", '{"OrthancPeers": {"p": ["http://x", "u", "peer-pw"]}}'), "OrthancPeers.p", "peer-pw"),
    (var("ORTHANC__REGISTERED_USERS__ADMIN", "4817229055"), "RegisteredUsers.Admin", "4817229055"),
    (var("DB_PASSWORD", "pg-s3cret"), "DB_PASSWORD", "pg-s3cret"),  # for ${DB_PASSWORD} in a mounted JSON file
    (var("ORTHANC_JSON", '{"OrthancPeers": {"b": {"Url": "https://b", "CertificateKeyPassword": "kp"}}}'),
     "OrthancPeers.b.CertificateKeyPassword", '"kp"'),
])
def test_a_password_written_in_the_compose_file_is_high_and_never_shown(variable, where, secret):
    found = judge(deploy(variable))
    assert ids(found) == ["OH-DOCKER-006"] and found[0].severity == "high"
    assert where in found[0].message and secret not in found[0].message and found[0].current is None


def test_a_password_from_dotenv_or_an_env_file_is_medium_and_from_the_environment_none():
    from_dotenv = var("ORTHANC__POSTGRESQL__PASSWORD", "pg-s3cret", written="${PG_PW}")
    assert [(f.id, f.severity) for f in judge(deploy(from_dotenv, dotenv={"PG_PW": "pg-s3cret"}))] == \
        [("OH-DOCKER-006", "medium")]
    in_env_file = var("ORTHANC_PASSWORD", "s3cret-admin", file=Path("/project/orthanc.env"), line=2)
    found = judge(deploy(in_env_file))
    assert [(f.id, f.severity, f.file, f.line) for f in found] == \
        [("OH-DOCKER-006", "medium", "/project/orthanc.env", 2)]
    assert judge(deploy(var("ORTHANC__POSTGRESQL__PASSWORD", "pg-s3cret", written="${PG_PW}"))) == []


@pytest.mark.parametrize("variable", [var("ORTHANC__DICOM_TLS_PRIVATE_KEY", "/etc/orthanc/key.pem"),
                                      var("ORTHANC__AWS_S3_STORAGE__ACCESS_KEY", "AKIAEXAMPLE"),
                                      var("ORTHANC_JSON", '{"S3Zip": {"PrefixKey": "zips/"}}'),
                                      var("ORTHANC__POSTGRESQL__PASSWORD_SECRET", "pg"),
                                      var("ORTHANC__POSTGRESQL__PASSWORD", None)])
def test_paths_identifiers_secret_pointers_and_values_from_the_environment_are_not_passwords_in_clear(variable):
    assert judge(deploy(variable)) == []


def test_an_unset_variable_leaving_a_password_empty_is_found():
    users = var("ORTHANC__REGISTERED_USERS", '{"admin": ""}', written='{"admin": "${ADMIN_PW}"}', unset=("ADMIN_PW",))
    found = judge(deploy(users))
    assert ids(found) == ["OH-DOCKER-007"]
    assert "${ADMIN_PW}" in found[0].message and "password of RegisteredUsers.admin" in found[0].message
    database = var("ORTHANC__POSTGRESQL__USERNAME", "", written="${PG_USER}", unset=("PG_USER",))
    assert ids(judge(deploy(database))) == ["OH-DOCKER-007"]


def test_an_unset_variable_elsewhere_is_not_a_credential_finding():
    assert judge(deploy(var("ORTHANC__NAME", "", written="${SITE}", unset=("SITE",)))) == []


def test_a_name_with_one_underscore_is_ignored_and_said_with_the_right_name():
    users = var("ORTHANC_REGISTERED_USERS", '{"admin": "x"}', written="ORTHANC_REGISTERED_USERS={...}")
    found = [f for f in judge(deploy(ignored=[users])) if f.id == "OH-DOCKER-008"]
    assert len(found) == 1 and "did you mean ORTHANC__REGISTERED_USERS?" in found[0].message
    assert found[0].severity == "high"  # RegisteredUsers is a security option


def test_an_unknown_key_is_said_with_a_close_option_when_there_is_one():
    typo = var("ORTHANC__REMOTE_ACCESS_ENABLED", "false")
    cors = var("ORTHANC__HTTP_CORS_ENABLED", "true")
    origins = var("ORTHANC__CORS_ALLOWED_ORIGINS", "*")
    found = judge(deploy(unknown=[(typo, "RemoteAccessEnabled"), (cors, "HttpCorsEnabled"),
                                  (origins, "CorsAllowedOrigins")]))
    assert ids(found) == ["OH-DOCKER-008"] * 3
    assert "did you mean ORTHANC__REMOTE_ACCESS_ALLOWED?" in found[0].message
    # the audit's own misspelling judge (release_check.close_options) finds HttpCompressionEnabled close
    assert "becomes HttpCorsEnabled" in found[1].message and "ORTHANC__HTTP_COMPRESSION_ENABLED" in found[1].message
    assert "CorsAllowedOrigins" in found[2].message and "did you mean" not in found[2].message


def test_a_legacy_name_stops_the_container_and_names_the_right_variable():
    legacy = var("AC_AUTHENTICATION_ENABLED", "true", line=14)
    found = judge(deploy(legacy, legacy=[legacy], exit=254, reason="legacy names"))
    assert ids(found) == ["OH-DOCKER-009"]  # the stop itself is said by OH-DOCKER-009
    assert found[0].severity == "critical" and found[0].line == 14
    assert "ORTHANC__AUTHENTICATION_ENABLED" in found[0].message


def test_a_legacy_name_in_an_image_before_26_7_0_only_warns_today():
    legacy = var("DW_ENABLED", "true")
    found = judge(deploy(legacy, legacy=[legacy], exit=254, image="orthancteam/orthanc:25.8.0"), target="1.12.9")
    mine = [f for f in found if f.id == "OH-DOCKER-009"]
    assert mine[0].severity == "high" and "DICOM_WEB_PLUGIN_ENABLED" in mine[0].message


def test_a_secret_suffix_that_swallows_a_setting_is_found():
    client = var("ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET", "abc")
    found = judge(deploy(swallowed=[(client, "ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT")]))
    assert ids(found) == ["OH-DOCKER-010"] and "OrthancExplorer2.Keycloak.Client is never set" in found[0].message


@pytest.mark.parametrize("target, severity", [("1.12.10", "critical"), ("1.12.9", "high"), (None, "critical")])
def test_a_numeric_user_password_stops_orthanc_from_1_12_10(target, severity):
    password = var("ORTHANC__REGISTERED_USERS__ADMIN", "1234")
    found = [f for f in judge(deploy(converted=[(password, ("RegisteredUsers", "Admin"), 1234)]), target)
             if f.id == "OH-DOCKER-011"]
    assert [f.severity for f in found] == [severity]


def test_an_aet_turned_into_a_number_is_found_and_a_port_is_not():
    aet = var("ORTHANC__DICOM_AET", "1234")
    http = var("ORTHANC__HTTP_PORT", "8043")
    found = judge(deploy(converted=[(aet, ("DicomAet",), 1234), (http, ("HttpPort",), 8043)]))
    assert ids(found) == ["OH-DOCKER-011"] and "DicomAet becomes a number" in found[0].message


@pytest.mark.parametrize("image", ["orthancteam/orthanc", "orthancteam/orthanc:latest",
                                   "orthancteam/orthanc:latest-full"])
def test_an_unpinned_image_is_found_at_the_image_line(image):
    found = judge(deploy(image=image), target=None)
    assert ids(found) == ["OH-DOCKER-012"] and found[0].key == "image"


def test_a_moving_tag_of_a_pre_release_image_is_unpinned_and_a_digest_pins():
    found = judge(deploy(image="orthancteam/orthanc-pre-release:master-unstable"), target=None)
    assert ids(found) == ["OH-DOCKER-012"] and "pre-release" in found[0].message
    assert judge(deploy(image="orthancteam/orthanc-pre-release@sha256:" + "c" * 64), target=None) == []


def test_a_built_service_is_judged_by_its_dockerfile_s_from_line(tmp_path):
    from wizard.sources.compose.dockerfile import Dockerfile
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("# custom Orthanc\nFROM orthancteam/orthanc\nRUN pip install x\n")
    deployment = deploy(image=None)
    deployment.service.base, deployment.service.dockerfile = "orthancteam/orthanc", Dockerfile(dockerfile)
    found = judge(deployment, target=None)
    assert [(f.id, f.file, f.line, f.key) for f in found] == [("OH-DOCKER-012", str(dockerfile), 2, "FROM")]
    dockerfile.write_text("FROM orthancteam/orthanc:25.8.0\n")
    deployment.service.base = "orthancteam/orthanc:25.8.0"
    assert ids(judge(deployment, target="1.12.9")) == ["OH-SVC-004", "OH-SVC-001", "OH-SVC-002"]


def test_a_pinned_old_image_is_judged_by_the_release_rules_with_its_tag():
    found = judge(deploy(image="orthancteam/orthanc:25.8.0"), target="1.12.9")
    assert ids(found) == ["OH-SVC-004", "OH-SVC-001", "OH-SVC-002"]
    assert all("orthancteam/orthanc:25.8.0 ships Orthanc 1.12.9" in f.message for f in found)
    assert found[0].recommended == "orthancteam/orthanc:26.8.1"


def test_a_pinned_current_image_and_a_built_one_get_no_image_finding():
    assert judge(deploy()) == []
    assert judge(deploy(image=None), target=None) == []


@pytest.mark.parametrize("code, reason", [(255, "ERROR: Unable to parse the ORTHANC_JSON env-var"),
                                          (253, "ERROR: ********** HTTP authentication is enabled")])
def test_a_container_that_stops_at_start_up_is_critical_with_the_generator_s_reason(code, reason):
    found = judge(deploy(exit=code, reason=reason))
    assert ids(found) == ["OH-DOCKER-013"] and reason in found[0].message and found[0].line == 3


def test_the_no_user_refusal_is_not_said_for_an_image_before_26_7_0():
    assert "OH-DOCKER-013" not in ids(judge(deploy(exit=253, image="orthancteam/orthanc:26.6.1"), target="1.12.11"))


def test_the_host_network_puts_orthanc_on_every_interface_without_publishing():
    deployment = deploy()
    deployment.service.node = {"network_mode": "host"}
    found = judge(deployment)
    assert ids(found) == ["OH-DOCKER-001"] and "HTTP port 8042, DICOM port 4242" in found[0].message
    assert found[0].key == "network_mode"


def test_the_generator_s_own_account_of_the_variables_gives_the_findings_at_their_lines():
    from wizard.sources.compose import generator
    written = [("ORTHANC_REGISTERED_USERS", '{"a": "b"}'), ("ORTHANC__HTTP_CORS_ENABLED", "true"),
               ("ORTHANC__DICOM_AET", "1234"), ("ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET", "abc"),
               ("ORTHANC__REGISTERED_USERS", '{"admin": "a-long-passphrase"}'), ("NAME", "site")]
    variables = {name: var(name, value, written=f"{name}={value}", line=20 + n)
                 for n, (name, value) in enumerate(written)}
    deployment = deploy(*variables.values())
    deployment.generated = generator.generate(variables, [], [])
    found = {(f.id, f.key, f.line) for f in judge(deployment)}
    assert found == {("OH-DOCKER-008", "ORTHANC_REGISTERED_USERS", 20),
                     ("OH-DOCKER-006", "ORTHANC_REGISTERED_USERS", 20),  # ignored, but a password in clear
                     ("OH-DOCKER-008", "ORTHANC__HTTP_CORS_ENABLED", 21),
                     ("OH-DOCKER-011", "ORTHANC__DICOM_AET", 22),
                     ("OH-DOCKER-010", "ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET", 23),
                     ("OH-DOCKER-006", "ORTHANC__REGISTERED_USERS", 24),
                     ("OH-DOCKER-009", "NAME", 25)}


def test_a_dicom_port_closed_to_unknown_aets_published_everywhere_is_low_and_says_the_firewall(tmp_path):
    from wizard.sources.compose import reading
    from wizard import findings
    from wizard.topics.base import Facts
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  orthanc:\n    image: orthancteam/orthanc:26.8.1\n    ports: ['4242:4242']\n"
        "    environment:\n      ORTHANC__DICOM_ALWAYS_ALLOW_ECHO: 'false'\n"
        "      ORTHANC__DICOM_ALWAYS_ALLOW_STORE: 'false'\n      ORTHANC_PASSWORD: 'x'\n")
    deployment = reading.load(tmp_path)
    found = [f for f in findings.of(deployment.generated.config, Facts(deployment=deployment)) if f.id == "OH-DOCKER-001"]
    assert [f.severity for f in found] == ["low"] and "DOCKER-USER" in found[0].message
