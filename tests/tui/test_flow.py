"""The pure state machine behind both front ends: steps, answers, problems; no UI involved."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.tui.conftest import editing_flow
from wizard.flow import DONE, REVIEW, START, Flow, Origin, belongs, parse
from wizard.topics.base import Question


def started(answers=None) -> Flow:
    flow = Flow([Origin("new", "New", "", answers or {}, "answers", Path("out"))])
    flow.begin(flow.origins[0])
    return flow


FRONT_ENDS = {"textual", "questionary", "prompt_toolkit"}


def test_the_flow_imports_no_front_end():
    code = f"import sys, wizard.flow; print(sorted({{m.split('.')[0] for m in sys.modules}} & {FRONT_ENDS!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_steps_follow_the_documentation_order_between_start_and_review():
    flow = started()
    assert flow.steps[0] == START and flow.steps[-2:] == [REVIEW, DONE]
    assert flow.step == "service"
    assert flow.next() is None and flow.step == "network"


def test_nothing_but_the_start_is_reachable_before_choosing_how_to_start():
    flow = Flow([Origin("new", "New", "", {}, "answers", Path("out"))])
    assert flow.go("network") == "choose how to start first"
    assert flow.go(DONE) is not None


def test_a_problem_of_the_current_topic_blocks_going_forward_but_not_back():
    flow = started()
    flow.go("network")
    flow.answer_text(flow.question("network.http_port"), "99999")
    assert "fix Network exposure first: 99999 is greater than the maximum of 65535" == flow.next()
    assert flow.go(REVIEW) is not None and flow.step == "network"
    assert flow.back() is None and flow.step == "service"


def test_text_that_does_not_parse_is_kept_as_typed_and_is_a_problem():
    flow = started()
    port = flow.question("dicom.port")
    flow.answer_text(port, "")
    assert flow.text(port) == "" and flow.value("dicom.port") == 4242
    assert [p.message for p in flow.problems_of("dicom.port")] == ["a number is required"]
    flow.answer_text(port, "11112")
    assert flow.problems() == [] and flow.value("dicom.port") == 11112 and flow.dirty


def test_a_topic_with_no_relevant_question_is_skipped():
    flow = started({"network": {"http_enabled": False}})
    flow.go("network")
    assert flow.next() is None and flow.step == "limits"  # authentication, https and web need HTTP
    assert flow.topic_state("https") == "skipped"


def test_review_needs_every_topic_without_problems():
    flow = started({"network": {"remote_access": True}})
    assert flow.go(REVIEW) == ("fix Authentication and users first: remote access with authentication but no "
                               "registered user makes Orthanc create the well-known orthanc:orthanc login "
                               "(up to 1.12.8): add at least one user")
    assert flow.topic_state("authentication") == "problems"


def test_the_problems_of_an_item_being_edited_are_given_by_field():
    flow = started({"dicom": {"modalities": [{"name": "ct", "aet": "CT", "host": "10.0.0.1", "port": 104}]}})
    found = flow.item_problems("dicom.modalities", None, {"name": "ct", "aet": "ct", "host": "pacs", "port": 0})
    assert set(found) == {"port"}  # the schema first; the checks run once the schema holds
    found = flow.item_problems("dicom.modalities", None, {"name": "ct", "aet": "ct", "host": "pacs", "port": 104})
    assert set(found) == {"name", "host"}  # a shared AET is accepted (with a warning), as Orthanc does
    assert flow.item_problems("dicom.modalities", 0, {"name": "ct", "aet": "CT", "host": "10.0.0.1", "port": 104}) == {}


def test_choosing_the_same_start_again_keeps_the_answers():
    flow = started()
    flow.answer("network.remote_access", True)
    flow.go(START)
    flow.begin(flow.origins[0])
    assert flow.value("network.remote_access") is True


def test_findings_count_problems_then_the_plans_warnings():
    flow = started({"network": {"remote_access": True}, "authentication": {"users": [{"name": "a", "role": "admin"}]}})
    findings = flow.findings()
    assert findings.problems == [] and any("Explorer" in w for w in findings.warnings)


def test_parsing_and_paths():
    networks = parse(Question("x", "networks", "", ""), "10.0.0.0/8, 192.168.0.0/16 ")
    assert networks == (["10.0.0.0/8", "192.168.0.0/16"], None)
    assert parse(Question("x", "int", "", ""), "12a")[1] == "'12a' is not a whole number"
    assert belongs("$.dicom.modalities[0].aet", "dicom.modalities") and not belongs("$.dicom.port", "dicom.p")


def test_a_configuration_changed_under_the_wizard_is_read_again_keeping_the_answers_changed(tmp_path):
    import pytest

    from wizard.errors import StaleInput
    from wizard.orthanc import document

    folder = tmp_path / "conf"
    folder.mkdir()
    config = folder / "orthanc.json"
    config.write_text('{"LimitFindResults": 20, "DicomAet": "FIRST"}')
    flow, _ = editing_flow(folder)
    flow.answer("limits.find_results", 50)  # changed in the wizard
    config.write_text('{"LimitFindResults": 20, "DicomAet": "SECOND"}')  # changed on disk meanwhile
    with pytest.raises(StaleInput):
        flow.write()
    assert document.parse(config.read_text()).root.value["DicomAet"] == "SECOND"
    flow.reread()
    assert flow.value("limits.find_results") == 50 and flow.value("dicom.aet") == "SECOND"
    assert not [n for n in flow.origin.notes if "changed both" in n]  # the file changed another answer
    config.write_text('{"LimitFindResults": 30, "DicomAet": "SECOND"}')
    with pytest.raises(StaleInput):
        flow.write()
    flow.reread()
    assert flow.value("limits.find_results") == 50  # changed in both places: the wizard's answer
    assert [n for n in flow.origin.notes if "changed both" in n] == [
        "changed both in the wizard and on disk, the wizard's answer kept: Most results of one search"]
    flow.write()
    written = document.parse(config.read_text()).root.value
    assert written["LimitFindResults"] == 50 and written["DicomAet"] == "SECOND" and flow.step == DONE


def test_list_answers_changed_in_the_wizard_and_on_disk_are_merged_by_name():
    from wizard.flow import merged

    def user(name, role="admin"):
        return {"name": name, "role": role}

    before = [user("kept"), user("edited"), user("removed"), user("gone-on-disk")]
    mine = [user("kept"), user("edited", "read-only"), user("gone-on-disk"), user("added")]
    now = [user("kept", "uploader"), user("edited"), user("removed"), user("new-on-disk")]
    assert merged(before, mine, now) == ([
        user("kept", "uploader"),  # untouched in the wizard: as the files say now
        user("edited", "read-only"),  # edited in the wizard: the wizard's
        user("new-on-disk"),  # added on disk: kept ("removed" was removed in the wizard)
        user("added"),  # added in the wizard ("gone-on-disk", untouched, follows the disk)
    ], [])  # no entry was changed in both places
    assert merged([user("x")], [user("x", "read-only")], [user("x", "uploader")]) == ([user("x", "read-only")], ["x"])


def test_a_user_added_on_disk_survives_reading_again_after_one_was_added_in_the_wizard(tmp_path):

    folder = tmp_path / "conf"
    folder.mkdir()
    credentials = folder / "credentials.json"
    (folder / "orthanc.json").write_text('{"Name": "x"}')
    credentials.write_text('{"RegisteredUsers": {"alice": "alice-password-1"}}')
    flow, _ = editing_flow(folder)
    users = flow.value("authentication.users")
    flow.answer("authentication.users", [*users, {"name": "viewer", "role": "read-only", "from": [],
                                                  "password": {"generate": True}}])
    credentials.write_text('{"RegisteredUsers": {"alice": "alice-password-1", "bob": "bob-password-22"}}')
    flow.reread()
    assert [u["name"] for u in flow.value("authentication.users")] == ["alice", "bob", "viewer"]
    flow.write()
    assert {"alice", "bob", "viewer"} <= set(json.loads(credentials.read_text())["RegisteredUsers"])


def test_a_problem_no_question_owns_is_shown_with_its_file(tmp_path):
    from wizard.errors import Problem

    flow = started()
    assert flow.label(Problem("/etc/orthanc/orthanc.json", "$", "holds a configuration")) == \
        "/etc/orthanc/orthanc.json: $: holds a configuration"
    assert flow.label(Problem("answers", "$.network.http_port", "too big")) == "HTTP port: too big"


def test_the_proxy_s_server_name_is_a_question_the_wizard_requires():
    flow = started({"network": {"remote_access": True}, "https": {"mode": "reverse-proxy"},
                    "authentication": {"users": [{"name": "admin", "role": "admin"}]}})
    refusal = flow.go(REVIEW)
    assert refusal.startswith("fix HTTPS") and "--set https.server_name=" in refusal, refusal
    flow.answer("https.server_name", "pacs.hospital.test")
    assert flow.go(REVIEW) is None


def test_an_answer_changed_away_from_the_configuration_says_what_the_file_says(tmp_path):
    (tmp_path / "orthanc.json").write_text('{"RemoteAccessAllowed": true, "AuthenticationEnabled": true, '
                                           '"RegisteredUsers": {"alice": "correct-horse-battery-staple"}}')
    flow, _ = editing_flow(tmp_path / "orthanc.json")
    assert flow.value("network.remote_access") is True and flow.file_says("network.remote_access") is None
    flow.answer("network.remote_access", False)
    assert flow.file_says("network.remote_access") == "the configuration says on"
    assert flow.file_says("authentication.users") is None  # lists: their entries say it


def test_a_value_no_answer_can_hold_is_said_beside_its_question_as_the_configuration_writes_it(tmp_path):
    config = tmp_path / "orthanc.json"
    config.write_text('{"LimitFindResults": 0, "LimitFindInstances": 50, "SslEnabled": false}')
    flow, _ = editing_flow(config)
    assert flow.value("limits.find_results") == 100  # 0 is Orthanc's "unlimited": hardened on reading
    assert flow.file_says("limits.find_results") == "the configuration says 0"
    assert flow.file_says("limits.find_instances") is None  # 50 is kept: nothing differs
    assert flow.file_says("https.mode") is None  # SslEnabled false is not an answer of this choice
