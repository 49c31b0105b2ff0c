"""Process RAM placement (issue 17 §3): best fit over free holes, so the
alignment padding a large block leaves is used by smaller ones.

Apps are apps/hello packed with given heap sizes (tools/tbf_pack.py), so
each asks for a known minimum RAM; the kernel adds its grant reserve and
the MPU layer sizes the block: a power of two aligned to itself on PMSAv7
(mps2-an385), a multiple of 32 bytes on PMSAv8 (mps2-an505). Each test
checks what loaded, that every block follows its MPU's rule, lies inside
app RAM and overlaps no other,
and that every loaded app ran to exit 0; it prints the RAM utilisation
(bytes given to processes / app RAM), a figure reported, not judged.
"""
import os
import re
import subprocess
import sys

from qemu_env import ARCH, KERNEL, ROOT, app_image

KIB, MIB = 1024, 1024 * 1024
PMSAV8_GRANULE = 32
LINE = re.compile(r"app '(\w+)': flash 0x[0-9a-f]+ \(\d+ bytes\), RAM ([0-9a-f]+) \((\d+) bytes\)")


def packed(tmp_path, name, heap):
    out = tmp_path / f"{name}.tbf"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_pack.py"),
                    os.path.join(ROOT, "build", "apps", "hello.elf"), "-o", str(out),
                    "-n", name, "--app-heap", str(heap)], check=True, capture_output=True)
    return out.read_bytes()


def heap_for_block(size):
    """A heap that makes hello's block exactly `size` (hello's own RAM is
    ~2.3 KiB, the grant reserve 1 KiB): 3 KiB of need for 4 KiB."""
    return 512 if size == 4 * KIB else size - 4 * KIB


def boot(qemu, apps):
    image = app_image(qemu.tmp_path / "apps.bin",
                      *[packed(qemu.tmp_path, name, heap) for name, heap in apps])
    b = qemu(KERNEL, apps=image, timeout=60)
    assert not b.timed_out
    lo, hi = (int(x, 16) for x in re.search(r"app RAM:\s+0x([0-9a-f]+)\.\.0x([0-9a-f]+)",
                                             b.output).groups())
    blocks = {name: (int(a, 16), int(n)) for name, a, n in LINE.findall(b.output)}
    spans = sorted(blocks.values())
    for (a, n) in spans:
        align = n if ARCH == "armv7m" else PMSAV8_GRANULE
        assert a % align == 0 and n % align == 0, f"block {a:#x}+{n:#x}"
        assert lo <= a and a + n <= hi, f"block {a:#x}+{n:#x}"
    for (a, n), (b2, _) in zip(spans, spans[1:]):
        assert a + n <= b2, "blocks overlap"
    for name in blocks:
        assert f"process '{name}' exited with code 0" in b.output
    used = sum(n for _, n in blocks.values())
    print(f"RAM utilisation: {used} / {hi - lo} bytes = {100 * used / (hi - lo):.1f}% "
          f"({len(blocks)} apps)")
    return b, blocks, hi - lo


def test_small_app_uses_the_space_below_a_large_one(qemu):
    # The scenario: five apps asking 1 MiB of heap, then a 3 KiB app.
    # PMSAv7: 2 MiB blocks, and only one 2 MiB-aligned block fits in app
    # RAM; PMSAv8: blocks of what they need, so as many as fit by size.
    apps = [(f"big{i}", MIB) for i in range(1, 6)] + [("small", 512)]
    b, blocks, app_ram = boot(qemu, apps)
    assert "small" in blocks
    bigs = sorted(n for n in blocks if n.startswith("big"))
    if ARCH == "armv7m":
        assert bigs == ["big1"]
        assert blocks["small"][1] == 4 * KIB and blocks["big1"][1] == 2 * MIB
    else:
        big = blocks["big1"][1]
        assert MIB < big < MIB + 4 * KIB and blocks["small"][1] < 4 * KIB
        fit = (app_ram - blocks["small"][1]) // big
        assert bigs == [f"big{i}" for i in range(1, fit + 1)]
    assert b.output.count("not loaded: no RAM") == 5 - len(bigs)
    assert b.status == 0


def test_mixed_sizes_in_an_awkward_order_all_load(qemu):
    sizes = [8 * KIB, 2 * MIB, 4 * KIB, 1 * MIB, 128 * KIB, 512 * KIB, 4 * KIB, 256 * KIB]
    apps = [(f"app{i}", heap_for_block(s)) for i, s in enumerate(sizes)]
    b, blocks, _ = boot(qemu, apps)
    assert sorted(blocks) == sorted(name for name, _ in apps)
    got = [blocks[f"app{i}"][1] for i in range(len(sizes))]
    if ARCH == "armv7m":
        assert got == sizes
    else:  # no rounding to a power of two: each block is at most that
        assert all(s // 2 < g <= s for g, s in zip(got, sizes)), got
    assert b.status == 0


def test_same_tbfs_get_smaller_blocks_under_pmsav8(capsys):
    """tools/ram_by_board.py (the per-process RAM saved, docs/porting.md):
    the same TBFs on both boards, each block following its MPU's rule, the
    PMSAv8 one never bigger. Boots both boards' kernels whatever the board
    under test."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import ram_by_board
    from qemu_env import qemu_tool
    board = qemu_tool.BOARD
    ram_by_board.main(["hello", "nvs_demo", "bench_spin"])
    assert qemu_tool.BOARD == board, "the board under test was not given back"
    rows = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
    for name in ("hello", "nvs_demo", "bench_spin"):
        v7, v8, saved = (int(x) for x in rows[name])
        assert v7 & (v7 - 1) == 0, f"{name}: PMSAv7 block {v7} not a power of two"
        assert v8 % PMSAV8_GRANULE == 0 and v8 <= v7 and saved == v7 - v8
    assert rows["total"]
