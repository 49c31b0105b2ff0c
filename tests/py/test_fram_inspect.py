"""tools/fram_inspect.py against the C code's on-FRAM format.

The cross-check: the host test program test_nv_storage, run with
NVS_IMAGE_DIR set, writes a region table through the real capsule into a RAM
FRAM and saves the image plus the table it expects; the inspector must read
the same table. The constants are also compared with capsules/nv_region.h.
"""
import json
import os
import re
import subprocess
import sys

import pytest

import fram_inspect as fi

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", "build")
HOST_TEST = os.path.join(ROOT, BUILD, "host", "test_nv_storage")
TOOL = os.path.join(ROOT, "tools", "fram_inspect.py")

AREA_START = 0x100
AREA_LEN = 0x800


def run_tool(*args):
    return subprocess.run([sys.executable, TOOL] + [str(a) for a in args],
                          capture_output=True, text=True, check=False)


def header_defines():
    text = open(os.path.join(ROOT, "capsules", "nv_region.h")).read()
    found = {}
    for name, value in re.findall(r"#define\s+(NVR_\w+)\s+(0x[0-9A-Fa-f]+|\d+)u?\b", text):
        found[name] = int(value, 0)
    return found


def test_constants_match_the_c_header():
    d = header_defines()
    assert d["NVR_MAGIC"] == fi.NVR_MAGIC
    assert d["NVR_VERSION"] == fi.NVR_VERSION
    assert d["NVR_HDR_SIZE"] == fi.NVR_HDR_SIZE
    assert d["NVR_OFF_CRC"] == fi.NVR_OFF_CRC
    assert d["NVR_OFF_OWNER"] == 8 and d["NVR_OFF_LENGTH"] == 12  # HEADER_FORMAT order


@pytest.fixture(scope="module")
def c_image(tmp_path_factory):
    """An image and its expected table, written by the C capsule."""
    subprocess.run(["make", "-s", "-C", ROOT, os.path.join(BUILD, "host", "test_nv_storage")],
                   check=True)
    out = tmp_path_factory.mktemp("cimage")
    env = dict(os.environ, NVS_IMAGE_DIR=str(out))
    subprocess.run([HOST_TEST], env=env, check=True, capture_output=True)
    area, regions = None, []
    for line in open(out / "table.txt"):
        words = line.split()
        if words[0] == "area":
            area = (int(words[1]), int(words[2]))
        else:
            regions.append(tuple(int(w) for w in words[1:]))
    return out / "fram.img", area, regions


def test_inspector_reads_the_table_the_capsule_wrote(c_image):
    img, (start, length), expected = c_image
    r = run_tool(img, "--start", start, "--length", length, "--json", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    table = json.loads(r.stdout)
    got = [(x["owner"], x["slot"], x["data"], x["length"]) for x in table["regions"]]
    assert got == expected
    assert table["ending"] == "free"
    assert table["violations"] == []
    assert all(x["primary"] == "ok" and x["secondary"] == "ok" for x in table["regions"])


def test_dump_shows_the_region_bytes(c_image):
    img, (start, length), expected = c_image
    owner, _, data, rlen = expected[2]
    r = run_tool(img, "--start", start, "--length", length, "--dump", hex(owner), "--json")
    assert r.returncode == 0
    dumped = bytes.fromhex(json.loads(r.stdout)["hex"])
    assert dumped == open(img, "rb").read()[data:data + rlen]
    assert dumped[2:66] == bytes([0xB2]) * 64  # the test wrote 64 x 0xB2 at offset 2
    text = run_tool(img, "--start", start, "--length", length, "--dump", hex(owner)).stdout
    assert text.startswith("%08x  00 00 b2" % data)


def test_dump_of_unknown_owner_fails(c_image):
    img, (start, length), _ = c_image
    r = run_tool(img, "--start", start, "--length", length, "--dump", "0x999")
    assert r.returncode == 1
    assert "no region" in r.stderr


def build_image(regions, size=AREA_START + AREA_LEN):
    """regions: list of (owner, length); a valid chain from AREA_START."""
    img = bytearray(size)
    addr = AREA_START
    for owner, length in regions:
        h = fi.encode_header(owner, length)
        img[addr:addr + 2 * fi.NVR_HDR_SIZE] = h + h
        addr += fi.NVR_SLOT_SIZE + length
    return img, addr


def inspect(tmp_path, img, *extra):
    p = tmp_path / "f.img"
    p.write_bytes(bytes(img))
    r = run_tool(p, "--start", AREA_START, "--length", AREA_LEN, "--json", "--check", *extra)
    return r.returncode, json.loads(r.stdout)


def test_empty_and_valid_images_pass(tmp_path):
    rc, t = inspect(tmp_path, bytearray(AREA_START + AREA_LEN))
    assert rc == 0 and t["regions"] == [] and t["ending"] == "free"
    img, _ = build_image([(1, 100), (2, 200)])
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and [r["owner"] for r in t["regions"]] == [1, 2]


def test_region_may_end_at_area_end(tmp_path):
    img, end = build_image([(1, AREA_LEN - fi.NVR_SLOT_SIZE)])
    assert end == AREA_START + AREA_LEN
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["ending"] == "full"


def test_corrupt_middle_header_is_a_violation(tmp_path):
    img, _ = build_image([(1, 100), (2, 100), (3, 100)])
    slot2 = AREA_START + fi.NVR_SLOT_SIZE + 100
    img[slot2 + 8] ^= 0x01
    img[slot2 + fi.NVR_HDR_SIZE + 8] ^= 0x01
    rc, t = inspect(tmp_path, img)
    assert rc == 1
    assert t["ending"] == "corrupt" and len(t["regions"]) == 1
    assert "unreadable header" in t["violations"][0]


def test_one_bad_copy_is_a_warning_unless_strict(tmp_path):
    img, _ = build_image([(1, 100), (2, 100)])
    img[AREA_START + 3] ^= 0xFF
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and len(t["regions"]) == 2 and t["warnings"]
    assert t["regions"][0]["primary"] == "bad"
    rc, t = inspect(tmp_path, img, "--strict")
    assert rc == 1


def test_length_leaving_area_is_a_violation(tmp_path):
    img, _ = build_image([(1, 100)])
    h = fi.encode_header(2, AREA_LEN)
    slot2 = AREA_START + fi.NVR_SLOT_SIZE + 100
    img[slot2:slot2 + fi.NVR_SLOT_SIZE] = h + h
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and "leaves the area" in t["violations"][0]


def test_disagreeing_copies_are_a_violation(tmp_path):
    img, _ = build_image([(1, 100)])
    img[AREA_START + fi.NVR_HDR_SIZE:AREA_START + fi.NVR_SLOT_SIZE] = fi.encode_header(9, 100)
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and "disagree" in t["violations"][0]


def test_duplicate_owner_is_a_violation(tmp_path):
    img, _ = build_image([(1, 100), (1, 100)])
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and "two regions" in t["violations"][0]


def test_torn_primary_with_blank_mirror_is_free(tmp_path):
    img, end = build_image([(1, 100)])
    img[end:end + 7] = fi.encode_header(2, 100)[:7]  # power cut mid-commit
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["ending"] == "free" and len(t["regions"]) == 1


def test_region_data_is_not_read_as_headers(tmp_path):
    img, end = build_image([(1, 100)])
    data = AREA_START + fi.NVR_SLOT_SIZE
    h = fi.encode_header(7, 10)
    img[data:data + fi.NVR_SLOT_SIZE] = h + h
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and [r["owner"] for r in t["regions"]] == [1]


def test_text_output_and_bad_usage(tmp_path):
    img, _ = build_image([(0x42, 64)])
    p = tmp_path / "f.img"
    p.write_bytes(bytes(img))
    r = run_tool(p, "--start", AREA_START, "--length", AREA_LEN)
    assert r.returncode == 0 and "0x00000042" in r.stdout and "1 regions" in r.stdout
    assert run_tool(tmp_path / "missing.img").returncode == 2
    assert run_tool(p, "--start", AREA_START, "--length", AREA_LEN * 4).returncode == 2
