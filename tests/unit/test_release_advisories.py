"""The release rules (OH-SVC-*) follow Orthanc's NEWS: each release's CVEs, what they allow, who can
trigger them in the configuration judged (the severity), and Debian's backports and gaps."""

import json
import re
from pathlib import Path

from wizard.audit import report
from wizard.audit.host import Target
from wizard.orthanc import advisories, config_files, releases
from wizard.topics import release_rules, service_user
from wizard.topics.base import Facts
from wizard.versions import parse, show

DATA = Path(__file__).resolve().parents[1] / "data"
NEWS = DATA / "releases" / "news-security.txt"
DEBIAN = DATA / "configs" / "debian-1.10.1"  # Debian 12's /etc/orthanc: any AET may store
CVE = re.compile(r"CVE-\d{4}-\d{4,}")
HARDENED = {"RemoteAccessAllowed": True, "AuthenticationEnabled": True, "RegisteredUsers": {"admin": "x" * 20},
            "DicomAlwaysAllowStore": False, "DicomCheckModalityHost": True, "HttpDescribeErrors": False}


def news_cves() -> dict[str, set[str]]:
    """The CVEs NEWS names under each release (the fixture keeps its security lines verbatim)."""
    found, release = {}, None
    for line in NEWS.read_text().splitlines():
        if line.startswith("Version "):
            release = line.split()[1]
            found[release] = set()
        elif release is not None:
            found[release] |= set(CVE.findall(line))
    return found


def svc(config: dict, target: str, debian: bool | None = None) -> dict[str, str]:
    """The OH-SVC findings by ID, with their severity."""
    return {f.id: f.severity for f in service_user.findings(config, Facts(target=parse(target), debian_package=debian))}


def test_each_advisory_names_the_cves_news_gives_its_release():
    news = news_cves()
    assert {show(a.release) for a in advisories.ADVISORIES} == set(news)
    for advisory in advisories.ADVISORIES:
        assert news[show(advisory.release)] <= set(advisory.cves), advisory.release
        # 1.12.0's CVE is Debian's name for it (NEWS gives none); every other CVE is NEWS's own.
        assert set(advisory.cves) - news[show(advisory.release)] <= {"CVE-2023-33466"}
    assert {f"CVE-2026-{n}" for n in range(5437, 5446)} == set(advisories.BY_RELEASE[parse("1.12.11")].cves)


def test_the_table_agrees_with_the_release_facts():
    by_release = advisories.BY_RELEASE
    assert max(by_release) == releases.NEWEST
    # The options NEWS gives with the fixes arrive in the same release as them.
    assert releases.SINCE["MaximumRequestBodySizeMB"] == releases.SINCE["MaximumFileSizeInArchiveMB"] == parse("1.12.11")
    assert releases.SINCE["RestApiWriteToFileSystemEnabled"] == parse("1.12.0")
    backport, _ = releases.BACKPORTS["RestApiWriteToFileSystemEnabled"]
    assert release_rules.DEBIAN_BACKPORTS == {(backport, parse("1.12.0"))}
    assert [a.rule_id for a in advisories.ADVISORIES] == ["OH-SVC-004", "OH-SVC-001", "OH-SVC-002", "OH-SVC-005",
                                                      "OH-SVC-003", "OH-SVC-006"]
    assert all(who in advisories.SEVERITY for a in advisories.ADVISORIES for fix in a.fixes for who in fix.who)


def test_debian_s_1_10_1_as_shipped_lacks_four_releases_fixes_and_anyone_over_dicom_makes_two_high():
    values = config_files.read(DEBIAN).values
    assert svc(values, "1.10.1", debian=True) == {"OH-SVC-004": "high", "OH-SVC-001": "high", "OH-SVC-002": "medium",
                                                  "OH-SVC-005": "medium"}  # Debian's file describes errors


def test_a_hardened_1_10_1_keeps_the_findings_at_medium_where_only_a_user_or_a_known_modality_can_trigger():
    assert svc(HARDENED, "1.10.1", debian=True) == {"OH-SVC-004": "medium", "OH-SVC-001": "medium",
                                                   "OH-SVC-002": "medium", "OH-SVC-005": "low"}
    assert svc(HARDENED, "1.10.1", debian=False)["OH-SVC-003"] == "medium"  # upstream: no backport


def test_1_12_7_lacks_1_12_10_1_12_11_and_1_13_0():
    assert set(svc({}, "1.12.7")) == {"OH-SVC-002", "OH-SVC-001", "OH-SVC-004"}


def test_upstream_1_13_0_has_every_fix_and_debian_s_1_13_0_lacks_the_dcmtk_half_of_cve_2026_10528():
    assert svc({}, "1.13.0", debian=False) == {}
    [finding] = service_user.findings({}, Facts(target=parse("1.13.0"), debian_package=True))
    assert finding.id == "OH-SVC-004"
    assert "Debian: the fix patches DCMTK in Orthanc's static builds" in finding.message


def test_a_finding_names_each_cve_what_it_allows_and_who_can_trigger_it():
    [finding] = [f for f in service_user.findings(HARDENED, Facts(target=parse("1.12.7"))) if f.id == "OH-SVC-001"]
    assert finding.message.startswith("Orthanc 1.12.7 lacks the fixes of 1.12.11: CVE-2026-5440: memory "
                                      "exhaustion: Orthanc reserves the Content-Length a request announces before "
                                      "reading its body, by any HTTP user (any POST or PUT with a body); ")
    assert "CVE-2026-5437: an out-of-bounds read while storing a forged file, by an uploader (" in finding.message
    open_store = [f for f in service_user.findings({}, Facts(target=parse("1.12.7"))) if f.id == "OH-SVC-001"][0]
    assert "CVE-2026-5437: an out-of-bounds read while storing a forged file, by any DICOM peer or an uploader" \
        in open_store.message


def test_without_authentication_and_with_remote_access_any_http_client_is_who_and_it_is_high():
    config = {"RemoteAccessAllowed": True, "AuthenticationEnabled": False, "DicomServerEnabled": False}
    [finding] = [f for f in service_user.findings(config, Facts(target=parse("1.12.7"))) if f.id == "OH-SVC-001"]
    assert finding.severity == "high"
    assert "CVE-2026-5440: memory exhaustion: Orthanc reserves the Content-Length a request announces before " \
           "reading its body, by any HTTP client" in finding.message


def test_a_flaw_not_shown_to_reach_orthanc_stays_medium_though_anyone_could_send_it():
    [finding] = [f for f in service_user.findings({}, Facts(target=parse("1.12.7"))) if f.id == "OH-SVC-002"]
    assert finding.severity == "medium"
    assert "by any HTTP client" in finding.message and "not shown to reach Orthanc" in finding.message


def test_a_flaw_reached_only_through_an_option_that_is_off_is_low_and_says_why():
    [off] = [f for f in service_user.findings(HARDENED, Facts(target=parse("1.12.1"))) if f.id == "OH-SVC-005"]
    assert off.severity == "low" and "by nobody here (HttpDescribeErrors is false: error replies have no body)" \
        in off.message
    [on] = [f for f in service_user.findings({}, Facts(target=parse("1.12.1"))) if f.id == "OH-SVC-005"]
    assert on.severity == "medium" and "by any HTTP user (any link to Orthanc a logged-in user follows)" in on.message
    explorer = {f.id: f.severity for f in service_user.findings({}, Facts(target=parse("1.9.7")))}
    assert explorer["OH-SVC-006"] == "high"  # any DICOM peer stores by default, an admin browses it
    assert svc({"OrthancExplorerEnabled": False}, "1.9.7")["OH-SVC-006"] == "low"


def test_the_rule_says_what_to_do_when_orthanc_cannot_be_upgraded():
    rule = service_user.RELEASE_RULES[parse("1.12.11")]
    assert rule.fix.startswith("upgrade Orthanc to 1.12.11 or later; until then, a request-body limit in the proxy "
                               "(nginx client_max_body_size) answers 413")


def test_audit_of_each_release_gives_its_release_findings(run_cli):
    config = config_files.read(DEBIAN)
    lacks = {"OH-SVC-004", "OH-SVC-001", "OH-SVC-002"}
    for version, debian, expected in (("1.10.1", True, lacks | {"OH-SVC-005"}),
                                      ("1.10.1", False, lacks | {"OH-SVC-005", "OH-SVC-003"}),
                                      ("1.12.7", True, lacks), ("1.13.0", False, set()),
                                      ("1.13.0", True, {"OH-SVC-004"})):
        audited = report.audit(config, Target(parse(version), "--orthanc-version", debian), {}, "high")
        assert {f.id for f in audited.findings if f.id.startswith("OH-SVC")} == expected, (version, debian)
    for version, expected in (("1.12.7", lacks), ("1.13.0", set())):  # not this host's release: not Debian's
        code, out, _ = run_cli("audit", DEBIAN, "--orthanc-version", version, "--format", "json")
        assert {f["id"] for f in json.loads(out)["findings"] if f["id"].startswith("OH-SVC")} == expected, version


def test_the_checklist_advises_the_releases_the_target_lacks():
    assert [text.split()[0] for release, text in service_user.ADVICE if parse("1.12.7") < release] == [
        "1.13.0", "1.12.11", "1.12.10"]
