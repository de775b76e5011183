"""The checklist says which builds honour the switch of REST exports to disk, as releases.py knows
it (upstream 1.12.0, Debian's backport to 1.10.1), and what the target itself does with it."""

from wizard import harden, profile
from wizard.orthanc import releases
from wizard.orthanc.options import OPTIONS

EXPORT = "RestApiWriteToFileSystemEnabled"


def checklist(raw: dict) -> str:
    return harden.plan(profile.effective(raw), "p.jsonc").files["CHECKLIST.md"].text


def test_the_upgrade_step_says_which_builds_honour_the_export_switch_and_what_the_target_does():
    assert releases.SINCE[EXPORT] == (1, 12, 0) and releases.BACKPORTS[EXPORT][0] == (1, 10, 1)
    said = ("RestApiWriteToFileSystemEnabled (written false here) is honoured by upstream Orthanc from 1.12.0 "
            "and by Debian's 1.10.1 package, which backports it; any other build before 1.12.0 ignores it")
    debian = checklist({"orthanc_version": "1.10.1"})
    assert said in debian and "This target, Debian's 1.10.1, honours it" in debian
    assert "dpkg -s orthanc | grep '^Version'" in debian
    upstream = checklist({"orthanc_version": "1.11.3", "orthanc_build": "upstream"})
    assert said in upstream and "This target, upstream 1.11.3, ignores it." in upstream
    assert "dpkg -s orthanc" not in upstream
    current = checklist({"orthanc_version": "1.13.0"})
    assert "Upgrade Orthanc" not in current and EXPORT not in current  # honoured: nothing to say


def test_the_option_table_says_the_same_builds():
    assert OPTIONS[EXPORT].note == ("honoured by upstream 1.12.0 and later and by Debian 12's 1.10.1 (a backport); "
                                    "an upstream 1.10 or 1.11 ignores it")
