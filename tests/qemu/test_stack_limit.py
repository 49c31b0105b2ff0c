"""Stack overflow and the exact end of a process's RAM, on each board.

ARMv8-M (mps2-an505) catches a process stack that runs past the start of its
RAM block with the stack limit register (PSPLIM): a UsageFault, STKOF. ARMv7-M
(mps2-an385) has no stack limit: the MPU catches the first push below the
block (MemManage, MSTKERR or DACCVIOL). Either way the fault report says why,
and the usual restart policy applies. The PMSAv8 MPU ends the process's
reachable RAM exactly at its break when that is a multiple of 32 bytes (the
byte just past faults, the last byte does not); PMSAv7 rounds it up to a
subregion (the byte there reads, the first byte of the next one faults).
"""
import re

from qemu_env import ARCH, KERNEL, app_image

RESTART_LIMIT = 3  # boards/*/board.h BOARD_RESTART_LIMIT
LIVES = RESTART_LIMIT + 1

# The fault status each architecture reports for a stack that ran out.
STACK_CAUSE = {
    "armv8m": "CFSR.STKOF (stack overflow: the stack pointer went below its limit register)",
    "armv7m": "CFSR.MSTKERR (MPU fault on exception entry stacking)",
}


def boot_apps(qemu, *apps):
    image = app_image(qemu.tmp_path / "apps.bin", *apps)
    return qemu(KERNEL, apps=image, timeout=30)


def check_every_life_faulted(out, name, banner):
    """Each of the LIVES lives printed the banner and faulted, with the
    restart policy applied in between and the stop at the end."""
    assert out.count(banner) == LIVES
    assert out.count(f"process '{name}' faulted") == LIVES
    for n in range(1, RESTART_LIMIT + 1):
        assert f"process '{name}': restart {n} of {RESTART_LIMIT}" in out
    assert f"process '{name}': stopped after {RESTART_LIMIT} restarts" in out
    assert "NOT caught" not in out
    assert "ticker: done" in out


def test_stack_overflow_is_caught_and_reported(qemu):
    boot = boot_apps(qemu, "stack_overflow", "ticker")
    assert not boot.timed_out
    out = boot.output
    check_every_life_faulted(out, "stack_overflow", "stack_overflow: diving")
    if ARCH == "armv8m":
        assert out.count(STACK_CAUSE[ARCH]) == LIVES
        assert "UsageFault  CFSR=00100000" in out
    else:
        # ARMv7-M: the push below the block hits memory the MPU forbids.
        assert out.count(STACK_CAUSE[ARCH]) + out.count("CFSR.DACCVIOL") >= LIVES


def test_system_call_without_room_for_its_frame_faults_every_life(qemu):
    # The `svc` cannot be stacked: the process faults and the call stays
    # pending in the CPU. Were it not cleared, it would fire in the kernel
    # thread after the fault and enter the process the wrong way: the later
    # lives would not print their banner or would fault for another reason.
    boot = boot_apps(qemu, "stack_svc", "ticker")
    assert not boot.timed_out
    out = boot.output
    check_every_life_faulted(out, "stack_svc", "stack_svc: yield with sp at")
    assert out.count(STACK_CAUSE[ARCH]) == LIVES
    assert "MUNSTKERR" not in out


def test_reachable_ram_ends_exactly_at_the_break(qemu):
    # mpu_edge sets its break to a multiple of 32 that is not one of 512.
    boot = boot_apps(qemu, "mpu_edge")
    assert not boot.timed_out
    out = boot.output
    edge = re.search(r"mpu_edge: break at ([0-9a-f]{8})", out)
    assert edge, "mpu_edge did not set its break"
    edge = int(edge.group(1), 16)
    assert edge % 32 == 0 and edge % 512 != 0
    assert "mpu_edge: last byte below the break read" in out
    if ARCH == "armv8m":
        # PMSAv8: the region's limit is the break; the byte at it faults.
        assert "mpu_edge: byte at the break read" not in out
        assert f"faulting data address (MMFAR): {edge:08x}" in out
        assert out.count("mpu_edge: last byte below the break read") == LIVES
    else:
        # PMSAv7: the region ends at the next subregion boundary (an eighth
        # of the block): the byte at the break reads, the first byte of the
        # next eighth faults.
        assert out.count("mpu_edge: byte at the break read") == LIVES
        end = re.search(r"mpu_edge: subregion end at ([0-9a-f]{8})", out)
        assert end, "mpu_edge did not reach the subregion end"
        end = int(end.group(1), 16)
        assert edge < end and end % 256 == 0  # a subregion is 256 bytes or more
        assert "mpu_edge: byte past the subregion end read" not in out
        assert f"faulting data address (MMFAR): {end:08x}" in out
