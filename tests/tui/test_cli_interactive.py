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
