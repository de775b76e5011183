"""The nginx file of `https.mode` reverse-proxy: Mozilla's "intermediate" TLS profile in front of
Orthanc, which serves 127.0.0.1 only; a port-80 server that only redirects; HSTS and OCSP stapling
as answered."""

from __future__ import annotations

from wizard import __version__
from wizard.topics import network
from wizard.topics.base import Answers, Step, sh

NGINX_FILE = "nginx-orthanc.conf"

# Mozilla's Server Side TLS guideline 6.0 (2026-04-06), "intermediate" configuration, as its
# generator writes it for nginx 1.22 and OpenSSL 3.0 (Debian 12):
PROFILE = 'Mozilla Server Side TLS guideline 6.0, "intermediate"'
GENERATOR = ("https://ssl-config.mozilla.org/#server=nginx&version=1.22.1&config=intermediate"
             "&openssl=3.0.19&guideline=6.0")
PROTOCOLS = "TLSv1.2 TLSv1.3"
CIPHERS = ":".join(("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
                    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
                    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305"))
# The guideline puts X25519MLKEM768 first: OpenSSL before 3.5 (Debian 12 has 3.0) refuses the
# whole list with it, and nginx would not start, so the generator drops it there too.
CURVES = "X25519:prime256v1:secp384r1"
HSTS_MAX_AGE = 63072000  # two years, the guideline's hsts_min_age
REDIRECT_PORT = 80


def nginx_word(path: str) -> str:
    """A path as one nginx word: quoted when it holds a space or a character of nginx's syntax."""
    return '"' + path.replace("\\", "\\\\") + '"' if any(c in path for c in " \t;{}#'\\") else path


def https_address(https: dict) -> str:
    """Where the redirect sends clients: the certificate's name, never the Host a client sent."""
    return f"https://{https['server_name']}" + ("" if https["port"] == 443 else f":{https['port']}")


def redirects(answers: Answers) -> bool:
    return answers["https"]["mode"] == "reverse-proxy" and answers["https"]["redirect_http"]


def nginx_config(answers: Answers) -> str:
    return (f"# Written by orthanc-harden {__version__}: {PROFILE} TLS profile.\n"
            f"# {GENERATOR}\n"
            "# TLS in front of Orthanc, which serves 127.0.0.1 only.\n"
            "# Install as /etc/nginx/conf.d/orthanc.conf, then: nginx -t && systemctl reload nginx\n"
            + _tls_server(answers) + (_redirect_server(answers["https"]) if redirects(answers) else ""))


def _access(networks: list[str]) -> str:
    allow = "".join(f"    allow {net};\n" for net in networks)
    return allow + ("    deny all;\n" if allow else "")


def _tls_server(answers: Answers) -> str:
    https, network = answers["https"], answers["network"]
    cert, key = nginx_word(https["certificate"]), nginx_word(https["private_key"] or https["certificate"])
    return f"""server {{
    listen {https['port']} ssl;
    server_name {https['server_name']};
    ssl_certificate {cert};
    ssl_certificate_key {key};
    # The profile: TLS 1.2 and 1.3, forward-secret AEAD ciphers only, the client's pick among them.
    ssl_protocols {PROTOCOLS};
    ssl_ecdh_curve {CURVES};
    ssl_ciphers {CIPHERS};
    ssl_prefer_server_ciphers off;
    ssl_session_timeout 1d;
    ssl_session_cache shared:OrthancTLS:10m;  # about 40000 sessions
    # nginx before 1.23.2 (Debian 12 has 1.22.1) never rotates the ticket key: forward secrecy would be lost.
    ssl_session_tickets off;
{_stapling(https)}    client_max_body_size 0;
    server_tokens off;
    # Orthanc Explorer has no CSRF protection: no other site may frame it (clickjacking).
    add_header X-Frame-Options SAMEORIGIN always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy same-origin always;
{_hsts(https)}{_access(network['allowed_networks'])}
    location / {{
        proxy_pass http://127.0.0.1:{network['http_port']};
        # Overwrite, never append: Orthanc's filter trusts this header from 127.0.0.1 only
        # and must see the address nginx saw, not one a client claims.
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header Host $host;
        proxy_request_buffering off;
        proxy_read_timeout 300s;
    }}
}}
"""


def _stapling(https: dict) -> str:
    """OCSP stapling only with the CA's chain given apart: a self-signed or internal certificate has no
    responder, and nginx verifies the responder's answer against this chain."""
    if not https["chain"]:
        return ""
    return ("    # OCSP stapling: nginx fetches the CA's signed \"not revoked\" answer and hands it to clients.\n"
            "    ssl_stapling on;\n    ssl_stapling_verify on;\n"
            f"    ssl_trusted_certificate {nginx_word(https['chain'])};\n")


def _hsts(https: dict) -> str:
    if not https["hsts"]:
        return ""
    return ("    # Browsers that saw this keep to HTTPS for two years, and refuse a certificate they cannot verify.\n"
            f'    add_header Strict-Transport-Security "max-age={HSTS_MAX_AGE}; includeSubDomains" always;\n')


def _redirect_server(https: dict) -> str:
    # `return` runs before nginx's access checks: allow/deny would not apply here (the firewall does).
    # 301, which every client follows; Mozilla's generator writes 308, which keeps a POST a POST,
    # but what reaches a bare http:// name is a browser's GET.
    return f"""
# Port {REDIRECT_PORT} answers only with a redirect to HTTPS: Orthanc is never served without TLS.
server {{
    listen {REDIRECT_PORT};
    server_name {https['server_name']};
    server_tokens off;
    return 301 {https_address(https)}$request_uri;
}}
"""


def proxy_steps(answers: Answers) -> list[Step]:
    """Installing the proxy; port 80 opened only for the redirect, and only where the HTTPS port is."""
    https = answers["https"]
    check = f"curl -sS -o /dev/null -w '%{{http_code}} %{{redirect_url}}\\n' http://{https['server_name']}/"
    steps = [Step("Install the reverse proxy",
                  "nginx terminates TLS and passes the client's address in X-Forwarded-For, which the access "
                  "filter uses for per-user networks." + (" Debian's sample site goes: it would answer on "
                                                           "port 80 for any other name." if redirects(answers) else ""),
                  ("apt-get install nginx", f"install -m 0644 {NGINX_FILE} /etc/nginx/conf.d/orthanc.conf",
                   *(["rm -f /etc/nginx/sites-enabled/default  # Debian's sample site"] if redirects(answers) else []),
                   "nginx -t", "systemctl reload nginx",
                   *([f"{check}  # 301 {https_address(https)}/"] if redirects(answers) else [])))]
    if redirects(answers) and answers["network"]["remote_access"]:
        rules = [line for line in network.firewall_rules(REDIRECT_PORT, answers["network"]["allowed_networks"])
                 if line not in network.ENABLE]
        steps.append(Step(f"Open TCP port {REDIRECT_PORT} to the allowed networks for the redirect",
                          "Browsers given the bare name try http:// first: nginx answers them there only with "
                          "the redirect to HTTPS. Without the rule they wait for a timeout instead.", tuple(rules)))
    if https["chain"]:
        steps.append(_resolver_step(https))
    return steps


# nginx resolves the OCSP responder's name itself, with the servers of its `resolver` directive only.
RESOLVER = ("awk '/^nameserver/ && $2 !~ /%/ {a = $2; if (a ~ /:/) a = \"[\" a \"]\"; r = r \" \" a} "
            "END {print \"resolver\" r \";\"}' /etc/resolv.conf > /etc/nginx/conf.d/orthanc-resolver.conf")


def _resolver_step(https: dict) -> Step:
    status = (f"openssl s_client -connect 127.0.0.1:{https['port']} -servername {sh(https['server_name'])} -status "
              "</dev/null 2>/dev/null | grep 'OCSP Response Status'")
    return Step("Let nginx look up the CA's OCSP responder",
                "For OCSP stapling nginx asks the CA's responder itself, by name: without a DNS resolver it "
                "logs 'no resolver defined' and staples nothing. This writes this host's name servers for "
                "nginx. It fetches the answer at the first TLS connection: the second one carries it.",
                (RESOLVER, "nginx -t && systemctl reload nginx", status, f"{status}  # successful"))
