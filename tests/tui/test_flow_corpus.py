"""The wizard's edit mode opens every corpus configuration, and shows each problem on a question."""

from __future__ import annotations

import shutil

import pytest

from tests.edit_support import BROKEN, CORPUS
from tests.tui.conftest import editing_flow
from wizard.errors import BadInput
from wizard.flow import REVIEW, Flow, belongs
from wizard.orthanc import document


def opened(tmp_path, source) -> tuple[Flow, str]:
    folder = tmp_path / "conf"
    folder.mkdir()
    shutil.copyfile(source, folder / "orthanc.json")
    return editing_flow(folder)


@pytest.mark.parametrize("source", CORPUS, ids=[p.name[:2] for p in CORPUS])
def test_every_corpus_configuration_opens_with_its_problems_on_questions(tmp_path, source):
    if source.name[:2] in BROKEN:  # Orthanc would not start either: refused, naming file and place
        with pytest.raises(BadInput, match=BROKEN[source.name[:2]].replace("$", r"\$")) as error:
            opened(tmp_path, source)
        assert str(error.value).startswith(str(tmp_path / "conf" / "orthanc.json") + ": $")
        return
    flow, chosen = opened(tmp_path, source)
    assert chosen == "edit"
    shown = [q.id for topic in flow.topics for q in flow.questions(topic)]
    for problem in flow.problems():  # each is shown beside a question the admin can change
        assert any(belongs(problem.path, qid) for qid in shown), problem
    if flow.problems():
        assert flow.go(REVIEW) is not None
        return
    while flow.step != REVIEW:
        assert flow.next() is None
    written = document.parse(flow.prepare().plan.files["orthanc.json"].text).root.value
    assert written["AuthenticationEnabled"] is True and "orthanc-security.lua" in written["LuaScripts"]
