"""The firewall of a Docker host: Docker forwards its published ports before ufw's rules are
read, so the topics' rules (written for ufw) become rules of a chain reached from Docker's
DOCKER-USER, for the ports published on every interface."""

from __future__ import annotations

from ipaddress import ip_network

from wizard.sources.compose.new_services import published
from wizard.topics import TOPICS
from wizard.topics.base import Answers, Step

CHAIN = "ORTHANC-DOCKER"
SCRIPT = "/usr/local/sbin/orthanc-docker-firewall"
UNIT = "/etc/systemd/system/orthanc-docker-firewall.service"


def _rules(answers: Answers) -> dict[int, list[str] | None]:
    """The topics' firewall rules (ufw) by port: the networks allowed, [] for none, None for every address."""
    rules: dict[int, list[str] | None] = {}
    for topic in TOPICS:
        for command in (c for step in topic.checklist(answers) for c in step.commands):
            words = command.split("  #")[0].split()
            if words[:3] == ["ufw", "allow", "from"] and rules.get(int(words[7]), []) is not None:
                rules[int(words[7])] = [*rules.get(int(words[7]), []), words[3]]
            elif words[:2] == ["ufw", "allow"] and words[2].endswith("/tcp"):
                rules[int(words[2].split("/")[0])] = None
            elif words[:2] == ["ufw", "deny"] and words[2].endswith("/tcp"):
                rules.setdefault(int(words[2].split("/")[0]), [])
    return rules


def steps(answers: Answers, exposed: list[tuple[int, int]] | None = None) -> list[Step]:
    """Docker's published ports bypass ufw (Docker's own iptables rules come first): limit them in
    the DOCKER-USER chain, through a chain of ours that a unit fills again when Docker starts.
    `exposed`: (host port, container port) published on every interface; by default a new
    deployment's, where both are the same."""
    if exposed is None:
        exposed = sorted({(port, port) for ports in published(answers).values() for address, port in ports
                          if address is None})
    rules, lines = _rules(answers), []
    for port, inside in exposed:
        allowed = rules.get(inside)
        if allowed is None:
            continue
        match = f"-p tcp -m conntrack --ctorigdstport {port} --ctdir ORIGINAL"
        lines += [f"iptables -A {CHAIN} {match} -s {net} -j RETURN" for net in allowed if ip_network(net).version == 4]
        lines.append(f"iptables -A {CHAIN} {match} -j DROP")
    if not lines:
        return []
    script = ["#!/bin/sh", "set -e", f"iptables -N {CHAIN} 2>/dev/null || iptables -F {CHAIN}", *lines,
              f"iptables -C DOCKER-USER -j {CHAIN} 2>/dev/null || iptables -I DOCKER-USER -j {CHAIN}"]
    unit = ["[Unit]", "Description=Who may reach the ports Docker publishes for Orthanc", "After=docker.service",
            "PartOf=docker.service", "[Service]", "Type=oneshot", "RemainAfterExit=yes", f"ExecStart={SCRIPT}",
            "[Install]", "WantedBy=docker.service"]
    return [Step("Limit who reaches the published ports",
                 "Docker forwards its published ports before ufw's rules are read: a ufw rule does not close them. "
                 f"The chain {CHAIN}, reached from Docker's DOCKER-USER, lets the allowed networks through and drops "
                 "the rest (the ports are published on IPv4 only, 0.0.0.0). A unit fills it again each "
                 "time Docker starts. SSH and the host's own ports are untouched.",
                 (f"cat > {SCRIPT} <<'EOF'\n" + "\n".join(script) + "\nEOF", f"chmod 0755 {SCRIPT}",
                  f"cat > {UNIT} <<'EOF'\n" + "\n".join(unit) + "\nEOF",
                  "systemctl daemon-reload && systemctl enable --now orthanc-docker-firewall",
                  f"iptables -L {CHAIN} -n  # each port's RETURNs before its DROP"))]
