#!/usr/bin/python3
"""Pack a position-independent app ELF into a TBF image and/or a TAB.

  tbf_pack.py app.elf[,ARCH] -o app.tbf [-o app.tab] [-n NAME] [--stack N]
              [--app-heap N] [--kernel-heap N] [--write_id ID]
              [--read_ids A [B ...]] [--access_ids A [B ...]] [--short-id ID]
              [--disable] [--deterministic] [-v]

The option names are elf2tab's (Tock's packer), so its command lines work
here; our older names are kept as aliases: --name, --heap, --write-id,
--read-ids, --modify-ids, --disabled. Id lists take spaces or commas.
Each -o writes one file, by its extension: .tab a Tock Application Bundle
(metadata.toml plus <ARCH>.tbf, tools/tablib.py), anything else the TBF.
ARCH defaults to cortex-m3, the only architecture userland/app.mk builds for.
--stack defaults to the stack the ELF was linked with, -n to the ELF's name.
--kernel-heap is added to the minimum RAM, as elf2tab does (our kernel adds
its grant space on top anyway, so the default is 0).

The app binary inside the TBF is the app's flash image as userland/app.ld
lays it out (crt0 header, code, read-only data, initial .data), followed by
the data relocation table crt0 reads: a word count N, then N RAM offsets of
.data words that hold link-time addresses. The table comes from the ELF's
relocations (the app is linked with --emit-relocs).

The packer also refuses an ELF that could not run at an arbitrary address:
absolute addresses of the app's own code or data in flash (code built
without -fPIC, or library code that is not position independent), r9-relative
addressing of flash data, and GOT or data words that point nowhere in the app.

Minimum RAM (the TBF's min_ram_size) is, in bytes,
    round_up_8(stack + GOT + .data + .bss) + heap, rounded up to 8,
where stack is rounded up to 8 and the first term is crt0's initial break
(heap_start in the crt0 header). The kernel adds its grant space on top.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import elf32  # noqa: E402
import tablib  # noqa: E402
import tbflib  # noqa: E402

DEFAULT_ARCH = "cortex-m3"       # userland/app.mk ARCH_FLAGS
DEFAULT_APP_HEAP = 1024          # elf2tab's default

FLASH_LINK_BASE = 0x80000000     # userland/crt0_header.h CRT0_FLASH_LINK_BASE
RAM_LINK_BASE = 0x00000000       # CRT0_RAM_LINK_BASE
CRT0_MAGIC = 0x31524B54          # CRT0_MAGIC
CRT0_HEADER_FIELDS = ("magic", "stack_top", "pic_base", "got_start", "got_end",
                      "data_start", "data_end", "data_load", "bss_start", "bss_end",
                      "heap_start", "reloc_start", "init_start", "init_end")
STACK_ALIGN = 8
RAM_ALIGN = 8
WORD = 4
U32_MAX = 0xFFFFFFFF

# ARM relocation types (ELF for the Arm Architecture, "Relocation codes").
R_ARM_NONE = 0
R_ARM_PC24 = 1
R_ARM_ABS32 = 2
R_ARM_REL32 = 3
R_ARM_ABS16 = 5
R_ARM_ABS12 = 6
R_ARM_THM_ABS5 = 7
R_ARM_ABS8 = 8
R_ARM_THM_CALL = 10
R_ARM_THM_PC8 = 11
R_ARM_GOTOFF32 = 24
R_ARM_BASE_PREL = 25
R_ARM_GOT_BREL = 26
R_ARM_CALL = 28
R_ARM_JUMP24 = 29
R_ARM_THM_JUMP24 = 30
R_ARM_TARGET1 = 38
R_ARM_V4BX = 40
R_ARM_PREL31 = 42
R_ARM_MOVW_ABS_NC = 43
R_ARM_MOVT_ABS = 44
R_ARM_MOVW_PREL_NC = 45
R_ARM_MOVT_PREL = 46
R_ARM_THM_MOVW_ABS_NC = 47
R_ARM_THM_MOVT_ABS = 48
R_ARM_THM_MOVW_PREL_NC = 49
R_ARM_THM_MOVT_PREL = 50
R_ARM_THM_JUMP19 = 51
R_ARM_THM_ALU_PREL_11_0 = 53
R_ARM_THM_PC12 = 54
R_ARM_GOT_PREL = 96
R_ARM_GOT_BREL12 = 98
R_ARM_THM_JUMP11 = 102
R_ARM_THM_JUMP8 = 103

# Relocations that write an absolute address: crt0 can fix them in RAM only.
ABSOLUTE = {R_ARM_ABS32, R_ARM_TARGET1, R_ARM_ABS16, R_ARM_ABS12, R_ARM_THM_ABS5,
            R_ARM_ABS8, R_ARM_MOVW_ABS_NC, R_ARM_MOVT_ABS, R_ARM_THM_MOVW_ABS_NC,
            R_ARM_THM_MOVT_ABS}
# PC-relative: right wherever the image lands, as long as source and target
# are in the same region (flash and RAM move independently).
PC_RELATIVE = {R_ARM_PC24, R_ARM_REL32, R_ARM_THM_CALL, R_ARM_THM_PC8, R_ARM_CALL,
               R_ARM_JUMP24, R_ARM_THM_JUMP24, R_ARM_PREL31, R_ARM_MOVW_PREL_NC,
               R_ARM_MOVT_PREL, R_ARM_THM_MOVW_PREL_NC, R_ARM_THM_MOVT_PREL,
               R_ARM_THM_JUMP19, R_ARM_THM_ALU_PREL_11_0, R_ARM_THM_PC12,
               R_ARM_THM_JUMP11, R_ARM_THM_JUMP8}
# Offsets from the GOT origin (r9) to a GOT entry: position independent.
GOT_RELATIVE = {R_ARM_GOT_BREL, R_ARM_GOT_BREL12}
# Finding the GOT (or an entry) PC-relatively: assumes RAM moves with flash.
GOT_FROM_PC = {R_ARM_BASE_PREL, R_ARM_GOT_PREL}
IGNORED = {R_ARM_NONE, R_ARM_V4BX}


class PackError(Exception):
    pass


def align_up(value, align):
    return (value + align - 1) // align * align


def in_flash(addr):
    return addr >= FLASH_LINK_BASE


def flash_image(elf):
    """The bytes of every loadable segment whose load address is in flash,
    placed at load address - FLASH_LINK_BASE (gaps are zero)."""
    parts = [(seg.paddr - FLASH_LINK_BASE, elf.data[seg.offset:seg.offset + seg.filesz])
             for seg in elf.segments
             if seg.type == elf32.PT_LOAD and seg.filesz > 0 and in_flash(seg.paddr)]
    if not parts:
        raise PackError("no loadable flash contents (not linked with userland/app.ld?)")
    size = max(off + len(b) for off, b in parts)
    image = bytearray(size)
    for off, blob in parts:
        image[off:off + len(blob)] = blob
    return image


def crt0_header(image):
    n = len(CRT0_HEADER_FIELDS)
    if len(image) < n * WORD:
        raise PackError("flash image shorter than the crt0 header")
    hdr = dict(zip(CRT0_HEADER_FIELDS, struct.unpack_from(f"<{n}I", image)))
    if hdr["magic"] != CRT0_MAGIC:
        raise PackError(f"crt0 header magic {hdr['magic']:#x}, expected {CRT0_MAGIC:#x} "
                        "(not linked with userland/app.ld?)")
    return hdr


def symbol_place(sym):
    """'abs', 'undef', 'flash' or 'ram': where a relocation's target lives."""
    if sym.shndx == elf32.SHN_ABS:
        return "abs"
    if sym.shndx == elf32.SHN_UNDEF:
        return "undef"
    return "flash" if in_flash(sym.value) else "ram"


def describe(section, rel):
    name = rel.symbol.name or f"section {rel.symbol.shndx}"
    return f"{section.name}+{rel.offset - section.addr:#x} (type {rel.type}, symbol {name})"


def check_flash_reloc(section, rel):
    """A relocation applied to flash contents: must not depend on where the
    image or the RAM block is."""
    place = symbol_place(rel.symbol)
    if rel.type in IGNORED or rel.type in GOT_RELATIVE:
        return
    if rel.type in ABSOLUTE:
        if place in ("abs", "undef"):
            return
        raise PackError(f"absolute address in flash at {describe(section, rel)}: "
                        "code not built position independent (-fPIC -msingle-pic-base)")
    if rel.type in PC_RELATIVE:
        if place != "ram":
            return
        raise PackError(f"flash refers PC-relatively to RAM at {describe(section, rel)}")
    if rel.type in GOT_FROM_PC:
        raise PackError(f"GOT located PC-relatively at {describe(section, rel)}: build with "
                        "-msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative")
    if rel.type == R_ARM_GOTOFF32:
        if place == "ram":
            return
        raise PackError(f"r9-relative access to flash data at {describe(section, rel)}: "
                        "build with -mno-pic-data-is-text-relative")
    raise PackError(f"unsupported relocation in flash at {describe(section, rel)}")


def data_reloc_offsets(section, rel, hdr):
    """Offsets crt0 must rewrite for one relocation applied to .data."""
    place = symbol_place(rel.symbol)
    if not hdr["data_start"] <= rel.offset < hdr["data_end"]:
        raise PackError(f"relocation outside .data at {describe(section, rel)}")
    if rel.type in IGNORED:
        return []
    if rel.type in ABSOLUTE:
        if rel.type not in (R_ARM_ABS32, R_ARM_TARGET1):
            raise PackError(f"sub-word absolute address in RAM at {describe(section, rel)}")
        # Absolute symbols stay put; an undefined weak symbol stays null.
        return [] if place in ("abs", "undef") else [rel.offset - RAM_LINK_BASE]
    if rel.type in PC_RELATIVE:
        if place == "ram":
            return []
        raise PackError(f"RAM refers PC-relatively to flash at {describe(section, rel)}")
    raise PackError(f"unsupported relocation in RAM at {describe(section, rel)}")


def check_address_word(what, value, flash_size, ram_size):
    """A word crt0 will relocate must be null or point into the app."""
    if value == 0:
        return
    if in_flash(value) and value - FLASH_LINK_BASE <= flash_size:
        return
    if RAM_LINK_BASE <= value - RAM_LINK_BASE <= ram_size and not in_flash(value):
        return
    raise PackError(f"{what} holds {value:#010x}, which is neither in the app's flash "
                    "nor in its RAM: crt0 cannot relocate it")


def relocation_table(elf, image, hdr):
    """Checks every relocation; returns the sorted RAM offsets for crt0."""
    offsets = set()
    for section, relocs in elf.relocations():
        if not section.flags & elf32.SHF_ALLOC:
            continue                  # debug info: never loaded
        for rel in relocs:
            if in_flash(section.addr):
                check_flash_reloc(section, rel)
            else:
                offsets.update(data_reloc_offsets(section, rel, hdr))
    ram_size = hdr["heap_start"]
    for off in sorted(offsets):
        load = hdr["data_load"] + off - hdr["data_start"]
        (value,) = struct.unpack_from("<I", image, load)
        check_address_word(f".data word at RAM offset {off:#x}", value, len(image), ram_size)
    for off in range(hdr["got_start"], hdr["got_end"], WORD):
        load = hdr["data_load"] + off - hdr["data_start"]
        (value,) = struct.unpack_from("<I", image, load)
        check_address_word(f"GOT entry at RAM offset {off:#x}", value, len(image), ram_size)
    return sorted(offsets)


def pack(elf_bytes, *, name, stack=None, heap, kernel_heap=0, storage=None, short_id=None,
         enabled=True):
    """Returns (tbf bytes, summary dict). stack None: as linked."""
    elf = elf32.Elf32(elf_bytes)
    image = flash_image(elf)
    hdr = crt0_header(image)
    if hdr["reloc_start"] != len(image):
        raise PackError(f"crt0 header says the flash image ends at {hdr['reloc_start']:#x}, "
                        f"the ELF's flash contents end at {len(image):#x}")
    if len(image) % WORD:
        raise PackError("flash image length is not a multiple of 4")
    if stack is None:
        stack = hdr["stack_top"]
    if hdr["stack_top"] != align_up(stack, STACK_ALIGN):
        raise PackError(f"--stack {stack} but the ELF was linked with a "
                        f"{hdr['stack_top']}-byte stack (STACK_SIZE)")
    entry = elf.entry - FLASH_LINK_BASE
    if not in_flash(elf.entry) or not 0 <= entry < len(image) or not elf.entry & 1:
        raise PackError(f"entry point {elf.entry:#x} is not Thumb code in the flash image")

    offsets = relocation_table(elf, image, hdr)
    binary = bytes(image) + struct.pack(f"<I{len(offsets)}I", len(offsets), *offsets)
    min_ram = align_up(hdr["heap_start"] + heap + kernel_heap, RAM_ALIGN)
    tbf = tbflib.make_tbf(binary, name=name, init_fn_offset=entry, min_ram_size=min_ram,
                          enabled=enabled, storage=storage, short_id=short_id)
    summary = {"flash_image": len(image), "relocs": len(offsets),
               "got": hdr["got_end"] - hdr["got_start"],
               "data": hdr["data_end"] - hdr["data_start"],
               "bss": hdr["bss_end"] - hdr["bss_start"], "stack": hdr["stack_top"],
               "heap": heap, "min_ram": min_ram, "tbf": len(tbf)}
    return tbf, summary


def id_list(text):
    """One command-line word of an id list: "1", "1,2" or "0x10, 0x20"."""
    return [parse_u32(part) for part in text.split(",") if part.strip()]


def parse_u32(text):
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= U32_MAX:
        raise argparse.ArgumentTypeError(f"{text} does not fit 32 bits")
    return value


def flatten(lists):
    return [i for words in lists or [] for word in words for i in word]


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("elf", help="the app ELF, optionally followed by ,ARCH")
    ap.add_argument("-o", "--output-file", "--output", dest="outputs", action="append",
                    required=True, help="a .tbf or .tab file to write (repeatable)")
    ap.add_argument("-n", "--package-name", "--name", dest="name")
    ap.add_argument("--stack", type=parse_u32, help="bytes (default: as linked)")
    ap.add_argument("--app-heap", "--heap", dest="heap", type=parse_u32,
                    default=DEFAULT_APP_HEAP, help="bytes")
    ap.add_argument("--kernel-heap", type=parse_u32, default=0, help="bytes")
    ap.add_argument("--write_id", "--write-id", dest="write_id", type=parse_u32)
    ap.add_argument("--read_ids", "--read-ids", dest="read_ids", type=id_list, nargs="+",
                    action="append")
    ap.add_argument("--access_ids", "--modify-ids", dest="modify_ids", type=id_list,
                    nargs="+", action="append")
    ap.add_argument("--short-id", type=parse_u32)
    ap.add_argument("--disable", "--disabled", dest="disabled", action="store_true",
                    help="pack the app with its enabled flag clear")
    ap.add_argument("--deterministic", action="store_true",
                    help="TAB: no build date, so equal inputs give equal files")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    args.read_ids = flatten(args.read_ids)
    args.modify_ids = flatten(args.modify_ids)
    args.elf, _, args.arch = args.elf.partition(",")
    args.arch = args.arch or DEFAULT_ARCH
    if args.name is None:
        args.name = os.path.splitext(os.path.basename(args.elf))[0]
    return args


def main(argv=None):
    args = parse_args(argv)
    storage = None
    if args.write_id is not None or args.read_ids or args.modify_ids:
        storage = (args.write_id or 0, args.read_ids, args.modify_ids)
    try:
        with open(args.elf, "rb") as f:
            tbf, summary = pack(f.read(), name=args.name, stack=args.stack, heap=args.heap,
                                kernel_heap=args.kernel_heap, storage=storage,
                                short_id=args.short_id, enabled=not args.disabled)
    except (PackError, elf32.ElfError, ValueError, OSError) as e:
        sys.exit(f"tbf_pack: {args.elf}: {e}")
    info = tbflib.parse_tbf(tbf)
    for out in args.outputs:
        if out.endswith(".tab"):
            tablib.write_tab(out, {args.arch: tbf}, args.name,
                             kernel_version=info.kernel_version if info.has_kernel_version
                             else None, deterministic=args.deterministic)
        else:
            with open(out, "wb") as f:
                f.write(tbf)
        if args.verbose:
            print(f"tbf_pack: {out}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
