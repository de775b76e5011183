"""Who can reach Orthanc's REST API in a compose deployment, as the topics' rules must judge it.

Inside the container Orthanc must allow remote access (Docker's proxy and the other services
connect from the bridge's addresses), so `RemoteAccessAllowed` true says nothing about the host's
network: what the service publishes does. A REST API published on no interface but loopback (or
not at all) is reached from other machines only through another service of the deployment, a TLS
proxy: judged as a server on loopback, as a files run behind the proxy is. With authentication off
and another service publishing a port, that service may forward anyone: then nothing is softened."""

from __future__ import annotations

from wizard.sources.compose.model import Deployment
from wizard.sources.compose.rules_ports import container_ports, is_loopback, served


def as_judged(config: dict, deployment: Deployment | None) -> dict:
    """`config` with RemoteAccessAllowed false when only this host can reach the REST API."""
    if deployment is None or config.get("RemoteAccessAllowed", True) is False or http_published(config, deployment):
        return config
    if config.get("AuthenticationEnabled", True) is False and others_publish(deployment):
        return config
    return {**config, "RemoteAccessAllowed": False}


def http_published(config: dict, deployment: Deployment) -> bool:
    """The HTTP port is published on an interface other machines reach (or the host's own network)."""
    service = deployment.service
    node = service.node if isinstance(service.node, dict) else {}
    if str(node.get("network_mode", "")).strip() == "host":
        return True
    http = [number for number, server in served(config).items() if server == "HTTP"]
    return any(number in container_ports(port) and not is_loopback(port.host_ip)
               for port in service.ports for number in http)


def others_publish(deployment: Deployment) -> bool:
    return any(service.ports for name, service in deployment.services.items() if name != deployment.service.name)
