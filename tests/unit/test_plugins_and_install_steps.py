"""A new configuration keeps Debian's plugin folder; an edit keeps Plugins as it is; each run's
checklist puts its own files in place (a new file, edited copies, or nothing to copy)."""

import json
import re
from pathlib import Path

from wizard import harden, profile

PLUGINS = ["/usr/share/orthanc/plugins"]


def written(raw: dict) -> dict:
    return json.loads(harden.plan(profile.effective(raw), "p.jsonc").files["orthanc.json"].text)


def titles(checklist: str) -> list[str]:
    return re.findall(r"^## \d+\. (.*)$", checklist, re.MULTILINE)


def folder_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "orthanc.json").write_text(text)
    return folder


def test_a_new_configuration_loads_the_plugins_of_debians_folder():
    assert written({})["Plugins"] == PLUGINS
    assert written({"service": {"plugins": ["/opt/orthanc/plugins", "/opt/libX.so"]}})["Plugins"] == [
        "/opt/orthanc/plugins", "/opt/libX.so"]
    assert "Plugins" not in written({"service": {"plugins": []}})


def test_plugins_must_be_absolute_paths_in_the_profile():
    problems = profile.validate({"service": {"plugins": ["plugins"]}}, "p.jsonc")
    assert [(p.path, "absolute path" in p.message) for p in problems] == [("$.service.plugins[0]", True)]


def test_an_edit_never_adds_plugins(run_cli, tmp_path):
    folder = folder_with(tmp_path, '{ "HttpPort" : 8042 }\n')
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", folder)
    assert code == 0, err
    assert "Plugins" not in (folder / "orthanc.json").read_text()


def test_an_edit_keeps_the_plugins_it_finds_whatever_the_profile_says(run_cli, tmp_path):
    folder = folder_with(tmp_path, '{\n  "Plugins" : [ "plugins", "/opt/libX.so" ]  // ours\n}\n')
    answers = tmp_path / "p.jsonc"
    answers.write_text('{"service": {"plugins": ["/elsewhere"]}}')
    code, _, err = run_cli("apply", "--preset", answers, "--config", folder)
    assert code == 0, err
    assert '"Plugins" : [ "plugins", "/opt/libX.so" ],  // ours' in (folder / "orthanc.json").read_text()


def test_plugins_that_is_not_an_array_is_refused_as_orthanc_would(run_cli, tmp_path):
    # Measured on 1.10.1: "Bad file format: Badly formatted list of strings", and it stops.
    folder = folder_with(tmp_path, '{ "Plugins" : "/usr/share/orthanc/plugins" }\n')
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", folder)
    assert code == 2 and "$.Plugins: must be an array" in err


def test_only_a_new_configuration_is_copied_and_it_puts_debians_clashing_files_aside(tmp_path):
    checklist = harden.plan(profile.effective({}), "p.jsonc", out_dir=tmp_path).files["CHECKLIST.md"].text
    assert "Put the files in /etc/orthanc, readable by root and orthanc only" in titles(checklist)
    assert not [t for t in titles(checklist) if t.startswith(("Put the edited", "Keep the files"))]
    step = checklist.split("## 2. ")[1].split("## 3. ")[0]
    assert "orthanc-harden --config /etc/orthanc" in step  # what a Debian admin would rather do
    assert "-exec mv -v {} {}.orthanc-harden-\"$stamp\".bak" in step  # never *.json: Orthanc would read it
    assert "ls -d /usr/share/orthanc/plugins" in step
    # from the folder written, by its absolute path: the step runs from any folder
    assert step.index("-exec mv") < step.index(f"install -o root -g orthanc -m 0640 {tmp_path}/orthanc.json")


def test_edited_copies_install_every_file_and_an_edit_in_place_copies_nothing(run_cli, tmp_path):
    folder = folder_with(tmp_path, '{ "HttpPort" : 8042 }\n')
    (folder / "credentials.json").write_text('{ "RegisteredUsers" : {} }\n')
    code, _, err = run_cli("apply", "--preset", "localhost", "--config", folder, "--out", tmp_path / "copies")
    assert code == 0, err
    copies = (tmp_path / "copies" / "CHECKLIST.md").read_text()
    assert f"Put the edited files in {folder.resolve()}, readable by root and orthanc only" in titles(copies)
    assert f"cd {(tmp_path / 'copies').resolve()}" in copies  # the copies' folder, absolute
    assert f"install -o root -g orthanc -m 0640 *.json orthanc-security.lua {folder.resolve()}/" in copies

    code, _, err = run_cli("apply", "--preset", "localhost", "--config", folder)
    assert code == 0, err
    in_place = (folder / "CHECKLIST.md").read_text()
    assert not [t for t in titles(in_place) if t.startswith("Put the")]
    assert f"Keep the files in {folder.resolve()} readable by root and orthanc only" in titles(in_place)
    assert "install -o root" not in in_place and "Skip the copy" not in in_place
