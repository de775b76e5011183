"""What a compose file publishes on the host: Orthanc's HTTP and DICOM ports, and the database
Orthanc uses. Docker publishes a port on every interface of the host unless an address is given,
and its rules go before the host firewall's (ufw does not see them)."""

from __future__ import annotations

from wizard.sources.compose.model import Deployment, Port, Service
from wizard.sources.compose.rules_base import COMPOSE_DOCS, at, key_line
from wizard.topics.base import Finding, Rule

PORTS_DOC = COMPOSE_DOCS + "#ports"
EVERY_INTERFACE = {None, "", "0.0.0.0", "::", "[::]"}

PUBLISHED = Rule(
    "OH-DOCKER-001", "high", "Orthanc's port published on every interface",
    "`ports: - \"8042:8042\"` (or 0.0.0.0:...) makes Docker forward the port from every address of the host, "
    "bypassing the host firewall (Docker's own iptables rules come first): every machine that reaches the "
    "host reaches Orthanc's REST API or its DICOM server (`network_mode: host` does the same without "
    "`ports:`). With authentication off, anyone on the network reads and deletes every study.",
    needs="deployment",
    doc=PORTS_DOC,
    fix='publish on the loopback only ("127.0.0.1:8042:8042") and let a TLS reverse proxy '
        "face the network; publish the DICOM port only to the modalities' network")
RANDOM = Rule(
    "OH-DOCKER-002", "high", "Orthanc's port published on a random host port",
    "`ports: - 8042` (a container port alone) publishes it on a random host port on every interface: the "
    "port is reachable from the network, and it changes at each start, so no firewall rule follows it.",
    needs="deployment",
    doc=PORTS_DOC,
    fix='give the address and the host port: "127.0.0.1:8042:8042", or use `expose:` to '
        "reach it only from the other containers")
DATABASE = Rule(
    "OH-DOCKER-003", "critical", "Orthanc's database published with a well-known password",
    "The PostgreSQL or MySQL server that holds Orthanc's index (and, with the plugins' storage, the images "
    "themselves) is published on the host with a password from the images' samples (postgres, mysql, "
    "example, pg_password...) or with POSTGRES_HOST_AUTH_METHOD=trust: anyone on the network logs in and "
    "reads, changes or deletes every patient's data without going through Orthanc.",
    needs="deployment",
    doc="https://hub.docker.com/_/postgres",
    fix="do not publish the database's port (Orthanc reaches it on the compose network), and give it a "
        "generated password through a secret file (POSTGRES_PASSWORD_FILE)")
RULES = (PUBLISHED, RANDOM, DATABASE)

WELL_KNOWN = {"postgres", "postgresql", "mysql", "mariadb", "root", "example", "password", "pass", "passw0rd",
              "pg_password", "pgpassword", "orthanc", "changeme", "change-me", "secret", "admin", "test",
              "123456", "12345", "mysecretpassword", "my-secret-pw", "demo", "toor"}
PASSWORDS = ("POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MARIADB_ROOT_PASSWORD",
             "MARIADB_PASSWORD")
EMPTY_ALLOWED = ("MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD")
ENGINES = ("postgres", "mysql", "mariadb", "percona")


def findings(deployment: Deployment, config: dict) -> list[Finding]:
    return orthanc_ports(deployment, config) + database(deployment, config)


def served(config: dict) -> dict[int, str]:
    """The TCP ports Orthanc listens on in the container, by server (the image's defaults when unset)."""
    found = {}
    for server, port_key, default, switch in (("HTTP", "HttpPort", 8042, "HttpServerEnabled"),
                                              ("DICOM", "DicomPort", 4242, "DicomServerEnabled")):
        if config.get(switch, True) is False:
            continue
        try:
            found[int(config.get(port_key, default))] = server
        except (TypeError, ValueError):
            found[default] = server
    return found


def container_ports(port: Port) -> range:
    first, _, last = str(port.container).partition("-")
    try:
        return range(int(first), int(last or first) + 1)
    except ValueError:
        return range(0)


def is_loopback(address: str | None) -> bool:
    return address is not None and (address.startswith("127.") or address in ("::1", "[::1]", "localhost"))


def host_network(deployment: Deployment, config: dict) -> list[Finding]:
    """`network_mode: host`: no port is published, Orthanc listens on the host's own interfaces."""
    service = deployment.service
    node = service.node if isinstance(service.node, dict) else {}
    if str(node.get("network_mode", "")).strip() != "host":
        return []
    open_api = config.get("AuthenticationEnabled", True) is False
    servers = ", ".join(f"{server} port {number}" for number, server in served(config).items())
    return [at(PUBLISHED, deployment.file, key_line(service, "network_mode"), "network_mode",
               f"network_mode: host: Orthanc's {servers} listen on every interface of the host"
               + (": authentication is off, so anyone on the network reads and deletes every study" if open_api
                  else ""), severity="critical" if open_api else None, current="host")] if servers else []


def orthanc_ports(deployment: Deployment, config: dict) -> list[Finding]:
    listening, found = served(config), host_network(deployment, config)
    authentication_off = config.get("AuthenticationEnabled", True) is False
    for port in deployment.service.ports:
        if port.protocol.lower() not in ("", "tcp") or port.host_ip not in EVERY_INTERFACE:
            continue
        for number in container_ports(port):
            server = listening.get(number)
            if server is None:
                continue
            open_api = server == "HTTP" and authentication_off
            tail = (": authentication is off, so anyone on the network reads and deletes every study" if open_api
                    else "")
            severity = "critical" if open_api else None
            if server == "DICOM" and dicom_closed(config):
                severity = "low"  # the site's modalities must reach it; strangers' AETs are refused
                tail = (": unknown AETs are refused, but any machine can try; let the DOCKER-USER firewall "
                        "chain admit the modalities' addresses only")
            if port.host_port is None:
                found.append(at(RANDOM, deployment.file, port.line, port.written,
                                f"{port.written}: Orthanc's {server} port {number} is published on a random host "
                                f"port on every interface{tail}", severity=severity,
                                current=port.written, recommended=f"127.0.0.1:{number}:{number}"))
            else:
                found.append(at(PUBLISHED, deployment.file, port.line, port.written,
                                f"{port.written}: Orthanc's {server} port {number} is published on every interface "
                                f"of the host{tail}", severity=severity,
                                current=port.written, recommended=f"127.0.0.1:{port.host_port}:{number}"))
    return found


# Orthanc's defaults: echo and store from any AET unless the site turns them off.
ALWAYS_ALLOW = {"DicomAlwaysAllowEcho": True, "DicomAlwaysAllowStore": True, "DicomAlwaysAllowFind": False,
                "DicomAlwaysAllowFindWorklist": False, "DicomAlwaysAllowGet": False, "DicomAlwaysAllowMove": False}


def dicom_closed(config: dict) -> bool:
    """DICOM answers declared modalities only: no DicomAlwaysAllow* switch is on."""
    return not any(config.get(key, default) is not False for key, default in ALWAYS_ALLOW.items())


def used_databases(deployment: Deployment, config: dict) -> list[Service]:
    """The services Orthanc depends on or names as its PostgreSQL or MySQL host."""
    names = list(deployment.service.depends_on)
    for section in ("PostgreSQL", "MySQL"):
        host = config.get(section, {}).get("Host") if isinstance(config.get(section), dict) else None
        if isinstance(host, str):
            names.append(host)
    services = [deployment.services[n] for n in dict.fromkeys(names) if n in deployment.services]
    return [s for s in services if s is not deployment.service and is_database(s)]


def is_database(service: Service) -> bool:
    image = (service.image or "").lower().rsplit("/", 1)[-1]
    return image.startswith(ENGINES) or any(name.startswith(("POSTGRES_", "MYSQL_", "MARIADB_"))
                                            for name in service.environment)


def database(deployment: Deployment, config: dict) -> list[Finding]:
    found = []
    for service in used_databases(deployment, config):
        exposed = [p for p in service.ports if not is_loopback(p.host_ip)]
        if not exposed:
            continue
        where = ", ".join(p.written for p in exposed)
        for variable, why in weak_logins(service):
            found.append(at(DATABASE, variable.file, variable.line, variable.name,
                            f"services.{service.name} ({service.image}) is published on the host ({where}) and "
                            f"{variable.name} {why}", current=None))
    return found


def weak_logins(service: Service):
    """The variables of a database service that let anyone log in: a well-known password (or the
    user's own name), trust, or an empty root password allowed and none given."""
    env = service.environment
    value = {name: (v.value or "").strip() for name, v in env.items()}
    users = {"postgres", "root", value.get("POSTGRES_USER", "").lower(), value.get("MYSQL_USER", "").lower(),
             value.get("MARIADB_USER", "").lower()} - {""}
    for name in PASSWORDS:
        if value.get(name) and (value[name].lower() in WELL_KNOWN or value[name].lower() in users):
            yield env[name], "is a well-known password (from the images' samples, or a user's own name)"
    if value.get("POSTGRES_HOST_AUTH_METHOD", "").lower() == "trust":
        yield env["POSTGRES_HOST_AUTH_METHOD"], "is trust: PostgreSQL asks no password at all"
    root_set = value.get("MYSQL_ROOT_PASSWORD") or value.get("MARIADB_ROOT_PASSWORD") or any(
        n.endswith(("ROOT_PASSWORD_FILE", "RANDOM_ROOT_PASSWORD")) and value[n] for n in value)
    for name in EMPTY_ALLOWED:
        if value.get(name) and not root_set:  # the images take any non-empty value as yes
            yield env[name], "lets root log in with an empty password"
