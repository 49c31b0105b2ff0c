"""Corrupted inputs: app images (TBF) and FRAM images that lie.

Each TBF case lays real app images and a corrupted one out by hand, at
exact offsets in app flash (the assembler would refuse or repair them), and
boots the real kernel: it must boot, log one line per rejected image with
its address and reason, run the good apps the layout still lets it find,
and never create two processes whose flash overlaps.
"""
import os
import random
import re
import struct
import subprocess
import sys

import pytest

from qemu_env import BUILD, KERNEL, ROOT, app_image, app_tbf

sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu as qemu_tool  # noqa: E402
import tbflib  # noqa: E402

APP_FLASH = qemu_tool.APP_FLASH_ADDR
APP_FLASH_END = qemu_tool.APP_FLASH_END
OFF_HEADER_SIZE = 2               # base header: u16 version, u16 header size,
OFF_TOTAL_SIZE = 4                # u32 total size, u32 flags, u32 checksum
PROGRAM_TLV = 16                  # tbf_pack puts the Program TLV first
PROGRAM_LEN_FIELD = PROGRAM_TLV + 2
PROGRAM_INIT_FN = PROGRAM_TLV + 4
SEED = 0x7bf


def tbf(name):
    with open(app_tbf(name), "rb") as f:
        return f.read()


def patched(image, offset, fmt, value, fix=True):
    buf = bytearray(image)
    struct.pack_into(fmt, buf, offset, value)
    return tbflib.fix_checksum(bytes(buf)) if fix else bytes(buf)


def boot_layout(qemu, parts, timeout=30):
    """parts: (flash offset, bytes) pairs; gaps are zero (the end of the list
    for the kernel's loader, like QEMU's empty flash)."""
    end = max(off + len(data) for off, data in parts)
    blob = bytearray(end)
    for off, data in parts:
        blob[off:off + len(data)] = data
    path = qemu.tmp_path / "apps.bin"
    path.write_bytes(bytes(blob))
    boot = qemu(KERNEL, apps=str(path), timeout=timeout)
    assert not boot.timed_out, "the kernel hung on a corrupted image"
    assert "KERNEL FAULT" not in boot.output
    assert "nvkernel" in boot.output
    return boot


def loaded(out):
    """{name: (flash start, size)} of the processes the kernel created."""
    procs = {}
    for name, start, size in re.findall(r"app '(\w+)': flash (0x[0-9a-f]+) \((\d+) bytes\)", out):
        procs[name] = (int(start, 16), int(size))
    spans = sorted(procs.values())
    for (a, n), (b, _) in zip(spans, spans[1:]):
        assert a + n <= b, f"processes overlap in flash: {spans}"
    return procs


def rejected(out):
    return re.findall(r"app image at (0x[0-9a-f]+) rejected: (.+)", out)


def ticker_ran(out):
    return "ticker: done" in out and "process 'ticker' exited with code 0" in out


HELLO = 0x2000  # hello and ticker are 8 KiB images


@pytest.mark.parametrize("case, corrupt, reason", [
    ("bad checksum", lambda img: patched(img, 40, "<B", ord("j"), fix=False),
     "header checksum mismatch"),
    ("header size past total", lambda img: patched(img, OFF_HEADER_SIZE, "<H", 0x4000),
     "bad header size"),
    ("TLV runs past header", lambda img: patched(img, PROGRAM_LEN_FIELD, "<H", 200),
     "malformed TLV"),
    ("entry outside binary", lambda img: patched(img, PROGRAM_INIT_FN, "<I", 0x7ffffff1),
     "entry point outside the binary"),
])
def test_bad_image_before_good_one_is_skipped(qemu, case, corrupt, reason):
    boot = boot_layout(qemu, [(0, corrupt(tbf("hello"))), (HELLO, tbf("ticker"))])
    out = boot.output
    assert rejected(out) == [(hex(APP_FLASH), reason)], case
    assert set(loaded(out)) == {"ticker"}
    assert "Hello from hello" not in out
    assert ticker_ran(out)
    assert boot.status == 0


def test_bad_image_between_good_ones(qemu):
    bad = patched(tbf("hello"), 40, "<B", ord("j"), fix=False)
    boot = boot_layout(qemu, [(0, tbf("hello")), (HELLO, bad), (2 * HELLO, tbf("ticker"))])
    out = boot.output
    assert rejected(out) == [(hex(APP_FLASH + HELLO), "header checksum mismatch")]
    assert set(loaded(out)) == {"hello", "ticker"}
    assert "Hello from hello" in out and ticker_ran(out)
    assert boot.status == 0


def test_total_size_beyond_flash_stops_loading_after_good_app(qemu):
    huge = patched(tbf("hello"), OFF_TOTAL_SIZE, "<I", 0x10000000)
    boot = boot_layout(qemu, [(0, tbf("ticker")), (HELLO, huge), (2 * HELLO, tbf("hello"))])
    out = boot.output
    assert rejected(out) == [(hex(APP_FLASH + HELLO), "bad total size")]
    assert f"cannot locate images after {hex(APP_FLASH + HELLO)}" in out
    assert set(loaded(out)) == {"ticker"}
    assert ticker_ran(out) and "Hello from hello" not in out
    assert boot.status == 0


def test_zero_total_size_is_rejected(qemu):
    zero = patched(tbf("hello"), OFF_TOTAL_SIZE, "<I", 0)
    boot = boot_layout(qemu, [(0, tbf("ticker")), (HELLO, zero)])
    out = boot.output
    assert rejected(out) == [(hex(APP_FLASH + HELLO), "bad total size")]
    assert set(loaded(out)) == {"ticker"} and ticker_ran(out)


def test_total_size_not_a_power_of_two(qemu):
    # The size passes the parser but not the MPU: rejected; what follows
    # is then looked for at a misaligned address and is garbage.
    odd = patched(tbf("hello"), OFF_TOTAL_SIZE, "<I", HELLO + 4)
    boot = boot_layout(qemu, [(0, odd), (HELLO, tbf("ticker"))])
    out = boot.output
    assert re.search(rf"app 'hello' at {hex(APP_FLASH)} rejected: image size or alignment not "
                     "usable by the MPU", out)
    assert loaded(out) == {}
    assert "0 apps loaded" in out
    assert boot.status == 0


def test_total_size_swallowing_next_image_never_overlaps(qemu):
    # hello claims 16 KiB, covering ticker's image: the kernel cannot tell
    # (the body has no checksum), but it must not also start ticker there.
    liar = patched(tbf("hello"), OFF_TOTAL_SIZE, "<I", 2 * HELLO)
    boot = boot_layout(qemu, [(0, liar), (HELLO, tbf("ticker")),
                              (2 * HELLO, tbf("alarm_test"))])
    out = boot.output
    procs = loaded(out)
    assert procs["hello"] == (APP_FLASH, 2 * HELLO)
    assert "ticker" not in procs
    assert "alarm_test" in procs and "alarm_test: ok" in out
    assert "Hello from hello" in out


def test_app_name_can_neither_break_nor_forge_a_kernel_line(qemu):
    """A TBF package name is any UTF-8, newlines included. The kernel
    sends a name quoted and escaped inside its log record
    (docs/logging.md), and the decoder shows control bytes as \\xNN: the
    name stays on its own line and cannot fake the kernel's."""
    forged = "x\n[kernel] ERROR forged\x1b"  # 25 bytes: under TBF_NAME_MAX
    evil = qemu.tmp_path / "evil.tbf"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_pack.py"),
                    os.path.join(BUILD, "apps", "hello.elf"), "-o", str(evil), "--name", forged],
                   check=True, stdout=subprocess.DEVNULL)
    boot = boot_layout(qemu, [(0, evil.read_bytes()), (HELLO, tbf("ticker"))])
    out = boot.output
    assert "app 'x\\x0a[kernel] ERROR forged\\x1b': flash 0x" in out
    assert "process 'x\\x0a[kernel] ERROR forged\\x1b' exited with code 0" in out
    assert not re.search(r"^\[kernel\] ERROR forged", out, re.MULTILINE)
    assert "undecodable" not in out
    assert ticker_ran(out)
    assert boot.status == 0


def test_random_bytes_image(qemu):
    noise = random.Random(SEED).randbytes(HELLO)
    boot = boot_layout(qemu, [(0, tbf("ticker")), (HELLO, noise)])
    out = boot.output
    rej = rejected(out)
    assert len(rej) == 1 and rej[0][0] == hex(APP_FLASH + HELLO)
    assert set(loaded(out)) == {"ticker"} and ticker_ran(out)


def test_truncated_header_at_end_of_flash(qemu):
    # A disabled padding image carries the loader to the last 8 bytes of
    # app flash, where only half a base header fits.
    pad_len = APP_FLASH_END - APP_FLASH - HELLO - 8
    head = tbf("hello")[:8]
    boot = boot_layout(qemu, [(0, tbf("ticker")), (HELLO, tbflib.make_padding(pad_len)),
                              (HELLO + pad_len, head)])
    out = boot.output
    assert rejected(out) == [(hex(APP_FLASH_END - 8), "truncated base header")]
    assert set(loaded(out)) == {"ticker"} and ticker_ran(out)


# ---------------------------------------------------------------- FRAM images
#
# The storage area's region table (capsules/nv_region.h, format 2): a
# directory of fixed 40-byte positions from the area start (each record
# twice), region data from the area end down. A damaged position is skipped
# (its region lost, the others kept); nothing is ever allocated over a
# region that was live. tools/fram_inspect.py reads the same format.

INSPECT = os.path.join(ROOT, "tools", "fram_inspect.py")
FRAM_SIZE = qemu_tool.FRAM_SIZE
sys.path.insert(0, os.path.join(ROOT, "tools"))
import fram_inspect as fi  # noqa: E402

GUARD_OWNER, EVIL_OWNER = 0x6a11, 0xe111
POS = fi.NVR_POS_SIZE


def inspect(path, check=True):
    r = subprocess.run([sys.executable, INSPECT] + (["--check"] if check else []) + [str(path)],
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def fram_boot(qemu, fram, *apps):
    image = app_image(qemu.tmp_path / "apps.bin", *apps)
    boot = qemu(KERNEL, apps=image, fram=str(fram))
    assert not boot.timed_out, "hang"
    assert boot.status == 0, boot.output
    assert "KERNEL FAULT" not in boot.output and "nvkernel" in boot.output
    return boot.output


def two_regions(qemu):
    """An FRAM image holding evil_region's region, then nv_guard's."""
    fram = qemu.tmp_path / "fram.img"
    out = fram_boot(qemu, fram, "evil_region", "nv_guard")
    assert f"region for owner {hex(EVIL_OWNER)} at {hex(FRAM_SIZE - 4096)}" in out
    assert "nv_guard: done" in out
    rc, text = inspect(fram)
    assert rc == 0, text
    return fram


def test_fram_of_random_bytes_is_an_empty_table(qemu):
    # A chip that held other data: the kernel makes it an empty table (an
    # END record at position 0) and hands out zeroed regions; it writes
    # nothing but the directory it uses and the region it clears.
    fram = qemu.tmp_path / "fram.img"
    noise = random.Random(SEED).randbytes(FRAM_SIZE)
    fram.write_bytes(noise)
    out = fram_boot(qemu, fram, "nv_guard", "ticker")
    assert "nvstorage: 0 regions, END at 0," in out
    assert "nv_guard: no block yet (region of 4096 bytes)" in out
    assert "nv_guard: done" in out and ticker_ran(out)
    after = fram.read_bytes()
    touched = [i for i in range(FRAM_SIZE) if after[i] != noise[i]]
    assert min(touched) >= 0 and max(touched) < FRAM_SIZE
    assert all(i < 3 * POS or i >= FRAM_SIZE - 4096 for i in touched)
    rc, text = inspect(fram)
    assert rc == 0 and "1 regions" in text, text


def test_fram_bad_primary_header_is_repaired_from_its_copy(qemu):
    fram = two_regions(qemu)
    img = bytearray(fram.read_bytes())
    img[5] ^= 0xFF  # the first position's primary record: owner byte
    fram.write_bytes(bytes(img))
    out = fram_boot(qemu, fram, "nv_guard")
    assert re.search(r"nvstorage: 2 regions, .* 1 copies repaired", out)
    assert re.search(r"nv_guard: found generation \d+, 256 bytes intact", out)
    rc, text = inspect(fram)
    assert rc == 0, text


def test_fram_damaged_record_loses_only_its_region(qemu):
    fram = two_regions(qemu)
    img = bytearray(fram.read_bytes())
    table = fi.scan(bytes(img), 0, FRAM_SIZE)
    guard = next(r for r in table["regions"] if r["owner"] == GUARD_OWNER)
    assert guard["position"] == 1
    img[POS:2 * POS] = bytes(range(POS))  # both copies destroyed
    fram.write_bytes(bytes(img))
    before = bytes(img)
    out = fram_boot(qemu, fram, "evil_region", "nv_guard", "hello")
    assert f"nvstorage: damaged record at {hex(POS)}: its region lost, others kept" in out
    # The region before it still works; the victim gets a new, zeroed
    # region, never one over its old data.
    assert "evil_region: done, 0 accepted" in out
    assert "nv_guard: no block yet (region of 4096 bytes)" in out
    after = fram.read_bytes()
    old = slice(guard["data"], guard["data"] + guard["length"])
    assert after[old] == before[old], "allocated over a region that was live"
    regions = fi.live_regions(after)
    assert regions[GUARD_OWNER][0] + 4096 <= guard["data"]
    rc, text = inspect(fram)
    assert rc == 1 and "damaged record at position 1" in text


def test_fram_header_claiming_huge_length(qemu):
    fram = qemu.tmp_path / "fram.img"
    img = bytearray(FRAM_SIZE)
    huge = fi.region_record(EVIL_OWNER, FRAM_SIZE - 4096, 0x7FFFFFF0)  # valid CRC, absurd length
    img[0:POS] = huge + huge
    fram.write_bytes(bytes(img))
    out = fram_boot(qemu, fram, "evil_region", "nv_guard")
    # Not a record that fits: with the zero position after it, it reads as a
    # lost END, which the boot rewrites; both apps then get fresh regions.
    assert "nvstorage: 0 regions, END at 0," in out
    assert "evil_region: done, 0 accepted" in out and "nv_guard: done" in out
    rc, text = inspect(fram)
    assert rc == 0 and "2 regions" in text, text
