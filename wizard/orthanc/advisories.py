"""The security fixes of Orthanc releases: which release fixed what, what the flaw allows, who can
trigger it, and what a server that cannot upgrade can do instead.

Sources, read 2026-12-07:
- NEWS of orthanc-mirrors/orthanc at 79314fab9 (after 1.13.0): sections 1.13.0, 1.12.11, 1.12.10, 1.12.2,
  1.12.0, 1.10.0.
- Who can trigger each flaw: the callers of the fixed code in the 1.10.1 tree (cd3f8783d) and the
  1.12.11 tree (d1ab360c3): OrthancRestApi.cpp (POST /instances unzips a zip body and gunzips a
  `Content-Encoding: gzip` one), OrthancWebDav.cpp (a zip uploaded by WebDAV), ServerContext.cpp
  (every stored file, C-STORE included, goes through DicomStreamReader), HttpServer.cpp (the body
  is read after authentication and the filter, into a buffer of the announced Content-Length).
- The fix of CVE-2026-10528 (605ff4d5e) patches DCMTK in static builds only; Debian's dcmtk
  3.7.0+really3.7.0-4 reverted its partial patch, and sid's chroot here has -7 (changelog).
- Debian's changelogs: bookworm's orthanc 1.10.1+dfsg-2+deb12u1 and trixie's 1.12.7+dfsg-4 carry
  only CVE-2023-33466; sid's 1.12.10+dfsg-4 took the nine CVEs of 1.12.11; bookworm's libcivetweb1
  1.15+dfsg-4 has no patch for CVE-2025-55763 (trixie's 1.16+dfsg-2+deb13u1 has).
- MEASURED on this host's 1.10.1 and the chroots' 1.12.7 and 1.13.0: the Content-Length bomb and
  nginx in front of it (tests/integration/test_content_length_bomb.py); civetweb's crash input
  (a request line of up to 16,000 slashes: 401 from 1.10.1, by hand); 1.10.1's error replies: with
  HttpDescribeErrors on, GET /patients/<script>alert(1)</script> gets a 404 whose JSON body repeats the
  URI with no Content-Type (a browser may sniff it as HTML); with it off, an empty body.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.versions import Version, parse

# Who can trigger a flaw, and the severity of a missing fix that they can trigger.
DICOM_ANYONE = "any DICOM peer"  # any calling AET stores while DicomAlwaysAllowStore is true (the default)
HTTP_ANYONE = "any HTTP client"  # before authentication
HTTP_USER = "any HTTP user"  # any user the filter lets send the request: a reader; anyone without authentication
UPLOADER = "an uploader"  # a user allowed POST /instances, STOW-RS or WebDAV uploads, or a modality allowed to store
ADMIN = "an admin"
SEVERITY = {DICOM_ANYONE: "high", HTTP_ANYONE: "high", HTTP_USER: "medium", UPLOADER: "medium", ADMIN: "low"}


@dataclass(frozen=True)
class Fix:
    cves: tuple[str, ...]  # () where NEWS names none
    allows: str
    who: tuple[str, ...]  # the ways in, as the names above
    via: str  # the requests that reach the flaw
    unshown: str = ""  # why it is not shown that Orthanc's requests reach the flaw ("": they do): at most medium
    only_with: str = ""  # an option (on by default) without which nothing reaches the flaw
    without: str = ""  # what is true when that option is off


@dataclass(frozen=True)
class Advisory:
    release: Version  # the first release with the fixes
    rule_id: str
    summary: str  # one line for the checklist's upgrade step
    fixes: tuple[Fix, ...]
    instead: str  # what a server that cannot upgrade can do, measured where it gives figures
    builds: str = ""  # which builds of the release lack a fix, or carry it earlier

    @property
    def cves(self) -> tuple[str, ...]:
        return tuple(cve for fix in self.fixes for cve in fix.cves)


_STORES = "C-STORE, POST /instances, STOW-RS"
ADVISORIES = (
    Advisory(parse("1.13.0"), "OH-SVC-004", "1.13.0 fixed CVE-2026-10528 (a crash from deeply nested DICOM "
             "sequences)", (
        Fix(("CVE-2026-10528",), "a crash of the whole server (stack overflow) from a small DICOM file with deeply "
            "nested sequences", (DICOM_ANYONE, UPLOADER), f"{_STORES}; afterwards any read that parses the file"),),
        "a body-size limit does not help (the file is 1.5 KB): let only known modalities store over DICOM "
        "(DicomAlwaysAllowStore false, DicomCheckModalityHost true) and only the uploader role upload over HTTP",
        "the fix patches DCMTK in Orthanc's static builds, as in the orthancteam images; a build on the system's "
        "DCMTK relies on that package, and Debian's dcmtk 3.7.0+really3.7.0-4 reverted its part, so Debian's "
        "1.13.0 is not fixed: issue 17 measured a crash at 48 levels on sid's 1.13.0"),
    Advisory(parse("1.12.11"), "OH-SVC-001", "1.12.11 fixed nine CVEs (CVE-2026-5437 to 5445: uploads, archives, "
             "images, Content-Length) and a response-header injection", (
        Fix(("CVE-2026-5440",), "memory exhaustion: Orthanc reserves the Content-Length a request announces before "
            "reading its body", (HTTP_USER,), "any POST or PUT with a body"),
        Fix(("CVE-2026-5438", "CVE-2026-5439"), "memory exhaustion from forged gzip or zip sizes", (UPLOADER,),
            "POST /instances with a zip or a gzip Content-Encoding, a zip uploaded by WebDAV"),
        Fix(("CVE-2026-5437",), "an out-of-bounds read while storing a forged file", (DICOM_ANYONE, UPLOADER), _STORES),
        Fix(("CVE-2026-5441", "CVE-2026-5442", "CVE-2026-5443", "CVE-2026-5445"), "out-of-bounds reads decoding a "
            "forged image", (DICOM_ANYONE, UPLOADER), f"{_STORES}, then any rendering (/preview, /rendered, /frames)"),
        Fix(("CVE-2026-5444",), "an out-of-bounds write from a forged PAM image", (HTTP_USER,),
            "POST /tools/create-dicom"),
        Fix((), "HTTP response headers injected through the filename argument", (HTTP_USER,),
            "GET …/file and …/archive, from a link a user follows")),
        "a request-body limit in the proxy (nginx client_max_body_size) answers 413 before Orthanc reserves "
        "anything, and nginx's request buffering (proxy_request_buffering on, its default) keeps a lying "
        "Content-Length under the limit from reaching Orthanc (measured, tests/integration/"
        "test_content_length_bomb.py: 100 bytes announcing 1 GiB cost 1.10.1 and 1.12.7 over 512 MB, 1.13.0 "
        "nothing; through nginx: 413 over the limit, and under it Orthanc unchanged), as the nginx file this tool "
        "writes does (64 MB, 2 GB for uploads, buffering on); uploads only for the uploader role, DICOM stores "
        "only from known modalities",
        "Debian's 1.10.1 (bookworm) and 1.12.7 (trixie) carry none of these fixes; sid's 1.12.10+dfsg-4 backports "
        "the nine CVEs"),
    Advisory(parse("1.12.10"), "OH-SVC-002", "1.12.10 fixed civetweb's CVE-2025-55763 and refuses user names with ':'", (
        Fix(("CVE-2025-55763",), "a heap overflow in civetweb's URI parser", (HTTP_ANYONE,),
            "a crafted request line, before authentication", "the civetweb report's crash input did not crash "
            "Debian's 1.10.1"),),
        "nothing measured here: the civetweb report's crash input (a request line of slashes) got 401 from "
        "Debian's 1.10.1, up to 16,000 slashes; keep Orthanc's port on 127.0.0.1 behind the proxy",
        "the fix is in the civetweb that static builds bundle; Debian's builds use the system's libcivetweb: "
        "bookworm's 1.15+dfsg-4 has no patch, trixie's 1.16+dfsg-2+deb13u1 has"),
    Advisory(parse("1.12.2"), "OH-SVC-005", "1.12.2 fixed a cross-site scripting in error replies", (
        Fix((), "cross-site scripting: an error reply repeats the requested URI in a body without Content-Type, "
            "which a browser may read as HTML", (HTTP_USER,), "any link to Orthanc a logged-in user follows",
            only_with="HttpDescribeErrors", without="HttpDescribeErrors is false: error replies have no body"),),
        "HttpDescribeErrors false, the hardened default (measured on 1.10.1: the 404 then has no body); the nginx "
        "file this tool writes adds X-Content-Type-Options: nosniff"),
    Advisory(parse("1.12.0"), "OH-SVC-003", "1.12.0 made POST /instances/../export switchable (CVE-2023-33466)", (
        Fix(("CVE-2023-33466",), "writing any file the service user may write (a Lua script, a plugin: code run "
            "at the next start)", (HTTP_USER,), "POST /instances/{id}/export"),),
        "the access filter keeps POST …/export to admins",
        "Debian's 1.10.1+dfsg-2+deb12u1 backports the switch RestApiWriteToFileSystemEnabled (off by default)"),
    Advisory(parse("1.10.0"), "OH-SVC-006", "1.10.0 fixed a cross-site scripting in Orthanc Explorer (DICOM tags "
             "shown as HTML, again since 1.9.4)", (
        Fix((), "cross-site scripting: Orthanc Explorer shows a stored file's tags as HTML, running a script they "
            "hold in the browser of whoever browses it, an admin included", (DICOM_ANYONE, UPLOADER),
            f"{_STORES}, then browsing the file in Orthanc Explorer", only_with="OrthancExplorerEnabled",
            without="OrthancExplorerEnabled is false"),),
        "OrthancExplorerEnabled false (another viewer), and stores only from known modalities and the uploader role"),
)
BY_RELEASE = {advisory.release: advisory for advisory in ADVISORIES}
