"""The checklist is a sequence with no outage: what the new files need comes before the one restart,
which says it interrupts service; every path it names is absolute (the run's folder). Followed on
the real Orthanc by tests/integration/test_checklist_no_outage.py."""

from __future__ import annotations

import re

import pytest

from wizard import harden, profile

PROXIED = {"network": {"remote_access": True, "allowed_networks": ["10.0.0.0/8"]},
           "https": {"mode": "reverse-proxy", "server_name": "pacs.test"},
           "authentication": {"users": [{"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]}]}}
_STEP = re.compile(r"^## \d+\. (.*?)\n(.*?)(?=^## |\Z)", re.S | re.M)


def steps(raw: dict, out_dir) -> list[tuple[str, str]]:
    text = harden.plan(profile.effective(raw), "p.jsonc", out_dir=out_dir).files["CHECKLIST.md"].text
    return _STEP.findall(text)


def test_the_certificate_proxy_clients_and_firewall_come_before_the_one_restart(tmp_path):
    titles = [title for title, _ in steps(PROXIED, tmp_path)]
    order = ["Put a certificate for pacs.test", "Put the reverse proxy in front of Orthanc", "Move remote clients to",
             "Open TCP port 443", "Turn the firewall on", "Restart Orthanc on the new files (a few seconds without service)"]
    found = [next(i for i, title in enumerate(titles) if title.startswith(start)) for start in order]
    assert found == sorted(found), titles
    assert titles.index("Hand each password to its user over a safe channel") > found[-1]  # the new users' logins


@pytest.mark.parametrize("raw", [{}, PROXIED], ids=["localhost", "proxied"])
def test_only_the_restart_step_restarts_orthanc(raw, tmp_path):
    restarting = [title for title, body in steps(raw, tmp_path) if "systemctl restart orthanc" in body]
    assert len(restarting) == 1 and restarting[0].startswith("Restart Orthanc on the new files"), restarting
    confine = next(body for title, body in steps(raw, tmp_path) if title.startswith("Confine the service"))
    assert "systemctl daemon-reload  # read at the restart step below" in confine


def test_the_certificate_step_makes_a_self_signed_one_only_when_none_is_there_and_asks_the_site_s_ca(tmp_path):
    body = next(body for title, body in steps(PROXIED, tmp_path) if title.startswith("Put a certificate"))
    assert "[ -s /etc/orthanc/tls/orthanc.pem ] || ( umask 077 && openssl req -x509" in body
    assert "openssl req -new -key /etc/orthanc/tls/orthanc.pem -subj /CN=pacs.test" in body
    assert "-addext subjectAltName=DNS:pacs.test -out /etc/orthanc/tls/pacs.test.csr" in body


def test_the_proxy_goes_live_before_the_restart_only_if_orthanc_asks_a_login_today(tmp_path):
    body = next(body for title, body in steps(PROXIED, tmp_path) if title.startswith("Put the reverse proxy"))
    assert f" {tmp_path}/nginx-orthanc.conf /etc/nginx/conf.d/orthanc.conf" in body  # absolute
    assert ("[ \"$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8042/system)\" = 401 ] "
            "&& systemctl reload nginx") in body
    restart = next(body for title, body in steps(PROXIED, tmp_path) if title.startswith("Restart Orthanc"))
    assert "systemctl reload nginx" in restart  # live at the latest right after the restart

