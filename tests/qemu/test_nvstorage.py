"""Driver 0x50004 through raw system calls (apps/nvs_abi), checked against
the specification, then against the FRAM image itself."""
import json
import os
import re
import subprocess
import sys

from qemu_env import KERNEL, ROOT, app_image, qemu_tool

OWNER = 0xAB1            # apps/nvs_abi/Makefile WRITE_ID
REGION_SIZE = 4096       # boards/mps2-an385/board.h BOARD_NVS_REGION_SIZE
INSPECT = os.path.join(ROOT, "tools", "fram_inspect.py")


def pattern(i):
    # apps/nvs_abi/main.c pattern()
    return (i * 7 + (i >> 8) + 0x5A) & 0xFF


def inspect(fram):
    out = subprocess.run([sys.executable, INSPECT, "--check", "--json", fram],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


def run_abi_app(qemu, fram):
    boot = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", "nvs_abi"), fram=fram)
    assert not boot.timed_out
    m = re.search(r"nvs_abi: (\d+) passed, (\d+) failed", boot.output)
    assert m, "no summary from nvs_abi"
    assert int(m.group(2)) == 0, "nvs_abi checks failed"
    assert int(m.group(1)) >= 45
    assert boot.status == 0
    return boot


def test_abi_to_the_letter_and_the_fram_holds_the_data(qemu):
    fram = str(qemu.tmp_path / "fram.img")
    boot = run_abi_app(qemu, fram)
    # Region data grows down from the end of the FRAM.
    top = qemu_tool.FRAM_SIZE - REGION_SIZE  # the first region: the top of the FRAM
    assert f"nvstorage: region for owner 0x{OWNER:x} at {top:#x}, {REGION_SIZE} bytes" in boot.output

    table = inspect(fram)
    assert [r["owner"] for r in table["regions"]] == [OWNER]
    region = table["regions"][0]
    assert region["length"] == REGION_SIZE
    with open(fram, "rb") as f:
        image = f.read()
    data = image[region["data"]:region["data"] + REGION_SIZE]
    # The 4 KiB write is on the FRAM, and none of the refused writes (one
    # byte past the end, upper offset word, overflow) changed a byte.
    assert data == bytes(pattern(i) for i in range(REGION_SIZE))
    # Nothing outside the region was written either: past the directory
    # (its END and the cleared position after it) the chip is as the fresh
    # image had it (zero).
    dir_end = table["end"] + 2 * 40
    assert image[dir_end:region["data"]] == bytes(region["data"] - dir_end)


def test_region_found_again_after_reboot(qemu):
    fram = str(qemu.tmp_path / "fram.img")
    run_abi_app(qemu, fram)
    first = inspect(fram)
    boot = run_abi_app(qemu, fram)
    assert "nvstorage: 1 regions" in boot.output
    # Rediscovered, not reallocated: the same slot, and still one region.
    assert inspect(fram)["regions"] == first["regions"]
