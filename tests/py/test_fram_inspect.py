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
    assert d["NVR_KIND_REGION"] == fi.NVR_KIND_REGION
    assert d["NVR_KIND_END"] == fi.NVR_KIND_END
    assert d["NVR_REC_SIZE"] == fi.NVR_REC_SIZE
    assert d["NVR_OFF_CRC"] == fi.NVR_OFF_CRC
    assert d["NVR_SPARE_POSITIONS"] == fi.NVR_SPARE_POSITIONS
    assert d["NVR_V1_MAGIC"] == fi.NVR_V1_MAGIC
    # RECORD_FORMAT order
    assert (d["NVR_OFF_VERSION"], d["NVR_OFF_KIND"], d["NVR_OFF_OWNER"], d["NVR_OFF_ADDR"],
            d["NVR_OFF_LENGTH"]) == (2, 3, 4, 8, 12)


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
    assert table["ending"] == "end"
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
    """regions: list of (owner, length); a valid table in the test area."""
    return fi.build_image(regions, size, AREA_START, AREA_LEN)


def put(img, i, rec_p, rec_s=None):
    """Write a record (both copies, or two different ones) at position i."""
    at = fi.pos_addr(AREA_START, i)
    img[at:at + fi.NVR_POS_SIZE] = rec_p + (rec_p if rec_s is None else rec_s)


def inspect(tmp_path, img, *extra):
    p = tmp_path / "f.img"
    p.write_bytes(bytes(img))
    r = run_tool(p, "--start", AREA_START, "--length", AREA_LEN, "--json", "--check", *extra)
    return r.returncode, json.loads(r.stdout)


def test_empty_and_valid_images_pass(tmp_path):
    img = build_image([])
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["regions"] == [] and t["ending"] == "end"
    assert t["free"] == AREA_LEN - (1 + fi.NVR_SPARE_POSITIONS) * fi.NVR_POS_SIZE
    img = build_image([(1, 100), (2, 200)])
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and [r["owner"] for r in t["regions"]] == [1, 2]
    assert t["regions"][0]["data"] + 100 == AREA_START + AREA_LEN


def test_fresh_chips_are_an_empty_table_with_a_lost_end(tmp_path):
    for fill in (b"\x00", b"\xff"):
        rc, t = inspect(tmp_path, bytearray(fill * (AREA_START + AREA_LEN)))
        assert rc == 0 and t["ending"] == "lost-end" and t["end_pos"] == 0
        assert t["regions"] == [] and t["warnings"]


def test_last_region_may_fill_the_area(tmp_path):
    # One region of the largest size that fits: exactly the free space.
    free = AREA_LEN - (2 + fi.NVR_SPARE_POSITIONS) * fi.NVR_POS_SIZE
    img = build_image([(1, free)])
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["free"] == 0 and t["regions"][0]["data"] == AREA_START + AREA_LEN - free


def test_damaged_middle_record_is_a_violation_but_the_rest_is_read(tmp_path):
    img = build_image([(1, 100), (2, 100), (3, 100)])
    put(img, 1, bytes(fi.NVR_REC_SIZE))  # both copies blanked
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and t["damaged"] == [1]
    assert [r["owner"] for r in t["regions"]] == [1, 3]
    assert "damaged record at position 1" in t["violations"][0]


def test_lost_end_after_regions_is_a_warning(tmp_path):
    img = build_image([(1, 100), (2, 100)])
    put(img, 2, bytes(fi.NVR_REC_SIZE))  # the END blanked
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["ending"] == "lost-end" and t["end_pos"] == 2
    assert t["low"] == AREA_START + AREA_LEN - 200


def test_one_bad_copy_is_a_warning_unless_strict(tmp_path):
    img = build_image([(1, 100), (2, 100)])
    img[AREA_START + 3] ^= 0xFF
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and len(t["regions"]) == 2 and t["warnings"]
    assert t["regions"][0]["primary"] == "bad"
    rc, t = inspect(tmp_path, img, "--strict")
    assert rc == 1


def test_length_leaving_area_is_a_damaged_record(tmp_path):
    img = build_image([(1, 100), (2, 100)])
    put(img, 1, fi.region_record(2, AREA_START + AREA_LEN - 200, AREA_LEN))
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and t["damaged"] == [1]


def test_overlap_is_a_violation(tmp_path):
    img = build_image([(1, 100), (2, 100)])
    put(img, 1, fi.region_record(2, AREA_START + AREA_LEN - 150, 100))
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and "overlaps" in t["violations"][0] and t["ending"] == "corrupt"


def test_disagreeing_copies_take_the_primary(tmp_path):
    img = build_image([(1, 100)])
    top = AREA_START + AREA_LEN
    put(img, 0, fi.region_record(1, top - 100, 100), fi.region_record(9, top - 100, 100))
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["regions"][0]["owner"] == 1
    assert t["regions"][0]["secondary"] == "stale"


def test_duplicate_owner_is_a_violation(tmp_path):
    img = build_image([(1, 100), (1, 100)])
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and "two regions" in t["violations"][0]


def test_torn_region_primary_over_the_end_is_the_end(tmp_path):
    img = build_image([(1, 100)])
    at = fi.pos_addr(AREA_START, 1)
    img[at:at + 7] = fi.region_record(2, AREA_START + AREA_LEN - 200, 100)[:7]  # cut mid-commit
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and t["ending"] == "end" and len(t["regions"]) == 1
    assert t["end_pos"] == 1


def test_format1_table_is_refused(tmp_path):
    import struct
    import zlib
    img = bytearray(AREA_START + AREA_LEN)
    body = struct.pack(fi.V1_FORMAT, fi.NVR_V1_MAGIC, fi.NVR_V1_VERSION, 0, 7, 100)
    h = body + struct.pack("<I", zlib.crc32(body))
    img[AREA_START:AREA_START + 40] = h + h
    rc, t = inspect(tmp_path, img)
    assert rc == 1 and t["ending"] == "format1"


def test_region_data_is_not_read_as_records(tmp_path):
    img = build_image([(1, 100)])
    data = AREA_START + AREA_LEN - 100
    for off in range(0, 100 - fi.NVR_POS_SIZE, fi.NVR_POS_SIZE):
        rec = fi.region_record(7, data, 10)
        img[data + off:data + off + fi.NVR_POS_SIZE] = rec + rec
    rc, t = inspect(tmp_path, img)
    assert rc == 0 and [r["owner"] for r in t["regions"]] == [1]


def test_live_regions_api(tmp_path):
    img = build_image([(1, 100), (2, 50)])
    regs = fi.live_regions(bytes(img), AREA_START, AREA_LEN)
    top = AREA_START + AREA_LEN
    assert regs == {1: (top - 100, 100), 2: (top - 150, 50)}
    put(img, 0, fi.region_record(2, top - 100, 100))
    with pytest.raises(ValueError):
        fi.live_regions(bytes(img), AREA_START, AREA_LEN)


def test_crc_matches_the_c_nibble_table():
    # The C code computes CRC-32 four bits at a time; zlib is the reference
    # (the C side is checked through images it wrote, above).
    text = open(os.path.join(ROOT, "capsules", "nv_region.c")).read()
    block = text[text.index("crc_nibble[16] = {"):]
    block = block[:block.index("};")]
    table = [int(x, 16) for x in re.findall(r"0x([0-9A-F]{8})u", block)]
    want = []
    for n in range(16):
        c = n
        for _ in range(4):
            c = (c >> 1) ^ (0xEDB88320 if c & 1 else 0)
        want.append(c)
    assert table == want


def test_text_output_and_bad_usage(tmp_path):
    img = build_image([(0x42, 64)])
    p = tmp_path / "f.img"
    p.write_bytes(bytes(img))
    r = run_tool(p, "--start", AREA_START, "--length", AREA_LEN)
    assert r.returncode == 0 and "0x00000042" in r.stdout and "1 regions" in r.stdout
    assert run_tool(tmp_path / "missing.img").returncode == 2
    assert run_tool(p, "--start", AREA_START, "--length", AREA_LEN * 4).returncode == 2
