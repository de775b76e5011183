"""Each topic writes the options its answers call for, for the target release, and its steps."""

import json

import pytest

from wizard import harden, profile
from wizard.topics import TOPICS, network, questions
from wizard.topics.base import KINDS, get


def settings(raw: dict, existing: dict | None = None) -> dict:
    plan = harden.plan(profile.effective(raw), "p.jsonc", existing)
    return json.loads(plan.files["orthanc.json"].text)


def plan_of(raw: dict):
    return harden.plan(profile.effective(raw), "p.jsonc")


def test_every_question_addresses_a_profile_answer_with_a_default():
    answers = profile.defaults()
    ids = [q.id for q in questions()]
    assert len(ids) == len(set(ids))
    for question in questions():
        assert question.kind in KINDS
        get(answers, question.id)  # raises if the id is not a profile path
        assert len(question.help) > 40, question.id


def test_every_topic_declares_the_same_interface():
    for topic in TOPICS:
        assert topic.__doc__ and topic.NAME and topic.TITLE
        for part in ("apply", "checklist", "read"):
            assert callable(getattr(topic, part)), (topic.NAME, part)


def test_defaults_write_the_hardened_values_of_the_documentation():
    written = settings({})
    assert written["RemoteAccessAllowed"] is False and written["AuthenticationEnabled"] is True
    assert written["DicomAlwaysAllowEcho"] is False and written["DicomAlwaysAllowStore"] is False
    assert written["DicomCheckModalityHost"] is True and written["DicomCheckCalledAet"] is True
    assert written["LimitFindResults"] == 100 and written["LimitFindInstances"] == 100
    assert written["HttpsVerifyPeers"] is True and written["ExecuteLuaEnabled"] is False
    assert written["RestApiWriteToFileSystemEnabled"] is False and written["WebDavEnabled"] is False
    assert written["HttpDescribeErrors"] is False and written["DeidentifyLogs"] is True
    assert written["OverwriteInstances"] is False and written["RegisteredUsers"] == {}


def test_options_newer_than_the_target_are_left_out_with_a_warning():
    plan = plan_of({"orthanc_version": "1.9.0", "dicom": {"modalities": [
        {"name": "m", "aet": "M", "host": "10.0.0.1", "port": 104, "allow": ["find_worklist"]}]}})
    written = json.loads(plan.files["orthanc.json"].text)
    assert "DicomAlwaysAllowMove" not in written and "DicomAlwaysAllowFindWorklist" not in written
    assert "AllowFindWorklist" not in written["DicomModalities"]["m"]
    assert any("DicomAlwaysAllowMove is left out: it needs Orthanc 1.9.7" in w for w in plan.warnings)
    assert any("AllowFindWorklist needs Orthanc 1.10.0" in w for w in plan.warnings)


@pytest.mark.parametrize("version, bound", [("1.12.9", False), ("1.12.10", True)])
def test_loopback_binding_is_written_where_the_release_has_it(version, bound):
    assert ("HttpBindAddresses" in settings({"orthanc_version": version})) is bound


def test_overwrite_instances_is_an_enumeration_from_1_13():
    assert settings({"orthanc_version": "1.13.0"})["OverwriteInstances"] == "Never"
    assert settings({"orthanc_version": "1.13.0", "storage": {"overwrite_instances": True}})["OverwriteInstances"] == "Always"


def test_the_system_ca_bundle_is_named_before_1_12_6():
    assert settings({"orthanc_version": "1.12.5"})["HttpsCACertificates"] == "/etc/ssl/certs/ca-certificates.crt"
    assert settings({"orthanc_version": "1.12.6"})["HttpsCACertificates"] == ""


def test_behind_a_reverse_proxy_orthanc_serves_loopback_only():
    written = settings({"network": {"remote_access": True}, "https": {"mode": "reverse-proxy"},
                        "authentication": {"users": [{"name": "a", "role": "admin"}]}})
    assert written["RemoteAccessAllowed"] is False and written["SslEnabled"] is False


def test_native_https_writes_the_certificate_and_tls_1_2():
    written = settings({"orthanc_version": "1.12.11", "https": {"mode": "native", "certificate": "/etc/o/x.pem"}})
    assert (written["SslEnabled"], written["SslCertificate"], written["SslMinimumProtocolVersion"]) == (True, "/etc/o/x.pem", 4)


def test_modalities_get_exactly_the_permissions_listed():
    written = settings({"dicom": {"modalities": [{"name": "ct", "aet": "CT", "host": "10.0.0.1", "port": 104,
                                                  "allow": ["store"]}]}})
    entry = written["DicomModalities"]["ct"]
    assert entry["AllowStore"] is True
    assert [k for k, v in entry.items() if v is True] == ["AllowStore"]
    assert (entry["AET"], entry["Host"], entry["Port"]) == ("CT", "10.0.0.1", 104)


def test_dicom_tls_writes_absolute_certificate_paths():
    written = settings({"dicom": {"tls": {"enabled": True}}})
    assert written["DicomTlsEnabled"] is True and written["DicomTlsCertificate"].startswith("/")
    assert written["DicomTlsRemoteCertificateRequired"] is True


def test_peers_are_written_in_object_form_with_their_credentials(monkeypatch):
    monkeypatch.setenv("SYNC_PASSWORD", "peer-secret")
    plan = plan_of({"outgoing": {"peers": [{"name": "b", "url": "https://b/", "username": "s",
                                            "password": {"env": "SYNC_PASSWORD"}}]}})
    assert json.loads(plan.files["orthanc.json"].text)["OrthancPeers"] == {
        "b": {"Url": "https://b/", "Username": "s", "Password": "peer-secret"}}


def test_a_generated_password_is_kept_from_the_existing_configuration():
    raw = {"authentication": {"users": [{"name": "a", "role": "admin"}, {"name": "b", "role": "read-only"}]}}
    written = settings(raw, existing={"RegisteredUsers": {"a": "old-password"}})
    assert written["RegisteredUsers"]["a"] == "old-password" and len(written["RegisteredUsers"]["b"]) == 24


def test_the_lua_filter_reflects_users_and_proxy_mode():
    plan = plan_of({"network": {"remote_access": True}, "https": {"mode": "reverse-proxy"},
                    "authentication": {"users": [{"name": "boss", "role": "admin", "from": ["127.0.0.1/32"]}]}})
    lua = plan.files["orthanc-security.lua"].text
    assert "boss" in lua and "TRUST_FORWARDED_FOR = true" in lua.replace("local ", "")
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in plan.files["nginx-orthanc.conf"].text


def test_no_proxy_file_without_a_reverse_proxy():
    assert "nginx-orthanc.conf" not in plan_of({}).files


def test_checklist_lists_only_the_steps_that_apply():
    local = plan_of({}).files["CHECKLIST.md"].text
    assert "Put the reverse proxy in front of Orthanc" not in local and "Block port 8042" in local
    proxied = plan_of({"network": {"remote_access": True, "allowed_networks": ["10.0.0.0/8"]},
                       "https": {"mode": "reverse-proxy"},
                       "authentication": {"users": [{"name": "a", "role": "admin"}]}}).files["CHECKLIST.md"].text
    assert "Put the reverse proxy in front of Orthanc" in proxied
    assert "ufw allow from 10.0.0.0/8 to any port 443 proto tcp" in proxied
    no_dicom = plan_of({"dicom": {"enabled": False}}).files["CHECKLIST.md"].text
    assert "DICOM port" not in no_dicom


def dicom_firewall(dicom: dict, networks: list[str] | None = None) -> str:
    """The checklist's DICOM firewall section for these answers."""
    raw = {"dicom": dicom, "network": {"remote_access": True, "allowed_networks": networks or []},
           "https": {"mode": "reverse-proxy"}, "authentication": {"users": [{"name": "a", "role": "admin"}]}}
    text = plan_of(raw).files["CHECKLIST.md"].text
    start = text.index("DICOM port")
    return text[start:text.index("\n## ", start)]


def test_dicom_port_is_closed_when_no_machine_may_use_it():
    section = dicom_firewall({}, ["10.0.0.0/8"])  # the title is "Close DICOM port 4242 to other machines"
    assert section.startswith("DICOM port 4242 to other machines")
    assert "ufw deny 4242/tcp" in section and "ufw allow from" not in section and "ufw allow 4242" not in section
    checklist = plan_of({}).files["CHECKLIST.md"].text
    assert "Close DICOM port 4242" in checklist and "Keep DICOM traffic on a trusted network" not in checklist


def test_dicom_port_opens_to_the_modalities_only_under_the_host_check():
    modalities = [{"name": "ct", "aet": "CT", "host": "10.1.2.3", "port": 104, "allow": ["store"]},
                  {"name": "mr", "aet": "MR", "host": "10.1.2.4", "port": 104, "allow": ["store"]}]
    section = dicom_firewall({"modalities": modalities}, ["10.0.0.0/8", "192.168.0.0/16"])
    assert [line for line in section.splitlines() if line.startswith("ufw")] == [
        "ufw allow from 10.1.2.3 to any port 4242 proto tcp", "ufw allow from 10.1.2.4 to any port 4242 proto tcp",
        "ufw deny 4242/tcp"]  # the firewall is turned on once, after every firewall step (checklist.firewall_on)


def test_dicom_port_opens_to_the_networks_when_unknown_machines_are_accepted():
    modalities = [{"name": "ct", "aet": "CT", "host": "10.1.2.3", "port": 104, "allow": ["store"]},
                  {"name": "far", "aet": "FAR", "host": "172.20.0.9", "port": 104, "allow": ["store"]}]
    section = dicom_firewall({"always_allow_echo": True, "modalities": modalities}, ["10.0.0.0/8"])
    assert "Orthanc accepts unknown machines on this port (echo)" in section
    # The modality inside an allowed network needs no rule of its own.
    assert [line for line in section.splitlines() if line.startswith("ufw allow from")] == [
        "ufw allow from 10.0.0.0/8 to any port 4242 proto tcp", "ufw allow from 172.20.0.9 to any port 4242 proto tcp"]
    open_to_all = dicom_firewall({"always_allow_store": True})
    assert open_to_all.startswith("DICOM port 4242 to every address") and "ufw allow 4242/tcp" in open_to_all


def test_modalities_given_by_name_without_the_host_check_are_named_not_put_in_ufw():
    # ufw takes addresses only: a rule with a host name would fail.
    modalities = [{"name": "ct", "aet": "CT", "host": "ct.example.org", "port": 104, "allow": ["store"]}]
    section = dicom_firewall({"check_modality_host": False, "modalities": modalities}, ["10.0.0.0/8"])
    assert "(the host check is off)" in section
    assert "# modality ct is given as ct.example.org: allow its address too" in section
    assert not [line for line in section.splitlines() if line.startswith("ufw") and "example" in line]


def certificate_step(https: dict) -> str:
    raw = {"orthanc_version": "1.12.11", "network": {"remote_access": True}, "https": https,
           "authentication": {"users": [{"name": "a", "role": "admin"}]}}
    text = plan_of(raw).files["CHECKLIST.md"].text
    start = text.index("Put a certificate")
    return text[start:text.index("\n## ", start)]


def test_native_https_certificate_is_readable_by_the_service_group_only():
    # Orthanc reads SslCertificate, key included, as the service user: root:root would stop it.
    step = certificate_step({"mode": "native", "certificate": "/etc/o/tls/x.pem", "private_key": "/etc/o/k.pem"})
    assert "install -d -o root -g orthanc -m 0750 /etc/o/tls" in step
    assert "chown root:orthanc /etc/o/tls/x.pem && chmod 0640 /etc/o/tls/x.pem" in step
    assert "k.pem" not in step  # Orthanc takes one PEM holding both: a separate key is not used


def test_proxy_certificate_key_is_readable_by_root_only():
    step = certificate_step({"mode": "reverse-proxy", "certificate": "/etc/t/c.pem", "private_key": "/etc/t/k.pem"})
    assert "copy the chain it issued, leaf first, to /etc/t/c.pem and its private key to /etc/t/k.pem" in step
    assert "-keyout /etc/t/k.pem -out /etc/t/c.pem" in step  # the self-signed one, where none is in place
    assert "chown root:root /etc/t/k.pem && chmod 0600 /etc/t/k.pem" in step
    assert "chown root:root /etc/t/c.pem && chmod 0600 /etc/t/c.pem" in step


def test_debian_conffiles_are_kept_on_upgrades_only_where_debian_puts_them():
    debian = plan_of({}).files["CHECKLIST.md"].text
    assert "Keep the hardened files when the orthanc package is upgraded" in debian
    assert "apt-get install --only-upgrade -o Dpkg::Options::=--force-confold orthanc" in debian
    elsewhere = plan_of({"service": {"config_dir": "/srv/orthanc"}}).files["CHECKLIST.md"].text
    assert "Dpkg::Options" not in elsewhere


def test_the_systemd_drop_in_leaves_the_storage_and_logs_writable_and_hides_the_rest():
    from wizard.topics.service_user import systemd_drop_in

    answers = profile.effective({"service": {"storage_dir": "/srv/pacs"}})
    lines = systemd_drop_in(answers).splitlines()
    assert "ProtectSystem=strict" in lines and "ReadWritePaths=/srv/pacs /var/log/orthanc" in lines
    assert {"PrivateTmp=yes", "ProtectHome=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet="} <= set(lines)
    assert {"User=orthanc", "Group=orthanc"} <= set(lines)  # the service user answered, as Debian's unit has it
    assert "[Service]" in lines and "PrivateTmp=yes" in plan_of({}).files["CHECKLIST.md"].text


def test_the_drop_in_does_not_hide_a_storage_kept_under_home_or_tmp():
    from wizard.topics.service_user import systemd_drop_in

    home = systemd_drop_in(profile.effective({"service": {"storage_dir": "/home/pacs/db"}})).splitlines()
    assert "ProtectHome=yes" not in home and "# ProtectHome is left off: /home/pacs/db is under it" in home
    assert "PrivateTmp=yes" in home
    tmp = systemd_drop_in(profile.effective({}), log_dir="/var/tmp/orthanc-logs").splitlines()
    assert "PrivateTmp=yes" not in tmp and "# PrivateTmp is left off: /var/tmp/orthanc-logs is under it" in tmp


def test_checklist_commands_keep_a_path_with_spaces_or_dollars_one_word():
    import shlex

    store, conf = "/mnt/Medical Images/db $1", "/etc/my orthanc"
    text = plan_of({"service": {"storage_dir": store, "config_dir": conf}}).files["CHECKLIST.md"].text
    install = next(line for line in text.splitlines() if line.startswith("install -d -o orthanc"))
    assert shlex.split(install)[-1] == store
    aside = next(line for line in text.splitlines() if line.startswith("find "))
    assert shlex.split(aside, comments=True)[:2] == ["find", conf]
    modes = next(line for line in text.splitlines() if line.startswith("chown root:"))
    assert shlex.split(modes)[2] == f"{conf}/*.json"  # the glob stays outside the quotes
    assert f"'{conf}'/*.json" in modes
    assert f"ReadWritePaths=\"{store}\" /var/log/orthanc" in text  # systemd's own quoting


def test_checklist_advises_upgrading_old_releases_only():
    assert "Upgrade Orthanc" in plan_of({"orthanc_version": "1.10.1"}).files["CHECKLIST.md"].text
    assert "Upgrade Orthanc" not in plan_of({"orthanc_version": "1.13.0"}).files["CHECKLIST.md"].text


def test_every_checklist_step_says_why_and_gives_commands():
    answers = profile.effective({"network": {"remote_access": True}, "https": {"mode": "reverse-proxy"},
                                 "authentication": {"users": [{"name": "a", "role": "admin"}]},
                                 "outgoing": {"peers": [{"name": "p", "url": "https://p/"}]}})
    steps = [step for topic in TOPICS for step in topic.checklist(answers)]
    assert len(steps) >= 8
    for step in steps:
        assert step.why.endswith(".") and step.commands, step.title


def test_the_configuration_is_written_in_topic_order_deterministically():
    first = plan_of({"authentication": {"users": [{"name": "a", "role": "admin", "password": "fixed-password"}]}})
    second = plan_of({"authentication": {"users": [{"name": "a", "role": "admin", "password": "fixed-password"}]}})
    assert {n: f.text for n, f in first.files.items()} == {n: f.text for n, f in second.files.items()}
    keys = list(json.loads(first.files["orthanc.json"].text))
    assert keys.index("HttpPort") < keys.index("RegisteredUsers") < keys.index("DicomAet") < keys.index("DeidentifyLogs")


def test_a_user_who_can_never_log_in_is_warned_about():
    plan = plan_of({"authentication": {"users": [{"name": "far", "role": "admin", "from": ["10.0.0.0/8"]},
                                                 {"name": "near", "role": "admin", "from": ["127.0.0.0/8"]}]}})
    assert [w for w in plan.warnings if "can never log in" in w] == [
        "user 'far' can never log in: Orthanc serves 127.0.0.1 only and the user is limited to 10.0.0.0/8"]


def test_authentication_without_any_user_is_warned_about():
    assert "authentication is on but no user is listed: every REST request will get 401" in plan_of({}).warnings
    assert not any("no user is listed" in w for w in plan_of({"authentication": {"enabled": False}}).warnings)


def test_a_new_configuration_names_its_storage_folder():
    assert settings({})["StorageDirectory"] == "/var/lib/orthanc/db-v6"
    assert "IndexDirectory" not in settings({})  # Orthanc puts the index beside the storage


def test_an_existing_configuration_without_a_storage_folder_does_not_get_one():
    """Adding StorageDirectory would move Orthanc away from the studies it already stores."""
    assert "StorageDirectory" not in settings({}, existing={"HttpPort": 8042})
    assert settings({}, existing={"StorageDirectory": "/srv/o"})["StorageDirectory"] == "/var/lib/orthanc/db-v6"
