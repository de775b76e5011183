"""The nginx file of `https.mode` reverse-proxy: Mozilla's "intermediate" TLS profile in front of
Orthanc, which serves 127.0.0.1 only; a port-80 server that only redirects; HSTS and OCSP stapling
as answered."""

from __future__ import annotations

from wizard import __version__
from wizard.orthanc import proxy_secret
from wizard.topics import network
from wizard.topics.base import Answers, Step, sh, written_to

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


def nginx_config(answers: Answers, secret: str) -> str:
    """The nginx file; `secret` is the one Orthanc's configuration keeps (proxy_secret)."""
    return (f"# Written by orthanc-harden {__version__}: {PROFILE} TLS profile.\n"
            f"# {GENERATOR}\n"
            "# TLS in front of Orthanc, which serves 127.0.0.1 only.\n"
            "# Install as /etc/nginx/conf.d/orthanc.conf, then: nginx -t && systemctl reload nginx\n"
            + LIMIT_ZONES + _tls_server(answers, secret) + (_redirect_server(answers["https"]) if redirects(answers) else ""))


# The expensive requests, bounded per client address (the one nginx sees), in the nginx file's words.
LIMIT_ZONES = """#
# Expensive requests are bounded per client address. Measured on Debian 12's Orthanc 1.10.1 (2 shared
# cores): a preview, or an image rendered at its own size, takes under 1 ms; 512x512 19 ms; 4000x4000
# 1.3 s; 10000x10000 7.1 s (30000x30000: 12-16 s), each holding one of Orthanc's 50 HTTP threads
# (HttpThreadsCount) all along. A zip of one instance takes 1 ms; of a study, seconds, and a
# temporary file as large as the study.
# - Rendering: 10 a second, bursts of 100 served at once (a viewer's thumbnails of a series), at most
#   4 at a time (a browser opens 6 connections, shared with its other requests); no width or height
#   of 5 digits (10000 and more) and no %-encoded argument: 4000x4000 still renders.
# - Zips and media: 30 a minute, bursts of 10, at most 2 at a time.
# Past a limit: 429. These zones stand outside server {}: Debian's nginx.conf (and the nginx image's)
# includes conf.d/*.conf inside its http {} block.
limit_req_zone $binary_remote_addr zone=orthanc_render:10m rate=10r/s;
limit_req_zone $binary_remote_addr zone=orthanc_zip:10m rate=30r/m;
limit_conn_zone $binary_remote_addr zone=orthanc_render_now:10m;
limit_conn_zone $binary_remote_addr zone=orthanc_zip_now:10m;
"""
# Orthanc's routes as nginx matches them (after decoding %XX and merging slashes), trailing slash too.
RENDER_ROUTES = r"^/(instances/[^/]+(/frames/[^/]+)?/(rendered|preview)|dicom-web/.+/(rendered|thumbnail))/?$"
ZIP_ROUTES = r"^/((patients|studies|series)/[^/]+/(archive|media)|tools/create-(archive|media|media-extended))/?$"
HUGE_IMAGE = r"%|(^|&)(width|height)=[^&]*[0-9]{5}"
MAX_BODY, MAX_UPLOAD = "64m", "2g"
UPLOAD_ROUTES = r"^/(instances|dicom-web/studies(/[^/]+)?)/?$"  # POST /instances, STOW-RS
BODY_WHY = ("    # Request bodies, larger: 413. Orthanc holds a body whole before it parses it, and before 1.12.11\n"
            "    # it reserves what Content-Length announces (CVE-2026-5440). A search, a zip's list, a DICOM made\n"
            "    # from an image: 64 MB. An upload (below): 2 GB, the largest single DICOM objects in use (breast\n"
            "    # tomosynthesis, enhanced multi-frame CT or US) and a STOW-RS study of some 4,000 CT slices;\n"
            "    # whole-slide images kept as one instance per level may need more: raise it there.\n")


def _access(networks: list[str]) -> str:
    """The allowed networks, and this host itself: the checklist checks the proxy from here, and a
    local process reaches Orthanc on 127.0.0.1 anyway."""
    if not networks:
        return ""
    return "".join(f"    allow {net};\n" for net in ["127.0.0.1", *networks]) + "    deny all;\n"


def _tls_server(answers: Answers, secret: str) -> str:
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
{_stapling(https)}{BODY_WHY}    client_max_body_size {MAX_BODY};
    limit_req_status 429;
    limit_conn_status 429;
    server_tokens off;
    # Orthanc Explorer has no CSRF protection: no other site may frame it (clickjacking).
    add_header X-Frame-Options SAMEORIGIN always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy same-origin always;
{_hsts(https)}{_access(network['allowed_networks'])}    # Overwrite, never append: Orthanc's filter trusts this header from 127.0.0.1 only
    # and must see the address nginx saw, not one a client claims.
    proxy_set_header X-Forwarded-For $remote_addr;
    # The proof that a request comes through this proxy, not from another local process: the filter
    # trusts X-Forwarded-For only beside it. It replaces a client's own header of that name. Hence
    # this file is readable by root only (nginx reads it as root).
    proxy_set_header {proxy_secret.HEADER} {secret};
    proxy_set_header Host $host;
    # nginx reads a body whole (into its temporary files) before it passes it on, as by default: a
    # Content-Length announced and never sent never reaches Orthanc.
    proxy_request_buffering on;
    proxy_read_timeout 300s;

    location / {{
        proxy_pass http://127.0.0.1:{network['http_port']};
    }}
    location ~ {RENDER_ROUTES} {{
        if ($args ~ "{HUGE_IMAGE}") {{
            return 400;
        }}
        limit_req zone=orthanc_render burst=100 nodelay;
        limit_conn orthanc_render_now 4;
        proxy_pass http://127.0.0.1:{network['http_port']};
    }}
    location ~ {UPLOAD_ROUTES} {{
        client_max_body_size {MAX_UPLOAD};
        proxy_pass http://127.0.0.1:{network['http_port']};
    }}
    location ~ {ZIP_ROUTES} {{
        limit_req zone=orthanc_zip burst=10 nodelay;
        limit_conn orthanc_zip_now 2;
        proxy_pass http://127.0.0.1:{network['http_port']};
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
    """The proxy in front of the running Orthanc, before its restart: in place and tested, live
    only if that Orthanc asks a login today; its clients moved to it; port 80 opened only for the
    redirect, and only where the HTTPS port is."""
    https, port = answers["https"], answers["network"]["http_port"]
    today = f"curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{port}/system"
    steps = [Step("Put the reverse proxy in front of Orthanc",
                  "nginx terminates TLS and passes the client's address in X-Forwarded-For, which the access "
                  "filter uses for per-user networks." + (" Debian's sample site goes: it would answer on "
                                                           "port 80 for any other name." if redirects(answers) else "")
                  + " Orthanc keeps running as it is, and a reload of nginx interrupts nothing (its old workers "
                  "finish their requests). nginx goes live now only if Orthanc asks a login today: one that "
                  "answers anyone from this host must not face the network before its restart on the new "
                  "files, and the restart step reloads nginx again.",
                  ("apt-get install nginx", f"install -o root -g root -m 0600 {sh(written_to(answers) + '/' + NGINX_FILE)} {NGINX_AT}"
                   "  # it holds the proxy's secret",
                   *(["rm -f /etc/nginx/sites-enabled/default  # Debian's sample site"] if redirects(answers) else []),
                   "nginx -t  # syntax is ok, test is successful: else fix it before going on",
                   f'[ "$({today})" = 401 ] && systemctl reload nginx  # live now if Orthanc asks a login today'),
                  stage="proxy"),
             _clients(answers)]
    if redirects(answers) and answers["network"]["remote_access"]:
        rules = [line for line in network.firewall_rules(REDIRECT_PORT, answers["network"]["allowed_networks"])
                 if line not in network.ENABLE]
        steps.append(Step(f"Open TCP port {REDIRECT_PORT} to the allowed networks for the redirect",
                          "Browsers given the bare name try http:// first: nginx answers them there only with "
                          "the redirect to HTTPS. Without the rule they wait for a timeout instead.", tuple(rules),
                          stage="firewall"))
    if https["chain"]:
        steps.append(_resolver_step(https))
    return steps


NGINX_AT = "/etc/nginx/conf.d/orthanc.conf"


def _clients(answers: Answers) -> Step:
    """Through the proxy the logins of today's Orthanc already work: clients move before the
    firewall and the restart take the direct address away."""
    https = answers["https"]
    address, name = https_address(https), https["server_name"]
    at = f"--resolve {sh(name + ':' + str(https['port']) + ':127.0.0.1')} --cacert {sh(https['certificate'])}"
    checks = [f"curl -sS -o /dev/null -w '%{{http_code}}\\n' {at} {address}/system  # 401: through the proxy, "
              "Orthanc asks a login"]
    if redirects(answers):
        checks.append(f"curl -sS -o /dev/null -w '%{{http_code}} %{{redirect_url}}\\n' "
                      f"--resolve {sh(f'{name}:{REDIRECT_PORT}:127.0.0.1')} http://{name}/  # 301 {address}/")
    direct = f"http://THIS-HOST:{answers['network']['http_port']}"
    return Step(f"Move remote clients to {address}",
                f"Until the firewall steps and the restart, Orthanc still serves remote clients at {direct} as "
                f"it does today. Through the proxy the same logins already work (if the proxy step left nginx "
                "as it was, Orthanc asks no login today: nobody uses it remotely, and these checks come after "
                "the restart). Give every client the new address now (viewers, scripts, peers that call this "
                "server), and go on once each one uses it: the next steps take the old address away.",
                tuple(checks), stage="clients")


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
                (RESOLVER, "nginx -t && systemctl reload nginx", status, f"{status}  # successful"), stage="after")
