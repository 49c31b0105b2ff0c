"""tools/tbf_pack.py: the TBF it writes (fields, minimum RAM, relocation
table), its elf2tab-style command line and TAB output, and the ELFs it must
refuse because they could not run from an arbitrary flash slot. Small programs are compiled here with the cross
compiler and userland/app.ld; the real hello app comes from `make apps`."""
import os
import struct
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import elf32  # noqa: E402
import tablib  # noqa: E402
import tbf_pack  # noqa: E402
import tbflib  # noqa: E402

APP_LD = os.path.join(ROOT, "userland", "app.ld")
HELLO_ELF = os.path.join(ROOT, "build", "apps", "hello.elf")
PIC = ["-fPIC", "-msingle-pic-base", "-mpic-register=r9", "-mno-pic-data-is-text-relative"]
CPU = ["-mcpu=cortex-m3", "-mthumb", "-Os"]

# Pointers in initialised data to RAM (p), flash rodata (s) and code (fp),
# plus a weak symbol nobody defines (w): the relocation table must list
# exactly p, s and fp.
MINI = r"""
extern int weak_missing __attribute__((weak));
int x;
int *p = &x;
const char *s = "in flash";
static void f(void) { x++; }
void (*fp)(void) = f;
int *w = &weak_missing;
__attribute__((section(".crt0_start"))) void _start(void)
{
    x = *p + s[0];
    fp();
    for (;;) {
    }
}
"""


def build(tmp_path, source, cflags=PIC, stack=512, ldflags=(), script=APP_LD):
    src = tmp_path / "mini.c"
    src.write_text(source)
    elf = tmp_path / "mini.elf"
    argv = (["arm-none-eabi-gcc"] + CPU + list(cflags) + ["-nostdlib", "-nostartfiles",
            "-Wl,--emit-relocs", f"-Wl,--defsym=STACK_SIZE={stack}", "-Wl,--no-warn-rwx-segments"]
            + (["-T", script] if script else []) + list(ldflags) + ["-o", str(elf), str(src)])
    subprocess.run(argv, check=True, capture_output=True)
    return elf.read_bytes()


def symbol(elf_bytes, name):
    return elf32.Elf32(elf_bytes).symbol(name).value


def test_hello_image_fields_and_min_ram():
    assert os.path.exists(HELLO_ELF), "build the apps first (make apps)"
    data = open(HELLO_ELF, "rb").read()
    tbf, summary = tbf_pack.pack(data, name="hello", stack=2048, heap=1000,
                                 storage=(0x10, [0x10, 0x20], [0x30]), short_id=0x42)
    img = tbflib.parse_tbf(tbf)
    assert img.enabled and img.name == "hello"
    elf = elf32.Elf32(data)
    assert img.init_fn_offset == elf.entry - tbf_pack.FLASH_LINK_BASE
    assert img.init_fn_offset & 1, "Thumb entry must be odd"
    heap_start = symbol(data, "_heap_start")
    assert img.min_ram_size == (heap_start + 1000 + 7) // 8 * 8 == summary["min_ram"]
    assert img.min_ram_size % 8 == 0
    assert (img.write_id, img.read_ids, img.modify_ids) == (0x10, [0x10, 0x20], [0x30])
    assert img.has_short_id and img.short_id == 0x42
    binary = tbf[img.binary_offset:]
    assert struct.unpack_from("<I", binary)[0] == tbf_pack.CRT0_MAGIC
    reloc_start = struct.unpack_from("<I", binary, 44)[0]
    count = struct.unpack_from("<I", binary, reloc_start)[0]
    assert count == summary["relocs"]


def test_relocation_table_lists_exactly_the_pointer_words(tmp_path):
    data = build(tmp_path, MINI)
    tbf, summary = tbf_pack.pack(data, name="mini", stack=512, heap=0)
    img = tbflib.parse_tbf(tbf)
    binary = tbf[img.binary_offset:]
    hdr = dict(zip(tbf_pack.CRT0_HEADER_FIELDS,
                   struct.unpack_from(f"<{len(tbf_pack.CRT0_HEADER_FIELDS)}I", binary)))
    count = struct.unpack_from("<I", binary, hdr["reloc_start"])[0]
    offsets = list(struct.unpack_from(f"<{count}I", binary, hdr["reloc_start"] + 4))
    want = sorted(symbol(data, n) for n in ("p", "s", "fp"))
    assert offsets == want
    # The words hold link-time addresses: RAM offsets below the flash origin,
    # flash addresses above it (what crt0 tells apart).
    def word(sym):
        return struct.unpack_from("<I", binary, hdr["data_load"] + symbol(data, sym)
                                  - hdr["data_start"])[0]
    assert word("p") == symbol(data, "x")
    assert word("s") >= tbf_pack.FLASH_LINK_BASE
    assert word("fp") == symbol(data, "f") and word("fp") & 1, "Thumb function pointer"
    assert word("w") == 0
    assert summary["stack"] == 512 and hdr["stack_top"] == 512


def test_min_ram_counts_stack_data_bss_and_heap(tmp_path):
    data = build(tmp_path, MINI + "char big[1000];\nchar *use_big(void) { return big; }\n",
                 stack=1024)
    _, small = tbf_pack.pack(data, name="m", stack=1024, heap=0)
    _, more = tbf_pack.pack(data, name="m", stack=1024, heap=4096)
    assert more["min_ram"] - small["min_ram"] == 4096
    assert small["min_ram"] >= 1024 + 1000 + small["got"]


def test_code_built_without_pic_is_refused(tmp_path):
    data = build(tmp_path, MINI, cflags=[])
    with pytest.raises(tbf_pack.PackError, match="absolute address in flash"):
        tbf_pack.pack(data, name="mini", stack=512, heap=0)


def test_data_reached_pc_relatively_is_refused(tmp_path):
    # -fPIC alone assumes data sits at a fixed distance from code: wrong when
    # flash and RAM move independently.
    data = build(tmp_path, MINI, cflags=["-fPIC"])
    with pytest.raises(tbf_pack.PackError, match="GOT located PC-relatively"):
        tbf_pack.pack(data, name="mini", stack=512, heap=0)


def test_got_entry_with_an_absolute_address_is_refused(tmp_path):
    source = MINI + "extern char mmio[];\nchar *get_mmio(void) { return mmio; }\n"
    data = build(tmp_path, source, ldflags=["-Wl,--defsym=mmio=0x40004000",
                                            "-Wl,--undefined=get_mmio"])
    with pytest.raises(tbf_pack.PackError, match="GOT entry"):
        tbf_pack.pack(data, name="mini", stack=512, heap=0)


def test_stack_argument_must_match_the_link(tmp_path):
    data = build(tmp_path, MINI, stack=512)
    with pytest.raises(tbf_pack.PackError, match="stack"):
        tbf_pack.pack(data, name="mini", stack=2048, heap=0)


def test_elf_without_crt0_header_is_refused(tmp_path):
    data = build(tmp_path, MINI, script=None, ldflags=["-Wl,-Ttext=0x80000000"])
    with pytest.raises(tbf_pack.PackError, match="magic"):
        tbf_pack.pack(data, name="mini", stack=512, heap=0)


def test_not_an_elf_is_refused():
    with pytest.raises(elf32.ElfError):
        tbf_pack.pack(b"\x7fELG" + bytes(100), name="x", stack=512, heap=0)


def test_cli_writes_image_and_fails_cleanly(tmp_path):
    data = build(tmp_path, MINI)
    elf = tmp_path / "mini.elf"
    out = tmp_path / "mini.tbf"
    tool = os.path.join(ROOT, "tools", "tbf_pack.py")
    ok = subprocess.run([sys.executable, tool, str(elf), "-o", str(out), "--name", "mini",
                         "--stack", "512", "--heap", "256", "--read-ids", "1,2",
                         "--short-id", "7", "--disabled"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    img = tbflib.parse_tbf(out.read_bytes())
    assert not img.enabled and img.read_ids == [1, 2] and img.write_id == 0
    assert img.short_id == 7
    bad = subprocess.run([sys.executable, tool, str(elf), "-o", str(tmp_path / "x.tbf"),
                          "--name", "mini", "--stack", "4096", "--heap", "0"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "stack" in bad.stderr
    assert not (tmp_path / "x.tbf").exists()
    assert data  # the ELF the CLI packed is the one built above


def test_cli_takes_elf2tab_option_names_and_writes_tbf_and_tab(tmp_path):
    build(tmp_path, MINI, stack=512)
    elf = tmp_path / "mini.elf"
    tool = os.path.join(ROOT, "tools", "tbf_pack.py")
    tbf, tab = tmp_path / "out.tbf", tmp_path / "out.tab"
    proc = subprocess.run([sys.executable, tool, str(elf), "-n", "elfname", "--stack", "512",
                           "--app-heap", "256", "--kernel-heap", "64", "--write_id", "5",
                           "--read_ids", "1", "2", "--access_ids", "3,4", "--short-id", "7",
                           "--disable", "-o", str(tbf), "--output-file", str(tab)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    img = tbflib.parse_tbf(tbf.read_bytes())
    assert img.name == "elfname" and not img.enabled
    assert (img.write_id, img.read_ids, img.modify_ids) == (5, [1, 2], [3, 4])
    assert img.short_id == 7
    # --kernel-heap counts into the minimum RAM, as elf2tab does.
    _, plain = tbf_pack.pack(elf.read_bytes(), name="m", stack=512, heap=256)
    assert img.min_ram_size == plain["min_ram"] + 64
    # The TAB holds the very same image for the default architecture.
    member, image = tablib.read_tbf(str(tab), "cortex-m3")
    assert member == "cortex-m3.tbf" and image == tbf.read_bytes()


def test_cli_defaults_stack_as_linked_name_from_elf_and_arch_suffix(tmp_path):
    build(tmp_path, MINI, stack=1024)
    elf = tmp_path / "mini.elf"
    tool = os.path.join(ROOT, "tools", "tbf_pack.py")
    tab = tmp_path / "m4.tab"
    proc = subprocess.run([sys.executable, tool, f"{elf},cortex-m4", "-o", str(tab),
                           "--deterministic"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    _, image = tablib.read_tbf(str(tab), "cortex-m4")
    img = tbflib.parse_tbf(image)
    assert img.name == "mini"
    _, summary = tbf_pack.pack(elf.read_bytes(), name="mini", stack=1024,
                               heap=tbf_pack.DEFAULT_APP_HEAP)
    assert img.min_ram_size == summary["min_ram"]
    with pytest.raises(tablib.TabError, match="no TBF for this board's architecture cortex-m3"):
        tablib.read_tbf(str(tab), "cortex-m3")
    # --deterministic: the same inputs give the same archive, byte for byte.
    again = tmp_path / "again.tab"
    subprocess.run([sys.executable, tool, f"{elf},cortex-m4", "-o", str(again),
                    "--deterministic"], check=True)
    assert again.read_bytes() == tab.read_bytes()
