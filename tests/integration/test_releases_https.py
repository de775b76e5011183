"""Native HTTPS kills every Debian build of Orthanc at the first TLS request (1.10.1, 1.12.7 and
1.13.0: SIGSEGV in Debian's civetweb, built against OpenSSL 3), which is why the tool refuses
https.mode 'native' for orthanc_build 'debian' whatever the release, and allows it for 'upstream'."""

from __future__ import annotations

import http.client
import json
import signal
import ssl
import subprocess
import time

from wizard import cli

from .orthanc_releases import Release
from .orthanc_server import free_port
from .profiles import make_certificate

CRASH_TIMEOUT = 10.0


def native_https_config(folder, pem) -> object:
    folder.mkdir()
    (folder / "orthanc.json").write_text(json.dumps({
        "HttpPort": free_port(), "DicomPort": free_port(), "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False, "SslEnabled": True, "SslCertificate": str(pem)}))
    return folder


def one_pem(tmp_path):
    """A self-signed certificate and its key in one PEM file, as SslCertificate takes them."""
    cert, key = make_certificate(tmp_path / "tls", "localhost")
    pem = tmp_path / "tls" / "orthanc.pem"
    pem.write_text(cert.read_text() + key.read_text())
    return pem


def tls_request(port: int) -> str:
    """GET /system over TLS (no verification): what came back, or the error."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=CRASH_TIMEOUT, context=context)
    try:
        connection.request("GET", "/system")
        return f"answered {connection.getresponse().status}"
    except (OSError, http.client.HTTPException) as error:
        return f"failed: {error!r}"
    finally:
        connection.close()


def test_each_debian_build_dies_of_sigsegv_at_the_first_native_https_request(tmp_path, start_orthanc,
                                                                            release: Release):
    orthanc = start_orthanc(native_https_config(tmp_path / "config", one_pem(tmp_path)), release)
    # Its port accepts connections a moment before it logs that it listens: wait for the line.
    deadline = time.monotonic() + CRASH_TIMEOUT
    while "HTTPS encryption is enabled" not in orthanc.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "HTTPS encryption is enabled" in orthanc.log_text(), orthanc.log_tail()
    answer = tls_request(orthanc.http_port)
    try:
        status = orthanc.process.wait(CRASH_TIMEOUT)
    except subprocess.TimeoutExpired:
        status = None
    assert status == -signal.SIGSEGV, (
        f"Debian's Orthanc {release} no longer crashes on native HTTPS (the request {answer}, status "
        f"{status}): if that holds, the refusal of https.mode 'native' for orthanc_build 'debian' "
        f"(wizard/checks.py _versions) may be lifted for this release.\n" + orthanc.log_tail())
    assert answer.startswith("failed"), answer


def test_native_https_is_refused_for_debian_builds_of_every_release_and_allowed_for_upstream(tmp_path, capsys,
                                                                                             release: Release):
    base = ["apply", "--preset", "localhost", "--set", "https.mode=native",
            "--set", "https.certificate=/etc/orthanc/tls/orthanc.pem", "--orthanc-version", release.version]
    assert cli.main([*base, "--out", str(tmp_path / "debian")]) == 2
    err = capsys.readouterr().err
    assert "$.https.mode: Orthanc as packaged by Debian crashes" in err and "reverse-proxy" in err, err
    assert not (tmp_path / "debian").exists()
    assert cli.main([*base, "--orthanc-build", "upstream", "--out", str(tmp_path / "upstream")]) == 0
    written = json.loads((tmp_path / "upstream" / "orthanc.json").read_text())
    assert written["SslEnabled"] is True and written["SslCertificate"] == "/etc/orthanc/tls/orthanc.pem"
    # This host's Orthanc is Debian's package (dpkg -S): the warning says so, the files stay as asked.
    assert "belongs to Debian's orthanc package" in capsys.readouterr().err
