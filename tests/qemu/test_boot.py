"""Boot tests: the real kernel under QEMU prints its banner and ends with the
status it asks for; a kernel fault prints a decoded dump and a nonzero status."""
import os
import re
import subprocess
import sys

from qemu_env import BOARD, KERNEL, ROOT, app_image, ktest

sys.path.insert(0, os.path.join(ROOT, "tools"))
import klog  # noqa: E402

KERNEL_FAULT_STATUS = 0x7F  # kernel/arch/cortex-m/fault.c FAULT_EXIT_STATUS

# What each board's banner says (boards/<board>/layout.ld, board.h, fram.h).
BANNER = {
    "mps2-an385": {"app_flash": "0x40000..0x400000", "app_ram": "0x20010000..0x20400000",
                   "fram_part": "MB85RC256V-class", "fram_size": 32768},
    "mps2-an505": {"app_flash": "0x10040000..0x10400000", "app_ram": "0x38010000..0x38400000",
                   "fram_part": "MB85RC512-class", "fram_size": 65536},
}[BOARD]


def test_log_text_is_in_the_elf_and_not_in_the_image(tmp_path):
    """The text of the log lives in .log_text, which is never flashed
    (docs/logging.md): no line's text may reach the image, which is all
    QEMU or a flasher loads."""
    dictionary = klog.load(KERNEL)
    assert dictionary is not None, "the kernel ELF has no .log_text"
    texts = [t for t in dictionary.data.split(b"\0") if len(t) >= 8]
    assert any(t.startswith(b"[kernel] INFO  nvkernel ") for t in texts)
    image = tmp_path / "kernel.bin"
    subprocess.run(["arm-none-eabi-objcopy", "-O", "binary", KERNEL, str(image)], check=True)
    flashed = image.read_bytes()
    assert 0 < len(flashed) < 64 * 1024
    assert [t for t in texts if t in flashed] == []


def test_banner_names_version_memory_map_and_fram(qemu):
    boot = qemu(KERNEL, fram=str(qemu.tmp_path / "fram.img"))
    assert not boot.timed_out
    assert boot.status == 0
    out = boot.output
    assert re.search(rf"nvkernel \d+\.\d+\.\d+ on {BOARD}", out)
    flash = re.search(r"kernel flash: (\d+) bytes used", out)
    assert flash and int(flash.group(1)) > 0
    ram = re.search(r"kernel RAM:\s+(\d+) bytes used .* of 65536", out)
    assert ram and int(ram.group(1)) > 0
    assert f"app flash:    {BANNER['app_flash']}" in out
    assert f"app RAM:      {BANNER['app_ram']}" in out
    assert re.search(rf"FRAM device:  {BANNER['fram_part']} I2C FRAM .*address 0x50 "
                     rf".*{BANNER['fram_size']} bytes", out)
    assert f"fram: FRAM present at i2c 0x50, {BANNER['fram_size']} bytes" in out
    # No apps loaded: the kernel says so and ends QEMU with status 0.
    assert "0 apps loaded" in out


def test_alignment_padding_between_apps_is_named_as_padding(qemu):
    """hello (8 KiB) then nvs_demo (32 KiB, so aligned to 32 KiB): the
    assembler fills the gap with a disabled, nameless TBF, which the boot
    log calls padding rather than an app without a name."""
    image = app_image(qemu.tmp_path / "apps.bin", "hello", "nvs_demo")
    boot = qemu(KERNEL, apps=image, fram=str(qemu.tmp_path / "fram.img"))
    assert not boot.timed_out and boot.status == 0
    assert re.search(r"padding at 0x[0-9a-f]+ \(\d+ bytes\): skipped", boot.output)
    assert "app ''" not in boot.output
    assert "2 apps loaded" in boot.output


def test_kernel_fault_prints_decoded_dump_and_exits_nonzero(qemu):
    boot = qemu(ktest("kernel_fault"))
    assert not boot.timed_out, "a kernel fault must end QEMU, not hang"
    assert boot.status == KERNEL_FAULT_STATUS
    out = boot.output
    assert "KERNEL FAULT: BusFault" in out
    assert re.search(r"pc [0-9a-f]{8}  lr [0-9a-f]{8}  sp [0-9a-f]{8}", out)
    assert "CFSR.PRECISERR (precise data bus error)" in out
    assert "faulting bus address (BFAR): 60000010" in out
    assert "the read did not fault" not in out
