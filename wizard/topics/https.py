"""HTTPS: Orthanc's own TLS, or a reverse proxy on the same host that terminates it."""

from __future__ import annotations

from wizard.orthanc import proxy_secret
from wizard.topics.base import Answers, Build, Finding, Question, Step, setting, sh
from wizard.topics import network
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Facts, Rule
from wizard.topics.https_nginx import NGINX_FILE, nginx_config, proxy_steps

NAME = "https"
TITLE = "HTTPS"

_tls = lambda a: a["https"]["mode"] != "none"  # noqa: E731
_proxy = lambda a: a["https"]["mode"] == "reverse-proxy"  # noqa: E731

QUESTIONS = (
    Question("https.mode", "choice", "How clients reach Orthanc over TLS",
             "HTTP Basic sends the password with every request: without TLS anyone on the path "
             "reads it. 'reverse-proxy' (advised, and required on Internet-facing servers): nginx on "
             "this host terminates TLS and Orthanc serves loopback only. 'native': Orthanc's own "
             "HTTPS (broken in Debian 12's 1.10.1). 'none': only for localhost-only servers.",
             choices=("none", "native", "reverse-proxy"),
             when=lambda a: a["network"]["http_enabled"]),
    Question("https.server_name", "text", "Public host name",
             "The DNS name clients use to reach this server (pacs.hospital.org); the certificate must "
             "be issued for it. Required behind the reverse proxy: nginx answers for this name only.", when=_tls),
    Question("https.port", "int", "HTTPS port of the proxy",
             "The port nginx listens on for clients (443).", when=_proxy),
    Question("https.certificate", "text", "Certificate (PEM)",
             "With 'native', one PEM file holding the certificate chain and the private key (what "
             "Orthanc's SslCertificate expects). With 'reverse-proxy', the certificate chain.", when=_tls),
    Question("https.private_key", "text", "Private key (PEM) for the proxy",
             "Empty: the certificate file also holds the key.", when=_proxy),
    Question("https.redirect_http", "bool", "Port 80 redirects to HTTPS",
             "nginx also listens on port 80 and answers there only with a redirect (301) to the HTTPS "
             "address, so a browser given the bare name lands on TLS; Orthanc is never served on it. A "
             "client set up with http:// still sends its password in clear before the redirect: give "
             "clients the https:// address. Off: nothing listens on port 80.", when=_proxy),
    Question("https.hsts", "bool", "HSTS (browsers keep to HTTPS)",
             "Strict-Transport-Security makes a browser refuse plain HTTP for this name for two years, "
             "and refuse any certificate it cannot verify, with no way to click through. Off by "
             "default: with a self-signed certificate during setup it would lock browsers out. Turn it "
             "on once a certificate the browsers trust is in place.", when=_proxy),
    Question("https.chain", "text", "CA chain (PEM) for OCSP stapling",
             "The intermediate and root certificates of the CA that issued the proxy's certificate. "
             "Given, nginx staples the CA's OCSP answer (the certificate is not revoked), verified "
             "against this chain. Empty (self-signed, or a CA without OCSP): no stapling.", when=_proxy),
)


def apply(answers: Answers, build: Build) -> None:
    https = answers["https"]
    if not answers["network"]["http_enabled"]:
        return
    build.set("SslEnabled", https["mode"] == "native")
    if https["mode"] == "native":
        build.set("SslCertificate", https["certificate"])
        build.set("SslMinimumProtocolVersion", 4)  # TLS 1.2 and later
    if https["mode"] == "reverse-proxy":
        # The proxy proves itself to the filter with a secret: the configuration's own, kept.
        # Not an option of Orthanc (it ignores it), so not among OPTIONS: the filter reads it
        # with GetOrthancConfiguration, which every release since 0.9.4 has.
        secret, _ = proxy_secret.resolve(build.existing)
        build.settings[proxy_secret.OPTION] = secret
        build.files[NGINX_FILE] = nginx_config(answers, secret)
    # Remote access without TLS is the audit's finding OH-TLS-001, said by apply and the wizard.


def checklist(answers: Answers) -> list[Step]:
    https = answers["https"]
    if not answers["network"]["http_enabled"] or https["mode"] == "none":
        return []
    # Native: Orthanc reads one PEM (with its key) as the service user; behind nginx, only root.
    native = https["mode"] == "native"
    name, cert = https["server_name"] or "localhost", https["certificate"]
    key = cert if native else https["private_key"] or cert
    reader, mode = (answers["service"]["group"], "0640") if native else ("root", "0600")
    readers = f"root and the group {reader}" if native else "root"
    folder = cert.rsplit("/", 1)[0] or "/"
    then = "restart Orthanc" if native else "nginx -t && systemctl reload nginx"
    get_cert = Step("Put a certificate for " + name + " in place",
                    "Clients must be able to check they talk to this server, or a man in the "
                    f"middle reads every password. The private key must be readable by {readers} only. "
                    "A certificate from the site's CA (internal or public) is copied in first; without one, "
                    "a self-signed certificate lets the next steps go on, and the site's CA is asked with "
                    "the request made for the same key.",
                    (f"install -d -o root -g {reader} -m 0750 {sh(folder)}",
                     f"# the site's CA (internal, or public: Let's Encrypt's certbot certonly -d {name}): copy the "
                     f"chain it issued, leaf first, to {cert}"
                     + (f" and its private key to {key}" if key != cert else ", followed by its private key"),
                     *make_certificate(name, cert, key, then),
                     *dict.fromkeys([f"chown root:{reader} {sh(cert)} && chmod {mode} {sh(cert)}",
                                     f"chown root:{reader} {sh(key)} && chmod {mode} {sh(key)}"]),
                     *_chain_commands(https),
                     f"openssl x509 -in {sh(cert)} -noout -subject -enddate"),
                    stage="certificate")
    if https["mode"] == "native":
        return [get_cert, Step("Check Orthanc answers over HTTPS",
                               "Orthanc's built-in TLS needs OpenSSL's libssl at run time.",
                               (f"curl -sS -o /dev/null -w '%{{http_code}}\\n' https://{name}:{answers['network']['http_port']}/system",),
                               stage="after")]
    return [get_cert, *proxy_steps(answers)]


def make_certificate(name: str, cert: str, key: str, then: str) -> tuple[str, ...]:
    """A self-signed certificate for name when none is in place (one file with its key when
    key is cert), and the request for the site's CA made with the same key."""
    subject = f"-subj {sh('/CN=' + name)} -addext {sh('subjectAltName=DNS:' + name)}"
    if key != cert:
        make = f"openssl req -x509 -newkey rsa:3072 -nodes -days 825 {subject} -keyout {sh(key)} -out {sh(cert)}"
    else:
        pem, private = sh(cert + ".crt"), sh(cert + ".key")
        make = (f"openssl req -x509 -newkey rsa:3072 -nodes -days 825 {subject} -keyout {private} -out {pem} "
                f"&& cat {pem} {private} > {sh(cert)} && rm {pem} {private}")
    request = (cert.rsplit("/", 1)[0] or "") + f"/{name}.csr"
    return (f"[ -s {sh(cert)} ] || ( umask 077 && {make} )  # none in place: a self-signed one, which each client "
            f"must be given to trust, until the CA's replaces it",
            f"openssl req -new -key {sh(key)} {subject} -out {sh(request)}  # the request for the site's CA; put the "
            f"chain it returns, leaf first, in {cert}"
            + (f", followed by the key (openssl pkey -in {sh(cert)})" if key == cert else "") + f", then: {then}")


def _chain_commands(https: dict) -> tuple[str, ...]:
    if https["mode"] != "reverse-proxy" or not https["chain"]:
        return ()
    return (f"# copy the CA's intermediate and root certificates to {https['chain']} (not secret)",
            f"chown root:root {sh(https['chain'])} && chmod 0644 {sh(https['chain'])}")


SOURCES = {"https.mode": "SslEnabled", "https.certificate": "SslCertificate"}


def read(config: dict) -> Answers:
    """Orthanc's own TLS shows in its configuration; a reverse proxy in front of it does not."""
    if config.get("SslEnabled") is not True:
        return {}
    answers = {"mode": "native"}
    certificate = setting(config, "SslCertificate", None)
    if isinstance(certificate, str) and certificate.startswith("/"):
        answers["certificate"] = certificate
    return {"https": answers}


NO_TLS = Rule(
    "OH-TLS-001", "high", "Remote access without TLS",
    "HTTP Basic authentication sends the password with every request, and the REST API returns patient "
    "data: without TLS anyone on the path reads both. The documentation: enable HTTPS even on the "
    "Intranet, and on a server reachable from the Internet let a reverse proxy terminate it.",
    doc=SECURING + "#securing-the-http-server", sets=("https.mode=reverse-proxy",),
    fix="serve 127.0.0.1 only behind a TLS reverse proxy (the intranet preset writes its nginx configuration)")
DEBIAN_NATIVE = Rule(
    "OH-TLS-002", "high", "Native HTTPS on a Debian-packaged Orthanc",
    "Debian links Orthanc's civetweb against OpenSSL 3: with SslEnabled, every Debian build measured "
    "(1.10.1, 1.12.7, 1.13.0) dies with a segmentation fault at the first TLS request.",
    doc=BOOK + "faq/https.html", sets=("https.mode=reverse-proxy",), needs="host")
RULES = (NO_TLS, DEBIAN_NATIVE)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    native = setting(config, "SslEnabled", False)
    found = []
    if network.remote_http(config) and not native:
        found.append(NO_TLS.found("SslEnabled", "remote clients reach Orthanc without TLS: passwords cross the "
                                  "network in clear unless a proxy in front of it terminates TLS",
                                  current=native, recommended=True))
    if native and facts.debian_package:
        found.append(DEBIAN_NATIVE.found("SslEnabled", "this host's Orthanc is Debian's package: it crashes at "
                                         "the first HTTPS request", current=True, recommended=False))
    return found
