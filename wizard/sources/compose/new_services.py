"""The compose file of a new deployment: the orthancteam/orthanc service (and the nginx service
of the TLS proxy), as data, then as YAML text that Debian's docker-compose 1.29 and Compose v2
read alike.

Inside a container every client is remote: Docker's published ports arrive from its bridge
(the proxy's address, or the bridge's gateway for a port published on 127.0.0.1). So what a
host install does with Orthanc's own loopback, a deployment does with what it publishes:
Orthanc's HTTP port is not published behind the proxy, published on 127.0.0.1 only when remote
access is off, and DICOM is published on every interface only when some machine needs it."""

from __future__ import annotations

import json

from wizard.topics.base import Answers

SERVICE = "orthanc"  # the Orthanc service; nginx reaches it by this name on the compose network
PROXY = "nginx"
NGINX_IMAGE = "nginx:1.30"  # the stable series (Debian based, with curl): `docker compose pull` brings its fixes
UID = "999"  # the image's orthanc user and group, since 23.6.0
VOLUME = "orthanc-storage"
VOLUME_AT = "/var/lib/orthanc"  # owned by orthanc in the image: a new named volume takes that owner
LOOPBACK = "127.0.0.1"
EVERY_INTERFACE = "0.0.0.0"  # IPv4 only: see _ports


def proxied(answers: Answers) -> bool:
    return answers["network"]["http_enabled"] and answers["https"]["mode"] == "reverse-proxy"


def dicom_reached(answers: Answers) -> bool:
    """Some other machine needs the DICOM port: a modality, an always-allow switch, no host check,
    or modalities kept in Orthanc's database. Otherwise only this host's tools use it."""
    dicom = answers["dicom"]
    switches = [key for key in dicom if key.startswith("always_allow_") and dicom[key]]
    return bool(dicom["modalities"] or switches or not dicom["check_modality_host"] or dicom["modalities_in_database"])


def published(answers: Answers) -> dict[str, list[tuple[str | None, int]]]:
    """Each service's published TCP ports as (host address or None for every interface, port);
    the container port is the same number."""
    network, https, dicom = answers["network"], answers["https"], answers["dicom"]
    orthanc: list[tuple[str | None, int]] = []
    proxy: list[tuple[str | None, int]] = []
    if network["http_enabled"] and not proxied(answers):
        orthanc.append((None if network["remote_access"] else LOOPBACK, network["http_port"]))
    if proxied(answers):
        proxy.append((None, https["port"]))
        if https["redirect_http"]:
            proxy.append((None, 80))
    if dicom["enabled"]:
        orthanc.append((None if dicom_reached(answers) else LOOPBACK, dicom["port"]))
    return {SERVICE: orthanc, PROXY: proxy} if proxied(answers) else {SERVICE: orthanc}


def _ports(entries: list[tuple[str | None, int]]) -> list[str]:
    """Every interface as 0.0.0.0, IPv4 only: a port Docker also published on [::] would reach the
    container through its userland proxy, past the DOCKER-USER rules, from the bridge's address."""
    return [f"{address or EVERY_INTERFACE}:{port}:{port}" for address, port in entries]


def _bind(path: str) -> dict:
    """A host file mounted read-only at the same path: the long syntax, so that a file missing on
    the host stops `docker compose up` instead of becoming an empty folder."""
    return {"type": "bind", "source": path, "target": path, "read_only": True}


def document(answers: Answers, image: str, mounts: dict[str, list], files: dict[str, list[str]],
             secret: str | None) -> dict:
    """The compose file as data. `mounts`: each service's host files (same path inside), `files`:
    each service's files written beside the compose file, as `./name:/container/path`."""
    ports = published(answers)
    orthanc = {"image": image, "restart": "unless-stopped", "user": f"{UID}:{UID}",
               "security_opt": ["no-new-privileges:true"], "cap_drop": ["ALL"],
               "volumes": [f"./{f}:ro" for f in files[SERVICE]] + [f"{VOLUME}:{VOLUME_AT}"]
               + [_bind(path) for path in mounts[SERVICE]],
               "tmpfs": ["/tmp"]}
    if secret:
        orthanc["secrets"] = [secret]
    if ports[SERVICE]:
        orthanc["ports"] = _ports(ports[SERVICE])
    services = {SERVICE: orthanc}
    if proxied(answers):
        services[PROXY] = {"image": NGINX_IMAGE, "restart": "unless-stopped", "depends_on": [SERVICE],
                           "security_opt": ["no-new-privileges:true"], "ports": _ports(ports[PROXY]),
                           "volumes": [f"./{f}:ro" for f in files[PROXY]] + [_bind(p) for p in mounts[PROXY]]}
    doc = {"services": services, "volumes": {VOLUME: {}}}
    if secret:
        doc["secrets"] = {secret: {"file": f"./{secret}"}}
    return doc


def render(doc: dict, header: list[str]) -> str:
    """YAML text: every text double-quoted (YAML 1.1 reads an unquoted 80:80 as a number) and every
    `$` doubled (compose would read it as an interpolation)."""
    lines = [f"# {line}" if line else "#" for line in header]
    _emit(doc, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value).replace("$", "$$"), ensure_ascii=False)


def _emit(node, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{key}:")
                _emit(value, indent + 2, lines)
            else:
                lines.append(f"{pad}{key}: " + ("{}" if value == {} else "[]" if value == [] else _scalar(value)))
        return
    for item in node:
        if isinstance(item, dict):
            first, *rest = item.items()
            lines.append(f"{pad}- {first[0]}: {_scalar(first[1])}")
            _emit(dict(rest), indent + 2, lines)
        else:
            lines.append(f"{pad}- {_scalar(item)}")


def proxy_files(answers: Answers) -> list[str]:
    """The host files of the TLS proxy, mounted at the same path so that the nginx file names them as they are."""
    https = answers["https"]
    if not proxied(answers):
        return []
    return list(dict.fromkeys(path for path in (https["certificate"], https["private_key"], https["chain"]) if path))


# What the nginx file of a host install says, and what it says in the nginx service instead.
_NGINX_EDITS = (
    ("# Install as /etc/nginx/conf.d/orthanc.conf, then: nginx -t && systemctl reload nginx\n",
     "# Mounted as /etc/nginx/conf.d/default.conf (the image's sample site goes) by docker-compose.yml;\n"
     "# after a change: docker compose restart nginx\n"),
    ("# TLS in front of Orthanc, which serves 127.0.0.1 only.\n",
     f"# TLS in front of Orthanc, which publishes no port: nginx reaches the {SERVICE} service on the\n"
     "# compose network.\n"),
    ("\n    location / {\n",
     "\n    # Docker's DNS, asked again every 10 s: a recreated Orthanc container has a new address (and the\n"
     "    # CA's OCSP responder is found through it too).\n"
     "    resolver 127.0.0.11 valid=10s ipv6=off;\n    set $orthanc_upstream http://ORTHANC;\n    location / {\n"),
)


def nginx_text(text: str, answers: Answers) -> str:
    """The proxy's nginx file for the nginx service: Orthanc by its service name, resolved per request
    (each location's proxy_pass names the variable set once in the server)."""
    port = answers["network"]["http_port"]
    for old, new in _NGINX_EDITS:
        if text.count(old) != 1:
            raise AssertionError(f"the nginx file no longer holds {old.strip()!r} once")
        text = text.replace(old, new.replace("http://ORTHANC", f"http://{SERVICE}:{port}"))
    proxied = f"        proxy_pass http://127.0.0.1:{port};\n"
    if proxied not in text:
        raise AssertionError(f"the nginx file no longer holds {proxied.strip()!r}")
    return text.replace(proxied, "        proxy_pass $orthanc_upstream;\n")
