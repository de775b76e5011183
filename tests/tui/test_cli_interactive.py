"""The wizard's command line: bad input is refused before any screen, with exit status 2."""

from __future__ import annotations

from wizard import cli


def test_an_unknown_preset_is_bad_input(in_tmp, capsys):
    assert cli.main(["--preset", "no-such-preset"]) == 2
    assert "no-such-preset: $: no such preset or file" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_a_missing_configuration_is_bad_input(in_tmp, capsys):
    assert cli.main(["--config", str(in_tmp / "missing"), "--plain"]) == 2
    assert "missing" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_a_malformed_configuration_is_bad_input(in_tmp, capsys):
    (in_tmp / "orthanc.json").write_text('{ "HttpPort": 8042, ')
    assert cli.main(["--config", str(in_tmp / "orthanc.json")]) == 2
    assert "orthanc.json" in capsys.readouterr().err
    assert [p.name for p in in_tmp.iterdir()] == ["orthanc.json"]


def test_the_release_question_starts_at_the_orthanc_installed_here(in_tmp, monkeypatch):
    from wizard import profile
    from wizard.commands.interactive import starts

    # Debian's own Orthanc first, then a stand-in printing what Orthanc 1.12.5 prints.
    origins = {o.key: o for o in starts(None, None, "out", debian=None)[0]}
    assert profile.effective(origins["new"].answers)["orthanc_version"] == "1.10.1"
    bin_dir = in_tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "Orthanc").write_text('#!/bin/sh\necho "$0 1.12.5"\n')
    (bin_dir / "Orthanc").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    origins = {o.key: o for o in starts(None, None, "out", debian=None)[0]}
    version = {key: profile.effective(o.answers)["orthanc_version"] for key, o in origins.items()}
    assert version["new"] == version["preset:intranet"] == "1.12.5"
    assert version["preset:internet-proxy"] == "1.12.11"  # a preset that names its release keeps it
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no Orthanc: the hardened default
    origins = {o.key: o for o in starts(None, None, "out", debian=None)[0]}
    assert origins["new"].answers == {}
