"""tools/fram_tool.py on FRAM images the kernel wrote: list what the kernel
allocated, free one owner's region, and boot the kernel on the result: the
other apps keep their data, the freed owner starts afresh, and the space of
the last region allocated is reused."""
import os
import re
import subprocess
import sys

from qemu_env import KERNEL, ROOT, app_image

sys.path.insert(0, os.path.join(ROOT, "tools"))
import fram_inspect as fi  # noqa: E402

TOOL = os.path.join(ROOT, "tools", "fram_tool.py")
COUNTER, GUARD, SETTINGS = 0x1001, 0x6A11, 0x1003  # apps/*/Makefile WRITE_ID
APPS = ("boot_counter", "nv_guard", "settings")


def tool(*args):
    r = subprocess.run([sys.executable, TOOL] + [str(a) for a in args], capture_output=True,
                       text=True, check=False)
    return r


def boot(qemu, fram):
    b = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", *APPS), fram=str(fram))
    assert not b.timed_out, "hang"
    assert b.status == 0, b.output
    assert "KERNEL FAULT" not in b.output and "MISMATCH" not in b.output
    return b.output


def regions(fram):
    return fi.live_regions(open(fram, "rb").read())


def test_list_and_free_on_images_the_kernel_wrote(qemu):
    fram = qemu.tmp_path / "fram.img"
    out = boot(qemu, fram)
    assert "booted 1 time" in out
    first = regions(fram)
    assert sorted(first) == sorted([COUNTER, GUARD, SETTINGS])

    listing = tool("list", fram)
    assert listing.returncode == 0, listing.stderr
    for owner, (data, length) in first.items():
        assert re.search(rf"0x{owner:08x} \d+ +0x{data:08x} {length}", listing.stdout)
    assert "3 regions" in listing.stdout

    # Free nv_guard's region: the others keep their data on the next boot.
    r = tool("free", fram, hex(GUARD), "--yes")
    assert r.returncode == 0, r.stderr
    assert os.path.exists(str(fram) + ".bak")
    assert sorted(regions(fram)) == sorted([COUNTER, SETTINGS])
    out = boot(qemu, fram)
    assert "booted 2 times" in out                     # boot_counter's data kept
    assert "settings: loaded generation 4" in out      # settings' record kept
    assert "nv_guard: no block yet (region of 4096 bytes)" in out  # afresh, zeroed
    second = regions(fram)
    assert second[COUNTER] == first[COUNTER] and second[SETTINGS] == first[SETTINGS]
    check = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "fram_inspect.py"),
                            "--check", "--strict", str(fram)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout

    # nv_guard's new region is now the last allocated: freeing it gives its
    # space back, and the next allocation takes exactly that place.
    assert min(d for d, _ in second.values()) == second[GUARD][0]
    assert tool("free", fram, hex(GUARD), "--yes").returncode == 0
    out = boot(qemu, fram)
    assert "nv_guard: no block yet" in out
    assert regions(fram)[GUARD] == second[GUARD]
