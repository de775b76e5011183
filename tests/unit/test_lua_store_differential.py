"""The generated ReceivedCStoreInstanceFilter and the Python store policy decide alike on many
generated policies and instances, in Lua 5.3 (what Debian's Orthanc embeds); the file passes luac5.3.

A failure prints its seed: ORTHANC_HARDEN_SEED=<seed> pytest ... replays the same cases.
"""

import os
import random
import shutil
import subprocess

import lupa.lua53 as lua53
import pytest

from wizard.orthanc.lua_store import render
from wizard.orthanc.store_policy import ACCEPTED, REFUSED, Kinds, StorePolicy, aet_key, decide

POLICIES = 30
INSTANCES_PER_POLICY = 400
MINIMUM_CASES = 10_000

AETS = ("CT1", "MR1", "US_ROOM-2", "A", "Z_QUIZ9", "ORTHANC", 'Q"]]', "[[x", "--", "%s", "0123456789ABCDEF", "é")
CODES = ("CT", "MR", "US", "OT", "SR", "SEG", "PT", "DX")
CLASSES = ("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.7",
           "1.2.840.10008.5.1.4.1.1.88.67", "1.2.3", "1.2.840.10008.5.1.4.1.1.2.1")
# What Orthanc might pass: padding, case, other types, look-alikes, nothing.
ODD = ("", " ", "\0", "ct", "C T", "CT\0", " CT ", "CT\\MR", "1.2.840.10008.5.1.4.1.1.2\0",
       "1.2.840.10008.5.1.4.1.1.2 ", "1.2.840.10008.5.1.4.1.1.20", "ß", "\u0130", "ＣＴ")


def random_kinds(rng) -> Kinds:
    return Kinds(frozenset(rng.sample(CODES, rng.randrange(4))), frozenset(rng.sample(CLASSES, rng.randrange(3))))


def random_policy(rng) -> StorePolicy:
    return StorePolicy({aet_key(aet): random_kinds(rng) for aet in rng.sample(AETS, rng.randrange(len(AETS)))})


def near(rng, text: str) -> str:
    return rng.choice((text, text.lower(), f" {text}", f"{text} ", f"{text}\0", text[:-1], text + "x", text.title()))


def random_value(rng, pool):
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(pool)
    if roll < 0.8:
        return near(rng, rng.choice(pool))
    if roll < 0.9:
        return rng.choice(ODD)
    return rng.choice((None, 7, True, {"a": 1}))  # not a string: Orthanc never sends one, the filter copes


def random_instance(rng):
    """(RemoteAet, Modality, SOPClassUID); None is a missing key."""
    return random_value(rng, AETS), random_value(rng, CODES), random_value(rng, CLASSES)


def lua_value(lua, value):
    return lua.table_from(value) if isinstance(value, dict) else value


def run_policy(rng, policy: StorePolicy, mismatches: list) -> int:
    """INSTANCES_PER_POLICY instances through both; returns how many were refused."""
    lua = lua53.LuaRuntime(unpack_returned_tuples=True)
    lua.execute(render(policy, alone=True))
    store_filter = lua.globals().ReceivedCStoreInstanceFilter
    refused = 0
    for _ in range(INSTANCES_PER_POLICY):
        aet, modality, sop_class = random_instance(rng)
        origin = {"RequestOrigin": "DicomProtocol", "RemoteIp": "127.0.0.1", "CalledAet": "ORTHANC"}
        if aet is not None:
            origin["RemoteAet"] = lua_value(lua, aet)
        if rng.random() < 0.03:  # no tags at all: what the filter does when Orthanc passes no table
            dicom, expected = rng.choice((None, "dicom")), decide(policy, aet, None, None)
        else:
            tags = {k: lua_value(lua, v) for k, v in (("Modality", modality), ("SOPClassUID", sop_class)) if v is not None}
            dicom, expected = lua.table_from(tags), decide(policy, aet, modality, sop_class)
        actual = store_filter(dicom, lua.table_from(origin), lua.table_from({"HasPixelData": True}))
        if actual != expected or type(actual) is not int:
            mismatches.append((policy, aet, modality, sop_class, expected, actual))
        refused += expected == REFUSED
    return refused


def seed() -> int:
    return int(os.environ.get("ORTHANC_HARDEN_SEED") or random.SystemRandom().randrange(2**32))


def test_the_lua_store_filter_decides_like_the_python_model_on_generated_instances():
    run_seed = seed()
    rng = random.Random(run_seed)
    mismatches, refused, cases = [], 0, 0
    for _ in range(POLICIES):
        refused += run_policy(rng, random_policy(rng), mismatches)
        cases += INSTANCES_PER_POLICY
    where = f"seed={run_seed} (set ORTHANC_HARDEN_SEED to replay), {cases} cases"
    shown = "\n".join(repr(m) for m in mismatches[:5])
    assert not mismatches, f"{len(mismatches)} mismatches, {where}; first ones:\n{shown}"
    assert cases >= MINIMUM_CASES, where
    # Generators that only accepted, or only refused, would prove little.
    assert cases // 20 <= refused <= cases - cases // 20, f"{refused} refused, {where}"
