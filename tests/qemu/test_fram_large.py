"""An FRAM past 64 KiB under QEMU: the kernel variant built with
-DBOARD_FRAM_KIB=128 (build/variant/fram128k/, mk/kernel.mk) drives a
128 KiB part that answers at 0x50 and 0x51 (address bit 16 in the device
address, as FM24V10 / MB85RC1MT do). QEMU shows it as two at24c-eeprom
devices over the two 64 KiB halves of one image file (tools/qemu.py
--fram-size). Checked: one write and one read across the 64 KiB boundary,
the whole part written and read back by a new QEMU process, storage regions
on both halves and across the boundary, each found again at the next boot."""
import json
import os
import re
import subprocess
import sys

from libnvs_apps import build_apps, image, repack
from qemu_env import KBUILD, ROOT
from test_fram import pattern

VARIANT = os.path.join(KBUILD, "variant", "fram128k")  # the board's build folder
KERNEL = os.path.join(VARIANT, "kernel.elf")
SIZE = 2 * 65536
HALF = 65536
CROSS_BELOW, CROSS_ABOVE = 333, 467   # tests/ktest/fram_cross.c
REGION = 4096                         # BOARD_NVS_REGION_SIZE
APPS_PER_BOOT = 8                     # the board's process limit
ODD_OWNER, ODD_LENGTH = 0xF00, 1000   # a region placed before the apps' ones


def ktest(name):
    return os.path.join(VARIANT, "ktest", f"{name}.elf")


def boot(qemu, kernel, img, apps=None, timeout=60):
    return qemu(kernel=kernel, apps=apps, fram=img, fram_size=SIZE, timeout=timeout)


def test_one_write_and_one_read_across_64k_then_the_whole_part_persists(qemu):
    img = str(qemu.tmp_path / "fram.img")
    first = boot(qemu, ktest("fram_cross"), img)
    assert "fram: FRAM present at i2c 0x50..0x51, 131072 bytes" in first.output
    assert "written and read back across 0x10000" in first.output
    assert "KTEST fram_cross: PASS" in first.output
    assert first.status == 0 and not first.timed_out
    data = open(img, "rb").read()
    assert len(data) == SIZE
    lo, hi = HALF - CROSS_BELOW, HALF + CROSS_ABOVE
    # Both sides of the boundary hold the pattern (0x51's device backs the
    # upper half of the file); nothing wrapped to the start of either device.
    assert data[lo:hi] == bytes(pattern(a) for a in range(lo, hi))
    assert data[:lo] == bytes(lo) and data[hi:] == bytes(SIZE - hi)

    second = boot(qemu, ktest("fram_write"), img)
    assert "KTEST fram_write: PASS" in second.output and second.status == 0
    assert open(img, "rb").read() == bytes(pattern(a) for a in range(SIZE))
    third = boot(qemu, ktest("fram_verify"), img)
    assert "KTEST fram_verify: 0 of 131072 bytes differ; past-end refused: yes" in third.output
    assert third.status == 0


def test_verify_sees_a_change_in_the_upper_half(qemu):
    """The check can fail: the last byte of the part (device 0x51) changed."""
    img = str(qemu.tmp_path / "fram.img")
    data = bytearray(pattern(a) for a in range(SIZE))
    data[-1] ^= 0x01
    with open(img, "wb") as f:
        f.write(data)
    out = boot(qemu, ktest("fram_verify"), img)
    assert "first mismatch at 0x1ffff" in out.output
    assert out.status == 1


def counters(qemu, ids):
    build_apps(("boot_counter",))
    tbfs = [repack(qemu.tmp_path, "boot_counter", f"bc{i:x}", write_id=i, read_ids=[i],
                   modify_ids=[i]) for i in ids]
    return image(qemu.tmp_path, tbfs, name=f"apps{ids[0]:x}.bin")


def booted(out):
    return [int(n) for n in re.findall(r"boot_counter: this board has booted (\d+) time", out)]


def regions(img):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "fram_inspect.py"), img,
                        "--check", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)["regions"]


def test_regions_on_both_halves_and_across_the_boundary_persist(qemu):
    img = str(qemu.tmp_path / "fram.img")
    # A first region of an odd size (written with fram_inspect, which follows
    # the format) puts the 4 KiB regions after it off the 64 KiB grid, so one
    # of them spans 0x10000.
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import fram_inspect
    with open(img, "wb") as f:
        f.write(fram_inspect.build_image([(ODD_OWNER, ODD_LENGTH)], SIZE))
    groups = [list(range(0x100 + g * APPS_PER_BOOT, 0x100 + (g + 1) * APPS_PER_BOOT))
              for g in range(3)]
    apps = [counters(qemu, ids) for ids in groups]
    # Three boots of 8 new owners each: 24 regions of 4 KiB, one across
    # 0x10000, at least 8 wholly in each half (devices 0x50 and 0x51).
    for a in apps:
        out = boot(qemu, KERNEL, img, a)
        assert out.status == 0 and not out.timed_out, out.output
        assert booted(out.output) == [1] * APPS_PER_BOOT
    regs = regions(img)
    assert sorted(r["owner"] for r in regs) == sorted(sum(groups, [ODD_OWNER]))
    regs_apps = [r for r in regs if r["owner"] != ODD_OWNER]
    below = [r for r in regs_apps if r["data"] + r["length"] <= HALF]
    across = [r for r in regs_apps if r["data"] < HALF < r["data"] + r["length"]]
    above = [r for r in regs_apps if r["data"] >= HALF]
    assert len(across) == 1
    assert len(above) >= APPS_PER_BOOT and len(below) >= APPS_PER_BOOT
    assert all(r["length"] == REGION for r in regs_apps)
    # Each owner finds its own count again (the second boot it has seen),
    # on both halves and across the boundary.
    for a in (apps[0], apps[1], apps[2]):
        out = boot(qemu, KERNEL, img, a)
        assert out.status == 0, out.output
        assert booted(out.output) == [2] * APPS_PER_BOOT
    assert regions(img) == regs
