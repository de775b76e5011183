"""Options and values an edited configuration holds that the target release does not know."""

import json
import shutil
from pathlib import Path

import pytest

from tests.edit_support import CORPUS
from wizard.errors import BadInput
from wizard.orthanc import config_files, release_check, releases
from wizard.orthanc.options import OPTIONS
from wizard.versions import parse

DATA = Path(__file__).resolve().parents[1] / "data" / "configs"
# What unknown_to says of each corpus file for 1.10.1 (03, 04 and 15 do not parse), checked by
# hand against releases.py: stock templates of 2014-2019 still carry LimitJobs (unused since
# 1.4.0) and AllowFindSopClassesInStudy (removed in 1.5.1); 29 and 30 are templates of 1.12.x;
# RestApiWritePermissions (06), LogLevel and Verbosity (10), UseDicomTls (20) no release reads.
NEWER_TEMPLATE = {"MaximumStorageMode", "LuaHeartBeatPeriod", "JobsEngineThreadsCount", "KeepAliveTimeout",
                  "DicomTlsMinimumProtocolVersion", "DicomDefaultRetrieveMethod", "DeidentifyLogsDicomVersion",
                  "Warnings", "ReadOnly", "MaximumConcurrentDcmtkTranscoders"}
CORPUS_FOR_1_10_1 = {
    "06": {"CompressionEnabled", "HttpServerThreadsCount", "JobsEngineThreadsCount", "LimitJobs",
           "RestApiWritePermissions"},
    "10": {"LogLevel", "Verbosity"},
    "08": {"LuaScript", "StorageArea"}, "12": {"LuaHeartBeatPeriod"}, "13": {"ExtraMainDicomTags"},
    "19": {"AllowFindSopClassesInStudy"}, "20": {"RemoteAccessEnabled", "LimitJobs", "UseDicomTls"},
    "22": {"LimitJobs", "AllowFindSopClassesInStudy"}, "23": {"LimitJobs", "AllowFindSopClassesInStudy"},
    **{n: {"LimitJobs"} for n in ("14", "17", "18", "21", "24", "25", "26", "27", "28")},
    "29": NEWER_TEMPLATE, "30": NEWER_TEMPLATE,
}


def edited(run_cli, tmp_path: Path, settings: dict, *argv) -> tuple[Path, list[str]]:
    """Apply the localhost preset to a file holding `settings`; the warnings printed."""
    path = tmp_path / "orthanc.json"
    path.write_text(json.dumps(settings, indent=2))
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", path, "--check", *argv)
    assert code == 1, err
    return path, [line for line in err.splitlines() if line.startswith("warning: ")]


def about(warnings: list[str], path: Path, key: str) -> list[str]:
    return [w for w in warnings if w.startswith(f"warning: {path}: $.{key}: ")]


def test_a_2023b_deidentification_table_for_1_10_1_warns_that_orthanc_refuses_to_start(run_cli, tmp_path):
    path, warnings = edited(run_cli, tmp_path, {"DeidentifyLogsDicomVersion": "2023b"})
    [warning] = about(warnings, path, "DeidentifyLogsDicomVersion")
    assert '"2023b" is new in Orthanc 1.12.1' in warning
    assert '1.10.1 takes "2008", "2017c", "2021b"' in warning
    assert warning.endswith("Orthanc 1.10.1 refuses to start")


def test_http_bind_addresses_for_1_10_1_warns_that_orthanc_ignores_it(run_cli, tmp_path):
    path, warnings = edited(run_cli, tmp_path, {"HttpBindAddresses": ["127.0.0.1"]})
    assert about(warnings, path, "HttpBindAddresses") == [
        f"warning: {path}: $.HttpBindAddresses: new in Orthanc 1.12.10: Orthanc 1.10.1 ignores it silently"]


def test_for_1_12_10_neither_warns(run_cli, tmp_path):
    settings = {"HttpBindAddresses": ["127.0.0.1"], "DeidentifyLogsDicomVersion": "2023b"}
    path, warnings = edited(run_cli, tmp_path, settings, "--orthanc-version", "1.12.10")
    assert about(warnings, path, "HttpBindAddresses") == about(warnings, path, "DeidentifyLogsDicomVersion") == []


def test_a_misspelt_option_warns_with_the_option_it_resembles(run_cli, tmp_path):
    path, warnings = edited(run_cli, tmp_path, {"RemoteAccessEnabled": False, "LuaScript": "x.lua"})
    assert about(warnings, path, "RemoteAccessEnabled") == [
        f"warning: {path}: $.RemoteAccessEnabled: not an Orthanc option (did you mean RemoteAccessAllowed?): "
        "Orthanc ignores it silently"]
    assert "(did you mean LuaScripts?)" in about(warnings, path, "LuaScript")[0]


def test_debian_default_files_give_no_warning_for_1_10_1(run_cli, tmp_path):
    folder = tmp_path / "orthanc"
    folder.mkdir()
    for file in (DATA / "debian-1.10.1").glob("*.json"):
        shutil.copy(file, folder)
    code, _, err = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test",
                            "--config", folder, "--check")
    assert code == 1, err
    assert [line for line in err.splitlines() if "silently" in line or "refuses to start" in line] == []
    values = config_files.read(folder).values
    assert {"ServeFolders", "Worklists", "Plugins", "RegisteredUsers"} <= set(values)
    assert release_check.unknown_to(values, parse("1.10.1")) == []


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:2])
def test_corpus_files_warn_only_of_what_1_10_1_does_not_read(path):
    try:
        values = config_files.read(path).values
    except BadInput:
        assert path.name[:2] in ("03", "04", "15")
        return
    found = {u.key for u in release_check.unknown_to(values, parse("1.10.1"))}
    assert found == CORPUS_FOR_1_10_1.get(path.name[:2], set())
    assert not any(releases.of_a_plugin(key) for key in found)


def test_deidentification_table_is_not_read_while_deidentification_is_off():
    values = {"DeidentifyLogs": False, "DeidentifyLogsDicomVersion": "2023b"}
    assert release_check.unknown_to(values, parse("1.10.1")) == []
    [unknown] = release_check.unknown_to({"DeidentifyLogsDicomVersion": "2023b"}, parse("1.12.0"))
    assert "refuses to start" in unknown.message


def test_overwrite_instances_as_a_string_stops_releases_before_1_13_0():
    [unknown] = release_check.unknown_to({"OverwriteInstances": "Never"}, parse("1.12.11"))
    assert unknown.message == ('"Never" is new in Orthanc 1.13.0 (Orthanc 1.12.11 takes true or false): '
                               "Orthanc 1.12.11 refuses to start")
    assert release_check.unknown_to({"OverwriteInstances": "IfChanged"}, parse("1.13.0")) == []
    [typo] = release_check.unknown_to({"OverwriteInstances": "Sometimes"}, parse("1.13.0"))
    assert 'known by no release up to 1.13.0 (Orthanc 1.13.0 takes "Never", "Always", "IfChanged", true or false)' \
        in typo.message


def test_a_value_from_the_environment_is_not_judged():
    assert release_check.unknown_to({"DeidentifyLogsDicomVersion": "${TABLE}"}, parse("1.10.1")) == []


def test_an_option_dropped_by_later_releases_warns_and_a_renamed_one_says_its_old_spelling():
    [gone] = release_check.unknown_to({"LimitJobs": 10}, parse("1.10.1"))
    assert gone.message == "no longer read since Orthanc 1.4.0: Orthanc 1.10.1 ignores it silently"
    assert release_check.unknown_to({"LimitJobs": 10}, parse("1.3.2")) == []
    [renamed] = release_check.unknown_to({"RejectedSopClasses": []}, parse("1.12.7"))
    assert "new in Orthanc 1.12.8 (1.12.6 and 1.12.7 read it spelled RejectSopClasses)" in renamed.message


def test_beyond_the_newest_release_checked_an_unknown_key_may_be_a_new_option():
    assert release_check.unknown_to({"RemoteAccessEnabled": True}, parse("1.14.0")) == []
    assert release_check.unknown_to({"DeidentifyLogsDicomVersion": "2025a"}, parse("1.14.0")) == []
    assert release_check.unknown_to({"HttpBindAddresses": []}, parse("1.14.0")) == []


def test_a_key_in_other_letters_case_is_suggested_and_keys_of_plugins_or_of_the_admins_python_are_not():
    assert release_check.close_options("remoteaccessallowed") == ("RemoteAccessAllowed",)
    values = {"DicomWeb": {}, "OrthancExplorer2": {}, "PythonVerbose": True, "PythonPlugins": [], "_comments": {},
              "DicomWebOAuth": {}, "Verbosity": "info"}
    # DicomWebOAuth, a section, may be read by the admin's Python script; Verbosity is read by nothing.
    assert [u.key for u in release_check.unknown_to(values, parse("1.10.1"))] == ["Verbosity"]


def test_a_key_a_warning_already_leaves_out_is_not_warned_twice(tmp_path):
    path = tmp_path / "orthanc.json"
    path.write_text(json.dumps({"DicomTlsRemoteCertificateRequired": False, "KeepAliveTimeout": 2}))
    config = config_files.read(path)
    said = ["DicomTlsRemoteCertificateRequired is left out: it needs Orthanc 1.9.3, the target is 1.9.0"]
    assert release_check.warnings(config, {}, "1.9.0", said) == [
        f"{path}: $.KeepAliveTimeout: new in Orthanc 1.11.3: Orthanc 1.9.0 ignores it silently"]
    assert release_check.warnings(config, {"KeepAliveTimeout": 2}, "1.9.0", said) == []


def test_the_release_of_each_option_we_write_agrees_with_the_source():
    differ = {key: option.since for key, option in OPTIONS.items()
              if max(releases.SINCE[key], releases.OLDEST) != max(option.since, releases.OLDEST)}
    # Written for Debian 12's 1.10.1, which backports it; upstream has it from 1.12.0.
    assert differ == {"RestApiWriteToFileSystemEnabled": parse("1.10.1")}
    assert releases.knows("RestApiWriteToFileSystemEnabled", parse("1.10.1"))
    assert not releases.knows("RestApiWriteToFileSystemEnabled", parse("1.11.3"))
