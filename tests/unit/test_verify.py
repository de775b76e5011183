"""`orthanc-harden verify`: the matrix built from the saved answers, the staged configuration, and the
output shapes (the real Orthanc runs in tests/integration/test_verify.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pydicom
import pytest

from wizard import profile, secrets
from wizard.errors import BadInput
from wizard.orthanc.document import Placeholder
from wizard.verify import dicom_plan, http_plan, instance, render, staging, target
from wizard.verify.progress import Progress
from wizard.verify.checks import FAIL, GAP, PASS, Check, DicomRequest, Outcome, judge, unrun
from wizard.verify.target import Login


def answers(**sections) -> dict:
    return profile.effective(sections)


def logins(profile_answers: dict, passwords: dict[str, str | None]) -> dict[str, Login]:
    return {u["name"]: Login(u["name"], passwords.get(u["name"]), "" if passwords.get(u["name"]) else "no password")
            for u in profile_answers["authentication"]["users"]}


STRONG = "Kq7Zt2mWx9Lp4Rv8Ns3Jd6Hb"
USERS = [{"name": "boss", "role": "admin", "from": ["127.0.0.1/32"]},
         {"name": "reader", "role": "read-only"},
         {"name": "sender", "role": "uploader"},
         {"name": "far", "role": "read-only", "from": ["10.0.0.0/8"]}]


def site(**extra) -> dict:
    sections = {"authentication": {"users": USERS}, "https": {"mode": "none"}}
    sections.update(extra)
    return answers(**sections)


def by_row(checks: list[Check]) -> dict[tuple[str, str], str]:
    return {(c.who.split(" ")[0], c.what.split(":")[0]): c.expected for c in checks}


# --- the REST rows --------------------------------------------------------------------------

def test_each_user_gets_every_rule_of_its_role_as_the_policy_states_it():
    a = site()
    rows = by_row(http_plan.http_checks(a, logins(a, {u["name"]: "pw-" + u["name"] for u in USERS})))
    assert [rows[("reader", r)] for r in ("read", "search", "upload", "delete", "log level")] == ["200", "200", "403", "403", "403"]
    assert [rows[("sender", r)] for r in ("read", "search", "upload", "delete", "method override")] == ["200", "200", "200", "403", "403"]
    assert [rows[("boss", r)] for r in ("delete", "log level", "modality change", "method override")] == ["200"] * 4
    assert rows[("boss", "execute-script")] == rows[("reader", "execute-script")] == "403"


def test_anonymous_unknown_user_and_wrong_passwords_expect_401():
    a = site()
    checks = http_plan.http_checks(a, logins(a, {u["name"]: "pw" for u in USERS}))
    unauthorized = [c for c in checks if c.expected == "401"]
    assert {c.who.split(" ")[0] for c in unauthorized} == {"anonymous", "unknown", "boss", "reader", "sender", "far"}
    wrong = next(c for c in unauthorized if c.who.startswith("reader"))
    assert wrong.request.login == ("reader", "pw-wrong")


def test_a_user_whose_networks_this_host_cannot_send_from_expects_403_and_says_its_role_is_not_exercised():
    a = site()
    checks = [c for c in http_plan.http_checks(a, logins(a, {u["name"]: STRONG for u in USERS})) if c.who.startswith("far")]
    assert {c.expected for c in checks if c.request is not None and "wrong password" not in c.what} == {"403"}
    [gap] = [c for c in checks if c.request is None]
    assert unrun(gap).result == GAP and "no address of 10.0.0.0/8 can send from this host" in gap.note


def test_a_user_limited_to_another_loopback_address_runs_its_role_from_there_and_is_refused_from_127_0_0_1():
    a = answers(network={"remote_access": True}, https={"mode": "none"},
                authentication={"users": [{"name": "near", "role": "read-only", "from": ["127.0.0.2/32"]}]})
    checks = http_plan.http_checks(a, logins(a, {"near": STRONG}))
    rows = {c.what.split(":")[0]: c for c in checks if c.who.startswith("near")}
    assert (rows["read"].request.source, rows["read"].expected, rows["upload"].expected) == ("127.0.0.2", "200", "403")
    outside = rows["read from 127.0.0.1, outside its networks"]
    assert (outside.request.source, outside.expected) == ("127.0.0.1", "403")


def test_a_weak_password_fails_and_one_not_handed_over_is_said_unproven(tmp_path):
    user = {"name": "reader", "role": "read-only", "password": {"generate": True}, "from": []}
    a = answers(authentication={"users": [user]})
    login = target.login(user, {"reader": "admin"}, {}, {}, tmp_path / secrets.HANDED_FILE)
    rows = {c.what: c for c in http_plan.user_checks(http_plan.policy_of(a), a, user, login, True)}
    assert unrun(rows["password not weak"]).result == FAIL and "well-known" in rows["password not weak"].broken
    unproven = unrun(rows["password as handed over"])
    assert unproven.result == GAP and f"no {tmp_path / secrets.HANDED_FILE}" in unproven.detail
    handed = target.login(user, {"reader": "admin"}, {"reader": STRONG}, {})
    assert handed.password == STRONG and not handed.unproven


def test_execute_script_is_expected_to_work_for_admins_only_when_execute_lua_is_on():
    a = site(scripting={"execute_lua": True})
    rows = by_row(http_plan.http_checks(a, logins(a, {u["name"]: "pw" for u in USERS})))
    assert (rows[("boss", "execute-script")], rows[("reader", "execute-script")]) == ("200", "403")


def test_an_admin_export_is_expected_refused_by_orthanc_unless_writing_to_the_file_system_is_on():
    off, on = site(), site(scripting={"write_to_filesystem": True})
    export = {name: next(c for c in http_plan.http_checks(a, logins(a, {u["name"]: "pw" for u in USERS}))
                         if c.who.startswith("boss") and c.what.startswith("export"))
              for name, a in (("off", off), ("on", on))}
    assert (export["off"].expected, export["on"].expected) == ("403", "200")
    assert "write_to_filesystem" in export["off"].note


def test_a_user_with_an_unset_env_password_is_one_not_checkable_row():
    a = site(authentication={"users": [{"name": "boss", "role": "admin", "password": {"env": "VERIFY_TEST_UNSET"}}]})
    logged = {"boss": target.login(a["authentication"]["users"][0], {"boss": "x"}, {}, {})}
    checks = [c for c in http_plan.http_checks(a, logged) if c.who.startswith("boss")]
    assert len(checks) == 1 and checks[0].request is None
    row = unrun(checks[0])
    assert row.result == GAP and "$VERIFY_TEST_UNSET, which is not set here" in row.detail


def test_a_user_missing_from_registered_users_is_a_failing_row():
    user = {"name": "ghost", "role": "read-only", "password": {"generate": True}, "from": []}
    a = answers(authentication={"users": [user]})
    checks = http_plan.user_checks(http_plan.policy_of(a), a, user, target.login(user, {}, {}, {}), True)
    assert unrun(checks[0]).result == FAIL and "not in RegisteredUsers" in unrun(checks[0]).got


PROXY_SECRET = "VerifyProxySecret0123456"


def test_behind_the_proxy_a_user_is_checked_from_outside_its_networks_and_its_role_from_inside():
    a = site(https={"mode": "reverse-proxy", "server_name": "pacs.test"})
    checks = http_plan.http_checks(a, logins(a, {u["name"]: "pw" for u in USERS}), PROXY_SECRET)
    outside = {(c.who.split(" ")[0], c.what.rsplit(" ", 1)[1]): c.expected for c in checks if "proxy" in c.what}
    assert outside == {("boss", "203.0.113.7"): "403", ("far", "203.0.113.7"): "403"}
    far = {c.what.split(":")[0]: c for c in checks if c.who.startswith("far") and c.request is not None}
    # Sent as nginx sends it: the client's address, and the configuration's secret that proves the proxy.
    assert dict(far["read"].request.headers) == {"X-Forwarded-For": "10.0.0.1", "X-Orthanc-Harden-Proxy": PROXY_SECRET}
    assert (far["read"].expected, far["search"].expected, far["upload"].expected) == ("200", "200", "403")


def test_behind_the_proxy_without_the_configuration_s_secret_x_forwarded_for_counts_for_nothing():
    a = site(https={"mode": "reverse-proxy", "server_name": "pacs.test"})
    checks = http_plan.http_checks(a, logins(a, {u["name"]: "pw" for u in USERS}))
    far = {c.what.split(":")[0]: c for c in checks if c.who.startswith("far") and c.request is not None}
    assert dict(far["read"].request.headers) == {"X-Forwarded-For": "10.0.0.1"} and far["read"].expected == "403"


def test_without_anybody_allowed_to_upload_deletions_aim_at_nothing_and_expect_404():
    a = answers(authentication={"users": [{"name": "boss", "role": "admin", "from": ["10.0.0.0/8"]},
                                          {"name": "reader", "role": "read-only"}]}, https={"mode": "none"})
    passwords = logins(a, {"boss": "pw", "reader": "pw"})
    assert http_plan.keeper(a, passwords) is False
    rows = by_row(http_plan.http_checks(a, passwords))
    assert (rows[("reader", "delete")], rows[("boss", "delete")]) == ("403", "403")


def test_the_keeper_is_the_first_user_allowed_to_upload_from_here():
    a = site()
    assert http_plan.keeper(a, logins(a, {"boss": None, "sender": "s", "reader": "r"})) == ("sender", "s")


def test_with_authentication_off_anonymous_requests_from_here_are_the_administrator():
    a = answers(authentication={"enabled": False, "users": []}, network={"remote_access": False}, https={"mode": "none"})
    checks = http_plan.http_checks(a, {})
    assert {c.who for c in checks} == {"anonymous"} and by_row(checks)[("anonymous", "delete")] == "200"


def test_an_http_server_turned_off_is_expected_closed():
    a = answers(network={"http_enabled": False, "remote_access": False}, authentication={"enabled": False, "users": []})
    [check] = http_plan.http_checks(a, {})
    assert (check.what, check.expected, check.request.which) == ("HTTP port", "closed", "http")


# --- the DICOM rows -------------------------------------------------------------------------

MODALITIES = [{"name": "ct1", "aet": "CT1", "host": "127.0.0.1", "port": 104, "allow": ["echo", "store"]},
              {"name": "ws2", "aet": "WS2", "host": "127.0.0.2", "port": 104, "allow": ["echo", "find", "move"]},
              {"name": "remote", "aet": "REMOTE", "host": "10.0.0.10", "port": 104, "allow": ["echo"]}]


def dicom(**extra) -> dict:
    return answers(dicom={"modalities": MODALITIES, **extra})


def dicom_rows(a: dict) -> dict[tuple[str, str], Check]:
    return {(c.who.split(" ")[0] if not c.who.startswith("unknown") else "unknown", c.what): c
            for c in dicom_plan.dicom_checks(a)}


def test_unknown_aets_and_a_wrong_called_aet_are_expected_refused():
    rows = dicom_rows(dicom())
    assert [rows[("unknown", w)].expected for w in ("C-ECHO", "C-STORE", "C-FIND")] == ["refused"] * 3
    wrong = next(c for key, c in rows.items() if "wrong called" in key[1])
    # From a modality that may echo: only the called AET can be the reason of a refusal.
    assert (wrong.request.calling, wrong.request.called, wrong.expected) == ("CT1", "VERIFY-WRONG", "refused")


def test_always_allow_switches_turn_the_unknown_aet_s_command_into_a_success():
    rows = dicom_rows(dicom(always_allow_store=True))
    assert (rows[("unknown", "C-STORE")].expected, rows[("unknown", "C-ECHO")].expected) == ("success", "refused")


def test_a_loopback_modality_gets_exactly_its_commands_from_its_own_address():
    rows = dicom_rows(dicom())
    assert [rows[("ct1", w)].expected for w in ("C-ECHO", "C-STORE", "C-FIND")] == ["success", "success", "refused"]
    assert [rows[("ws2", w)].expected for w in ("C-ECHO", "C-STORE", "C-FIND")] == ["success", "refused", "success"]
    assert rows[("ws2", "C-ECHO")].request.source == "127.0.0.2"
    assert unrun(rows[("ws2", "C-MOVE")]).result == GAP


def test_a_modality_elsewhere_is_refused_from_here_while_the_host_check_is_on_and_never_contacted():
    on, off = dicom_rows(dicom()), dicom_rows(dicom(check_modality_host=False))
    assert on[("remote", "C-ECHO")].expected == "refused" and off[("remote", "C-ECHO")].expected == "success"
    sources = {c.request.source for c in dicom_plan.dicom_checks(dicom()) if isinstance(c.request, DicomRequest)}
    assert all(source.startswith("127.") for source in sources)


def test_without_the_called_aet_check_a_wrong_called_aet_still_works_for_a_modality():
    wrong = next(c for c in dicom_plan.dicom_checks(dicom(check_called_aet=False)) if "wrong called" in c.what)
    assert wrong.expected == "success"


def test_modalities_sharing_an_aet_or_kept_in_the_database_are_not_checkable():
    shared = dicom_plan.dicom_checks(answers(dicom={"modalities": [dict(MODALITIES[0]), dict(MODALITIES[0], name="ct2")]}))
    assert any("share the AET CT1" in c.note for c in shared)
    database = dicom_plan.dicom_checks(dicom(modalities_in_database=True))
    assert any("database" in c.note and c.request is None for c in database)
    assert all(c.expected == "refused" for c in database if isinstance(c.request, DicomRequest))


def test_the_stranger_aet_is_never_one_of_the_modalities():
    taken = answers(dicom={"modalities": [dict(MODALITIES[0], aet="VERIFY-STRANGER")]})
    assert {c.request.calling for c in dicom_plan.dicom_checks(taken)
            if c.who.startswith("unknown")} == {"VERIFY-STRANGE-2"}  # 16 characters at most


def test_dicom_turned_off_is_expected_closed():
    [check] = dicom_plan.dicom_checks(answers(dicom={"enabled": False}))
    assert (check.expected, check.request.which) == ("closed", "dicom")


# --- passwords ------------------------------------------------------------------------------

def test_passwords_come_from_the_variable_then_the_handed_over_file_then_the_configuration():
    env_user = {"name": "a", "password": {"env": "PW_A"}}
    generated = {"name": "b", "password": {"generate": True}}
    assert target.login(env_user, {"a": "in-config"}, {}, {"PW_A": "from-env"}).password == "from-env"
    assert target.login(generated, {"b": "in-config"}, {"b": "handed"}, {}).password == "handed"
    assert target.login(generated, {"b": "in-config"}, {}, {}).password == "in-config"
    assert target.login({"name": "${WHO:-c}", "password": {"keep": True}}, {"${WHO:-c}": "p"}, {}, {}).name == "c"


def test_a_password_given_by_a_variable_in_the_configuration_is_substituted_as_orthanc_does():
    assert target.substitute("x${PW}y${NONE}${DEF:-dflt}", {"PW": "secret"}) == "xsecretydflt"


def test_the_secrets_file_of_apply_is_read_and_a_malformed_line_is_bad_input(tmp_path):
    good = tmp_path / "secrets.txt"
    good.write_text("user admin: abc: def\npeer p: xyz\n\n")
    assert secrets.read_handed(good) == {"admin": "abc: def"}
    (tmp_path / "bad.txt").write_text("admin abc\n")
    with pytest.raises(BadInput, match="line 1: expected `user NAME: PASSWORD`"):
        secrets.read_handed(tmp_path / "bad.txt")


def test_a_folder_without_saved_answers_or_a_missing_path_is_bad_input(tmp_path):
    (tmp_path / "orthanc.json").write_text("{}")
    with pytest.raises(BadInput, match="no saved answers here"):
        target.read(tmp_path)
    with pytest.raises(BadInput, match="no such file or directory"):
        target.read(tmp_path / "missing")


# --- the staged configuration -----------------------------------------------------------------

def test_the_staged_copy_changes_only_ports_storage_and_bind_address_and_makes_paths_absolute(tmp_path):
    values = {"HttpPort": 8042, "DicomPort": 4242, "RemoteAccessAllowed": True, "StorageDirectory": "/var/lib/orthanc",
              "LuaScripts": ["orthanc-security.lua", "/abs/other.lua"], "Plugins": ["plugins"],
              "DicomTlsCertificate": "tls/dicom.crt", "RegisteredUsers": {"a": "b"}}
    staged = staging.staged(values, Path("/etc/orthanc"), 10001, 10002, tmp_path)
    assert staged["HttpPort"] == 10001 and staged["DicomPort"] == 10002 and staged["HttpBindAddresses"] == ["127.0.0.1"]
    assert staged["StorageDirectory"] == str(tmp_path / "storage") and staged["IndexDirectory"] == str(tmp_path / "index")
    assert staged["LuaScripts"] == ["/etc/orthanc/orthanc-security.lua", "/abs/other.lua"]
    assert staged["Plugins"] == ["/etc/orthanc/plugins"] and staged["DicomTlsCertificate"] == "/etc/orthanc/tls/dicom.crt"
    assert staged["RemoteAccessAllowed"] is True and staged["RegisteredUsers"] == {"a": "b"}
    assert values["HttpPort"] == 8042  # the configuration read is not changed


def test_an_unquoted_placeholder_stays_unquoted_in_the_staged_file():
    text = staging.render({"DicomPort": Placeholder("${PORT:-4242}"), "Name": "${NAME}"})
    assert '"DicomPort": ${PORT:-4242}' in text and '"Name": "${NAME}"' in text


def test_free_ports_avoid_the_configured_ones_and_the_ephemeral_range():
    low, high = staging.ephemeral_range()
    ports = staging.free_ports(2, {8042, 4242})
    assert len(set(ports)) == 2 and not {8042, 4242} & set(ports)
    assert all(not low <= p <= high for p in ports)


# --- the instance and the output -------------------------------------------------------------

def test_each_instance_is_a_new_valid_dicom_file():
    first, second = (pydicom.dcmread(io.BytesIO(instance.file_bytes(instance.dataset()))) for _ in range(2))
    assert first.SOPClassUID == pydicom.uid.SecondaryCaptureImageStorage
    assert first.SOPInstanceUID != second.SOPInstanceUID and first.PatientID != second.PatientID
    assert first.file_meta.MediaStorageSOPInstanceUID == first.SOPInstanceUID


def outcome() -> Outcome:
    ok = Check("http", "read: GET /system", "reader (read-only)", "200", None)
    bad = Check("dicom", "C-STORE", "unknown AET X", "refused", None)
    gap = Check("http", "every rule of its role", "env (admin)", "-", None, "its password is the value of $PW")
    return Outcome([judge(ok, "200"), judge(bad, "success"), unrun(gap)])


def test_text_output_is_a_table_with_the_failing_rows_named_and_a_result():
    out = render.text(outcome(), "/etc/orthanc", "1.10.1")
    assert out.startswith("verify /etc/orthanc on Orthanc 1.10.1\n")
    assert "area   what" in out and "Checks: 3: 1 pass, 1 fail, 1 not checkable" in out
    assert "Failed:\n  unknown AET X: C-STORE: expected refused, got success\n" in out
    assert "env (admin): every rule of its role: its password is the value of $PW" in out
    assert out.endswith("Result: FAIL\n")


def test_json_output_has_the_documented_shape():
    data = json.loads(render.as_json(outcome(), "d", "1.10.1", "/usr/sbin/Orthanc"))
    assert set(data) == {"format", "dir", "orthanc", "summary", "rows"} and data["format"] == 1
    assert data["summary"] == {"checks": 3, "passed": 1, "failed": 1, "not_checkable": 1, "result": "fail"}
    assert set(data["rows"][0]) == {"area", "what", "who", "expected", "got", "result", "note"}
    assert [r["result"] for r in data["rows"]] == [PASS, FAIL, GAP]


def test_in_a_log_the_progress_shows_each_phase_once_and_not_every_row():
    stream = io.StringIO()
    progress = Progress(stream)
    for message in ("starting Orthanc", "checking 2 rows", "row 1/2: a: b", "row 2/2: c: d"):
        progress(message)
    progress.done()
    assert stream.getvalue() == "verify: starting Orthanc\nverify: checking 2 rows\n"


def test_a_missing_orthanc_binary_is_exit_2_saying_how_to_install_it(run_cli, tmp_path):
    code, out, err = run_cli("verify", tmp_path, "--orthanc", tmp_path / "no-such-Orthanc")
    assert (code, out) == (2, "") and "apt-get install orthanc" in err and "--orthanc BINARY" in err
