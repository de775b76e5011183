"""Walking the whole wizard with the keyboard writes what `apply` writes for the same answers."""

from __future__ import annotations

from tests.tui.conftest import apply_like, build_app, files_of
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, focus_question, press, type_answer


async def add_user(pilot, name, role_steps=0, networks=""):
    await add_item(pilot, "authentication.users")
    await dialog_type(pilot, "name", name)
    await press(pilot, "tab", *["right"] * role_steps, "space")
    if networks:
        await dialog_type(pilot, "from", networks)
    await dialog_ok(pilot)


async def add_modality(pilot, name, aet, host, commands):
    await add_item(pilot, "dicom.modalities")
    for widget_id, text in (("name", name), ("aet", aet), ("host", host)):
        await dialog_type(pilot, widget_id, text)
    for command in commands:
        await focus_id(pilot, f"allow-{command}")
        await press(pilot, "space")
    await dialog_ok(pilot)


async def test_a_new_intranet_configuration_walked_by_keys_writes_what_apply_writes(in_tmp):
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")  # New configuration
        assert app.flow.step == "service"
        await press(pilot, "ctrl+n")
        await focus_question(pilot, "network.remote_access")
        await press(pilot, "space")
        await type_answer(pilot, "network.allowed_networks", "10.0.0.0/8, 192.168.0.0/16")
        await press(pilot, "ctrl+n")
        assert app.flow.step == "authentication"
        await add_user(pilot, "admin", role_steps=2, networks="127.0.0.1/32")
        await add_user(pilot, "viewer")
        await add_user(pilot, "uploader", role_steps=1)
        await press(pilot, "ctrl+n")
        assert app.flow.step == "https"
        await focus_question(pilot, "https.mode")
        await press(pilot, "down", "down", "space")
        await type_answer(pilot, "https.server_name", "pacs.example.org")
        for _ in range(5):  # web, limits, outgoing, storage: the hardened defaults
            await press(pilot, "ctrl+n")
        assert app.flow.step == "dicom"
        await add_modality(pilot, "ct1", "CT1", "10.0.0.10", ["store"])
        await add_modality(pilot, "viewer1", "VIEWER1", "10.0.0.20", ["find", "move"])
        await press(pilot, "ctrl+n", "ctrl+n", "ctrl+n")
        assert app.flow.step == "review"
        await press(pilot, "w", "y")  # write, confirmed
        assert app.flow.step == "done"
        generated = dict(app.flow.prepared.plan.generated)
        await press(pilot, "q")
    assert app.return_value == 0
    answers = app.flow.answers
    assert [(u["name"], u["role"], u["from"]) for u in answers["authentication"]["users"]] == [
        ("admin", "admin", ["127.0.0.1/32"]), ("viewer", "read-only", []), ("uploader", "uploader", [])]
    assert [(m["name"], m["allow"]) for m in answers["dicom"]["modalities"]] == [
        ("ct1", ["echo", "store"]), ("viewer1", ["echo", "find", "move"])]
    assert sorted(generated) == ["user admin", "user uploader", "user viewer"]
    written = files_of(in_tmp / "out")
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")
