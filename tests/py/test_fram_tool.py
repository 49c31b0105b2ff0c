"""tools/fram_tool.py on images built to the format (tools/fram_inspect.py
mirrors capsules/nv_region.h): list, free (confirmation, backup, atomic
replace, the kernel's invariants after), migrate from format 1, refusals.
tests/qemu/test_nvs_fram_tool.py runs it on images the kernel wrote."""
import json
import os
import struct
import subprocess
import sys
import time
import zlib

import fram_inspect as fi

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "fram_tool.py")
SIZE = 32768


def run(*args, stdin=""):
    return subprocess.run([sys.executable, TOOL] + [str(a) for a in args], input=stdin,
                          capture_output=True, text=True, check=False)


def image(tmp_path, regions, fill_data=True):
    img = fi.build_image(regions, SIZE)
    t = fi.scan(bytes(img), 0, SIZE)
    if fill_data:
        for r in t["regions"]:
            img[r["data"]:r["data"] + r["length"]] = bytes([r["owner"] & 0xFF]) * r["length"]
    p = tmp_path / "fram.img"
    p.write_bytes(bytes(img))
    return p


def table(path):
    t = fi.scan(open(path, "rb").read(), 0, SIZE)
    assert fi.check(t, strict=True)[0] == [], t
    return t


def test_list_shows_owners_offsets_sizes_and_free_space(tmp_path):
    p = image(tmp_path, [(0x1001, 4096), (0x1002, 100)])
    r = run("list", p)
    assert r.returncode == 0, r.stderr
    assert "0x00001001 0        0x00007000 4096" in r.stdout
    assert "0x00001002 1        0x00006f9c 100" in r.stdout
    free = SIZE - 4196 - 5 * fi.NVR_POS_SIZE
    assert f"2 regions, {free} bytes free" in r.stdout
    j = json.loads(run("list", p, "--json").stdout)
    assert [x["owner"] for x in j["regions"]] == [0x1001, 0x1002] and j["free"] == free


def test_free_asks_first_and_no_answer_changes_nothing(tmp_path):
    p = image(tmp_path, [(1, 100), (2, 100)])
    before = p.read_bytes()
    r = run("free", p, "1", stdin="n\n")
    assert r.returncode == 1 and "not confirmed" in r.stderr
    assert p.read_bytes() == before
    assert not os.path.exists(str(p) + ".bak")


def test_free_middle_region_keeps_the_others_and_leaves_a_hole(tmp_path):
    p = image(tmp_path, [(1, 100), (2, 200), (3, 300)])
    before = p.read_bytes()
    old = fi.scan(before, 0, SIZE)
    r = run("free", p, "2", stdin="y\n")
    assert r.returncode == 0, r.stderr
    assert open(str(p) + ".bak", "rb").read() == before  # the backup
    t = table(p)
    assert [(x["owner"], x["data"], x["length"]) for x in t["regions"]] == \
        [(x["owner"], x["data"], x["length"]) for x in old["regions"] if x["owner"] != 2]
    assert t["low"] == old["low"]  # a hole: the space is not given back
    after = p.read_bytes()
    two = old["regions"][1]
    assert after[two["data"]:two["data"] + 200] == bytes(200)  # zeroed
    for x in t["regions"]:
        assert after[x["data"]:x["data"] + x["length"]] == bytes([x["owner"]]) * x["length"]
    # The position after the END is cleared, as the kernel requires.
    at = fi.pos_addr(0, t["end_pos"] + 1)
    assert after[at:at + fi.NVR_POS_SIZE] == bytes(fi.NVR_POS_SIZE)


def test_free_last_region_gives_its_space_back(tmp_path):
    p = image(tmp_path, [(1, 100), (2, 200)])
    old = table(p)
    assert run("free", p, "2", "--yes").returncode == 0
    t = table(p)
    assert [x["owner"] for x in t["regions"]] == [1]
    assert t["low"] == SIZE - 100 and t["free"] > old["free"] + 200


def test_free_everything_gives_an_empty_table(tmp_path):
    p = image(tmp_path, [(1, 100)])
    assert run("free", p, "1", "--yes").returncode == 0
    t = table(p)
    assert t["regions"] == [] and t["ending"] == "end" and t["low"] == SIZE


def test_second_free_keeps_the_first_backup(tmp_path):
    p = image(tmp_path, [(1, 100), (2, 100)])
    first = p.read_bytes()
    assert run("free", p, "1", "--yes").returncode == 0
    second = p.read_bytes()
    assert run("free", p, "2", "--yes").returncode == 0
    assert open(str(p) + ".bak", "rb").read() == first
    assert open(str(p) + ".bak.1", "rb").read() == second


def test_refusals(tmp_path):
    p = image(tmp_path, [(1, 100)])
    before = p.read_bytes()
    r = run("free", p, "0x99", "--yes")
    assert r.returncode == 1 and "no region for owner 0x99" in r.stderr
    bad = bytearray(before)  # a damaged record: fix or wipe first
    bad2 = fi.build_image([(1, 100), (2, 100)], SIZE)
    bad2[0:fi.NVR_POS_SIZE] = bytes(fi.NVR_POS_SIZE)
    p.write_bytes(bytes(bad2))
    r = run("free", p, "2", "--yes")
    assert r.returncode == 1 and "damaged record" in r.stderr
    assert p.read_bytes() == bytes(bad2)
    p.write_bytes(bytes(bad))
    assert run("free", tmp_path / "missing.img", "1").returncode == 2
    assert run("--length", SIZE * 2, "list", p).returncode == 2


def test_image_in_use_is_refused(tmp_path):
    p = image(tmp_path, [(1, 100)])
    before = p.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl,sys,time; f=open(sys.argv[1],'rb+'); fcntl.lockf(f, fcntl.LOCK_SH); "
         "print('locked', flush=True); time.sleep(30)", str(p)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = run("free", p, "1", "--yes")
        assert r.returncode == 1 and "in use" in r.stderr
        assert p.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert run("free", p, "1", "--yes").returncode == 0


def v1_image(regions):
    img = bytearray(SIZE)
    addr = 0
    for owner, length in regions:
        body = struct.pack(fi.V1_FORMAT, fi.NVR_V1_MAGIC, fi.NVR_V1_VERSION, 0, owner, length)
        h = body + struct.pack("<I", zlib.crc32(body))
        img[addr:addr + 40] = h + h
        img[addr + 40:addr + 40 + length] = bytes([owner & 0xFF]) * length
        addr += 40 + length
    return img


def test_migrate_keeps_owners_and_data(tmp_path):
    p = tmp_path / "v1.img"
    p.write_bytes(bytes(v1_image([(0x11, 4096)] * 1 + [(0x22, 4096), (0x33, 100)])))
    r = run("migrate", p, "--yes")
    assert r.returncode == 0, r.stderr
    t = table(p)
    assert [(x["owner"], x["length"]) for x in t["regions"]] == \
        [(0x11, 4096), (0x22, 4096), (0x33, 100)]
    img = p.read_bytes()
    for x in t["regions"]:
        assert img[x["data"]:x["data"] + x["length"]] == bytes([x["owner"]]) * x["length"]
    assert run("migrate", p, "--yes").returncode == 1  # already format 2


def test_migrate_a_full_format1_image(tmp_path):
    p = tmp_path / "v1.img"
    p.write_bytes(bytes(v1_image([(0x100 + i, 4096) for i in range(7)])))
    assert run("migrate", p, "--yes").returncode == 0
    assert len(table(p)["regions"]) == 7
