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

from qemu_env import KERNEL, ROOT, app_image, app_tbf

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
# The storage area's region table (capsules/nv_region.h): slots of a primary
# header, a secondary copy and the data; a slot whose two copies are both
# unreadable ends the chain, and nothing is ever allocated past a corrupt one.

INSPECT = os.path.join(ROOT, "tools", "fram_inspect.py")
FRAM_SIZE = qemu_tool.FRAM_SIZE
NVR_MAGIC, NVR_VERSION, NVR_HDR, NVR_SLOT = 0x4752564E, 1, 20, 40
GUARD_OWNER, EVIL_OWNER = 0x6a11, 0xe111


def nvr_header(owner, length):
    import zlib
    body = struct.pack("<IHHII", NVR_MAGIC, NVR_VERSION, 0, owner, length)
    return body + struct.pack("<I", zlib.crc32(body))


def inspect(path, check=True):
    r = subprocess.run([sys.executable, INSPECT] + (["--check"] if check else []) + [str(path)],
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def fram_boot(qemu, fram, *apps):
    image = app_image(qemu.tmp_path / "apps.bin", *apps)
    boot = qemu(KERNEL, apps=image, fram=str(fram))
    assert not boot.timed_out, "hang"
    assert "KERNEL FAULT" not in boot.output and "nvkernel" in boot.output
    return boot.output


def two_regions(qemu):
    """An FRAM image holding evil_region's region, then nv_guard's."""
    fram = qemu.tmp_path / "fram.img"
    out = fram_boot(qemu, fram, "evil_region", "nv_guard")
    assert "region for owner 0xe111 at 0x0" in out and "nv_guard: done" in out
    rc, text = inspect(fram)
    assert rc == 0, text
    return fram


def test_fram_of_random_bytes_is_never_allocated_over(qemu):
    fram = qemu.tmp_path / "fram.img"
    noise = random.Random(SEED).randbytes(FRAM_SIZE)
    fram.write_bytes(noise)
    out = fram_boot(qemu, fram, "nv_guard", "ticker")
    assert "nvstorage: unreadable header at 0x0; no allocation past it" in out
    # The app gets a clean error, not a region over garbage; others run on.
    assert re.search(r"nv_guard: get size failed: error \d+", out)
    assert ticker_ran(out)
    assert fram.read_bytes() == noise, "the kernel wrote into a corrupt table"
    rc, text = inspect(fram)
    assert rc != 0 and "0 regions" in text


def test_fram_bad_primary_header_is_repaired_from_its_copy(qemu):
    fram = two_regions(qemu)
    img = bytearray(fram.read_bytes())
    img[5] ^= 0xFF  # the first slot's primary header: version byte
    fram.write_bytes(bytes(img))
    out = fram_boot(qemu, fram, "nv_guard")
    assert re.search(r"nvstorage: 2 regions, .* 1 header copies repaired", out)
    assert re.search(r"nv_guard: found generation \d+, 256 bytes intact", out)
    rc, text = inspect(fram)
    assert rc == 0, text


def test_fram_bad_header_in_the_middle_stops_allocation_past_it(qemu):
    fram = two_regions(qemu)
    img = bytearray(fram.read_bytes())
    second = NVR_SLOT + 4096  # nv_guard's slot follows evil_region's 4 KiB region
    assert img[second:second + NVR_HDR] == nvr_header(GUARD_OWNER, 4096)
    img[second:second + NVR_SLOT] = bytes(range(NVR_SLOT))  # both copies destroyed
    fram.write_bytes(bytes(img))
    before = bytes(img)
    out = fram_boot(qemu, fram, "evil_region", "nv_guard", "hello")
    assert f"nvstorage: unreadable header at {hex(second)}; no allocation past it" in out
    # The region before it still works; the victim gets an error, not a new
    # region over its old data or past the damage.
    assert "evil_region: done, 0 accepted" in out
    assert re.search(r"nv_guard: get size failed: error \d+", out)
    after = fram.read_bytes()
    assert after[second:] == before[second:], "written at or past the corrupt slot"
    rc, text = inspect(fram, check=False)
    assert "owner" in text


def test_fram_header_claiming_huge_length(qemu):
    fram = qemu.tmp_path / "fram.img"
    img = bytearray(FRAM_SIZE)
    img[0:NVR_HDR] = nvr_header(EVIL_OWNER, 0x7FFFFFF0)       # valid CRC, absurd length
    img[NVR_HDR:NVR_SLOT] = nvr_header(EVIL_OWNER, 0x7FFFFFF0)
    fram.write_bytes(bytes(img))
    out = fram_boot(qemu, fram, "evil_region", "nv_guard")
    assert "nvstorage: unreadable header at 0x0; no allocation past it" in out
    assert "evil_region: get size failed" in out
    assert re.search(r"nv_guard: get size failed: error \d+", out)
    assert fram.read_bytes() == bytes(img)
