"""Send the DICOM rows to the staged Orthanc with pynetdicom (no DCMTK needed): one association per
row, from the row's 127.0.0.x address, with DICOM TLS when the configuration turns it on."""

from __future__ import annotations

import logging
import socket
import ssl
from pathlib import Path

from wizard.verify import instance
from wizard.verify.checks import LOOPBACK, Check, DicomRequest, Row, judge

TIMEOUT = 10.0
logging.getLogger("pynetdicom").setLevel(logging.CRITICAL)  # its findings are our rows


def tls_context(values: dict) -> ssl.SSLContext | None:
    """With DicomTlsEnabled: a client context presenting this host's DICOM certificate (Orthanc
    asks for one when DicomTlsRemoteCertificateRequired), not checking Orthanc's: it is our own."""
    if values.get("DicomTlsEnabled") is not True:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    certificate, key = values.get("DicomTlsCertificate"), values.get("DicomTlsPrivateKey")
    if isinstance(certificate, str) and isinstance(key, str) and Path(certificate).is_file() and Path(key).is_file():
        try:
            context.load_cert_chain(certificate, key)
        except (OSError, ssl.SSLError):
            pass  # Orthanc then refuses the handshake; the rows say so
    return context


def run(check: Check, port: int, tls: ssl.SSLContext | None, tls_ok: bool = True) -> Row:
    """tls_ok: tls_accepted's answer, asked once for the run."""
    if tls is not None and not tls_ok:
        if check.expected == "success":
            return judge(check, "refused", gap="Orthanc refuses this host's DICOM certificate as a TLS client "
                                               "(DicomTlsTrustedCertificates): a modality's own certificate is needed")
        return judge(check, "refused", "at the TLS handshake, before any AET is read")
    got, detail = send(check.request, port, tls)
    return judge(check, got, detail)


def tls_accepted(port: int, tls: ssl.SSLContext, wait: float = 0.5) -> bool:
    """Whether Orthanc completes a TLS handshake with us and keeps the connection (with TLS 1.3 a
    refused client certificate shows only as an alert after the handshake: wait a moment for it)."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=TIMEOUT) as raw, \
                tls.wrap_socket(raw, server_hostname=None) as sock:
            sock.settimeout(wait)
            try:
                return sock.recv(1) != b""
            except TimeoutError:
                return True  # Orthanc waits for our A-ASSOCIATE-RQ: it took us
    except (OSError, ssl.SSLError):
        return False


def send(request: DicomRequest, port: int, tls: ssl.SSLContext | None) -> tuple[str, str]:
    """("success" | "refused" | "unreachable" | "no association", detail)."""
    from pynetdicom import AE
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind, Verification
    from pydicom.uid import SecondaryCaptureImageStorage

    ae = AE(ae_title=request.calling)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT
    for context in (Verification, SecondaryCaptureImageStorage, StudyRootQueryRetrieveInformationModelFind):
        ae.add_requested_context(context)
    try:
        assoc = ae.associate(LOOPBACK, port, ae_title=request.called, bind_address=(request.source, 0),
                             tls_args=(tls, None) if tls else None)
    except (OSError, ssl.SSLError) as error:
        return "unreachable", str(error)
    if assoc.is_rejected:
        return "refused", f"association rejected: {assoc.acceptor.primitive.reason_str}"
    if assoc.is_aborted:
        return "refused", "aborted before the association"
    if not assoc.is_established:
        return "no association", "neither accepted nor rejected"
    offered = {str(context.abstract_syntax) for context in assoc.accepted_contexts}
    if request.command == "store" and SecondaryCaptureImageStorage not in offered:
        assoc.release()
        ae.shutdown()
        return "refused", "no presentation context for Secondary Capture (the accepted SOP classes)"
    try:
        status = _command(assoc, request.command)
    finally:
        if assoc.is_established:
            assoc.release()
        ae.shutdown()
    if status == 0:
        return "success", ""
    return "refused", "association aborted" if status is None else f"status 0x{status:04X}"


def _command(assoc, command: str) -> int | None:
    """The DIMSE status of the command (of the final answer for C-FIND), or None when none came."""
    from pydicom.dataset import Dataset
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind

    if command == "echo":
        answer = assoc.send_c_echo()
        return _status(answer)
    if command == "store":
        return _status(assoc.send_c_store(instance.dataset("store")))
    query = Dataset()
    query.QueryRetrieveLevel, query.StudyInstanceUID = "STUDY", ""
    last = None
    for status, _ in assoc.send_c_find(query, StudyRootQueryRetrieveInformationModelFind):
        last = _status(status)
        if last is None or last not in (0xFF00, 0xFF01):
            break
    return last


def _status(answer) -> int | None:
    return int(answer.Status) if answer is not None and "Status" in answer else None
