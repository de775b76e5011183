"""The modality dialog's "May store" field, and its line-by-line prompt: the kinds a modality may
store, checked as typed, written as apply writes them."""

from __future__ import annotations

from tests.tui.conftest import apply_like, build_app, files_of
from tests.tui.drive import add_item, dialog_ok, dialog_type, focus_id, on_screen, press
from tests.tui.plain_driver import run_script


def site(in_tmp, version: str):
    path = in_tmp / "site.jsonc"
    path.write_text('{"extends": "localhost", "orthanc_version": "%s"}' % version)
    return str(path)


async def open_modality_dialog(pilot, app, host: str = "10.0.0.10") -> None:
    await press(pilot, "enter", "ctrl+t", *["down"] * 8, "enter")
    assert app.flow.step == "dicom"
    await add_item(pilot, "dicom.modalities")
    for widget_id, text in (("name", "ct1"), ("aet", "CT1"), ("host", host)):
        await dialog_type(pilot, widget_id, text)
    await focus_id(pilot, "allow-store")
    await press(pilot, "space")


async def test_the_modality_dialog_takes_the_kinds_it_may_store_and_says_which_one_names_nothing(in_tmp):
    app = build_app(site(in_tmp, "1.13.0"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_modality_dialog(pilot, app)
        await dialog_type(pilot, "stores", "CT, TC")
        await dialog_ok(pilot)
        assert "'TC' is not a modality code of DICOM" in on_screen(pilot, "#problems-stores")
        await dialog_type(pilot, "stores", "CT, MR Image Storage")  # focusing selects the text: typed over
        await dialog_ok(pilot)
        (modality,) = app.flow.answers["dicom"]["modalities"]
        assert modality["stores"] == ["CT", "MR Image Storage"] and "store" in modality["allow"]
        await press(pilot, "ctrl+r", "w", "y")  # write, confirmed
        assert app.flow.step == "done"
    written = files_of(in_tmp / "out")
    assert b"function ReceivedCStoreInstanceFilter" in written["orthanc-security.lua"]
    assert b'["1.2.840.10008.5.1.4.1.1.4"] = true' in written["orthanc-security.lua"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")


async def test_on_a_release_before_1_13_0_the_kinds_are_not_offered_since_they_could_only_be_refused(in_tmp):
    app = build_app(site(in_tmp, "1.12.7"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_modality_dialog(pilot, app)
        assert not app.screen.query("#stores") and not app.screen.query("#problems-stores")
        await dialog_ok(pilot)
        (modality,) = app.flow.answers["dicom"]["modalities"]
        assert "stores" not in modality and "store" in modality["allow"]
    code, out = run_script([("How do you want to start?", ""), ("Modalities", "add"), ("Name", "ct1"), ("AET", "CT1"),
                            ("IP address", "10.0.0.10"), ("Commands it may use", "echo, store"),
                            ("Modalities", "done"), ("Write these files?", "no")], preset=site(in_tmp, "1.12.7"))
    assert code == 0 and "Kinds it may store" not in out, out


def test_the_plain_mode_asks_the_kinds_of_a_modality_that_stores_until_they_name_something(in_tmp):
    code, out = run_script([
        ("How do you want to start?", ""),  # the site's profile, proposed
        ("Modalities", "add"), ("Name", "ct1"), ("AET", "CT1"), ("IP address", "10.0.0.10"),
        ("Commands it may use", "echo, store"),
        ("Kinds it may store", "CT, Foo"), ("Kinds it may store", "CT, SecondaryCaptureImageStorage"),  # refused, then taken
        ("Modalities", "done"), ("Write these files?", "write"),
    ], preset=site(in_tmp, "1.13.0"), terminal=True)
    assert code == 0, out
    assert "\n  ✗ " in out[out.index("CT, Foo"):out.index("CT, SecondaryCaptureImageStorage")]  # why, said
    assert "ct1 (CT1@10.0.0.10:104: echo, store; stores CT, SecondaryCaptureImageStorage)" in out, out
    written = files_of(in_tmp / "out")
    assert b'"SecondaryCaptureImageStorage"' in written["orthanc-harden.jsonc"]
    assert b"function ReceivedCStoreInstanceFilter" in written["orthanc-security.lua"]
    assert written == apply_like(in_tmp / "out" / "orthanc-harden.jsonc", in_tmp / "out", in_tmp / "other")
