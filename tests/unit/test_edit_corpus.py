"""Every real-world configuration of the corpus edits cleanly or is refused naming the file and place."""

import shutil

import pytest

from tests.edit_support import AET_ONLY, BROKEN, CORPUS, HOST_NAMES, SHARED_AET, comments, outside_hardening, values
from tests.unit.conftest import snapshot
from wizard.orthanc import document


def expected_refusal(number: str, preset: str) -> str | None:
    if number in BROKEN:
        return BROKEN[number]
    if number in HOST_NAMES and preset == "intranet":
        return "is not an IP address: with check_modality_host"
    return None


@pytest.fixture(params=["intranet", "aet-only"])
def preset(request, tmp_path):
    if request.param == "intranet":
        return "intranet"
    path = tmp_path / "aet-only.json"
    path.write_text(AET_ONLY)
    return path


@pytest.mark.parametrize("source", CORPUS, ids=[p.name[:2] for p in CORPUS])
def test_corpus_file_edits_cleanly_or_is_refused_with_its_place(run_cli, tmp_path, source, preset):
    folder = tmp_path / "conf"
    folder.mkdir()
    path = folder / "orthanc.json"
    shutil.copyfile(source, path)
    before_text = path.read_text("utf-8")
    code, out, err = run_cli("apply", "--preset", preset, "--set", "https.server_name=pacs.test", "--config", path)
    refusal = expected_refusal(source.name[:2], "intranet" if preset == "intranet" else "aet-only")
    if refusal:
        assert code == 2 and err.startswith(f"{path}: $") and refusal in err, out + err
        assert path.read_text("utf-8") == before_text and not list(folder.glob("*.bak"))
        return
    assert code == 0, out + err
    assert ("share the AET" in out + err) == (source.name[:2] in SHARED_AET), out + err
    after_text = path.read_text("utf-8")
    assert comments(after_text) == comments(before_text)
    before = document.parse(before_text).root.value
    assert outside_hardening(values(path)) == outside_hardening(before)
    assert values(path)["AuthenticationEnabled"] is True and "orthanc-security.lua" in values(path)["LuaScripts"]
    second = snapshot(folder)
    assert run_cli("apply", "--preset", preset, "--set", "https.server_name=pacs.test", "--config", path, "--check")[0] == 0
    assert snapshot(folder) == second
