"""Boot tests: the real kernel under QEMU prints its banner and ends with the
status it asks for; a kernel fault prints a decoded dump and a nonzero status."""
import re

from qemu_env import KERNEL, ktest

KERNEL_FAULT_STATUS = 0x7F  # kernel/arch/cortex-m/fault.c FAULT_EXIT_STATUS


def test_banner_names_version_memory_map_and_fram(qemu):
    boot = qemu(KERNEL, fram=str(qemu.tmp_path / "fram.img"))
    assert not boot.timed_out
    assert boot.status == 0
    out = boot.output
    assert re.search(r"nvkernel \d+\.\d+\.\d+ on mps2-an385", out)
    flash = re.search(r"kernel flash: (\d+) bytes used", out)
    assert flash and int(flash.group(1)) > 0
    ram = re.search(r"kernel RAM:\s+(\d+) bytes used .* of 65536", out)
    assert ram and int(ram.group(1)) > 0
    assert "app flash:    0x40000..0x400000" in out
    assert "app RAM:      0x20010000..0x20400000" in out
    assert re.search(r"FRAM device:  MB85RC256V-class I2C FRAM .*address 0x50 .*32768 bytes", out)
    assert "fram: FRAM present at i2c 0x50, 32768 bytes" in out
    # No apps loaded: the kernel says so and ends QEMU with status 0.
    assert "0 apps loaded" in out


def test_kernel_fault_prints_decoded_dump_and_exits_nonzero(qemu):
    boot = qemu(ktest("kernel_fault"))
    assert not boot.timed_out, "a kernel fault must end QEMU, not hang"
    assert boot.status == KERNEL_FAULT_STATUS
    out = boot.output
    assert "KERNEL FAULT: BusFault" in out
    assert re.search(r"pc =[0-9a-f]{8}", out)
    assert "CFSR.PRECISERR (precise data bus error)" in out
    assert "faulting bus address (BFAR): 60000010" in out
    assert "the read did not fault" not in out
