"""Send the REST rows to the staged Orthanc (127.0.0.1 only) and read what each got."""

from __future__ import annotations

import base64
import http.client
import json
from dataclasses import dataclass, field
from pathlib import Path

from wizard.verify import instance
from wizard.verify.checks import LOOPBACK, Check, HttpRequest, Row, judge

TIMEOUT = 15.0
NO_SUCH = "00000000-00000000-00000000-00000000-00000000"  # an Orthanc ID nothing has


@dataclass(frozen=True)
class Answer:
    status: int | None
    body: bytes = b""
    error: str = ""


def send(port: int, request: HttpRequest, body: bytes | None = None, path: str | None = None) -> Answer:
    headers = dict(request.headers)
    if request.login is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(request.login).encode("utf-8")).decode()
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=TIMEOUT, source_address=(request.source, 0))
    try:
        connection.request(request.method, path or request.path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read())
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, error=str(error) or type(error).__name__)
    finally:
        connection.close()


@dataclass
class Rest:
    """The REST side of one run: the port, who stores the patients acted on, where exports go."""

    port: int
    keeper: tuple[str, str] | None | bool  # http_plan.keeper's answer
    work: Path
    _exports: int = field(default=0)

    def run(self, check: Check) -> Row:
        request = check.request
        path, gap = self._path(request)
        if gap:
            return judge(check, "-", gap=gap)
        body = self._body(request)
        answer = send(self.port, request, body, path)
        if answer.status is None:
            return judge(check, "no answer", answer.error)
        got, detail = str(answer.status), ""
        if request.body == "export" and answer.status == 200 and not Path(body.decode()).exists():
            got, detail = "200 without a file", "Orthanc said it exported, but wrote no file"
        return judge(check, got, detail)

    def store(self) -> tuple[dict | None, str]:
        """A fresh instance stored by the keeper: Orthanc's answer (ID, ParentPatient), or why not."""
        login = self.keeper
        data = instance.file_bytes(instance.dataset("stored"))
        answer = send(self.port, HttpRequest("POST", "/instances", login=login), data)
        if answer.status != 200:
            who = "anonymously" if login is None else f"as {login[0]}"
            return None, f"no instance could be stored first ({who}: {answer.status or answer.error})"
        return json.loads(answer.body), ""

    def _path(self, request: HttpRequest) -> tuple[str, str]:
        if "{" not in request.path:
            return request.path, ""
        if self.keeper is False:
            return request.path.format(patient=NO_SUCH, instance=NO_SUCH), ""
        stored, why = self.store()
        if stored is None:
            return "", why
        return request.path.format(patient=stored["ParentPatient"], instance=stored["ID"]), ""

    def _body(self, request: HttpRequest) -> bytes | None:
        if request.body == "instance":
            return instance.file_bytes(instance.dataset("upload"))
        if request.body == "export":
            self._exports += 1
            folder = self.work / "exports"
            folder.mkdir(exist_ok=True)
            return str(folder / f"export-{self._exports}.dcm").encode()
        return None if request.body is None else request.body.encode("utf-8")
