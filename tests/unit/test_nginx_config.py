"""What the nginx file of the reverse proxy says, and the checklist steps that go with it.

The real nginx and testssl.sh judge the file in tests/integration/test_tls_scan.py; these tests pin
the answers' effect on each line."""

import re

from wizard import __version__, harden, profile
from wizard.topics import https

PROXY = {"network": {"remote_access": True, "allowed_networks": ["10.0.0.0/8"]},
         "authentication": {"users": [{"name": "a", "role": "admin"}]}}
# Mozilla's guideline 6.0, "intermediate", configurations.intermediate.ciphers.openssl.
MOZILLA_INTERMEDIATE = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")


def proxied(**https_answers) -> dict:
    return {**PROXY, "https": {"mode": "reverse-proxy", "server_name": "pacs.hospital.test", **https_answers}}


def nginx_file(**https_answers) -> str:
    return harden.plan(profile.effective(proxied(**https_answers)), "p.jsonc").files[https.NGINX_FILE].text


def checklist(raw: dict) -> str:
    return harden.plan(profile.effective(raw), "p.jsonc").files["CHECKLIST.md"].text


def servers(text: str) -> list[str]:
    return re.findall(r"^server \{\n.*?^\}\n", text, re.S | re.M)


def test_the_first_line_names_the_profile_and_the_tool_version_that_wrote_it():
    first = nginx_file().splitlines()[0]
    assert first == f'# Written by orthanc-harden {__version__}: Mozilla Server Side TLS guideline 6.0, "intermediate" TLS profile.'


def test_the_tls_server_follows_mozillas_intermediate_profile():
    tls = servers(nginx_file())[0]
    for line in ("ssl_protocols TLSv1.2 TLSv1.3;", f"ssl_ciphers {MOZILLA_INTERMEDIATE};",
                 "ssl_prefer_server_ciphers off;", "ssl_session_timeout 1d;",
                 "ssl_session_cache shared:OrthancTLS:10m;", "ssl_session_tickets off;",
                 "ssl_ecdh_curve X25519:prime256v1:secp384r1;"):
        assert f"    {line}" in tls, line


def test_what_the_proxy_already_did_stays():
    text = nginx_file(certificate="/etc/tls files/c;1.pem", private_key="/etc/k#.pem")
    tls = servers(text)[0]
    for line in ('ssl_certificate "/etc/tls files/c;1.pem";', 'ssl_certificate_key "/etc/k#.pem";',
                 "proxy_set_header X-Forwarded-For $remote_addr;", "server_tokens off;",
                 "add_header X-Frame-Options SAMEORIGIN always;", "add_header X-Content-Type-Options nosniff always;",
                 "add_header Referrer-Policy same-origin always;", "allow 127.0.0.1;", "allow 10.0.0.0/8;", "deny all;",
                 "proxy_pass http://127.0.0.1:8042;"):
        assert line in tls, line


def test_port_80_answers_with_a_301_to_the_https_address_of_the_server_name_by_default():
    redirect = servers(nginx_file())[1]
    assert "    listen 80;\n" in redirect and "    server_tokens off;\n" in redirect
    assert "    return 301 https://pacs.hospital.test$request_uri;\n" in redirect
    assert "proxy_pass" not in redirect  # Orthanc is never served without TLS
    assert "return 301 https://pacs.hospital.test:8443$request_uri;" in nginx_file(port=8443)


def test_without_the_redirect_nothing_listens_on_port_80():
    text = nginx_file(redirect_http=False)
    assert len(servers(text)) == 1 and "listen 80" not in text


def test_hsts_is_off_by_default_and_lasts_two_years_when_asked():
    assert "Strict-Transport-Security" not in nginx_file()
    hsts = 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;'
    assert hsts in servers(nginx_file(hsts=True))[0]


def test_the_hsts_question_says_why_it_is_off_by_default():
    question = next(q for q in https.QUESTIONS if q.id == "https.hsts")
    assert question.kind == "bool" and "self-signed" in question.help and "lock browsers out" in question.help
    assert profile.effective(proxied())["https"]["hsts"] is False


def test_ocsp_stapling_only_when_a_separate_chain_file_is_given():
    assert "ssl_stapling" not in nginx_file()
    tls = servers(nginx_file(chain="/etc/ssl/CA chain.pem"))[0]
    for line in ("ssl_stapling on;", "ssl_stapling_verify on;", 'ssl_trusted_certificate "/etc/ssl/CA chain.pem";'):
        assert f"    {line}\n" in tls, line


def test_the_checklist_opens_port_80_only_for_the_redirect_and_only_to_the_allowed_networks():
    step = "Open TCP port 80 to the allowed networks for the redirect"
    text = checklist(proxied())
    start = text.index(step)
    section = text[start:text.index("\n## ", start)]
    assert "ufw allow from 10.0.0.0/8 to any port 80 proto tcp" in section and "ufw deny 80/tcp" in section
    assert text.index("Open TCP port 443") < start  # after the step that enables the firewall
    assert step not in checklist(proxied(redirect_http=False))
    assert step not in checklist({**proxied(), "network": {"remote_access": False}})


def test_the_nginx_step_checks_the_redirect_and_removes_debians_sample_site_only_with_it():
    text = checklist(proxied())
    assert ("curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\\n' --resolve pacs.hospital.test:80:127.0.0.1 "
            "http://pacs.hospital.test/") in text
    assert "rm -f /etc/nginx/sites-enabled/default" in text
    assert "rm -f /etc/nginx/sites-enabled/default" not in checklist(proxied(redirect_http=False))


def test_a_chain_brings_the_resolver_step_and_its_file_modes():
    assert "OCSP responder" not in checklist(proxied())
    text = checklist(proxied(chain="/etc/ssl/chain.pem"))
    assert "> /etc/nginx/conf.d/orthanc-resolver.conf" in text and "-status" in text
    assert "chown root:root /etc/ssl/chain.pem && chmod 0644 /etc/ssl/chain.pem" in text


def refusals(raw: dict) -> list[tuple[str, str]]:
    return [(p.path, p.message.split(":")[0]) for p in profile.validate(profile.effective(raw), "p")]


def test_the_proxy_and_its_redirect_cannot_both_take_port_80():
    assert refusals(proxied(port=80)) == [
        ("$.https.port", "the TLS proxy and the proxy's redirect to HTTPS would both listen on port 80"),
        ("$.https.redirect_http", "the proxy's redirect to HTTPS and the TLS proxy would both listen on port 80")]
    assert refusals(proxied(port=80, redirect_http=False)) == []


def test_orthanc_on_port_80_behind_the_proxy_leaves_port_80_to_the_redirect_or_is_refused():
    raw = {**proxied(), "network": {**PROXY["network"], "http_port": 80}}
    assert ("$.network.http_port", "the HTTP server and the proxy's redirect to HTTPS would both listen "
                                   "on port 80") in refusals(raw)


def test_a_dollar_in_the_chain_path_is_refused():
    assert refusals(proxied(chain="/etc/ssl/$chain.pem")) == [
        ("$.https.chain", "nginx would read the '$' in this path as a variable")]
