"""Bad input: one clear message per problem naming the file and place, exit 2, nothing written."""

import json

import pytest

from tests.unit.conftest import snapshot


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def refused(run_cli, tmp_path, *argv):
    """Run apply into tmp_path/out; assert exit 2, nothing written, and return stderr."""
    out = tmp_path / "out"
    before = snapshot(out)
    code, stdout, stderr = run_cli("apply", *argv, "--out", out)
    assert code == 2, stdout + stderr
    assert snapshot(out) == before
    assert "Traceback" not in stderr
    return stderr


def test_malformed_json_names_the_file_line_and_column(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{\n  "network": {"http_port": 8042,, }\n}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert err.startswith(f"{profile}: $: malformed JSON") and "line 2" in err
    assert len(err.strip().splitlines()) == 1


def test_a_schema_error_names_the_json_path(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{"dicom": {"aet": "MUCH_TOO_LONG_AET_TITLE"}}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert err.strip().splitlines() == [f"{profile}: $.dicom.aet: 'MUCH_TOO_LONG_AET_TITLE': an AET is 1 to 16 "
                                        "characters of the DICOM default character repertoire (printable ASCII), "
                                        "without backslash, not only spaces"]


def test_every_problem_is_reported_one_per_line_sorted(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{"network": {"http_port": 0}, "dicom": {"port": 70000}}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert [line.split(": ")[1] for line in err.strip().splitlines()] == ["$.dicom.port", "$.network.http_port"]


def test_an_insecure_combination_is_refused_with_an_explanation(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{"network": {"remote_access": true}, "authentication": {"enabled": false}}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert f"{profile}: $.authentication.enabled: remote access without authentication" in err


def test_an_unknown_preset_is_refused(run_cli, tmp_path):
    err = refused(run_cli, tmp_path, "--preset", "no-such-preset")
    assert err.startswith("no-such-preset: $: no such preset or file")


def test_a_missing_profile_file_is_refused(run_cli, tmp_path):
    err = refused(run_cli, tmp_path, "--preset", tmp_path / "missing.jsonc")
    assert err.strip() == f"{tmp_path / 'missing.jsonc'}: $: no such file"


def test_a_directory_given_as_profile_is_refused(run_cli, tmp_path):
    err = refused(run_cli, tmp_path, "--preset", tmp_path)
    assert "is a directory" in err


def test_a_profile_that_is_not_utf8_is_refused(run_cli, tmp_path):
    profile = tmp_path / "p.jsonc"
    profile.write_bytes(b'{"description": "\xff"}')
    assert "is not UTF-8" in refused(run_cli, tmp_path, "--preset", profile)


def test_a_missing_environment_password_names_the_user(run_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_PASSWORD_VAR", raising=False)
    profile = write(tmp_path, "p.jsonc", '{"authentication": {"users": [{"name": "a", "role": "admin", '
                                          '"password": {"env": "NO_SUCH_PASSWORD_VAR"}}]}}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert err.strip() == (f"{profile}: $.authentication.users[0].password: the environment variable "
                           "NO_SUCH_PASSWORD_VAR is not set or empty")


def test_an_environment_password_over_72_bytes_is_refused_without_echoing_it(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LONG_PASSWORD", "é" * 40)
    profile = write(tmp_path, "p.jsonc", '{"authentication": {"users": [{"name": "a", "role": "admin", '
                                          '"password": {"env": "LONG_PASSWORD"}}]}}')
    err = refused(run_cli, tmp_path, "--preset", profile)
    assert "longer than 72 UTF-8 bytes" in err and "é" not in err


def test_keep_without_an_existing_password_is_refused(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{"authentication": {"users": [{"name": "a", "role": "admin", '
                                          '"password": {"keep": true}}]}}')
    assert "'keep' asks for the existing password" in refused(run_cli, tmp_path, "--preset", profile)


def test_a_bad_orthanc_version_option_is_refused(run_cli, tmp_path):
    err = refused(run_cli, tmp_path, "--preset", "localhost", "--orthanc-version", "one.two")
    assert "$.orthanc_version" in err


def test_native_https_for_debian_1_10_is_refused_with_the_reason(run_cli, tmp_path):
    profile = write(tmp_path, "p.jsonc", '{"https": {"mode": "native"}}')
    assert "crashes" in refused(run_cli, tmp_path, "--preset", profile)


def test_an_output_path_that_is_a_file_is_refused(run_cli, tmp_path):
    target = write(tmp_path, "not-a-dir", "x")
    code, _, err = run_cli("apply", "--preset", "localhost", "--out", target)
    assert code == 2 and err.strip() == f"{target}: $: is not a directory"
    assert target.read_text() == "x"


def test_a_malformed_previous_output_is_refused_and_kept(run_cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "orthanc.json").write_text("{ not json")
    (out / "orthanc-harden.jsonc").write_text("{}")  # an earlier run's output, damaged since
    err = refused(run_cli, tmp_path, "--preset", "localhost")
    assert err.startswith(f"{out / 'orthanc.json'}: $: malformed JSON")
    assert (out / "orthanc.json").read_text() == "{ not json"


def test_a_configuration_not_written_by_orthanc_harden_is_not_replaced(run_cli, tmp_path):
    # `apply --out /etc/orthanc` without --config would replace Debian's commented file whole.
    out = tmp_path / "out"
    out.mkdir()
    (out / "orthanc.json").write_text('{\n  // written by the admin\n  "Name" : "x"\n}\n')
    before = snapshot(out)
    err = refused(run_cli, tmp_path, "--preset", "localhost")
    assert err == (f"{out / 'orthanc.json'}: $: holds a configuration orthanc-harden did not write: edit it "
                   f"with --config {out} (comments kept, a backup made), or choose another --out\n")
    assert snapshot(out) == before


def test_a_new_configuration_is_not_written_beside_a_file_defining_the_same_key(run_cli, tmp_path):
    # Orthanc merges every *.json of its folder: Debian's credentials.json holds RegisteredUsers.
    out = tmp_path / "out"
    out.mkdir()
    (out / "credentials.json").write_text('{ "RegisteredUsers" : { "alice" : "alice-password-1" } }')
    (out / "worklists.json").write_text('{ "Worklists" : { "Enable" : false } }')  # no shared key: fine
    before = snapshot(out)
    err = refused(run_cli, tmp_path, "--preset", "localhost")
    assert err.splitlines() == [f"{out / 'credentials.json'}: $.RegisteredUsers: is also written to "
                                f"{out / 'orthanc.json'}: Orthanc refuses to start on a key defined twice in its "
                                f"folder; edit this folder with --config {out} instead, or choose another --out"]
    assert snapshot(out) == before


def test_nothing_is_written_when_a_late_problem_is_found(run_cli, tmp_path, monkeypatch):
    """Passwords are resolved before any write: an error there leaves no partial output."""
    monkeypatch.delenv("PEER_SECRET", raising=False)
    profile = write(tmp_path, "p.jsonc", json.dumps({"outgoing": {"peers": [
        {"name": "p", "url": "https://peer", "username": "u", "password": {"env": "PEER_SECRET"}}]}}))
    assert "$.outgoing.peers[0].password" in refused(run_cli, tmp_path, "--preset", profile)


@pytest.mark.parametrize("argv", [["apply", "--preset"], ["frobnicate"]])
def test_a_malformed_command_line_exits_2(argv, run_cli):
    with pytest.raises(SystemExit) as caught:
        run_cli(*argv)
    assert caught.value.code == 2


def test_apply_with_neither_a_preset_nor_answers_to_set_exits_2_saying_what_it_needs(run_cli):
    code, out, err = run_cli("apply")
    assert (code, out) == (2, "")
    assert err.startswith("--preset: $: give a preset or a profile (orthanc-harden presets), or --config with --set")


def test_a_secrets_file_orthanc_would_read_as_configuration_is_refused(run_cli, tmp_path):
    out = tmp_path / "out"
    err = refused(run_cli, tmp_path, "--preset", "localhost", "--secrets-file", out / "Secrets.JSON")
    assert err == (f"{out / 'Secrets.JSON'}: $: Orthanc reads every *.json of {out}: a passwords file there "
                   "would stop it; name it otherwise (secrets.txt) or keep it elsewhere\n")
