"""Malicious apps next to a victim under QEMU.

evil_region owns a storage region and tries to reach past it (offsets at,
across and past the end, wrapping offsets, a nonzero upper offset word,
64-bit "negative" offsets, buffers swapped or withdrawn mid-transfer).
evil_mem commits one forbidden act per life (kernel RAM, the UART, the
FRAM's I2C lines, the MPU, the next app's RAM, kernel code, a fault and an
exit-restart in the middle of a storage write), keeping its stage in its
own region, so the kernel's restart policy drives a crash-restart loop
across boots. nv_guard is the victim: it keeps its pattern in the region
next to theirs and checks it every round and again on the next boot; the
FRAM image is then checked with tools/fram_inspect.py --check.
"""
import os
import re
import subprocess
import sys

import pytest

from qemu_env import KERNEL, ROOT, app_image, qemu_tool

RESTART_LIMIT = 3  # boards/mps2-an385/board.h BOARD_RESTART_LIMIT
INSPECT = os.path.join(ROOT, "tools", "fram_inspect.py")
EVIL_MEM_STAGES = [
    ("read kernel RAM", "DACCVIOL"),
    ("write kernel RAM", "DACCVIOL"),
    ("write the UART", "DACCVIOL"),
    ("drive the FRAM's I2C lines", "DACCVIOL"),
    ("disable the MPU", "PRECISERR"),      # the SCS is privileged-only: a bus fault
    ("read the next app's RAM", "DACCVIOL"),
    ("call kernel code", "IACCVIOL"),
    ("fault mid-write", "DACCVIOL"),
    ("exit-restart mid-write", None),
]


def fram_check(path):
    """tools/fram_inspect.py --check: exit status 0 means a valid table."""
    if not os.path.exists(INSPECT):
        pytest.skip("tools/fram_inspect.py not in the tree yet")
    r = subprocess.run([sys.executable, INSPECT, "--check", str(path)], capture_output=True,
                       text=True)
    assert r.returncode == 0, f"fram_inspect --check failed:\n{r.stdout}{r.stderr}"
    return r.stdout


def clean_boot(boot):
    assert not boot.timed_out, "hang"
    assert "KERNEL FAULT" not in boot.output and "kernel halted" not in boot.output
    return boot.output


def guard_ok(out, gen=None):
    assert "MISMATCH" not in out
    assert "process 'nv_guard' exited with code 0" in out
    if gen is not None:
        assert f"nv_guard: found generation {gen}, 256 bytes intact" in out
    return re.search(r"nv_guard: done, \d+ rounds, generation (\d+)", out).group(1)


def test_evil_region_refused_and_victim_intact(qemu):
    fram = qemu.tmp_path / "fram.img"
    image = app_image(qemu.tmp_path / "apps.bin", "evil_region", "nv_guard")
    out = clean_boot(qemu(KERNEL, apps=image, fram=str(fram)))
    # Both regions exist and evil_region's data lies right next to the
    # victim's (4 KiB regions grow down from the end of the FRAM, in the
    # order the two apps first asked, which the scheduler decides).
    at = dict(re.findall(r"region for owner (0x[0-9a-f]+) at (0x[0-9a-f]+),", out))
    top = qemu_tool.FRAM_SIZE - 0x1000
    assert sorted(at) == ["0x6a11", "0xe111"], at
    assert sorted(int(a, 16) for a in at.values()) == [top - 0x1000, top], at
    attacks = re.findall(r"evil_region: (.+): (refused .*|ACCEPTED)", out)
    assert len(attacks) == 12 and all(r.startswith("refused") for _, r in attacks), attacks
    # Swapping or withdrawing the buffer mid-transfer cancels it (ECANCEL=8)
    # or lets it finish; it never follows the new, bigger buffer.
    assert re.search(r"re-allow bigger buffer mid-write: status (0|8)\n", out)
    assert re.search(r"withdraw buffer mid-read: status (0|8)\n", out)
    assert "evil_region: done, 0 accepted" in out
    gen = guard_ok(out)
    # Next boot: the victim's block is exactly as it left it.
    again = app_image(qemu.tmp_path / "guard.bin", "nv_guard")
    guard_ok(clean_boot(qemu(KERNEL, apps=again, fram=str(fram))), gen)
    fram_check(fram)


def test_evil_mem_crash_restart_loop_is_contained(qemu):
    fram = qemu.tmp_path / "fram.img"
    image = app_image(qemu.tmp_path / "apps.bin", "evil_mem", "nv_guard")
    seen, gen, boots = "", None, 0
    while "evil_mem: all stages done" not in seen:
        boots += 1
        assert boots <= 4, "evil_mem did not get through its stages"
        out = clean_boot(qemu(KERNEL, apps=image, fram=str(fram)))
        gen = guard_ok(out, gen)
        assert "ESCAPED" not in out
        # Faulting lives per boot: the first life plus RESTART_LIMIT restarts.
        assert out.count("process 'evil_mem' faulted") <= RESTART_LIMIT + 1
        seen += out
    for n, (what, fault) in enumerate(EVIL_MEM_STAGES):
        line = f"evil_mem: stage {n}: {what}\n"
        assert seen.count(line) == 1, f"stage {n} ({what}) ran {seen.count(line)} times"
        after = seen[seen.index(line):]
        if fault is None:
            assert after.index("process 'evil_mem' asked to restart") < after.index("evil_mem:", 1)
        else:
            # The next kernel report after the attempt is its fault.
            report = after[:re.search(r"process 'evil_mem': (restart|stopped)", after).start()]
            assert "process 'evil_mem' faulted" in report and f"CFSR.{fault}" in report, what
    assert "process 'evil_mem': stopped after 3 restarts" in seen
    assert boots == 3
    fram_check(fram)
