"""Options no Orthanc release reads are a low finding (OH-FILE-005), and a plugin's section whose
plugin `Plugins` does not load is an informational one (OH-FILE-006): each said once, and not
where a plugin, the admin's own Python script, or the Docker image reads it."""

from pathlib import Path

from wizard.audit import plugin_checks, reading
from wizard.orthanc import config_files
from wizard.sources.compose.model import Deployment, Generated, Service, Variable
from wizard.topics.base import Facts
from wizard.versions import parse

COMPOSE = Path("/project/docker-compose.yml")


def found(config: dict, target: str | None = "1.10.1", **facts) -> dict[str, list]:
    """The OH-FILE-* findings by ID, as (key, severity, message)."""
    by_id: dict[str, list] = {}
    for f in reading.findings(config, Facts(target=parse(target) if target else None, **facts)):
        by_id.setdefault(f.id, []).append((f.key, f.severity, f.message))
    return by_id


def test_top_level_http_headers_worklists_and_log_level_are_low_findings_on_1_10_1():
    config = {"HttpHeaders": {"X-Site": "north"}, "DicomModalityWorklists": True, "LogLevel": "debug"}
    unread = found(config)["OH-FILE-005"]
    assert [(key, severity) for key, severity, _ in unread] == [
        ("HttpHeaders", "low"), ("DicomModalityWorklists", "low"), ("LogLevel", "low")]
    assert unread[0][2] == ("HttpHeaders: no Orthanc release up to 1.13.0 reads it, nor any plugin known here "
                            "(Orthanc reads HttpHeaders inside an OrthancPeers entry, and the DICOMweb plugin inside "
                            "a DicomWeb.Servers entry, never at the top level): Orthanc ignores it silently")


def test_a_misspelt_option_is_said_once_as_misspelt_and_not_again_as_unread():
    assert found({"RemoteAccessEnabled": True, "LuaScript": "x.lua"}).keys() == {"OH-FILE-002"}


def test_without_a_release_an_unread_option_is_still_said_and_past_the_newest_release_known_it_is_not():
    assert [key for key, *_ in found({"LogLevel": "debug"}, target=None)["OH-FILE-005"]] == ["LogLevel"]
    assert found({"LogLevel": "debug"}, target="1.14.0") == {}


def test_comments_written_as_keys_and_orthancs_own_options_are_not_findings():
    assert found({"_comments": {"why": "x"}, "//": "note", "$schema": "x", "Comment": "x", "HttpPort": 8042}) == {}


def test_a_section_of_the_admins_own_is_left_to_the_python_script_that_may_read_it():
    python = {"PythonScript": "/etc/orthanc/s3zip.py", "Plugins": ["/usr/share/orthanc/plugins/libOrthancPython.so"]}
    config = {**python, "S3Zip": {"Bucket": "b"}, "Verbosity": "info"}
    assert [key for key, *_ in found(config)["OH-FILE-005"]] == ["Verbosity"]  # a scalar: read by nothing
    assert [key for key, *_ in found({"S3Zip": {"Bucket": "b"}})["OH-FILE-005"]] == ["S3Zip"]
    unknown_plugin = {"Plugins": ["/opt/site/libSiteRouting.so"], "SiteRouting": {"To": "x"}}
    assert found(unknown_plugin) == {}


def test_a_plugin_section_without_plugins_set_is_info_and_names_the_package():
    [(key, severity, message)] = found({"PostgreSQL": {"EnableIndex": True}})["OH-FILE-006"]
    assert (key, severity) == ("PostgreSQL", "info")
    assert message.startswith("PostgreSQL: Plugins is not set, so no plugin is loaded, libOrthancPostgreSQLIndex.so "
                              "or libOrthancPostgreSQLStorage.so neither (Debian: apt-get install orthanc-postgresql)")


def test_the_python_plugins_top_level_keys_are_said_once():
    [(key, _, message)] = found({"PythonScript": "/x.py", "PythonVerbose": True, "Plugins": []})["OH-FILE-006"]
    assert key == "PythonScript"
    assert message.endswith("Orthanc ignores this option of the Python plugin")


def test_listed_libraries_are_matched_by_name_whatever_their_folder_or_version_suffix():
    plugins = ["/opt/x/libOrthancDicomWeb.so.1.7", "C:\\Orthanc\\Plugins\\OrthancPostgreSQLIndex.dll"]
    assert found({"Plugins": plugins, "DicomWeb": {}, "PostgreSQL": {}}) == {}
    assert [key for key, *_ in found({"Plugins": plugins, "Worklists": {}})["OH-FILE-006"]] == ["Worklists"]


def test_a_folder_or_a_variable_in_plugins_is_not_judged_unless_the_configuration_is_this_hosts(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "libModalityWorklists.so").write_bytes(b"")
    config = {"Plugins": [str(folder)], "Worklists": {"Enable": True}, "DicomWeb": {"Enable": True}}
    assert found(config) == {}  # a file copied from elsewhere names another host's folder
    assert found({"Plugins": ["${PLUGINS_DIR}"], "DicomWeb": {}}) == {}


def test_in_this_hosts_configuration_the_folders_of_plugins_are_looked_in(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "libModalityWorklists.so").symlink_to(folder / "libModalityWorklists.so.1.10.1")
    etc = tmp_path / "etc-orthanc"
    etc.mkdir()
    (etc / "orthanc.json").write_text(
        f'{{"Plugins": ["{folder}"], "Worklists": {{"Enable": true}}, "DicomWeb": {{"Enable": true}}}}')
    monkeypatch.setattr(plugin_checks, "HOST_CONFIG", etc)
    files = config_files.read(etc)
    [(key, _, message)] = found(files.values, files=files)["OH-FILE-006"]
    assert key == "DicomWeb"
    assert message == ("DicomWeb: Plugins (its folders as they are on this host) loads no libOrthancDicomWeb.so "
                       "(Debian: apt-get install orthanc-dicomweb): Orthanc ignores this section")


def deployment(config: dict, **environment: str) -> Deployment:
    variables = {name: Variable(name, value, value, COMPOSE, 9) for name, value in environment.items()}
    service = Service("orthanc", 3, "orthancteam/orthanc:26.8.1", None, "999:999", variables)
    return Deployment(COMPOSE, COMPOSE.parent, {"orthanc": service}, service, {}, Generated(config, 0, None))


def test_a_section_the_orthancteam_image_enables_is_not_without_its_plugin():
    config = {"Plugins": ["/run/orthanc/plugins", "/usr/share/orthanc/plugins"], "PostgreSQL": {"Host": "db"},
              "OrthancExplorer2": {"Enable": True}}
    assert found(config, deployment=deployment(config)) == {}
    [(key, _, message)] = found(config, deployment=deployment(config, POSTGRESQL_PLUGIN_ENABLED="false"))["OH-FILE-006"]
    assert (key, message) == ("PostgreSQL", "PostgreSQL: the image loads its plugin only with "
                                            "POSTGRESQL_PLUGIN_ENABLED=true: Orthanc ignores this section")


def test_a_viewer_section_the_image_enables_only_by_its_variable_is_said_until_the_variable_is_set():
    config = {"StoneWebViewer": {"DateFormat": "DD/MM/YYYY"}}
    assert [key for key, *_ in found(config, deployment=deployment(config))["OH-FILE-006"]] == ["StoneWebViewer"]
    assert found(config, deployment=deployment(config, STONE_WEB_VIEWER_PLUGIN_ENABLED="true")) == {}
