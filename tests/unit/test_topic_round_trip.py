"""What a topic writes, its read() gives back: editing starts from the answers that made a file."""

import json

import pytest

from wizard import harden, profile, resources
from wizard.topics import TOPICS
from wizard.topics.base import get

LISTS = {"authentication.users", "dicom.modalities", "outgoing.peers"}
# Behind the reverse proxy Orthanc itself serves loopback only: the file cannot show that the
# server is remotely reachable (orthanc-harden.jsonc beside it remembers).
HIDDEN_BY_PROXY = {"network.remote_access"}


def leaves(tree, prefix=""):
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from leaves(value, dotted + ".")
        else:
            yield dotted, value


@pytest.mark.parametrize("preset", resources.preset_names())
@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.NAME)
def test_read_gives_back_what_apply_wrote(preset, topic):
    raw, name = profile.read(preset)  # the site's answers (server name) play no part here
    answers = profile.effective({**raw, "orthanc_version": "1.12.11"})
    written = json.loads(harden.plan(answers, name).files[harden.CONFIG_FILE].text)
    for dotted, value in leaves(topic.read(written)):
        if dotted in HIDDEN_BY_PROXY and answers["https"]["mode"] == "reverse-proxy":
            assert value is False, dotted
        elif dotted in LISTS:
            assert [e["name"] for e in value] == [e["name"] for e in get(answers, dotted)], dotted
        else:
            assert value == get(answers, dotted), dotted


def test_modalities_read_back_with_their_permissions():
    from wizard.topics import dicom

    answers = profile.effective({"dicom": {"modalities": [
        {"name": "ct", "aet": "CT", "host": "10.0.0.1", "port": 104, "allow": ["store", "echo"]}]}})
    written = json.loads(harden.plan(answers, "p").files[harden.CONFIG_FILE].text)
    (modality,) = dicom.read(written)["dicom"]["modalities"]
    assert sorted(modality["allow"]) == ["echo", "store"]
    assert (modality["aet"], modality["host"], modality["port"]) == ("CT", "10.0.0.1", 104)
