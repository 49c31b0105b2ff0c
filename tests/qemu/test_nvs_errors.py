"""Driver 0x50004 under QEMU: the exact error the contract names for each
failure the board can produce, and the exact capacity of the board's FRAM.

  - a table the kernel must not allocate in (overlapping records, a
    format-1 image): NOMEM (Tock code 9), nothing written;
  - no FRAM chip on the bus: FAIL (Tock code 1);
  - the 32 KiB FRAM with 4,096-byte regions holds exactly 7 regions
    (docs/nvstorage.md: n * (4096 + 40) + 80 <= 32768); the 8th owner gets
    NOMEM and the kernel logs the refusal with the space left (3,696 bytes).
Every boot's exit status and timeout are checked."""
import os
import re
import struct
import subprocess
import sys
import zlib

from qemu_env import BUILD, KERNEL, ROOT, app_image

sys.path.insert(0, os.path.join(ROOT, "tools"))
import fram_inspect as fi  # noqa: E402
import qemu as qemu_tool  # noqa: E402

TOCK_FAIL, TOCK_NOMEM = 1, 9
EXIT_MISMATCH = 1  # apps/nv_guard/main.c: what it returns when get size fails
REGION = 4096      # boards/mps2-an385/board.h BOARD_NVS_REGION_SIZE
FRAM_SIZE = qemu_tool.FRAM_SIZE
FULL = 7           # regions of REGION bytes in a FRAM_SIZE area
LEFT = FRAM_SIZE - FULL * REGION - (FULL + 1 + fi.NVR_SPARE_POSITIONS) * fi.NVR_POS_SIZE


def pack_guard(tmp_path, name, write_id):
    out = tmp_path / f"{name}.tbf"
    ids = hex(write_id)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_pack.py"),
                    os.path.join(BUILD, "apps", "nv_guard.elf"), "-o", str(out), "-n", name,
                    "--stack", "2048", "--app-heap", "2048", "--write_id", ids,
                    "--read_ids", ids, "--access_ids", ids],
                   check=True, capture_output=True)
    return out.read_bytes()


def boot(qemu, fram, *apps, status=0):
    b = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", *apps),
             fram=None if fram is None else str(fram))
    assert not b.timed_out, "hang"
    assert b.status == status, b.output
    assert "KERNEL FAULT" not in b.output
    return b.output


def test_capacity_is_exactly_seven_regions_then_nomem(qemu):
    assert FULL * (REGION + fi.NVR_POS_SIZE) + 2 * fi.NVR_POS_SIZE <= FRAM_SIZE
    assert (FULL + 1) * (REGION + fi.NVR_POS_SIZE) + 2 * fi.NVR_POS_SIZE > FRAM_SIZE
    fram = qemu.tmp_path / "fram.img"
    apps = [pack_guard(qemu.tmp_path, f"g{i}", 0x700 + i) for i in range(FULL + 1)]
    out = boot(qemu, fram, *apps, status=1)  # the refused guard exits with 1
    assert len(re.findall(r"nvstorage: region for owner 0x7\w\w at", out)) == FULL
    assert out.count(f"nv_guard: get size failed: error {TOCK_NOMEM}, size 0") == 1
    assert out.count("nv_guard: done") == FULL
    refused = re.findall(r"nvstorage: no room for owner 0x(\w+): (\d+) asked, (\d+) left", out)
    assert len(refused) == 1 and refused[0][1:] == (str(REGION), str(LEFT))
    table = fi.scan(open(fram, "rb").read(), 0, FRAM_SIZE)
    assert len(table["regions"]) == FULL and table["free"] == LEFT
    # The refused owner asks again on the next boot: still NOMEM, logged once.
    again = boot(qemu, fram, pack_guard(qemu.tmp_path, "late", 0x7FF), status=EXIT_MISMATCH)
    assert f"nv_guard: get size failed: error {TOCK_NOMEM}, size 0" in again
    assert again.count("nvstorage: no room for owner 0x7ff") == 1


def test_overlapping_records_refuse_allocation_with_nomem(qemu):
    fram = qemu.tmp_path / "fram.img"
    img = fi.build_image([(0x11, REGION), (0x22, REGION)], FRAM_SIZE)
    bad = fi.region_record(0x22, FRAM_SIZE - REGION - 100, REGION)  # overlaps 0x11's
    img[fi.NVR_POS_SIZE:2 * fi.NVR_POS_SIZE] = bad + bad
    fram.write_bytes(bytes(img))
    out = boot(qemu, fram, "nv_guard", status=EXIT_MISMATCH)
    assert "nvstorage: record at 0x28 overlaps; no allocation" in out
    assert f"nv_guard: get size failed: error {TOCK_NOMEM}, size 0" in out
    assert "(table refused)" in out
    assert fram.read_bytes() == bytes(img), "written into a table it refused"


def test_format1_image_is_refused_with_nomem(qemu):
    fram = qemu.tmp_path / "fram.img"
    img = bytearray(FRAM_SIZE)
    body = struct.pack(fi.V1_FORMAT, fi.NVR_V1_MAGIC, fi.NVR_V1_VERSION, 0, 0x6A11, REGION)
    h = body + struct.pack("<I", zlib.crc32(body))
    img[0:40] = h + h
    fram.write_bytes(bytes(img))
    out = boot(qemu, fram, "nv_guard", status=EXIT_MISMATCH)
    assert "nvstorage: format-1 table: refused (tools/fram_tool.py migrate)" in out
    assert f"nv_guard: get size failed: error {TOCK_NOMEM}, size 0" in out
    assert fram.read_bytes() == bytes(img)


def test_missing_chip_is_fail(qemu):
    out = boot(qemu, None, "nv_guard", status=EXIT_MISMATCH)
    assert "nvstorage: no usable FRAM area; every request will fail" in out
    assert f"nv_guard: get size failed: error {TOCK_FAIL}, size 0" in out
